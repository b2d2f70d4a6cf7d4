"""A dossier: several forms of one case, written in one format, with a manifest and optionally a ZIP.

Everything is rendered first (a template or data problem stops the run before any file is
touched), then written into a staging directory inside the output directory, checked (PDF text),
hashed, and only then moved into place with ``os.replace`` — on any failure nothing half-written
remains and existing outputs of an earlier run are left as they were.

The manifest (``manifest.json``) stores what makes each output reproducible and traceable, as
HotDocs answer files do: the case file's SHA-256, per document the form, jurisdiction variant,
model-text address, the template version (SHA-256 over the template files it used, overrides
included) and the output's SHA-256, plus the tool version and the time of generation.

File names are ``NN-标题.ext`` (``01-索赔启动登记表.docx``), NN being the form's place in SPEC §1:
Chinese names are what a legal office files under, sort in procedural order, and every current
file system and ZIP tool (the ZIP sets the UTF-8 name flag) handles them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import TemplateNotFound
from pydantic import BaseModel

from casefile.model import Case
from casefile.validation import load_case
from corpus.filing import filing_steps
from corpus.forms import form_kinds
from docgen.render.environment import environment
from docgen.render.render import render_form, template_name
from docgen.writers import write_source
from docgen.writers.common import WriterError
from docgen.writers.docx import load_reference_docx
from docgen.writers.pdf import DEFAULT_TIMEOUT, convert_to_pdf, verify_pdf
from ecodoc.tree import Document
from ecokernel.cnfmt import rmb_upper
from ecokernel.errors import UserError
from ecokernel.sourcefile import os_error_text
from ecokernel.version import product_version
from procedure.stage import allowed_forms

FORMATS: dict[str, str] = {"docx": ".docx", "pdf": ".pdf", "html": ".html", "md": ".md"}
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


class DossierError(UserError):
    """The call cannot be carried out (unknown form or format, unusable option)."""


class OutputError(DossierError, OSError):
    """The output directory cannot be used or written (not a directory, read-only, disk full…).

    Still an ``OSError`` for callers that handle file-system failures as such.
    """


@dataclass(frozen=True)
class Generated:
    kind: str
    title: str
    variant: str
    jurisdiction: str
    model_text: str | None
    note: str | None
    file: str
    sha256: str
    size: int
    template_version: str
    templates: dict[str, str]
    stage_allowed: bool = True
    stage_reason: str = ""


@dataclass(frozen=True)
class Skipped:
    kind: str
    title: str
    reason: str


@dataclass
class DossierResult:
    out_dir: Path
    generated: list[Generated] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    manifest: Path | None = None
    zip_path: Path | None = None
    notices: list[str] = field(default_factory=list)




def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|／]+')


def safe_stem(title: str, fallback: str) -> str:
    """A title as a file name's stem: no path separators, control or reserved characters."""
    return _UNSAFE.sub("-", title).strip(" .-") or fallback


def file_name(kind: str, title: str, fmt: str) -> str:
    """``04-生态环境损害赔偿磋商告知书.docx``: the form's number in SPEC §1 and its title."""
    number = list(form_kinds()).index(kind) + 1
    return f"{number:02d}-{safe_stem(title, kind)}{FORMATS[fmt]}"


@functools.cache
def per_agent_forms() -> frozenset[str]:
    """The forms that are one instrument per agent: those a court pack writes ``per: agent`` (corpus/filing.yaml)."""
    return frozenset(item.form for step in filing_steps().values() for item in step.items
                     if item.per == "agent" and item.form)


def instruments(case: Case, kind: str) -> list[tuple[Case, str | None]]:
    """The documents of ``kind`` a dossier holds, each with whose it is: one 授权委托书 per agent (its own
    file, its own page numbers; as the court pack does), else one document for the case."""
    if kind in per_agent_forms() and len(case.agents) > 1:
        return [(case.for_agent(agent), agent.name) for agent in case.agents]
    return [(case, None)]


def allowances(case: Case) -> list[tuple[str, bool, str]]:
    """(kind, allowed, reason) for every form kind, as ``procedure.stage`` decides."""
    return [(a.kind, a.allowed, a.reason) for a in allowed_forms(case)]


