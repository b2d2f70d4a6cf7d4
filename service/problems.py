"""Errors as ``application/problem+json`` (RFC 9457): type, title, status, detail, and ``errors``
(each with the field path, a Chinese message and, for case files, the line).

Every error the service answers goes through here: bad input is a 4xx with a Chinese message,
never a traceback; a 500 means a bug and says only "内部错误" (the traceback goes to the log).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ecokernel.errors import UserError

log = logging.getLogger("ecoclaim.service")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:ecoclaim:problem:"


class ProblemItem(BaseModel):
    """One problem inside an error answer."""

    path: str = Field("", description="字段路径（如 obligors[0].uscc）或参数名；整个请求为空字符串")
    message: str = Field(description="中文说明")
    line: int | None = Field(None, description="案件数据文件中的行号（YAML/JSON），可能为空")
    column: int | None = Field(None, description="列号，可能为空")
    severity: str | None = Field(None, description="error 或 warning（校验结果中出现）")


class Problem(BaseModel):
    """RFC 9457 problem details, with the list of individual problems."""

    type: str = Field(description="问题类型 URI，如 urn:ecoclaim:problem:invalid-case")
    title: str = Field(description="问题类型的中文标题")
    status: int = Field(description="HTTP 状态码")
    detail: str = Field(description="本次问题的中文说明")
    instance: str | None = Field(None, description="出问题的请求路径")
    errors: list[ProblemItem] = Field(default_factory=list, description="逐项问题（字段路径、说明、行号）")

    model_config = {"json_schema_extra": {"examples": [{
        "type": "urn:ecoclaim:problem:invalid-case", "title": "案件数据有误", "status": 422,
        "detail": "案件数据有1处错误", "instance": "/api/v1/validate",
        "errors": [{"path": "obligors[0].uscc", "message": "统一社会信用代码校验码错误", "line": 31,
                    "column": 11, "severity": "error"}]}]}}


class ApiError(Exception):
    """Raise anywhere in a handler to answer with a problem."""

    def __init__(self, status: int, slug: str, title: str, detail: str,
                 errors: list[ProblemItem] | list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None, extensions: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = [e if isinstance(e, ProblemItem) else ProblemItem(**e) for e in errors or []]
        self.headers = headers or {}
        #: extension members of the problem (RFC 9457 §3.2), e.g. the diff of a 409
        self.extensions = extensions or {}


class BodyTooLarge(Exception):
    """The request body went over the limit while being read."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class BodyTimeout(Exception):
    """The request body did not arrive in whole within its time."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class UploadBudgetExceeded(Exception):
    """Accepting this body would pass the in-flight upload budget (all request bodies being received)."""

    def __init__(self, budget: int) -> None:
        super().__init__(budget)
        self.budget = budget


def problem_response(status: int, slug: str, title: str, detail: str, *, instance: str | None = None,
                     errors: list[ProblemItem] | None = None,
                     headers: dict[str, str] | None = None, extensions: dict[str, Any] | None = None) -> JSONResponse:
    body = Problem(type=TYPE_BASE + slug, title=title, status=status, detail=detail, instance=instance,
                   errors=errors or [])
    return JSONResponse({**(extensions or {}), **body.model_dump()}, status_code=status, media_type=PROBLEM_JSON,
                        headers=headers)


def too_large(limit: int, instance: str | None = None) -> JSONResponse:
    return problem_response(413, "too-large", "请求过大",
                            f"请求内容超过上限 {_size(limit)}", instance=instance)


def body_timeout(seconds: float, instance: str | None = None) -> JSONResponse:
    return problem_response(408, "body-timeout", "请求内容接收超时",
                            f"请求内容未在 {seconds:g} 秒内传完，连接已关闭；请检查网络后重试", instance=instance,
                            headers={"Connection": "close"})


def over_budget(budget: int, instance: str | None = None) -> JSONResponse:
    return problem_response(503, "upload-budget", "服务繁忙",
                            f"正在接收的上传内容合计已达上限 {_size(budget)}，请稍后重试", instance=instance,
                            headers={"Retry-After": "5"})


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


_HTTP_TITLES = {
    400: ("bad-request", "请求有误"), 401: ("unauthorized", "未授权"), 403: ("forbidden", "禁止访问"),
    404: ("not-found", "未找到"), 405: ("method-not-allowed", "不支持该请求方法"),
    406: ("not-acceptable", "无法提供所要求的格式"), 413: ("too-large", "请求过大"),
    415: ("unsupported-media-type", "不支持的内容类型"), 422: ("invalid-request", "请求参数有误"),
    429: ("too-many-requests", "请求过多"), 501: ("not-implemented", "功能尚未提供"),
    503: ("unavailable", "服务暂时无法处理"),
}

_DETAILS = {404: "请求的地址不存在", 405: "该地址不支持此请求方法"}

_PARAM_MESSAGES = {
    "missing": "缺少必填参数", "literal_error": "取值不在可选范围内", "enum": "取值不在可选范围内",
    "int_parsing": "应为整数", "int_type": "应为整数", "bool_parsing": "应为 true 或 false",
    "date_from_datetime_parsing": "不是有效日期，应写作 YYYY-MM-DD", "date_parsing": "不是有效日期，应写作 YYYY-MM-DD",
    "string_type": "应为文字", "string_too_long": "过长", "string_too_short": "不能为空",
    "list_type": "应为列表", "model_attributes_type": "应为一组字段", "dict_type": "应为一组字段",
    "json_invalid": "不是有效的 JSON", "value_error": "取值有误", "too_long": "项数过多",
    "greater_than_equal": "过小", "less_than_equal": "过大", "url_parsing": "格式不正确",
}


def _param_message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    message = _PARAM_MESSAGES.get(kind, "取值有误")
    if kind in ("literal_error", "enum") and ctx.get("expected"):
        message += f"，可选：{ctx['expected']}"
    if kind == "value_error" and ctx.get("error"):
        raw = str(ctx["error"])
        if "Expected UploadFile" in raw:
            message = "应为上传的文件：multipart 表单中每个 files 部分都须带文件名（Content-Disposition 的 filename）"
        elif _has_cjk(raw):
            message = raw
    if kind == "missing" and err.get("loc") and err["loc"][0] == "body":
        message = "缺少必填内容"
    return message


def _param_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("query", "path", "header", "body", "cookie"):
        parts = parts[1:]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return problem_response(exc.status, exc.slug, exc.title, exc.detail, instance=request.url.path,
                                errors=exc.errors, headers=exc.headers, extensions=exc.extensions)

    @app.exception_handler(BodyTooLarge)
    async def _large(request: Request, exc: BodyTooLarge) -> JSONResponse:
        return too_large(exc.limit, request.url.path)

    @app.exception_handler(UploadBudgetExceeded)
    async def _budget(request: Request, exc: UploadBudgetExceeded) -> JSONResponse:
        return over_budget(exc.budget, request.url.path)

    @app.exception_handler(BodyTimeout)
    async def _slow(request: Request, exc: BodyTimeout) -> JSONResponse:
        return body_timeout(exc.seconds, request.url.path)

    @app.exception_handler(UserError)
    async def _user(request: Request, exc: UserError) -> JSONResponse:
        from service.pool import PoolBusy

        if isinstance(exc, PoolBusy):
            return problem_response(503, "busy", "服务繁忙", exc.message, instance=request.url.path,
                                    headers={"Retry-After": "10"})
        item = ProblemItem(path=exc.path or "", message=exc.message, line=exc.line, column=exc.column)
        return problem_response(422, "unprocessable", "无法处理的内容", exc.message,
                                instance=request.url.path, errors=[item])

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        items = [ProblemItem(path=_param_path(e.get("loc", ())), message=_param_message(e))
                 for e in exc.errors()]
        detail = "；".join(f"{i.path or '请求'}：{i.message}" for i in items) or "请求参数有误"
        return problem_response(422, "invalid-request", "请求参数有误", detail, instance=request.url.path,
                                errors=items)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, BodyTooLarge):
            return too_large(cause.limit, request.url.path)
        if isinstance(cause, UploadBudgetExceeded):
            return over_budget(cause.budget, request.url.path)
        if isinstance(cause, BodyTimeout):
            return body_timeout(cause.seconds, request.url.path)
        slug, title = _HTTP_TITLES.get(exc.status_code, ("http-error", "请求未能完成"))
        detail = exc.detail if isinstance(exc.detail, str) and _has_cjk(exc.detail) else \
            _DETAILS.get(exc.status_code, title)
        if exc.status_code == 400 and cause is not None:
            detail = "无法解析请求内容（multipart 表单或请求体格式不正确）"
        return problem_response(exc.status_code, slug, title, detail, instance=request.url.path,
                                headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("内部错误：%s %s", request.method, request.url.path)
        return problem_response(500, "internal", "内部错误", "服务内部错误，已记录日志；请联系管理员",
                                instance=request.url.path)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the problem answers an endpoint can give."""
    titles = {400: "请求有误", 401: "缺少或错误的访问令牌", 404: "未找到", 413: "请求过大",
              415: "不支持的内容类型", 422: "内容或参数有误（逐项列出字段路径和行号）",
              503: "超时或转换队列已满", 500: "内部错误"}
    return {c: {"description": titles.get(c, "错误"),
                "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for c in codes}
