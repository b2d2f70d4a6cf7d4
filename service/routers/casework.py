"""The case register's write side over HTTP (``/api/register/cases…``): create a case, save a new
version (optimistic locking: a stale base is 409 with the diff, never an overwrite), approve a
version, generate documents from a stored version, upload a signed copy, review a document and accept
findings with a reason; and the reads an editor needs (a version's text, the diff of two versions,
the stored files).

Every route that takes a case id resolves it through :func:`visible_case` before anything else
about the request is looked at: a case the user may not see answers 404, exactly like one that does
not exist. Then a case the user may only read (a lower department's) is 403, and so is a role
without the permission (:data:`caseregister.roles.PERMISSIONS`). Each change and its audit entry are
one transaction. Cookie sessions need the CSRF token (:mod:`service.registerauth`); API tokens not.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

import anyio
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from casefile.validation import CaseError
from caseregister import approvals, documents, storedfiles, versions, views
from caseregister.access import Access, case_access
from caseregister.casedata import Submission, submit
from caseregister.engine import read_session, write_session
from caseregister.models import Case, CaseVersion, Department, Document, Review, User
from caseregister.roles import Permission, may, refusal
from caseregister.schemas import (
    AcceptedInfo,
    ApprovalInfo,
    DocumentInfo,
    ReviewInfo,
    SaveResult,
    VersionDiff,
    VersionText,
)
from checkers.check import Skipped, Unreadable
from corpus.profiles import FORM_KINDS
from ecokernel.errors import UserError
from ecokernel.sourcefile import MAX_BYTES
from service import checking, drafting, writing
from service.limits import read_upload
from service.models import OutputFormat
from service.problems import ApiError, responses
from service.registerauth import CurrentPrincipal, register_db
from service.routers.cases import attachment, run_generation
from service.routers.check import DOC_TYPES
from service.routers.register import API, NOT_FOUND

router = APIRouter(tags=["案件台账"])
CASE = API + "/cases/{case_id}"
T = TypeVar("T")

NO_DOCUMENT = "此案件没有这份文书"
NO_REVIEW = "此案件没有这条审查记录"


# ---- who may do what to which case --------------------------------------------------------------

@dataclass(frozen=True)
class CaseRef:
    """A case the user may see, with what they may do to it."""

    id: int
    title: str
    jurisdiction: str
    access: Access
    user: User


async def visible_case(request: Request, principal: CurrentPrincipal, case_id: int) -> CaseRef:
    """The case ``case_id`` if the user may see it; 404 otherwise (another department's or none)."""
    engine = register_db(request).engine()

    def find() -> CaseRef | None:
        with read_session(engine) as db:
            case = views.visible_case(db, principal.user, case_id)
            if case is None:
                return None
            access = case_access(db, principal.user, case)
            assert access is not None
            return CaseRef(id=case.id, title=case.title, jurisdiction=case.jurisdiction, access=access,
                           user=principal.user)

    ref = await anyio.to_thread.run_sync(find)
    if ref is None:
        raise ApiError(404, "not-found", "未找到", NOT_FOUND)
    return ref


VisibleCase = Annotated[CaseRef, Depends(visible_case)]


def _permitted(permission: Permission) -> Any:
    """A dependency: the visible case (404 first), if the user may do ``permission`` to it (403 otherwise)."""

    async def check(ref: VisibleCase) -> CaseRef:
        if not may(ref.user.role, permission):
            raise ApiError(403, "role", "无权操作", refusal(ref.user.role, permission))
        if ref.access is not Access.WRITE:
            raise ApiError(403, "read-only", "无权修改", f"案件“{ref.title}”属于下级部门：您可以查看，但不能修改")
        return ref

    return Depends(check)


EditableCase = Annotated[CaseRef, _permitted(Permission.EDIT)]
GeneratingCase = Annotated[CaseRef, _permitted(Permission.GENERATE)]
ReviewingCase = Annotated[CaseRef, _permitted(Permission.REVIEW)]
ApprovingCase = Annotated[CaseRef, _permitted(Permission.APPROVE)]


def author(user: User) -> str:
    """How a user is named on versions, documents, reviews and in the audit log."""
    return f"{user.display_name}（{user.username}）"


async def _in_db(request: Request, work: Callable[[Session], T], *, write: bool = True) -> T:
    """Run ``work`` in one database transaction, in a worker thread (committed if it returns)."""
    engine = register_db(request).engine()

    def run() -> T:
        with (write_session if write else read_session)(engine) as db:
            return work(db)

    return await anyio.to_thread.run_sync(run)


def _refused(exc: UserError, path: str) -> ApiError:
    """A refusal of the register as a problem: 404 for what does not exist, 409 for what is already
    there, 422 otherwise (with the field it is about)."""
    if isinstance(exc, versions.NotFoundError):
        return ApiError(404, "not-found", "未找到", exc.message, errors=[{"path": path, "message": exc.message}])
    if isinstance(exc, versions.ConflictError):
        return ApiError(409, "conflict", "已存在", exc.message)
    return _invalid(exc, path)


def _invalid(exc: UserError, path: str) -> ApiError:
    """A value of the request the register cannot use (422, with the field)."""
    return ApiError(422, "unprocessable", "无法处理的内容", exc.message, errors=[{"path": path, "message": exc.message}])


# ---- case data: create, save a version, read a version, diff ---------------------------------------

class CaseText(BaseModel):
    """Case data as the CLI reads it: the text of a case file (YAML or JSON), or the data as a JSON object."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="案件数据文件的原文（YAML 或 JSON，与 ecoclaim validate 读取的相同）")
    data: dict[str, Any] | None = Field(None, description="或者：案件数据（JSON 对象），以 JSON 原文保存")
    format: Literal["yaml", "json"] | None = Field(None, description="text 的格式；不填时以“{”开头的为 JSON，否则为 YAML")
    reason: str = Field(min_length=1, max_length=2000, description="理由（记入版本和审计记录）")

    def submission(self) -> Submission:
        """The validated data; 422 with every error's field path and line."""
        if (self.text is None) == (self.data is None):
            raise ApiError(422, "invalid-request", "请求参数有误", "请提供 text（案件数据原文）或 data（JSON 对象）之一",
                           errors=[{"path": "text", "message": "text 和 data 须有且只有一个"}])
        if self.data is not None:
            text, fmt = json.dumps(self.data, ensure_ascii=False, indent=2) + "\n", "json"
        else:
            text = self.text or ""
            fmt = self.format or ("json" if text.lstrip().startswith("{") else "yaml")
        if len(text.encode("utf-8")) > MAX_BYTES:
            raise ApiError(413, "too-large", "请求过大", f"案件数据超过上限 {MAX_BYTES // 1024} KB")
        if not text.strip():
            raise ApiError(422, "invalid-case", "案件数据有误", "案件数据为空",
                           errors=[{"path": "text", "message": "案件数据为空"}])
        try:
            return submit(text, fmt)  # type: ignore[arg-type]
        except CaseError as exc:
            errors = [p for p in exc.problems if p.severity == "error"]
            raise ApiError(422, "invalid-case", "案件数据有误", f"案件数据有{len(errors)}处错误，请逐项修改",
                           errors=drafting.problem_items(errors)) from None
        except UserError as exc:  # unreadable text (not YAML/JSON)
            raise _invalid(exc, "text") from None


class NewVersion(CaseText):
    base: int = Field(ge=1, description="本次修改所依据的版本号：案件已有更新的版本时答 409 并附两版差异，不会覆盖")


def _stale(exc: versions.StaleVersionError) -> ApiError:
    return ApiError(409, "stale-version", "版本冲突", exc.message,
                    extensions={"base": exc.base, "current": exc.current, "diff": exc.diff.model_dump(mode="json")})


@router.post(API + "/cases", summary="新建案件",
             status_code=201, response_model=SaveResult, responses=responses(401, 403, 409, 413, 422))
async def create_case(request: Request, principal: CurrentPrincipal, body: CaseText) -> SaveResult:
    """在本人所在部门新建案件：案件数据（YAML/JSON 原文或 JSON 对象）按 `ecoclaim validate` 的规则校验，
    错误逐项给出字段路径和行号；成为第1版。需要起草角色。同一部门已有该立案号时答 409。"""
    user = principal.user
    if not may(user.role, Permission.EDIT):
        raise ApiError(403, "role", "无权操作", refusal(user.role, Permission.EDIT))
    sub = body.submission()

    def create(db: Session) -> SaveResult:
        dept = db.get_one(Department, user.department_id)
        try:
            return versions.create_case(db, dept, sub, author=author(user), reason=body.reason.strip())
        except UserError as exc:
            raise _refused(exc, "case_number") from None

    return await _in_db(request, create)


@router.post(CASE + "/versions", summary="保存案件数据的新版本", status_code=201, response_model=SaveResult,
             responses=responses(401, 403, 404, 409, 413, 422))
async def save_version(request: Request, ref: EditableCase, body: NewVersion) -> Response:
    """保存案件数据的新版本，注明理由和所依据的版本（base）。若此后已有他人保存的新版本，答 409，并在
    `diff` 中给出第 base 版到当前版本的差异；不会覆盖。原文与当前版本相同时不新建版本（200，created 为 false）。"""
    sub = body.submission()

    def save(db: Session) -> SaveResult:
        try:
            return versions.save_version(db, ref.id, sub, base=body.base, author=author(ref.user),
                                         reason=body.reason.strip())
        except versions.StaleVersionError as exc:
            raise _stale(exc) from None
        except UserError as exc:
            raise _invalid(exc, "base") from None

    result = await _in_db(request, save)
    return Response(result.model_dump_json(), status_code=201 if result.created else 200,
                    media_type="application/json")


@router.get(CASE + "/versions/{number}", summary="某一版本的原文",
            response_model=VersionText, responses=responses(401, 404))
async def version_text(request: Request, ref: VisibleCase, number: int) -> VersionText:
    """案件数据某一版本的原文（与提交时完全相同）及其记录。"""
    def read(db: Session) -> VersionText:
        row = db.scalar(select(CaseVersion).where(CaseVersion.case_id == ref.id, CaseVersion.number == number))
        if row is None:
            raise ApiError(404, "not-found", "未找到", f"案件“{ref.title}”没有第{number}版")
        return VersionText.model_validate(row)

    return await _in_db(request, read, write=False)


@router.get(CASE + "/diff", summary="两个版本的差异", response_model=VersionDiff, responses=responses(401, 404, 422))
async def version_diff(request: Request, ref: VisibleCase,
                       old: Annotated[int, Query(ge=1, description="较早的版本号")],
                       new: Annotated[int, Query(ge=1, description="较新的版本号")]) -> VersionDiff:
    """两个版本之间的差异：逐字段（字段路径同校验）和逐行（统一差异格式）。"""
    def compare(db: Session) -> VersionDiff:
        try:
            return versions.diff(db, db.get_one(Case, ref.id), old, new)
        except UserError as exc:
            raise _refused(exc, "old") from None

    return await _in_db(request, compare, write=False)


class ApprovalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", max_length=approvals.COMMENT_MAX, description="审批意见（可空）")


@router.post(CASE + "/versions/{number}/approve", summary="审批当前版本", status_code=201, response_model=ApprovalInfo,
             responses=responses(401, 403, 404, 409, 422))
async def approve(request: Request, ref: ApprovingCase, number: int, body: ApprovalIn | None = None) -> ApprovalInfo:
    """负责人审批案件数据的某一版本。只能审批当前版本：若此后已有新版本，答 409 并附差异；已审批的版本答 409。"""
    comment = body.comment if body else ""

    def run(db: Session) -> ApprovalInfo:
        try:
            row = approvals.approve(db, ref.id, number, author=author(ref.user), comment=comment)
        except versions.StaleVersionError as exc:
            raise _stale(exc) from None
        except UserError as exc:
            raise _refused(exc, "comment") from None
        return ApprovalInfo(version=number, author=row.author, comment=row.comment, created_at=row.created_at)

    return await _in_db(request, run)


# ---- documents: generate, download, signed copies -----------------------------------------------------

class GenerateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, ge=1, description="依据哪一版案件数据（默认当前版本）")
    forms: list[str] | None = Field(None, max_length=len(FORM_KINDS),
                                    description="生成哪些文书（文书代码）；不填则生成当前办案阶段允许的全部文书（案卷）")
    format: OutputFormat = Field("docx", description="输出格式")