_REFERENCE = re.compile(r"""\{%-?\s*(?:import|include|extends|from)\s+["']([^"']+)["']""")


def template_files(kind: str, variant: str, template_dirs: list[Path] | None, env: Any = None) -> dict[str, str]:
    """Template name → SHA-256 of its source, for the form template and every template it names
    (``import``/``include``/``extends``/``from`` with a literal name), overrides included."""

    env = env or environment(template_dirs)
    out: dict[str, str] = {}
    todo = [template_name(variant, kind)]
    while todo:
        name = todo.pop()
        if name in out:
            continue
        try:
            source, _filename, _uptodate = env.loader.get_source(env, name)
        except TemplateNotFound:  # the renderer reports a missing template; the version just omits it
            continue
        out[name] = sha256_bytes(source.encode("utf-8"))
        todo += _REFERENCE.findall(source)
    return dict(sorted(out.items()))


def template_version(files: dict[str, str]) -> str:
    return "sha256:" + sha256_bytes("\n".join(f"{n}\t{h}" for n, h in sorted(files.items())).encode())


def case_strings(case: Case) -> list[str]:
    """Names, identifiers and amounts of a case, as the forms print them (for the PDF text check)."""

    found: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, Decimal):
            found.append(f"{value:,.2f}")
            found.append(rmb_upper(value))
        elif isinstance(value, str) and key in {"name", "uscc", "id_number", "legal_rep", "government",
                                                  "case_number", "ruling_number"}:
            found.append(value)

    walk(case)
    return list(dict.fromkeys(s for s in found if s))


