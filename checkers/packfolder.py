"""``check`` on a court pack folder (issue 11 §4): the folder ``ecoclaim pack`` wrote, recognised by its
manifest.json. Its application is reviewed as the kind it is (not guessed), the filing forms the
checker does not review (材料清单, 证据目录, 送达地址确认书, …) and the supplied materials are listed as
跳过 with the reason, and what the filing desk would ask for is one complete list: the items the pack
lacked when it was made, plus any of its files since removed or changed.

The items and their bases come from the manifest, which the pack's own planning (docgen.pack.plan on
corpus/filing.yaml) wrote; the list is worded by corpus.filing.missing_lines, as ``pack --check`` words
it. The manifest is read as hostile input: size-limited, every field type-checked, file names confined
to the folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checkers.check import Skipped, Unreadable, check_files
from checkers.findings import Report
from checkers.policy import sha256_of
from corpus.filing import PACK_KIND, filing_steps, missing_lines
from corpus.forms import all_kinds, checkable_kinds
from ecokernel.errors import UserError

MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 2 * 1024 * 1024


@dataclass
class PackFolder:
    """A court pack folder as its manifest describes it."""

    folder: Path
    step: str
    jurisdiction: str | None
    merged: str | None
    documents: list[dict[str, Any]]
    items: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)  # files removed or changed since the pack was made

    def missing(self) -> list[tuple[str, str, str]]:
        """(name, basis, basis status) of each required item the filing desk would ask for."""
        out = [(i["name"], i["basis"], i["basis_status"]) for i in self.items
               if i["status"] == "missing" and i.get("required", True)]
        gone = {d["title"] for d in self.documents if not (self.folder / d["file"]).is_file()}
        out += [(i["name"], i["basis"], i["basis_status"]) for i in self.items
                if i["status"] in ("written", "supplied") and i["name"] in gone]
        return out


def _field(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise UserError(f"法院立案材料清单 {where} 的“{key}”缺失或类型不符", path=f"{where}.{key}")
    return value


def _inside(folder: Path, name: str, where: str) -> str:
    if not name or Path(name).name != name or name in (".", ".."):
        raise UserError(f"法院立案材料清单中的文件名“{name}”不是本文件夹中的文件", path=where)
    return name


def read_pack(folder: Path) -> PackFolder | None:
    """The pack in ``folder``, or None when it is no court pack (no manifest, or another tool's)."""
    path = folder / MANIFEST
    if not folder.is_dir() or not path.is_file():
        return None
    raw = path.read_bytes()[:MAX_MANIFEST_BYTES + 1]
    if len(raw) > MAX_MANIFEST_BYTES:
        raise UserError(f"{path} 超过 {MAX_MANIFEST_BYTES // 1024 // 1024} MB，不是本工具生成的清单", path=str(path))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path} 无法解析（{exc.__class__.__name__}），请重新生成立案材料", path=str(path)) from None
    if not isinstance(data, dict) or data.get("kind") != PACK_KIND:
        return None
    where = str(path)
    merged = data.get("merged")
    case = data.get("case") if isinstance(data.get("case"), dict) else {}
    pack = PackFolder(
        folder=folder, step=_field(data, "step", str, where),
        jurisdiction=case.get("jurisdiction") if isinstance(case.get("jurisdiction"), str) else None,
        merged=_inside(folder, merged["file"], f"{where}.merged") if isinstance(merged, dict)
        and isinstance(merged.get("file"), str) else None,
        documents=[], items=[])
    for n, doc in enumerate(_field(data, "documents", list, where)):
        at = f"{where}.documents[{n}]"
        if not isinstance(doc, dict):
            raise UserError(f"法院立案材料清单 {at} 不是对象", path=at)
        _inside(folder, _field(doc, "file", str, at), at)
        _field(doc, "title", str, at)
        pack.documents.append(doc)
    for n, item in enumerate(_field(data, "items", list, where)):
        at = f"{where}.items[{n}]"
        if not isinstance(item, dict):
            raise UserError(f"法院立案材料清单 {at} 不是对象", path=at)
        for key in ("name", "status", "basis", "basis_status"):
            _field(item, key, str, at)
        pack.items.append(item)
    for doc in pack.documents:
        file = folder / doc["file"]
        if not file.is_file():
            pack.problems.append(f"{doc['file']} 已不在文件夹中")
        elif isinstance(doc.get("sha256"), str) and sha256_of(file) != doc["sha256"]:
            pack.problems.append(f"{doc['file']} 生成后被修改过（与清单中的 SHA-256 不同），页码可能不再一致")
    return pack


def _skip_reason(doc: dict[str, Any]) -> str | None:
    """Why a file of the pack is not reviewed (None: it is)."""
    form = doc.get("form")
    if isinstance(form, str) and form in checkable_kinds():
        return None
    if isinstance(form, str) and form:
        title = all_kinds()[form].title if form in all_kinds() else doc["title"]
        return f"法院立案材料（{title}），不在审查范围"
    hint = f"；如需审查协议文本：ecoclaim check {doc['file']} --type agreement" if doc.get("material") == "agreement" else ""
    return f"当事人提供的材料（{doc['title']}），不在审查范围{hint}"


def check_pack(pack: PackFolder, jurisdiction: str | None, *, select: Iterable[str] = (),
               ignore: Iterable[str] = ()) -> list[Report | Skipped | Unreadable]:
    """Review the files of the pack the checker reviews, each as its kind; the others are ``Skipped``."""
    results: list[Report | Skipped | Unreadable] = []
    listed = {d["file"] for d in pack.documents}
    if pack.merged and (pack.folder / pack.merged).is_file():
        results.append(Skipped(str(pack.folder / pack.merged), "合并文件（各份材料另有单独文件，已逐份处理）"))
    by_kind: dict[str, list[Path]] = {}
    for doc in pack.documents:
        path = pack.folder / doc["file"]
        if not path.is_file():
            continue
        reason = _skip_reason(doc)
        if reason is None:
            by_kind.setdefault(doc["form"], []).append(path)
        else:
            results.append(Skipped(str(path), reason))
    for kind, paths in by_kind.items():
        results += check_files(paths, kind, jurisdiction or pack.jurisdiction, workers=1, select=select,
                               ignore=ignore)
    extra = [p for p in sorted(pack.folder.iterdir()) if p.is_file() and p.name not in listed
             and p.name not in (MANIFEST, pack.merged) and not p.name.startswith((".", "~$"))
             and p.suffix.lower() in (".docx", ".pdf", ".txt", ".md", ".html", ".htm")]
    if extra:  # files added to the folder by hand: reviewed as any file would be
        results += check_files(extra, None, jurisdiction or pack.jurisdiction, workers=1, select=select,
                               ignore=ignore)
    return results


def missing_report(pack: PackFolder) -> list[str]:
    """The filing desk's list for the pack, as ``pack --check`` words it, and the files that changed."""
    title = filing_steps()[pack.step].title if pack.step in filing_steps() else pack.step
    lines = [f"{title}材料（{pack.folder}）：", *missing_lines(pack.missing())]
    lines += [f"注意：{p}" for p in pack.problems]
    return lines


def split_packs(paths: Iterable[Path]) -> tuple[list[Path], list[PackFolder]]:
    """The paths given to ``check``: court pack folders apart from everything else."""
    plain: list[Path] = []
    packs: list[PackFolder] = []
    for path in paths:
        pack = read_pack(Path(path)) if Path(path).is_dir() else None
        if pack is None:
            plain.append(Path(path))
        else:
            packs.append(pack)
    return plain, packs