@router.post(CASE + "/documents", summary="用某一版本生成文书并登记", status_code=201, response_model=list[DocumentInfo],
             responses=responses(401, 403, 404, 422, 503))
async def generate(request: Request, ref: GeneratingCase, body: GenerateIn) -> list[DocumentInfo]:
    """用台账中保存的某一版案件数据生成一份或多份文书（案卷），并登记：清单、每个文件的 SHA-256、所依据的版本；
    文件本身保存在台账中，可下载。需要起草角色。"""
    bad = [f for f in body.forms or [] if f not in FORM_KINDS]
    if bad:
        raise ApiError(422, "invalid-request", "请求参数有误", f"未知文书种类：{'、'.join(bad)}",
                       errors=[{"path": "forms", "message": f"“{b}”不是文书代码，可选：{'、'.join(FORM_KINDS)}"}
                               for b in bad])

    def source(db: Session) -> tuple[int, str, str]:
        case = db.get_one(Case, ref.id)
        number = body.version or case.current_version
        try:
            row = versions.version_row(db, case, number)
        except UserError as exc:
            raise _invalid(exc, "version") from None
        return row.id, row.text, row.text_format

    version_id, text, fmt = await _in_db(request, source, write=False)
    app = request.app
    kinds = list(dict.fromkeys(body.forms)) if body.forms else None

    def make() -> tuple[bytes, dict[str, bytes]]:
        data, suffix = text.encode("utf-8"), "." + fmt
        case = drafting.require_case(data, suffix)
        with app.state.scratch.directory() as workdir:
            return writing.dossier_files(case, data, suffix, kinds, body.format, workdir, app.state.pool)

    manifest, files = await run_generation(app, make, body.format)

    def record(db: Session) -> list[DocumentInfo]:
        rows = documents.record_generated(db, db.get_one(CaseVersion, version_id), manifest, files, author(ref.user))
        numbers = views.version_numbers(db, ref.id)
        return [views.document_info(d, numbers) for d in rows]

    return await _in_db(request, record)


