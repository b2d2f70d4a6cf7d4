"""Generated documents and reviews in the register.

- :func:`record_dossier` registers the documents of a dossier from its ``manifest.json`` (written
  by ``ecoclaim generate``): the manifest's case hash names the case version they came from. The
  files found beside the manifest whose hash is the manifest's are kept too (:mod:`caseregister.storedfiles`),
  so the case's file can be exported later.
- :func:`record_generated` registers a dossier generated from a stored version (the service's
  generate route), keeping the files themselves too.
- :func:`record_signed` notes that a signed copy of a document was uploaded back (its hash, name)
  and keeps its bytes; :func:`record_signed_content` does the same from the uploaded bytes.
- :func:`record_review` keeps a review (``checkers`` report as JSON) of an uploaded document;
  :func:`accept_finding` records a finding a person accepted, with the reason.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseregister import audit, storedfiles
from caseregister.models import AcceptedFinding, Case, CaseVersion, Document, Review, utcnow
from caseregister.versions import ConflictError, NotFoundError, require_author
from ecokernel.errors import UserError
from ecokernel.sourcefile import os_error_text


class _ManifestCase(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sha256: str
    case_number: str | None = None
    case_name: str | None = None


class _ManifestDocument(BaseModel):
    model_config = ConfigDict(extra="ignore")
    form: str
    title: str
    file: str
    sha256: str
    template_version: str


class _Manifest(BaseModel):
    """The parts of a dossier manifest (``docgen.dossier``, manifest_version 1) the register keeps."""

    model_config = ConfigDict(extra="ignore")
    format: str
    case: _ManifestCase
    documents: list[_ManifestDocument]


def _read_manifest(path: Path) -> tuple[_Manifest, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取清单：{os_error_text(exc)}", path=str(path)) from None
    return _parse_manifest(raw, str(path))


def _parse_manifest(raw: bytes, where: str | None = None) -> tuple[_Manifest, str]:
    try:
        return _Manifest.model_validate(json.loads(raw)), hashlib.sha256(raw).hexdigest()
    except (ValueError, ValidationError):
        raise UserError("不是 ecoclaim generate 写出的清单（manifest.json）", path=where) from None


def _version_by_hash(session: Session, manifest: _Manifest) -> CaseVersion:
    rows = list(session.scalars(select(CaseVersion).where(CaseVersion.text_sha256 == manifest.case.sha256)
                                .order_by(CaseVersion.id)))
    same_case = [v for v in rows if v.case.case_number == manifest.case.case_number] or rows
    if not same_case:
        raise UserError(f"清单所依据的案件数据（SHA-256 {manifest.case.sha256[:12]}…）与台账中任何一版都不一致："
                        "请先把该案件数据保存到台账")
    return same_case[-1]


def record_dossier(session: Session, manifest_path: Path, author: str) -> list[Document]:
    """Register every document a dossier manifest lists, linked to the case version it came from."""
    author = require_author(author)
    manifest, manifest_sha = _read_manifest(manifest_path)
    rows = _add_documents(session, _version_by_hash(session, manifest), manifest, manifest_sha, author)
    for d in manifest.documents:
        if Path(d.file).name == d.file:  # a plain file name: only files of the manifest's own folder
            _store_beside(session, manifest_path.parent / d.file, d.sha256)
    return rows


def record_generated(session: Session, version: CaseVersion, manifest_raw: bytes, files: dict[str, bytes],
                     author: str) -> list[Document]:
    """Register a dossier generated from ``version``: its manifest (which must name exactly that
    version's data) and every file it lists, whose bytes are kept (each checked against the manifest)."""
    author = require_author(author)
    manifest, manifest_sha = _parse_manifest(manifest_raw)
    if manifest.case.sha256 != version.text_sha256:
        raise UserError(f"清单所依据的案件数据与第{version.number}版不一致")
    for item in manifest.documents:
        content = files.get(item.file)
        if content is None or hashlib.sha256(content).hexdigest() != item.sha256:
            raise UserError(f"生成的文件“{item.file}”缺失或与清单中的校验值不符")
        storedfiles.store(session, content)
    storedfiles.store(session, manifest_raw)
    return _add_documents(session, version, manifest, manifest_sha, author)


def _add_documents(session: Session, version: CaseVersion, manifest: _Manifest, manifest_sha: str,
                   author: str) -> list[Document]:
    known = set(session.scalars(select(Document.file_name).where(Document.manifest_sha256 == manifest_sha)))
    rows = [Document(case_id=version.case_id, version_id=version.id, form=d.form, format=manifest.format,
                     title=d.title, file_name=d.file, sha256=d.sha256, manifest_sha256=manifest_sha,
                     template_version=d.template_version, author=author)
            for d in manifest.documents if d.file not in known]
    session.add_all(rows)
    session.flush()
    for row in rows:
        audit.record(session, actor=author, action="document.record", entity="documents", entity_id=row.id,
                     case_id=row.case_id, detail={"file": row.file_name, "form": row.form, "version": version.number,
                                                  "sha256": row.sha256})
    return rows


def _store_beside(session: Session, path: Path, digest: str) -> None:
    """Keep a dossier file found beside its manifest, if it is the file the manifest names (same hash)."""
    try:
        data = path.read_bytes()
    except OSError:
        return  # a manifest registered without its files: the documents are recorded, their bytes are not
    if hashlib.sha256(data).hexdigest() == digest:
        storedfiles.store(session, data)


def record_signed(session: Session, document_id: int, signed: Path, author: str) -> Document:
    """Note the signed copy of a generated document (its SHA-256 and file name)."""
    author = require_author(author)
    doc = session.get(Document, document_id)
    if doc is None:
        raise UserError(f"台账中没有编号为{document_id}的文书")
    try:
        data = signed.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取签署件：{os_error_text(exc)}", path=str(signed)) from None
    return _signed(session, doc, signed.name, storedfiles.store(session, data), author)


def record_signed_content(session: Session, doc: Document, name: str, content: bytes, author: str) -> Document:
    """Note the signed copy of ``doc`` uploaded back and keep its bytes."""
    author = require_author(author)
    if not content:
        raise UserError("上传的签署件是空文件")
    return _signed(session, doc, name, storedfiles.store(session, content), author)


def _signed(session: Session, doc: Document, name: str, digest: str, author: str) -> Document:
    doc.signed_sha256, doc.signed_name, doc.signed_by, doc.signed_at = digest, name, author, utcnow()
    audit.record(session, actor=author, action="document.signed", entity="documents", entity_id=doc.id,
                 case_id=doc.case_id, detail={"file": name, "sha256": digest})
    return doc


def record_review(session: Session, case: Case, report: dict[str, Any], *, file_name: str, file_sha256: str,
                  author: str, version: int | None = None) -> Review:
    """Keep a review of an uploaded document: ``report`` is a checkers ``Report.to_dict()``.

    The review points at the generated (or signed) document with the same hash, if the case has
    one, and at the case version given (by default the one that document came from, else none).
    """
    author = require_author(author)
    doc = session.scalars(select(Document).where(
        Document.case_id == case.id, or_(Document.sha256 == file_sha256, Document.signed_sha256 == file_sha256))
        .order_by(Document.id)).first()
    version_id = doc.version_id if doc is not None else None
    if version is not None:
        row = session.scalar(select(CaseVersion).where(CaseVersion.case_id == case.id, CaseVersion.number == version))
        if row is None:
            raise UserError(f"案件“{case.title}”没有第{version}版")
        version_id = row.id
    findings = report.get("findings") or []
    review = Review(case_id=case.id, version_id=version_id, document_id=doc.id if doc else None, file_name=file_name,
                    file_sha256=file_sha256, doc_type=report.get("doc_type"), report=report,
                    errors=sum(1 for f in findings if f.get("severity") == "error"),
                    warnings=sum(1 for f in findings if f.get("severity") == "warning"), author=author)
    session.add(review)
    session.flush()
    audit.record(session, actor=author, action="review.record", entity="reviews", entity_id=review.id,
                 case_id=case.id, detail={"file": file_name, "sha256": file_sha256, "findings": len(findings)})
    return review


def accept_finding(session: Session, review_id: int, index: int, reason: str, author: str) -> AcceptedFinding:
    """Record that finding ``index`` (0-based, in the report's order) of a review is accepted, and why."""
    author = require_author(author)
    reason = reason.strip()
    if not reason:
        raise UserError("接受审查发现须注明理由")
    review = session.get(Review, review_id)
    if review is None:
        raise UserError(f"台账中没有编号为{review_id}的审查记录")
    findings = review.report.get("findings") or []
    if not 0 <= index < len(findings):
        raise NotFoundError(f"审查记录{review_id}没有第{index + 1}项发现（共{len(findings)}项）")
    if session.scalar(select(AcceptedFinding.id).where(AcceptedFinding.review_id == review.id,
                                                       AcceptedFinding.finding_index == index)) is not None:
        raise ConflictError(f"审查记录{review_id}的第{index + 1}项发现已被接受")
    row = AcceptedFinding(review_id=review.id, finding_index=index, rule=str(findings[index].get("rule", "")),
                          reason=reason, author=author)
    session.add(row)
    session.flush()
    audit.record(session, actor=author, action="finding.accept", entity="accepted_findings", entity_id=row.id,
                 case_id=review.case_id, detail={"review": review.id, "index": index, "rule": row.rule,
                                                 "reason": reason})
    return row
