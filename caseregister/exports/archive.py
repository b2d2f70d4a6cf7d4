"""One case's file (一案一卷, zhangye:29, guangxi:38) as a ZIP:

- ``文书/``: every document the register holds for the case — each generated document and, after
  it, its signed copy — in stage order (the order of the forms in the catalogue, SPEC §1; then
  by time), as stored;
- ``全卷.pdf``: the same documents as one PDF (DOCX converted by LibreOffice headless), so that the
  page numbers of the 卷内目录 are real pages;
- ``卷内目录.docx``: 序号、文书名称、日期、页号 (the pages of each document in ``全卷.pdf``), 备注; and,
  with the volume, ``卷内目录.pdf``, the same 目录 converted for printing beside it;
- ``案件数据（第N版）.yaml`` (or ``.json``): the current version's text exactly as saved;
- ``manifest.json``: the case, every file of the ZIP with its SHA-256 and size, and per document
  the register's record (id, form, hash) and its pages.

A document whose bytes the register does not hold (recorded from a manifest without its files) is
listed in the 目录 and the manifest as missing, never silently left out. HTML and Markdown
documents have no pages; the 目录 says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseregister import storedfiles
from caseregister.exports.common import docx_bytes, local_date, para, table
from caseregister.models import Case, CaseVersion, Document, User
from caseregister.views import visible_case
from corpus.forms import all_kinds
from ecokernel.errors import UserError

CONTENTS = "卷内目录.docx"
CONTENTS_PDF = "卷内目录.pdf"
VOLUME = "全卷.pdf"
MANIFEST = "manifest.json"
FORMAT = "ecoclaim-case-archive"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass
class Item:
    """One document of the file: the generated one or its signed copy."""

    number: int
    title: str
    day: date
    name: str
    sha256: str
    document_id: int
    form: str
    signed: bool
    data: bytes | None = None
    pages: int | None = None
    first_page: int | None = None

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def page_text(self) -> str:
        if self.data is None:
            return "—"
        if self.pages is None or self.first_page is None:
            return "不分页"
        last = self.first_page + self.pages - 1
        return str(self.first_page) if last == self.first_page else f"{self.first_page}-{last}"

    @property
    def remark(self) -> str:
        if self.data is None:
            return "台账未保存该文件"
        if self.pages is None:
            return f"{self.suffix.lstrip('.').upper()}格式，无页码"
        return "签署件" if self.signed else ""


def _safe(name: str) -> str:
    return _UNSAFE.sub("-", Path(name).name).strip() or "文书"


def _items(session: Session, case: Case) -> list[Item]:
    order = {code: i for i, code in enumerate(all_kinds())}
    docs = sorted(session.scalars(select(Document).where(Document.case_id == case.id)),
                  key=lambda d: (order.get(d.form, len(order)), d.created_at, d.id))
    items: list[Item] = []
    for doc in docs:
        items.append(Item(0, doc.title, local_date(doc.created_at), _safe(doc.file_name), doc.sha256, doc.id, doc.form,
                          False))
        if doc.signed_sha256 and doc.signed_name:
            items.append(Item(0, f"{doc.title}（签署件）", local_date(doc.signed_at or doc.created_at),
                              _safe(doc.signed_name), doc.signed_sha256, doc.id, doc.form, True))
    for n, item in enumerate(items, start=1):
        item.number = n
        item.data = storedfiles.content(session, item.sha256)
        item.name = f"{n:02d}-{item.name}"
    return items


def _paginate(items: list[Item], timeout: float | None) -> bytes | None:
    """Convert the DOCX documents to PDF, count every PDF's pages, and join them into one volume."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    from docgen.writers.pdf import DEFAULT_TIMEOUT, convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="ecoclaim-archive-") as tmp:
        folder = Path(tmp)
        docx = []
        for item in items:
            if item.data is not None and item.suffix == ".docx":
                path = folder / "in" / f"{item.number:04d}.docx"
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(item.data)
                docx.append(path)
        converted = {int(p.stem): p.read_bytes()
                     for p in convert_to_pdf(docx, folder / "out", timeout=timeout or DEFAULT_TIMEOUT)}
    writer = PdfWriter()
    page = 1
    for item in items:
        pdf = converted.get(item.number) if item.suffix == ".docx" else item.data if item.suffix == ".pdf" else None
        if item.data is None or pdf is None:
            continue
        try:
            reader = PdfReader(io.BytesIO(pdf))
            item.pages = len(reader.pages)
        except (PdfReadError, ValueError, OSError) as exc:
            raise UserError(f"无法读取文书“{item.title}”的PDF：{exc}") from None
        item.first_page = page
        page += item.pages
        writer.append(reader)
    if page == 1:
        return None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_of(docx: bytes, timeout: float | None) -> bytes:
    """A DOCX made here (the 卷内目录) as PDF, by LibreOffice headless like the documents."""
    from docgen.writers.pdf import DEFAULT_TIMEOUT, convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="ecoclaim-archive-") as tmp:
        source = Path(tmp) / "in" / "contents.docx"
        source.parent.mkdir()
        source.write_bytes(docx)
        [pdf] = convert_to_pdf([source], Path(tmp) / "out", timeout=timeout or DEFAULT_TIMEOUT)
        return pdf.read_bytes()