def _document(db: Session, ref: CaseRef, document_id: int) -> Document:
    doc = db.get(Document, document_id)
    if doc is None or doc.case_id != ref.id:
        raise ApiError(404, "not-found", "未找到", NO_DOCUMENT)
    return doc


def _file_response(content: bytes | None, name: str, media: str) -> Response:
    if content is None:
        raise ApiError(404, "not-found", "未找到", f"台账只登记了“{name}”的校验值，没有保存文件本身")
    return Response(content, media_type=media, headers={"Content-Disposition": attachment(name)})


@router.get(CASE + "/documents/{document_id}/file", summary="下载生成的文书",
            response_class=Response, responses=responses(401, 404))
async def document_file(request: Request, ref: VisibleCase, document_id: int) -> Response:
    """下载生成的文书（台账保存的文件）。"""
    def read(db: Session) -> tuple[bytes | None, str, str]:
        doc = _document(db, ref, document_id)
        return storedfiles.content(db, doc.sha256), doc.file_name, drafting.MEDIA.get(doc.format, "application/octet-stream")

    return _file_response(*await _in_db(request, read, write=False))


@router.get(CASE + "/documents/{document_id}/signed", summary="下载签署件",
            response_class=Response, responses=responses(401, 404))
async def signed_file(request: Request, ref: VisibleCase, document_id: int) -> Response:
    """下载上传的签署件。"""
    def read(db: Session) -> tuple[bytes | None, str, str]:
        doc = _document(db, ref, document_id)
        if doc.signed_sha256 is None:
            raise ApiError(404, "not-found", "未找到", f"“{doc.file_name}”还没有上传签署件")
        return storedfiles.content(db, doc.signed_sha256), doc.signed_name or doc.file_name, "application/octet-stream"

    return _file_response(*await _in_db(request, read, write=False))


