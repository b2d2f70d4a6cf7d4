"""Optional bearer token: when ``ECOCLAIM_TOKEN`` is set, every ``/api`` call must carry
``Authorization: Bearer <token>``; compared in constant time."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.problems import ApiError

bearer = HTTPBearer(auto_error=False, description="ECOCLAIM_TOKEN 设置时必需：Authorization: Bearer <令牌>")


async def require_token(request: Request,
                        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    token = request.app.state.settings.token
    if not token:
        return
    given = credentials.credentials if credentials and credentials.scheme.lower() == "bearer" else ""
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(401, "unauthorized", "未授权",
                       "缺少或错误的访问令牌：请在请求头中提供 Authorization: Bearer <令牌>",
                       headers={"WWW-Authenticate": "Bearer"})
