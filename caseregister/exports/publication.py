"""Publication: what a case's jurisdiction says must be published (the profile's
``publication_items``, e.g. guangxi:36¶2), the records of what was published, the check that every
due item has a record, and the publication pack.

The pack (a ZIP) holds the documents that are such items (the signed copy when the register holds
it, else the generated document) redacted (:mod:`caseregister.exports.redaction`: personal data
masked, marked trade secrets removed — 政府信息公开条例 15, 37), an information sheet
(``公开信息表.docx``) stating each item's facts from the case data, also redacted, with its
publication records and what was masked, and ``核对结果.json`` (the check). Process documents of the
consultation (磋商告知书, 磋商会议记录) are never put in (政府信息公开条例 16¶2).

An item is *due* once the case has reached it (``when`` in ``publication.yaml``: the agreement is
signed, the ruling made, money paid, the restoration effect assessed); a due item without a
publication record is reported missing.
"""

from __future__ import annotations

import functools
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from casefile.model import Case as CaseData
from caseregister import audit, storedfiles
from caseregister.exports.common import docx_bytes, para, table
from caseregister.exports.redaction import Redactor, redact_docx
from caseregister.models import Case, CaseVersion, Document, Publication, User
from caseregister.versions import require_author
from caseregister.views import visible_case
from corpus import load_corpus
from corpus.forms import all_kinds
from corpus.profiles import get_profile
from ecokernel.errors import UserError
from ecokernel.sourcefile import read_data_file

SHEET = "公开信息表.docx"
CHECK = "核对结果.json"


class ItemSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    forms: list[str]
    when: list[str]
    facts: list[tuple[str, str]]


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    items: dict[str, ItemSpec]
    withheld_forms: list[str]
    withheld_basis: str
    redaction_basis: list[str]
    trade_secret_open: str
    trade_secret_close: str


@functools.cache
def catalogue() -> Catalogue:
    data, _ = read_data_file(Path(str(resources.files("caseregister.exports") / "publication.yaml")))
    return Catalogue.model_validate(data)


def values_at(data: Any, path: str) -> list[Any]:
    """The values at a dotted path of the case data (``a.b[].c`` walks the list ``b``); no ``None``s."""
    current = [data]
    for part in path.split("."):
        walk = part.endswith("[]")
        key = part.removesuffix("[]")
        found = []
        for value in current:
            value = value.get(key) if isinstance(value, dict) else None
            if walk:
                found += list(value or [])
            elif value is not None:
                found.append(value)
        current = found
    return [v for v in current if v is not None and v != ""]


def _cite(address: str) -> str:
    unit = load_corpus().get(address)
    return f"《{load_corpus().source(unit.source).title}》{unit.label}"


# ---- records and the check -------------------------------------------------------------------

class PublicationInfo(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)
    id: int
    item: str
    published_on: date
    url: str | None
    note: str | None
    author: str


class ItemStatus(BaseModel):
    """One item the profile says must be published: whether it is due yet, and its records."""

    model_config = ConfigDict(frozen=True)
    item: str
    label: str
    due: bool
    records: list[PublicationInfo]
    missing: bool


class PublicationCheck(BaseModel):
    model_config = ConfigDict(frozen=True)
    case_id: int
    jurisdiction: str
    basis: list[str]
    basis_text: str
    items: list[ItemStatus]
    missing: list[str]
    message: str


def _profile_items(jurisdiction: str) -> tuple[list[str], list[str]]:
    param = get_profile(jurisdiction).param("publication_items")
    return (list(param.value), list(param.basis)) if param is not None else ([], [])


def check(session: Session, case: Case, data: Any) -> PublicationCheck:
    """Which items the case's profile says must be published are due and lack a publication record."""
    codes, basis = _profile_items(case.jurisdiction)
    records = list(session.scalars(select(Publication).where(Publication.case_id == case.id)
                                   .order_by(Publication.published_on, Publication.id)))
    items = []
    for code in codes:
        spec = catalogue().items[code]
        due = any(values_at(data, path) for path in spec.when)
        mine = [PublicationInfo.model_validate(r) for r in records if r.item == code]
        items.append(ItemStatus(item=code, label=spec.label, due=due, records=mine, missing=due and not mine))
    missing = [i.label for i in items if i.missing]
    profile = get_profile(case.jurisdiction)
    if not codes:
        message = f"{profile.name}的规定未列明应当向社会公开的案件信息，无需核对。"
    elif missing:
        message = f"应当公开而没有公开记录的：{'、'.join(missing)}。"
    else:
        message = "应当公开的信息均有公开记录（尚未到相应环节的除外）。"
    return PublicationCheck(case_id=case.id, jurisdiction=case.jurisdiction, basis=basis,
                            basis_text="、".join(_cite(a) for a in basis), items=items, missing=missing,
                            message=message)


def _current_data(session: Session, case: Case) -> Any:
    return session.scalars(select(CaseVersion.data).where(CaseVersion.case_id == case.id,
                                                          CaseVersion.number == case.current_version)).one()


def case_check(session: Session, user: User, case_id: int) -> PublicationCheck | None:
    case = visible_case(session, user, case_id)
    return None if case is None else check(session, case, _current_data(session, case))