@router.post(CASE + "/documents/{document_id}/signed", summary="上传签署件", response_model=DocumentInfo,
             responses=responses(401, 403, 404, 413, 422))
async def upload_signed(request: Request, ref: GeneratingCase, document_id: int,
                        file: Annotated[UploadFile, File(description="签署件（扫描件或签署后的文件）")]) -> DocumentInfo:
    """上传生成文书的签署件：登记其文件名、SHA-256、上传人和时间，并保存文件。需要起草角色。"""
    name, data = await read_upload(file, "file", request.app.state.settings.max_file_bytes)

    def record(db: Session) -> DocumentInfo:
        doc = _document(db, ref, document_id)
        try:
            documents.record_signed_content(db, doc, name, data, author(ref.user))
        except UserError as exc:
            raise _invalid(exc, "file") from None
        return views.document_info(doc, views.version_numbers(db, ref.id))

    return await _in_db(request, record)


# ---- reviews -----------------------------------------------------------------------------------

async def _review(request: Request, ref: CaseRef, name: str, data: bytes, doc_type: str | None) -> ReviewInfo:
    """Check ``data`` with the checker (in the check pool) and keep the review, its findings and the file."""
    settings = request.app.state.settings
    results, _rendered = await request.app.state.checks.run(
        checking.check_uploads, [(name, data)], doc_type, ref.jurisdiction, settings.max_file_bytes, "json",
        budget=settings.request_timeout)
    result = results[0]
    if isinstance(result, Unreadable | Skipped):  # unreadable, or a kind the checker does not review
        slug, title = ("unreadable-document", "文件无法读取") if isinstance(result, Unreadable) else \
            ("not-reviewable", "该文书不在审查范围内")
        raise ApiError(422, slug, title, result.reason, errors=[{"path": "file", "message": result.reason}])
    report = result.to_dict()

    def record(db: Session) -> ReviewInfo:
        digest = storedfiles.store(db, data)
        review = documents.record_review(db, db.get_one(Case, ref.id), report, file_name=name, file_sha256=digest,
                                         author=author(ref.user))
        return views.review_info(db, review, views.version_numbers(db, ref.id))

    return await _in_db(request, record)


