"""Optional bearer token: when ``ECOCLAIM_TOKEN`` is set, every ``/api`` call must carry
``Authorization: Bearer <token>``; compared in constant time. The case register (``/api/register``)
is the exception: it authenticates each user itself (:mod:`service.registerauth`).

The gate is the ASGI middleware ``TokenGate``: it answers 401 from the request line and headers
alone, before any body is read or parsed (so an unauthenticated upload is never spooled to disk),
and before routing (so unknown paths and wrong methods under ``/api`` look the same as known ones).
The header is compared as the bytes that arrived against the token's UTF-8 bytes, so a token with
Chinese characters works for a client that sends it in UTF-8. ``require_token`` remains only so
that the OpenAPI document describes the scheme; it applies the same comparison.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Receive, Scope, Send

from service.problems import ApiError, problem_response
from service.settings import Settings

bearer = HTTPBearer(auto_error=False, description="ECOCLAIM_TOKEN 设置时必需：Authorization: Bearer <令牌>")

DETAIL = "缺少或错误的访问令牌：请在请求头中提供 Authorization: Bearer <令牌>"
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def token_matches(header: bytes | None, token: str) -> bool:
    """Whether a raw ``Authorization`` header value is ``Bearer <token>`` (scheme case-insensitive)."""
    if not header:
        return False
    scheme, _, given = header.partition(b" ")
    given = given.strip()
    return scheme.lower() == b"bearer" and bool(given) and hmac.compare_digest(given, token.encode("utf-8"))


#: the case register authenticates its own users (service.registerauth): the shared token names nobody
REGISTER_API = "/api/register"


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def token_guarded(path: str) -> bool:
    """Whether the shared token guards ``path``: every ``/api`` path but the register's."""
    return is_api(path) and not (path == REGISTER_API or path.startswith(REGISTER_API + "/"))


class TokenGate:
    """ASGI middleware: 401 problem+json for an ``/api`` request without the right token."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = self.settings.token
        if token and scope["type"] == "http" and token_guarded(scope["path"]):
            header = next((v for k, v in scope.get("headers", []) if k == b"authorization"), None)
            if not token_matches(header, token):
                response = problem_response(401, "unauthorized", "未授权", DETAIL, instance=scope["path"],
                                            headers=CHALLENGE)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def require_token(request: Request,
                        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """Documents the scheme in OpenAPI; the request has already passed ``TokenGate``."""
    token = request.app.state.settings.token
    header = request.headers.get("authorization")
    if token and not token_matches(header.encode("latin-1") if header else None, token):
        raise ApiError(401, "unauthorized", "未授权", DETAIL, headers=CHALLENGE)