def _contents_docx(case: Case, items: list[Item], total_pages: int) -> bytes:
    title = "卷内目录"
    rows = [["序号", "文书名称", "日期", "页号", "备注"]]
    rows += [[str(i.number), i.title, f"{i.day:%Y-%m-%d}", i.page_text, i.remark] for i in items]
    blocks: list[Any] = [para(title, "title"),
                         para(f"案件：{case.title}" + (f"（{case.case_number}）" if case.case_number else ""), "note"),
                         para(f"部门：{case.department.name}；共{len(items)}件，{total_pages}页（页号为{VOLUME}中的页码）。",
                              "note")]
    blocks.append(table(rows, [1, 7, 3, 2, 3]) if items else para("本案尚无文书。"))
    return docx_bytes(title, blocks)


def archive_zip(session: Session, user: User, case_id: int, *, timeout: float | None = None) -> tuple[bytes, str] | None:
    """The case's file as a ZIP and a file name for it; ``None`` when the user may not see the case."""
    case = visible_case(session, user, case_id)
    if case is None:
        return None
    items = _items(session, case)
    volume = _paginate(items, timeout)
    version = session.scalars(select(CaseVersion).where(CaseVersion.case_id == case.id,
                                                        CaseVersion.number == case.current_version)).one()
    data_name = f"案件数据（第{version.number}版）.{version.text_format}"
    contents = _contents_docx(case, items, sum(i.pages or 0 for i in items))
    files: dict[str, bytes] = {CONTENTS: contents}
    if volume is not None:  # LibreOffice paginated the documents: the 目录 goes to print beside them
        files[CONTENTS_PDF] = _pdf_of(contents, timeout)
        files[VOLUME] = volume
    files[data_name] = version.text.encode("utf-8")
    files.update({f"文书/{i.name}": i.data for i in items if i.data is not None})
    manifest = {
        "format": FORMAT, "format_version": 1, "exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "case": {"id": case.id, "case_number": case.case_number, "title": case.title, "department": case.department.name,
                 "jurisdiction": case.jurisdiction, "version": version.number, "version_sha256": version.text_sha256},
        "documents": [{"number": i.number, "title": i.title, "date": i.day.isoformat(), "form": i.form,
                       "document_id": i.document_id, "signed_copy": i.signed, "sha256": i.sha256,
                       "file": f"文书/{i.name}" if i.data is not None else None, "held": i.data is not None,
                       "pages": i.pages, "first_page": i.first_page} for i in items],
        "files": [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                  for name, data in files.items()],
    }
    files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    stem = _safe(case.case_number or case.title)
    return buffer.getvalue(), f"{stem}-案卷.zip"
