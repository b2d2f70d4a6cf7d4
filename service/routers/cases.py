"""Case endpoints: validate, stage, generate one form, dossier, timeline. The body is the case file
(JSON or YAML, by Content-Type)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from corpus.profiles import FORM_KINDS
from ecokernel import clock
from service import drafting
from service.examples import openapi_case_body
from service.models import OutputFormat, StageOut, TimelineFormat, ValidationResult
from service.problems import ApiError, responses

router = APIRouter(tags=["起草"])

T = TypeVar("T")

CASE_BODY = "案件数据文件：Content-Type 为 application/json（JSON）或 application/yaml（YAML，与 `ecoclaim validate` 读取的文件相同）"
OnDate = Annotated[date | None, Query(description="按哪一天判断（默认今天），如 2026-11-23")]
FormKindQ = Annotated[str, Query(description="文书代码：" + "、".join(FORM_KINDS), examples=["agreement"],
                                 json_schema_extra={"enum": list(FORM_KINDS)})]


async def _body(request: Request) -> tuple[bytes, str]:
    suffix = drafting.suffix_for(request.headers.get("content-type"))
    return await request.body(), suffix


def attachment(name: str) -> str:
    """Content-Disposition for a (Chinese) file name: ASCII fallback plus RFC 5987 filename*.

    The name may be an uploader's: no folder, no control character; the fallback keeps only
    letters, digits and ``. _ - ( )``, and ``filename*`` percent-encodes everything else (a quote, a
    semicolon or a slash cannot end the parameter or name a folder)."""
    name = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable()).strip() or "download"
    ascii_name = re.sub(r"[^A-Za-z0-9._()-]+", "", name.replace(" ", "_")).strip(".")
    suffix = re.sub(r"[^A-Za-z0-9]", "", name.rsplit(".", 1)[1]) if "." in name else ""
    if "." not in ascii_name and suffix:
        ascii_name = "download." + suffix
    ascii_name = ascii_name or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.post("/validate", response_model=ValidationResult, summary="校验案件数据",
             description="返回全部错误和提示（字段路径、行号）；数据有错时仍为 200，`valid` 为 false。",
             openapi_extra=openapi_case_body(CASE_BODY),
             responses=responses(401, 413, 415, 422))
async def validate(request: Request, on: OnDate = None,
                   include_data: Annotated[bool, Query(description=(
                       "附带读取到的案件数据（JSON 形式，供网页表单显示；无法读取时为 null）"))] = False
                   ) -> ValidationResult:
    body, suffix = await _body(request)
    work = request.app.state.worker

    def run() -> ValidationResult:
        data, case, problems = drafting.validate_with_data(body, suffix)
        result = drafting.validation_result(case, problems, on or clock.today())
        if include_data:
            result.data = data
        return result

    return await work.run(run)


@router.post("/stage", response_model=StageOut, summary="办案阶段与当前可生成的文书",
             openapi_extra=openapi_case_body(CASE_BODY), responses=responses(401, 413, 415, 422))
async def stage(request: Request) -> StageOut:
    body, suffix = await _body(request)

    def run() -> StageOut:
        return drafting.stage_of(drafting.require_case(body, suffix))

    return await request.app.state.worker.run(run)


FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "生成的文件（Content-Disposition 给出文件名）", "content": {
        drafting.MEDIA["docx"]: {"schema": {"type": "string", "format": "binary"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "text/html": {"schema": {"type": "string"}},
        "text/markdown": {"schema": {"type": "string"}},
    }},
    **responses(401, 413, 415, 422, 503),
}


@router.post("/generate", summary="生成一份文书", response_class=Response, responses=FILE_RESPONSES,
             openapi_extra=openapi_case_body(CASE_BODY),
             description="按案件辖区的示范文本生成一份文书，格式为 docx / pdf / html / md。"
                         "PDF 经 LibreOffice 转换，进入有上限的转换队列（见 /api/v1/health 的 limits）。")
async def generate(request: Request, form: FormKindQ,
                   format: Annotated[OutputFormat, Query(description="输出格式")] = "docx") -> Response:
    if form not in FORM_KINDS:
        raise ApiError(422, "invalid-request", "请求参数有误", f"未知文书种类“{form}”，可选：{'、'.join(FORM_KINDS)}",
                       errors=[{"path": "form", "message": "取值不在可选范围内"}])
    body, suffix = await _body(request)
    app = request.app

    def run() -> tuple[bytes, str]:
        case = drafting.require_case(body, suffix)
        with app.state.scratch.directory() as workdir:
            return drafting.generate_one(case, form, format, workdir, app.state.pool)

    content, name = await run_generation(app, run, format)
    return Response(content, media_type=drafting.MEDIA[format], headers={"Content-Disposition": attachment(name)})


async def run_generation(app: Any, run: Callable[[], T], fmt: str) -> T:
    """Run a generation in a work thread; a PDF one is first admitted to the conversion queue and
    waits for its converter here in the event loop (503 at once when the queue is full), so waiting
    PDF requests hold no work thread."""
    s = app.state.settings
    timeout = s.request_timeout + (s.pdf_timeout if fmt == "pdf" else 0)
    async with app.state.pool.admit() if fmt == "pdf" else contextlib.nullcontext():
        return await app.state.worker.run(run, timeout=timeout)


@router.post("/dossier", summary="生成案卷（ZIP，含清单 manifest.json）", response_class=Response,
             openapi_extra=openapi_case_body(CASE_BODY),
             responses={200: {"description": "ZIP：各文书文件和 manifest.json（表单、示范文本、模板版本、"
                                             "案件数据和每个文件的 SHA-256）",
                              "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
                        **responses(401, 413, 415, 422, 503)},
             description="不指定 forms 时，生成当前办案阶段允许的全部文书（未生成的及原因写入清单）。")
async def dossier(request: Request,
                  format: Annotated[OutputFormat, Query(description="输出格式")] = "docx",
                  forms: Annotated[list[str] | None, Query(
                      description="只生成这些文书（可重复，如 forms=agreement&forms=enforcement）",
                      max_length=len(FORM_KINDS),
                      json_schema_extra={"items": {"type": "string", "enum": list(FORM_KINDS)}})] = None,
                  ) -> Response:
    bad = [f for f in forms or [] if f not in FORM_KINDS]
    if bad:
        raise ApiError(422, "invalid-request", "请求参数有误", f"未知文书种类：{'、'.join(bad)}",
                       errors=[{"path": "forms", "message": f"“{b}”不是文书代码"} for b in bad])
    body, suffix = await _body(request)
    app = request.app

    def run() -> tuple[bytes, str]:
        case = drafting.require_case(body, suffix)
        with app.state.scratch.directory() as workdir:
            return drafting.generate_dossier(case, body, suffix, list(dict.fromkeys(forms)) if forms else None,
                                             format, workdir, app.state.pool)

    content, name = await run_generation(app, run, format)
    return Response(content, media_type="application/zip", headers={"Content-Disposition": attachment(name)})


@router.post("/timeline", summary="办案期限", response_class=Response, openapi_extra=openapi_case_body(CASE_BODY),
             responses={200: {"description": "JSON（每一步的期限、完成日期、状态和依据）或 ICS 日历（未到期的期限）",
                              "content": {"application/json": {"schema": {"type": "object"}},
                                          "text/calendar": {"schema": {"type": "string"}}}},
                        **responses(401, 413, 415, 422)})
async def timeline(request: Request, on: OnDate = None,
                   format: Annotated[TimelineFormat, Query(description="json 或 ics")] = "json") -> Response:
    body, suffix = await _body(request)

    def run() -> tuple[Any, str]:
        case = drafting.require_case(body, suffix)
        return drafting.timeline(case, on or clock.today(), format)

    content, media = await request.app.state.worker.run(run)
    if format == "json":
        return JSONResponse(content)
    return Response(content, media_type=media, headers={"Content-Disposition": attachment("timeline.ics")})