def generate_dossier(
    case_path: Path,
    out_dir: Path,
    *,
    fmt: str,
    kinds: Sequence[str] | None = None,
    make_zip: bool = False,
    template_dirs: list[Path] | None = None,
    reference_docx: Path | None = None,
    today: date | None = None,
    pdf_timeout: float | None = None,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> DossierResult:
    """Generate forms of a case. ``kinds`` None: every form the case's stage allows.

    Raises ``CaseError`` (invalid case), ``DossierError``/``RenderError``/``WriterError`` (unusable call,
    template problem, conversion failure); in every failing case no output file has been changed.
    A file in ``out_dir`` that this run would replace and that was edited since it was generated (its
    hash differs from the manifest's) or was not generated at all is refused (``OutputError``) unless
    ``force``: nobody's edits are lost silently.
    """

    if fmt not in FORMATS:
        raise DossierError(f"不支持的输出格式“{fmt}”，可用：{'、'.join(FORMATS)}")
    known = form_kinds()
    for kind in kinds or ():
        if kind not in known:
            raise DossierError(f"未知文书种类“{kind}”，可选：{'、'.join(known)}")
    if reference_docx is not None and fmt not in ("docx", "pdf"):
        raise DossierError("--reference-docx 只用于 DOCX 和 PDF 输出")
    for folder in template_dirs or ():
        if not folder.is_dir():
            raise DossierError(f"模板目录不存在：{folder}")
    try:
        case_bytes = case_path.read_bytes()
    except OSError as exc:
        raise DossierError(f"无法读取案件文件 {case_path}：{os_error_text(exc)}") from None
    case = load_case(case_path)
    reference = None
    if reference_docx is not None:

        reference = load_reference_docx(reference_docx)

    result = DossierResult(out_dir=out_dir)
    if reference is not None:
        result.notices += reference.notices  # what was stripped from it (external links, include fields)
    stage = {kind: (allowed, reason) for kind, allowed, reason in allowances(case)}
    if kinds is None:
        selected = [k for k in known if stage.get(k, (True, ""))[0]]
        result.skipped = [Skipped(k, known[k].title, stage[k][1]) for k in known if k not in selected]
    else:
        selected = list(dict.fromkeys(kinds))
        for kind in selected:
            allowed, reason = stage.get(kind, (True, ""))
            if not allowed:
                result.notices.append(f"{known[kind].title}：{reason}（按 --form 要求仍然生成）")

    documents: list[Document] = []
    owners: list[str | None] = []
    for kind in selected:
        for one, owner in instruments(case, kind):
            documents.append(render_form(one, kind, template_dirs=template_dirs, today=today))
            owners.append(owner)
        if progress:
            progress(kind)


    env = environment(template_dirs)
    previous = previous_files(out_dir, case)
    names = [file_name(doc.kind, known[doc.kind].title_for(doc.variant) + (f"（{owner}）" if owner else ""), fmt)
             for doc, owner in zip(documents, owners, strict=True)]
    if not force:
        _refuse_edited(out_dir, names, previous)
    staging = staging_dir(out_dir)
    try:
        if fmt == "pdf":
            _write_pdfs(documents, names, staging, reference, case, pdf_timeout)
        else:
            for doc, name in zip(documents, names, strict=True):
                (staging / name).write_bytes(write_source(doc, fmt, reference=reference))
        for doc, name in zip(documents, names, strict=True):
            path = staging / name
            files = template_files(doc.kind, doc.variant, template_dirs, env)
            allowed, reason = stage.get(doc.kind, (True, ""))
            result.generated.append(Generated(
                kind=doc.kind, title=known[doc.kind].title_for(doc.variant), variant=doc.variant,
                jurisdiction=doc.jurisdiction, model_text=doc.model_text, note=doc.note, file=name,
                sha256=sha256_file(path), size=path.stat().st_size, template_version=template_version(files),
                templates=files, stage_allowed=allowed, stage_reason=reason))
        manifest = _manifest(result, case, case_path, case_bytes, fmt, reference, template_dirs)
        (staging / MANIFEST).write_bytes(manifest)
        zip_name = None
        if make_zip:
            zip_name = f"{_UNSAFE.sub('-', case_path.stem)}-{fmt}.zip"
            _write_zip(staging / zip_name, [staging / g.file for g in result.generated] + [staging / MANIFEST])
        # Commit: every output is complete and checked; move each into place atomically.
        for fh in (*[staging / g.file for g in result.generated], staging / MANIFEST):
            fsync_file(fh)
            os.replace(fh, out_dir / fh.name)
        if zip_name:
            fsync_file(staging / zip_name)
            os.replace(staging / zip_name, out_dir / zip_name)
            result.zip_path = out_dir / zip_name
        result.manifest = out_dir / MANIFEST
        left = sorted(n for n in set(previous) - {g.file for g in result.generated} - {zip_name}
                      if (out_dir / n).is_file())
        if left:
            result.notices.append(f"输出目录中还有本案上次生成、本次未重新生成的文件（不在新的清单中）：{'、'.join(left)}")
    except OSError as exc:  # disk full, read-only, permissions: the outputs of an earlier run stay as they were
        raise OutputError(f"无法写入输出目录 {out_dir}：{os_error_text(exc)}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _case_key(number: Any, name: Any) -> str:
    return f"案号 {number}" if number else f"案件名称 {name}"


def previous_files(out_dir: Path, case: Case) -> dict[str, str]:
    """The files an earlier dossier of *this* case in ``out_dir`` lists, with their SHA-256; refuses
    (``OutputError``) when ``out_dir`` holds another case's dossier, so no one's documents end up mixed
    with another's."""
    path = out_dir / MANIFEST
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text("utf-8"))
        earlier = manifest["case"]
        key = _case_key(earlier.get("case_number"), earlier.get("case_name"))
        files = {Path(str(d["file"])).name: str(d.get("sha256", "")) for d in manifest.get("documents", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise OutputError(f"输出目录 {out_dir} 中已有一个无法识别的清单 {MANIFEST}，可能是其他文书；"
                          "为免混放，请换一个输出目录，或先移走其中的文件") from None
    if key != _case_key(case.case_number, case.case_name):
        raise OutputError(f"输出目录 {out_dir} 中已有另一案件（{key}）的文书；为免两案文书混放，"
                          "请换一个输出目录，或先移走该案件的文书和清单")
    return files


def _refuse_edited(out_dir: Path, names: list[str], previous: dict[str, str]) -> None:
    """Refuse to replace a file edited since it was generated, or one this tool did not write."""
    edited, foreign = [], []
    for name in names:
        path = out_dir / name
        if not path.is_file():
            continue
        if name not in previous:
            foreign.append(name)
        elif sha256_file(path) != previous[name]:
            edited.append(name)
    if edited or foreign:
        parts = []
        if edited:
            parts.append(f"生成后被修改过（与清单 {MANIFEST} 中的 SHA-256 不同）：{'、'.join(edited)}")
        if foreign:
            parts.append(f"清单中没有记录、无法确认未被修改：{'、'.join(foreign)}")
        raise OutputError(f"输出目录 {out_dir} 中以下文件会被覆盖，为免丢失修改，本次不生成：" + "；".join(parts)
                          + "。请先另存这些文件或换一个输出目录；确需覆盖时加 --force")


def staging_dir(out_dir: Path) -> Path:
    """Create the output directory if needed and a staging directory inside it."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"输出路径 {out_dir} 是一个文件，不是目录；请用 -o 指定一个目录")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".ecoclaim-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"无法在输出目录 {out_dir} 中写入：{os_error_text(exc)}") from None


def fsync_file(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _write_pdfs(documents: list[Document], names: list[str], staging: Path, reference: Any, case: Case,
                timeout: float | None) -> None:

    source_dir = staging / "docx"
    source_dir.mkdir()
    sources = []
    for doc, name in zip(documents, names, strict=True):
        path = source_dir / (Path(name).stem + ".docx")
        path.write_bytes(write_source(doc, "pdf", reference=reference))
        sources.append(path)
    pdfs = convert_to_pdf(sources, staging, timeout=timeout or DEFAULT_TIMEOUT)
    verify_all(list(zip(pdfs, documents, strict=True)), case_strings(case))
    shutil.rmtree(source_dir)


def _verify_one(item: tuple[Path, Document, list[str]]) -> str | None:
    """Verify one PDF's text (in a worker process); the error message, or None."""

    pdf, doc, required = item
    try:
        verify_pdf(pdf, doc, required)
    except UserError as exc:
        return exc.message
    return None


def verify_all(pairs: list[tuple[Path, Document]], required: list[str]) -> None:
    """Check every PDF's text for lost glyphs. Extracting text is pure-Python work, so a dossier's
    PDFs are verified in parallel processes (forked: the loaded modules come along for free)."""


    items = [(pdf, doc, list(required)) for pdf, doc in pairs]
    workers = min(len(items), os.cpu_count() or 1)
    # forking is only safe from a single-threaded process (the CLI); the service verifies in-thread
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        errors = [_verify_one(item) for item in items]
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            errors = list(pool.map(_verify_one, items))
    for message in errors:
        if message:
            raise WriterError(message)


def _manifest(result: DossierResult, case: Case, case_path: Path, case_bytes: bytes, fmt: str, reference: Any,
              template_dirs: list[Path] | None) -> bytes:
    payload = {
        "manifest_version": MANIFEST_VERSION,
        "tool": {"name": "ecoclaim", "version": product_version()},
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "format": fmt,
        "case": {"file": case_path.name, "sha256": sha256_bytes(case_bytes), "jurisdiction": case.jurisdiction,
                 "case_number": case.case_number, "case_name": case.case_name},
        "template_dirs": [str(d) for d in template_dirs or []],
        "reference_docx": {"file": reference.path.name, "sha256": reference.sha256} if reference else None,
        "documents": [{
            "form": g.kind, "title": g.title, "jurisdiction": g.jurisdiction, "variant": g.variant,
            "model_text": g.model_text, "note": g.note, "template_version": g.template_version,
            "templates": g.templates, "file": g.file, "sha256": g.sha256, "bytes": g.size,
            "stage_allowed": g.stage_allowed, **({"stage_reason": g.stage_reason} if not g.stage_allowed else {}),
        } for g in result.generated],
        "skipped": [{"form": s.kind, "title": s.title, "reason": s.reason} for s in result.skipped],
    }
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write_zip(path: Path, files: list[Path]) -> None:
    now = datetime.now().timetuple()[:6]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            info = zipfile.ZipInfo(f.name, date_time=now)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, f.read_bytes())


__all__ = [
    "FORMATS",
    "DossierError",
    "DossierResult",
    "Generated",
    "OutputError",
    "Skipped",
    "WriterError",
    "generate_dossier",
]
