"""Build a court pack: render the forms, convert them (and image scans) with LibreOffice, count the
pages, render the indexes (目录, 材料清单, 证据目录) with the page numbers of the merged PDF, merge,
stamp, slice, and write everything atomically (as ``docgen.dossier`` does: a staging folder inside
the output folder, ``os.replace`` at the end; on any failure no output file has been changed).

The indexes are rendered twice: first with placeholders as wide as real numbers (to learn how many
pages they take), then with the numbers; if an index's page count changed, the layout is computed
again (at most three rounds).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from casefile.model import Case
from casefile.validation import load_case
from corpus.filing import PACK_KIND
from corpus.forms import all_kinds
from docgen.dossier import (
    MANIFEST,
    OutputError,
    case_strings,
    fsync_file,
    previous_files,
    safe_stem,
    sha256_bytes,
    sha256_file,
    staging_dir,
    verify_all,
)
from docgen.render.render import render_form
from docgen.writers.common import WriterError
from docgen.writers.docx import docx_bytes
from docgen.writers.pdf import DEFAULT_TIMEOUT, convert_to_pdf
from ecodoc.tree import Document
from ecokernel.sourcefile import os_error_text
from ecokernel.version import product_version

from .imagepage import image_docx
from .plan import STATUS_LABEL, Plan, Slot, plan_pack
from .stamp import Part, merge, page_count, slice_pdf
from .supplied import load_materials

INDEXES = ("pack_contents", "materials_list", "evidence_index")
UNVERIFIED_MARK = "※"
ROUNDS = 3


@dataclass
class Entry:
    """A present item of the merged PDF, in order: the 目录, the 材料清单 or a slot."""

    title: str
    section: str | None
    slot: Slot | None = None
    kind: str | None = None  # the index form it is (pack_contents, materials_list, evidence_index)
    pages: int = 0
    start: int = 0  # 1-based first page in the merged PDF
    pdf: bytes = b""

    @property
    def page_range(self) -> str:
        end = self.start + self.pages - 1
        return str(self.start) if end == self.start else f"{self.start}—{end}"


@dataclass
class PackResult:
    plan: Plan
    out_dir: Path | None
    files: list[tuple[str, Entry]] = field(default_factory=list)
    merged: str | None = None
    total_pages: int = 0
    notices: list[str] = field(default_factory=list)


def _layout(entries: list[Entry]) -> None:
    page = 1
    for entry in entries:
        entry.start = page
        page += entry.pages


def _index_extra(plan: Plan, entries: list[Entry], kind: str, placeholder: bool) -> dict[str, Any]:
    """The rows an index form prints; ``placeholder``: page numbers as wide as real ones will be."""
    wide = "999—999"

    def pages(entry: Entry) -> str:
        return wide if placeholder else entry.page_range

    base = {"matter": plan.step.title, "court": plan.court, "submitter": plan.submitter, "day": plan.day}
    if kind == "pack_contents":
        rows = [{"no": n, "name": e.title, "pages": pages(e)} for n, e in enumerate(entries[1:], 1)]
        return {**base, "rows": rows}
    if kind == "evidence_index":
        present = [e for e in entries if e.slot is not None and e.slot.evidence]
        rows = [{"no": n, "name": e.title, "source": e.slot.source if e.slot else None,
                 "proves": e.slot.proves if e.slot else "", "pages": pages(e)} for n, e in enumerate(present, 1)]
        return {**base, "rows": rows}
    by_slot = {id(e.slot): e for e in entries if e.slot is not None}
    rows = []
    for n, slot in enumerate(plan.slots, 1):
        entry = by_slot.get(id(slot))
        count = ("99" if placeholder else str(entry.pages)) if entry else "—"
        rows.append({"no": n, "name": slot.name + (UNVERIFIED_MARK if slot.basis_note else ""),
                     "original": "原件" if slot.original else "复印件", "copies": slot.copies, "pages": count,
                     "status": STATUS_LABEL[slot.status]})
    return {**base, "rows": rows, "missing": len(plan.missing), "mark": UNVERIFIED_MARK,
            "unverified": any(s.basis_note for s in plan.slots)}


def _render_index(case: Case, plan: Plan, entries: list[Entry], entry: Entry, placeholder: bool) -> Document:
    assert entry.kind is not None
    extra = _index_extra(plan, entries, entry.kind, placeholder)
    return render_form(case, entry.kind, extra=extra)


def _convert(sources: dict[str, bytes], work: Path, timeout: float | None) -> dict[str, bytes]:
    """DOCX bytes by key → PDF bytes by key, in one LibreOffice run."""

    folder = work / f"round-{len(list(work.iterdir()))}"
    folder.mkdir()
    paths = []
    for key, data in sources.items():
        path = folder / f"{key}.docx"
        path.write_bytes(data)
        paths.append(path)
    pdfs = convert_to_pdf(paths, folder / "pdf", timeout=timeout or DEFAULT_TIMEOUT)
    return {p.stem: p.read_bytes() for p in pdfs}


def _entries(plan: Plan) -> list[Entry]:
    kinds = all_kinds()
    entries = [Entry(kinds["pack_contents"].title, None, kind="pack_contents"),
               Entry(kinds["materials_list"].title, None, kind="materials_list")]
    for slot in plan.slots:
        if slot.present:
            entries.append(Entry(slot.name, slot.section, slot=slot,
                                 kind=slot.form if slot.form in INDEXES else None))
    return entries


def build_pack(case_path: Path, step: str, out_dir: Path | None, *, check_only: bool = False,
               timeout: float | None = None, progress: Callable[[str], None] | None = None) -> PackResult:
    """Plan (and unless ``check_only``, write) the court pack of ``case_path`` for ``step``.

    Raises CaseError (invalid case), PackError (no data for the step), MaterialError (unusable supplied
    files, all listed), RenderError/WriterError/OutputError (template, conversion or writing problems).
    """
    case = load_case(case_path)
    plan = plan_pack(case, step)
    wanted = [(s.material_index, s.material) for s in plan.slots if s.material is not None]
    loaded = {item.index: item for item in load_materials(case_path.parent, wanted)}  # type: ignore[misc]
    result = PackResult(plan=plan, out_dir=out_dir, notices=list(plan.notices))
    if check_only or out_dir is None:
        return result
    entries = _entries(plan)
    documents: dict[str, Document] = {}
    sources: dict[str, bytes] = {}
    for n, entry in enumerate(entries):
        key = f"e{n:03d}"
        if entry.kind in INDEXES:
            documents[key] = _render_index(case, plan, entries, entry, placeholder=True)
        elif entry.slot is not None and entry.slot.form:
            documents[key] = render_form(entry.slot.case or case, entry.slot.form, extra=entry.slot.extra)
        elif entry.slot is not None and entry.slot.material_index is not None:
            found = loaded[entry.slot.material_index]
            if found.kind == "pdf":
                entry.pdf, entry.pages = found.data, found.pages
            else:
                sources[key] = image_docx(found.data, found.kind, found.size, found.material.name)
        if key in documents:
            sources[key] = docx_bytes(documents[key], font_set="pdf", page_numbers=False)
    if progress:
        progress("render")
    previous = previous_files(out_dir, case)
    staging = staging_dir(out_dir)
    try:
        work = staging / "work"
        work.mkdir()
        _fill(entries, _convert(sources, work, timeout))
        if progress:
            progress("convert")
        forms = [k for k, e in _keyed(entries) if k in documents and e.kind not in INDEXES]
        with ThreadPoolExecutor(max_workers=1) as pool:  # check the forms' text while LibreOffice numbers
            checked = pool.submit(_verify, entries, documents, forms, work / "verify-forms", case)
            _number_indexes(case, plan, entries, documents, work, timeout)
            checked.result()
        _verify(entries, documents, [k for k, e in _keyed(entries) if e.kind in INDEXES], work / "verify-indexes",
                case)
        merged, ranges = merge([Part(e.title, e.section, e.pdf) for e in entries])
        assert [r[0] + 1 for r in ranges] == [e.start for e in entries], "layout and merged PDF disagree"
        result.total_pages = ranges[-1][1] + 1
        names = _write_outputs(plan, entries, merged, ranges, staging)
        manifest = _manifest(plan, case_path, entries, names, result.total_pages, staging)
        (staging / MANIFEST).write_bytes(manifest)
        shutil.rmtree(work)
        for name in [*names, MANIFEST]:
            fsync_file(staging / name)
            os.replace(staging / name, out_dir / name)
        result.merged = names[0]
        result.files = list(zip(names[1:], entries[1:], strict=True))
        left = sorted(n for n in set(previous) - set(names) if (out_dir / n).is_file())
        if left:
            result.notices.append(f"输出目录中还有本案上次生成、本次未重新生成的文件：{'、'.join(left)}")
    except OSError as exc:
        raise OutputError(f"无法写入输出目录 {out_dir}：{os_error_text(exc)}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _fill(entries: list[Entry], pdfs: dict[str, bytes]) -> None:
    for n, entry in enumerate(entries):
        key = f"e{n:03d}"
        if key in pdfs:
            entry.pdf = pdfs[key]
            entry.pages = page_count(entry.pdf)
    _layout(entries)


def _number_indexes(case: Case, plan: Plan, entries: list[Entry], documents: dict[str, Document], work: Path,
                    timeout: float | None) -> None:
    """Render the indexes with the real page numbers until their page counts stop changing."""
    indexes = {f"e{n:03d}": e for n, e in enumerate(entries) if e.kind in INDEXES}
    for _round in range(ROUNDS):
        counts = {key: e.pages for key, e in indexes.items()}
        sources = {}
        for key, entry in indexes.items():
            documents[key] = _render_index(case, plan, entries, entry, placeholder=False)
            sources[key] = docx_bytes(documents[key], font_set="pdf", page_numbers=False)
        _fill(entries, _convert(sources, work, timeout))
        if all(indexes[key].pages == count for key, count in counts.items()):
            return

    raise WriterError("目录和证据目录的页数在多次排版后仍不稳定，无法确定页码")


def _keyed(entries: list[Entry]) -> list[tuple[str, Entry]]:
    return [(f"e{n:03d}", e) for n, e in enumerate(entries)]


def _verify(entries: list[Entry], documents: dict[str, Document], keys: list[str], folder: Path,
            case: Case) -> None:
    """The glyph check (docgen.writers.pdf.verify_pdf) of the forms the tool wrote, by key."""
    folder.mkdir()
    pairs = []
    for key, entry in _keyed(entries):
        if key in keys:
            path = folder / f"{key}.pdf"
            path.write_bytes(entry.pdf)
            pairs.append((path, documents[key]))
    verify_all(pairs, case_strings(case))


def _write_outputs(plan: Plan, entries: list[Entry], merged: bytes, ranges: list[tuple[int, int]],
                   staging: Path) -> list[str]:
    """The merged PDF, then each item's pages as its own file; returns the file names."""
    names = [f"00-{safe_stem(plan.step.title, plan.step.code)}材料（合并）.pdf"]
    (staging / names[0]).write_bytes(merged)
    for n, (entry, (start, end)) in enumerate(zip(entries[1:], ranges[1:], strict=True), 1):
        name = f"{n:02d}-{safe_stem(entry.title, 'item')}.pdf"
        (staging / name).write_bytes(slice_pdf(merged, start, end))
        names.append(name)
    return names


