"""Check uploaded documents: JSON of SPEC §4 (with spans and text for highlighting), SARIF or HTML."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from corpus.forms import checkable_kinds
from service import checking
from service.limits import read_upload, upload_name
from service.models import CheckResult, ReportFormat, ReportOut
from service.problems import ApiError, ProblemItem, responses
from service.routers.cases import attachment

router = APIRouter(tags=["审查"])

#: the kinds the checker reviews, from the form catalogue (corpus/forms.yaml)
DOC_TYPES = list(checkable_kinds())


@router.post(
    "/check", summary="审查文书（一个或多个文件）", response_model=CheckResult,
    responses={200: {"description": "format=json：SPEC §4 的审查结果（每个文件一份报告）；"
                                    "format=sarif：SARIF 2.1.0；format=html：自包含的 HTML 报告；"
                                    "format=docx：原文书，每个问题为一条 Word 批注",
                     "content": {"application/sarif+json": {"schema": {"type": "object"}},
                                 "text/html": {"schema": {"type": "string"}},
                                 checking.DOCX_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
               **responses(401, 413, 415, 422, 503)},
    description="以 multipart/form-data 上传，字段名 `files`（可多个）。支持 .docx .pdf .txt .md .html；"
                "单个文件和文件数的上限见 /api/v1/health 的 limits。",
)
async def check(
    request: Request,
    files: Annotated[list[UploadFile], File(description="要审查的文书（.docx .pdf .txt .md .html）")],
    format: Annotated[ReportFormat, Query(description="json、sarif、html；docx：带批注的原文书（仅限上传一份 DOCX）")] = "json",
    type: Annotated[str | None, Query(description="文书种类（不填则自动识别）",
                                      json_schema_extra={"enum": DOC_TYPES})] = None,
    jurisdiction: Annotated[str | None, Query(description="辖区键（不填则按文本识别）", max_length=50)] = None,
    include_text: Annotated[bool, Query(description="JSON 中附带文档全文（便于按 span 高亮）")] = False,
    suggest: Annotated[bool, Query(description="format=docx 时，有明确改法的问题（大写金额、文号括号）另作修订")] = False,
    accepted: Annotated[str | None, Form(description=(
        "已接受的问题（JSON 列表，每项 {sha256, rule, reason}）：这一版本文件中该规则的问题列为“已接受”"))] = None,
) -> Any:
    settings = request.app.state.settings
    if type is not None and type not in DOC_TYPES:
        raise ApiError(422, "invalid-request", "请求参数有误", f"未知文书种类“{type}”，可选：{'、'.join(DOC_TYPES)}",
                       errors=[{"path": "type", "message": "取值不在可选范围内"}])
    if jurisdiction is not None:
        from corpus.profiles import load_profiles

        if jurisdiction not in load_profiles():
            raise ApiError(422, "invalid-request", "请求参数有误", f"未知辖区“{jurisdiction}”",
                           errors=[{"path": "jurisdiction", "message": f"可选：{'、'.join(load_profiles())}"}])
    if not files:
        raise ApiError(422, "invalid-request", "请求参数有误", "请至少上传一个文件",
                       errors=[{"path": "files", "message": "缺少文件"}])
    if len(files) > settings.max_files:
        raise ApiError(413, "too-many-files", "文件过多", f"一次最多审查 {settings.max_files} 个文件，收到 {len(files)} 个",
                       errors=[{"path": "files", "message": f"最多 {settings.max_files} 个"}])
    if format == "docx" and (len(files) != 1 or not (files[0].filename or "").lower().endswith(".docx")):
        raise ApiError(422, "invalid-request", "请求参数有误", "带批注的审查结果（format=docx）只能由一份 DOCX 文书生成",
                       errors=[{"path": "format", "message": "仅限上传一份 .docx 文件"}])
    acceptances = _acceptances(accepted)
    uploads: list[tuple[str, bytes]] = []
    for i, upload in enumerate(files):
        name = upload_name(upload, f"文件{i + 1}")
        if upload.size is not None and upload.size > settings.max_file_bytes:
            raise ApiError(413, "too-large", "文件过大",
                           f"“{name}”超过单个文件上限 {settings.max_file_bytes // (1024 * 1024)} MB",
                           errors=[{"path": f"files[{i}]", "message": name}])
        uploads.append((name, await upload.read()))
        await upload.close()
    results, rendered = await request.app.state.checks.run(
        checking.check_uploads, uploads, type, jurisdiction, settings.max_file_bytes, format, suggest, acceptances,
        budget=settings.request_timeout)
    # a file that could not be read or is not reviewed never sinks the others: every format lists it
    # (JSON as the report's error, SARIF as a tool notification, HTML first); only when no file could
    # be read at all is the request itself refused
    from checkers.check import Skipped, Unreadable

    failed = {i: r for i, r in enumerate(results) if isinstance(r, Skipped | Unreadable)}
    unreadable = [ProblemItem(path=f"files[{i}]", message=f"{r.file}：{r.reason}")
                  for i, r in failed.items() if isinstance(r, Unreadable)]
    if len(unreadable) == len(uploads):
        raise ApiError(422, "unreadable-document", "文件无法读取",
                       "；".join(p.message for p in unreadable), errors=unreadable)
    if format == "json":
        return checking.summarize([ReportOut(file=name, error=f"{name}：{failed[i].reason}",
                                             skipped=isinstance(failed[i], Skipped)) if i in failed
                                   else checking.report_out(r, include_text, hashlib.sha256(data).hexdigest())
                                   for i, ((name, data), r) in enumerate(zip(uploads, results, strict=True))])
    if rendered is None:  # only documents the checker does not review: nothing to comment or report on
        raise ApiError(422, "not-reviewable", "没有可审查的文书",
                       "；".join(f"{r.file}：{r.reason}" for r in failed.values()),
                       errors=[ProblemItem(path=f"files[{i}]", message=r.reason) for i, r in failed.items()])
    content, media, filename = rendered
    return Response(content, media_type=media, headers={"Content-Disposition": attachment(filename)})


@router.post(
    "/diff", summary="比较同一文书的两个版本",
    responses={200: {"description": "format=json：按要素、数值和逐行文字列出变化；format=html：比较报告",
                     "content": {"application/json": {"schema": {"type": "object"}},
                                 "text/html": {"schema": {"type": "string"}}}},
               **responses(401, 413, 415, 422, 503)},
    description="以 multipart/form-data 上传两个文件：`old`（原来的版本）和 `new`（新的版本）。",
)
async def diff(
    request: Request,
    old: Annotated[UploadFile, File(description="原来的版本")],
    new: Annotated[UploadFile, File(description="新的版本")],
    format: Annotated[Literal["json", "html"], Query(description="json 或 html")] = "json",
    type: Annotated[str | None, Query(description="文书种类（不填则按新版本自动识别）",
                                      json_schema_extra={"enum": DOC_TYPES})] = None,
) -> Any:
    settings = request.app.state.settings
    if type is not None and type not in DOC_TYPES:
        raise ApiError(422, "invalid-request", "请求参数有误", f"未知文书种类“{type}”",
                       errors=[{"path": "type", "message": "取值不在可选范围内"}])
    uploads = [await read_upload(upload, field, settings.max_file_bytes)
               for field, upload in (("old", old), ("new", new))]
    result = await request.app.state.checks.run(
        checking.compare_uploads, uploads[0], uploads[1], type, None, settings.max_file_bytes, format,
        budget=settings.request_timeout)
    if isinstance(result, str):
        raise ApiError(422, "unreadable-document", "文件无法读取", result, errors=[{"path": "files", "message": result}])
    content, media = result
    return Response(content, media_type=media)


def _acceptances(raw: str | None) -> list[Any]:
    """The reviewer's accepted findings sent with a check (JSON), validated; 422 with the item's path."""
    if not raw:
        return []
    from pydantic import TypeAdapter, ValidationError

    from checkers.policy import Acceptance

    try:
        return TypeAdapter(list[Acceptance]).validate_python(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        where = ""
        if isinstance(exc, ValidationError) and exc.errors():
            where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise ApiError(422, "invalid-request", "请求参数有误", "accepted 应为 JSON 列表，每项含 sha256、rule、reason（理由至少2字）",
                       errors=[{"path": f"accepted{('.' + where) if where else ''}", "message": "格式有误"}]) from None