@router.post(CASE + "/reviews", summary="上传文书审查", status_code=201, response_model=ReviewInfo,
             responses=responses(401, 403, 404, 413, 422, 503))
async def review_upload(request: Request, ref: ReviewingCase,
                        file: Annotated[UploadFile, File(description="要审查的文书（.docx .pdf .txt .md .html）")],
                        type: Annotated[str | None, Form(description="文书种类（不填则自动识别）",
                                                         json_schema_extra={"enum": DOC_TYPES})] = None,
                        ) -> ReviewInfo:
    """上传一份文书审查（按案件的辖区规则），保存审查发现和文件；与案件某份生成文书或签署件的 SHA-256 相同时，
    记录与之关联。需要审查角色。"""
    if type is not None and type not in DOC_TYPES:
        raise ApiError(422, "invalid-request", "请求参数有误", f"未知文书种类“{type}”，可选：{'、'.join(DOC_TYPES)}",
                       errors=[{"path": "type", "message": "取值不在可选范围内"}])
    name, data = await read_upload(file, "file", request.app.state.settings.max_file_bytes)
    return await _review(request, ref, name, data, type or None)


@router.post(CASE + "/documents/{document_id}/review", summary="审查台账中的文书",
             status_code=201, response_model=ReviewInfo,
             responses=responses(401, 403, 404, 422, 503))
async def review_document(request: Request, ref: ReviewingCase, document_id: int,
                          copy: Annotated[Literal["generated", "signed"], Query(
                              description="审查生成的文书（generated）还是上传的签署件（signed）")] = "generated",
                          ) -> ReviewInfo:
    """审查台账中保存的一份生成文书（或其签署件），保存审查发现。需要审查角色。"""
    def read(db: Session) -> tuple[bytes | None, str, str]:
        doc = _document(db, ref, document_id)
        sha, name = (doc.sha256, doc.file_name) if copy == "generated" else (doc.signed_sha256, doc.signed_name)
        if sha is None or name is None:
            raise ApiError(404, "not-found", "未找到", f"“{doc.file_name}”还没有上传签署件")
        return storedfiles.content(db, sha), name, doc.form

    data, name, form = await _in_db(request, read, write=False)
    if data is None:
        raise ApiError(404, "not-found", "未找到", f"台账只登记了“{name}”的校验值，没有保存文件本身，请上传文件审查")
    return await _review(request, ref, name, data, form if form in DOC_TYPES else None)


def _review_row(db: Session, ref: CaseRef, review_id: int) -> Review:
    review = db.get(Review, review_id)
    if review is None or review.case_id != ref.id:
        raise ApiError(404, "not-found", "未找到", NO_REVIEW)
    return review


@router.get(CASE + "/reviews/{review_id}/file", summary="下载审查的文书",
            response_class=Response, responses=responses(401, 404))
async def review_file(request: Request, ref: VisibleCase, review_id: int) -> Response:
    """下载一条审查记录所审查的文书（上传审查的文件，或审查时台账中的文书），文件名为上传时的文件名。"""
    def read(db: Session) -> tuple[bytes | None, str, str]:
        review = _review_row(db, ref, review_id)
        return storedfiles.content(db, review.file_sha256), review.file_name, "application/octet-stream"

    return _file_response(*await _in_db(request, read, write=False))


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000, description="接受的理由（为何不需修改）")


@router.post(CASE + "/reviews/{review_id}/findings/{index}/accept", summary="接受一项审查发现",
             status_code=201, response_model=AcceptedInfo,
             responses=responses(401, 403, 404, 409, 422))
async def accept_finding(request: Request, ref: ReviewingCase, review_id: int, index: int,
                         body: AcceptIn) -> AcceptedInfo:
    """接受审查记录中的一项发现（index 从0起，按报告中的顺序），注明理由。需要审查角色。"""
    def run(db: Session) -> AcceptedInfo:
        review = _review_row(db, ref, review_id)
        try:
            row = documents.accept_finding(db, review.id, index, body.reason, author(ref.user))
        except UserError as exc:
            raise _refused(exc, "index" if isinstance(exc, versions.NotFoundError) else "reason") from None
        return AcceptedInfo.model_validate(row)

    return await _in_db(request, run)