def _manifest(plan: Plan, case_path: Path, entries: list[Entry], names: list[str], total: int,
              staging: Path) -> bytes:
    case = plan.case
    payload = {
        "manifest_version": 1,
        "kind": PACK_KIND,
        "step": plan.step.code,
        "tool": {"name": "ecoclaim", "version": product_version()},
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "case": {"file": case_path.name, "sha256": sha256_bytes(case_path.read_bytes()),
                 "jurisdiction": case.jurisdiction, "case_number": case.case_number, "case_name": case.case_name},
        "court": plan.court,
        "merged": {"file": names[0], "pages": total, "sha256": sha256_file(staging / names[0])},
        "documents": [{"file": name, "title": e.title, "section": e.section, "first_page": e.start,
                       "last_page": e.start + e.pages - 1, "sha256": sha256_file(staging / name), **_made_of(e)}
                      for name, e in zip(names[1:], entries[1:], strict=True)],
        "items": [slot_json(s) for s in plan.slots],
        "warnings": plan.warnings,
    }
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _made_of(entry: Entry) -> dict[str, str]:
    """What a file of the pack is (``check`` on the folder reads it): a form the tool wrote (``form``) or
    a supplied material (``material``, its kind), and the pack item it fills (``item``)."""
    slot = entry.slot
    if slot is None:
        return {"item": entry.kind or "", "form": entry.kind or ""}
    if slot.form:
        return {"item": slot.item.id, "form": slot.form}
    kind = slot.material.kind if slot.material is not None else slot.item.material
    return {"item": slot.item.id, "material": str(getattr(kind, "value", kind))}


def slot_json(slot: Slot) -> dict[str, Any]:
    """One item of the pack as the manifest and the JSON report give it."""
    return {"id": slot.item.id, "name": slot.name, "section": slot.section, "status": slot.status,
            "status_label": STATUS_LABEL[slot.status], "required": slot.item.required,
            "original": slot.original, "copies": slot.copies, "basis": slot.item.basis,
            "basis_status": slot.item.status, **({"note": slot.item.note} if slot.item.note else {}),
            **({"material": f"materials[{slot.material_index}]"} if slot.material_index is not None else {})}