def record(session: Session, case: Case, item: str, published_on: date, *, url: str | None, note: str | None,
           author: str) -> Publication:
    """Record that ``item`` of the case was published on ``published_on`` (where: ``url``)."""
    author = require_author(author)
    if item not in catalogue().items:
        choices = "、".join(f"{code}（{spec.label}）" for code, spec in catalogue().items.items())
        raise UserError(f"未知的公开项目“{item}”，可选：{choices}")
    row = Publication(case_id=case.id, item=item, published_on=published_on, url=(url or "").strip() or None,
                      note=(note or "").strip() or None, author=author)
    session.add(row)
    session.flush()
    audit.record(session, actor=author, action="publication.record", entity="publications", entity_id=row.id,
                 case_id=case.id, detail={"item": item, "published_on": published_on.isoformat(), "url": row.url})
    return row


# ---- the pack ----------------------------------------------------------------------------------

@dataclass
class _Packed:
    name: str
    data: bytes
    note: str = ""
    sources: list[str] = field(default_factory=list)


def _document_for(session: Session, case: Case, forms: list[str]) -> tuple[Document, str, bytes] | None:
    """The newest document of these forms whose bytes the register holds: its signed copy if held."""
    docs = session.scalars(select(Document).where(Document.case_id == case.id, Document.form.in_(forms))
                           .order_by(Document.created_at.desc(), Document.id.desc()))
    for doc in docs:
        for digest, name in ((doc.signed_sha256, doc.signed_name), (doc.sha256, doc.file_name)):
            data = storedfiles.content(session, digest)
            if data is not None and name:
                return doc, Path(name).name, data
    return None


def _redacted(name: str, data: bytes, redactor: Redactor) -> tuple[str, bytes, str]:
    suffix = Path(name).suffix.lower()
    stem = Path(name).stem
    if suffix == ".docx":
        return f"{stem}（公开版）.docx", redact_docx(data, redactor, name), ""
    if suffix == ".pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        except (PdfReadError, ValueError, OSError) as exc:
            raise UserError(f"无法读取 PDF：{name}（{exc}）") from None
        lines = [redactor.text(line, name) for line in text.splitlines() if line.strip()]
        return (f"{stem}（公开版）.docx", docx_bytes(stem, [para(line) for line in lines]),
                "由PDF提取文字后处理，未保留原版式")
    text = redactor.text(data.decode("utf-8", "replace"), name)
    return f"{stem}（公开版）{suffix}", text.encode("utf-8"), ""


def publication_pack(session: Session, user: User, case_id: int) -> tuple[bytes, str, PublicationCheck] | None:
    """The publication pack of the case (ZIP), a file name, and the check; ``None`` when not visible."""
    case = visible_case(session, user, case_id)
    if case is None:
        return None
    cat = catalogue()
    raw = _current_data(session, case)
    result = check(session, case, raw)
    redactor = Redactor.for_case(CaseData.model_validate(raw), cat.trade_secret_open, cat.trade_secret_close)
    packed: list[_Packed] = []
    profile = get_profile(case.jurisdiction)
    blocks: list[Any] = [para(f"{case.title}信息公开表", "title")]
    blocks.append(para(f"{profile.name}：" + (f"依{result.basis_text}，下列信息应当依法向社会公开。" if result.items
                                            else "规定未列明应当向社会公开的案件信息。"), "note"))
    for status in result.items:
        spec = cat.items[status.item]
        blocks.append(para(spec.label, "h1"))
        rows = [["项目", "内容"]]
        for label, path in spec.facts:
            found = values_at(raw, path)
            if found:
                shown = "、".join("是" if v is True else "否" if v is False else str(v) for v in found)
                rows.append([label, redactor.text(shown, spec.label)])
        if status.due and spec.forms:
            doc = _document_for(session, case, spec.forms)
            if doc is None:
                rows.append(["文书", "台账未保存该文书的文件，未能附入"])
            else:
                _row, name, data = doc
                out_name, out_data, note = _redacted(name, data, redactor)
                packed.append(_Packed(out_name, out_data, note))
                rows.append(["文书", out_name + (f"（{note}）" if note else "")])
        if not status.due:
            rows.append(["状态", "案件尚未到该环节"])
        records = "；".join(f"{r.published_on:%Y-%m-%d}" + (f" {r.url}" if r.url else "") for r in status.records)
        rows.append(["公开记录", records or ("无（应当公开，尚未登记）" if status.missing else "无")])
        blocks.append(table(rows, [2, 6]))
    blocks.append(para("处理说明", "h1"))
    masked = "，".join(f"{kind}{n}处" for kind, n in sorted(redactor.counts.items())) or "无"
    blocks.append(para(f"已隐去或删除：{masked}。依据：{'、'.join(_cite(a) for a in cat.redaction_basis)}。"))
    withheld = "、".join(all_kinds()[code].title for code in cat.withheld_forms)
    blocks.append(para(f"{withheld}等过程性信息未列入（{_cite(cat.withheld_basis)}）。"))
    files = {SHEET: docx_bytes(f"{case.title}信息公开表", blocks)}
    files.update({f"文书/{p.name}": p.data for p in packed})
    files[CHECK] = (json.dumps({**result.model_dump(mode="json"), "redacted": dict(redactor.counts)},
                               ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue(), f"{case.case_number or case.title}-公开材料.zip".replace("/", "-"), result
