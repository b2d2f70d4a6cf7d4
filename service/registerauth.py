"""Who is asking, for the case register's routes: a web session (cookie) or a per-user API token.

- **Browsers** log in with ``POST /login`` and get the session cookie (``HttpOnly``,
  ``SameSite=Lax``, ``Secure`` unless ``ECOCLAIM_COOKIE_SECURE=0``, a lifetime of the absolute
  expiry); the session lives in the database (:mod:`caseregister.websessions`), so any worker
  process answers any request.
- **Machine clients** send ``Authorization: Bearer eck_…``, a token issued to a user
  (``ecoclaim db user token``); a bearer request needs no CSRF token (a page on another site
  cannot make a browser send that header).
- A request carrying the session cookie that changes anything (any method but GET/HEAD/OPTIONS)
  must also carry the session's CSRF token, in the ``X-CSRF-Token`` header or, for a form, the
  ``csrf_token`` field; otherwise 403 (``GET /api/register/me`` and the login answer give the token).

The shared ``ECOCLAIM_TOKEN`` of the stateless API does not open the register: it names no user
(:class:`service.auth.TokenGate` leaves ``/api/register`` to this module). The register's database
is opened at the first request that needs it and must be at the newest schema (``ecoclaim db init``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from caseregister import accounts, migrate, websessions
from caseregister.engine import database_unreachable, make_engine, read_session, write_session
from caseregister.models import User
from caseregister.roles import label, permissions_of
from caseregister.settings import load_settings
from ecokernel.errors import UserError
from service import registerthreads
from service.problems import ApiError
from service.settings import Settings

COOKIE = "ecoclaim_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
NOT_LOGGED_IN = "未登录或登录已过期：请先登录（网页），或在请求头中提供 Authorization: Bearer <个人 API 令牌>"
BAD_TOKEN = "API 令牌无效、已撤销或已过期"
CSRF_REFUSED = "缺少或错误的 CSRF 令牌：以登录会话提交的修改须在 X-CSRF-Token 请求头或表单字段 csrf_token 中附上本会话的令牌；请刷新页面后重试"


class RegisterDb:
    """The register's engine, made at first use (so a service that never opens the register never
    creates its data folder), with the schema checked once."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        if self._engine is not None:
            return self._engine
        with self._lock:
            if self._engine is None:
                self._engine = self._open()
        return self._engine

    @staticmethod
    def _open() -> Engine:
        try:
            settings = load_settings()
            engine = make_engine(settings.url)
        except UserError as exc:
            raise ApiError(503, "register-unavailable", "案件台账不可用", exc.message) from None
        try:
            revision = migrate.current_revision(engine)
        except OperationalError as exc:
            engine.dispose()
            raise ApiError(503, "register-unavailable", "案件台账不可用",
                           database_unreachable(exc, settings.url).message) from None
        if revision != migrate.head_revision():
            engine.dispose()
            state = "还没有案件台账" if revision is None else f"结构版本为 {revision}，本程序需要 {migrate.head_revision()}"
            raise ApiError(503, "register-unavailable", "案件台账不可用",
                           f"数据库 {settings.shown_url()} {state}：请由管理员运行 ecoclaim db init") from None
        return engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def register_db(request: Request) -> RegisterDb:
    return request.app.state.register_db  # type: ignore[no-any-return]


def session_policy(settings: Settings) -> websessions.SessionPolicy:
    return websessions.SessionPolicy(idle_minutes=settings.session_idle_minutes, max_hours=settings.session_max_hours)


@dataclass(frozen=True)
class Principal:
    """The user a request acts for, and how it was authenticated (``session``: the raw session id)."""

    user: User
    session: str | None = None

    @property
    def csrf_token(self) -> str | None:
        return websessions.csrf_token(self.session) if self.session else None


def user_out(user: User, csrf: str | None = None) -> dict[str, object]:
    """The account as the page shows it (never a hash)."""
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "role_label": label(user.role), "department_code": user.department.code,
            "department_name": user.department.name, "csrf_token": csrf,
            "permissions": [p.value for p in permissions_of(user.role)]}


def unauthorized(detail: str = NOT_LOGGED_IN) -> ApiError:
    return ApiError(401, "unauthorized", "未登录", detail, headers={"WWW-Authenticate": "Bearer"})


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise unauthorized(BAD_TOKEN)
    return value.strip()


def _resolve(engine: Engine, token: str | None, session_id: str | None, policy: websessions.SessionPolicy) -> Principal:
    with read_session(engine) as db:
        if token is not None:
            user = accounts.token_user(db, token)
            if user is None:
                raise unauthorized(BAD_TOKEN)
            _ = user.department  # loaded for user_out after the session ends
            return Principal(user=user)
        if not session_id:
            raise unauthorized()
        row = websessions.find_session(db, session_id, policy=policy)
        if row is None:
            raise unauthorized()
        user = row.user
        _ = user.department
        touch = websessions.needs_touch(row)
        row_id = row.id
    if touch:
        with write_session(engine) as db:
            websessions.touch(db, row_id)
    return Principal(user=user, session=session_id)


async def _csrf_given(request: Request) -> str | None:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").split(";")[0].strip() in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    return given


async def current_principal(request: Request) -> Principal:
    """The authenticated user of this request (401 otherwise); a cookie-authenticated request that
    changes anything must carry the session's CSRF token (403 otherwise)."""
    token = _bearer(request)
    session_id = None if token is not None else request.cookies.get(COOKIE)
    if token is None and not session_id:
        raise unauthorized()
    database, policy = register_db(request), session_policy(request.app.state.settings)
    # one trip to the thread pool: opening the engine (first request only) and the lookup
    principal = await registerthreads.run(lambda: _resolve(database.engine(), token, session_id, policy))
    if principal.session is not None and request.method not in SAFE_METHODS and \
            not websessions.csrf_matches(principal.session, await _csrf_given(request)):
        raise ApiError(403, "csrf", "请求被拒绝", CSRF_REFUSED)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
