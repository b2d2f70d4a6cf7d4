"""The application factory: ``create_app()`` (used by ``ecoclaim serve`` and the tests)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecokernel.version import product_version
from service import checking, problems, registerthreads
from service.auth import TokenGate, require_token
from service.checkpool import CheckPool
from service.limits import BodyLimit, Scratch, UploadBudget, Worker
from service.pool import ConversionPool
from service.registerauth import RegisterDb
from service.routers import calendarfeed, cases, casework, check, exports, meta, register, series, web
from service.settings import Settings
from service.siteguard import SiteGuard

API = "/api/v1"

DESCRIPTION = """生态环境损害赔偿文书工具的 HTTP 接口：案件数据校验、文书和案卷生成（DOCX/PDF/HTML/Markdown）、
文书审查（SPEC §4 的审查结果、SARIF、HTML 报告）、办案期限、法规库和辖区配置。

- 案件数据以请求体提交：`Content-Type: application/json` 或 `application/yaml`；
- 错误一律为 `application/problem+json`（RFC 9457）：`type`、`title`、`status`、`detail`，以及逐项的
  `errors: [{path, message, line}]`（中文说明、字段路径、行号）；
- 设置环境变量 `ECOCLAIM_TOKEN` 后，每个 `/api/v1` 请求须带 `Authorization: Bearer <令牌>`；
- 案件台账（`/api/register`）按用户认证：网页登录（`POST /login`，会话 Cookie，修改须附 CSRF 令牌）或个人 API 令牌
  （`Authorization: Bearer eck_…`）；`ECOCLAIM_TOKEN` 不能用于台账；
- 上限（请求体大小、文件数、处理时限、PDF 转换队列）见 `GET /api/v1/health` 的 `limits`。
"""


class SecurityHeaders:
    """Every answer: no sniffing, no framing by others, and a CSP allowing only this origin."""

    CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
           "font-src 'self'; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; "
           "form-action 'self'; frame-ancestors 'self'")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {b"x-content-type-options": b"nosniff", b"referrer-policy": b"no-referrer",
                         b"content-security-policy": self.CSP.encode(), b"x-frame-options": b"SAMEORIGIN"}
                if scope["path"].startswith("/api/"):
                    extra[b"cache-control"] = b"no-store"
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        registerthreads.install(settings.register_threads)
        scratch = Scratch()
        app.state.scratch = scratch
        app.state.pool = ConversionPool(size=settings.pdf_converters, queue=settings.pdf_queue,
                                        timeout=settings.pdf_timeout)
        checks = CheckPool(settings.check_workers, checking.warm_up)
        app.state.checks = checks
        try:
            await asyncio.gather(asyncio.to_thread(checking.warm_up), checks.start())
            yield
        finally:
            await checks.close()
            scratch.close()
            app.state.register_db.close()

    app = FastAPI(title="ecoclaim 生态环境损害赔偿文书工具", version=product_version(), description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan)
    app.state.settings = settings
    app.state.worker = Worker(settings)
    app.state.register_db = RegisterDb()
    problems.install(app)
    guarded = [Depends(require_token)]
    app.include_router(meta.router, prefix=API, dependencies=guarded)
    app.include_router(cases.router, prefix=API, dependencies=guarded)
    app.include_router(check.router, prefix=API, dependencies=guarded)
    app.include_router(series.router, prefix=API, dependencies=guarded)
    app.include_router(register.router)  # authenticates its users itself (service.registerauth)
    app.include_router(casework.router)
    app.include_router(calendarfeed.router)
    app.include_router(exports.router)  # the register's exports, authenticated the same way
    app.include_router(web.router)
    app.include_router(register.pages)
    app.mount("/static", StaticFiles(directory=web.STATIC), name="static")
    # the last added runs first: headers on every answer, Host/Origin, the token, the body's size, the budget
    app.add_middleware(UploadBudget, settings=settings)
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(TokenGate, settings=settings)
    app.add_middleware(SiteGuard, settings=settings)
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app




def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated document plus the case model and the problem model under components."""
    if app.openapi_schema:
        return app.openapi_schema
    from casefile.model import Case

    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                         tags=[{"name": "服务"}, {"name": "参考", "description": "文书、辖区、示例、数据格式"},
                               {"name": "法规库"}, {"name": "起草", "description": "校验、生成、案卷、期限"},
                               {"name": "审查", "description": "文书审查和规则"}])
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    case = Case.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in case.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components["Case"] = case
    components["Problem"] = problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in components["Problem"].pop("$defs", {}).items():
        components.setdefault(name, definition)
    for definition in components.values():
        _file_parts_as_binary(definition)
    app.openapi_schema = schema
    return schema


def _file_parts_as_binary(schema: Any) -> None:
    """Uploaded files (FastAPI writes OAS 3.1's ``contentMediaType``) also marked ``format: binary``,
    so that the docs page's "Try it out" offers a file picker, a list of them for ``check``'s
    ``files``, instead of a text box filled with sample bytes."""
    if isinstance(schema, dict):
        if schema.get("type") == "string" and schema.get("contentMediaType") == "application/octet-stream":
            schema["format"] = "binary"
        for value in schema.values():
            _file_parts_as_binary(value)
    elif isinstance(schema, list):
        for value in schema:
            _file_parts_as_binary(value)
