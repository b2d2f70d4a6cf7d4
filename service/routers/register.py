"""The case register over HTTP, reading: web login and logout, the 台账, the deadlines board, the
per-user calendar feed and the case page (``/api/register/…``), and the register's web page
(``/register``). Changes are :mod:`service.routers.casework`; calendar subscriptions
:mod:`service.routers.calendarfeed`.

Every route answers only about the cases the user may see (:mod:`caseregister.access`): another
department's case is "not found" (404), the same answer as a case that does not exist.
Authentication and CSRF: :mod:`service.registerauth`.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from caseregister import login, views, websessions
from caseregister.engine import read_session, write_session
from caseregister.models import User, utcnow
from caseregister.schemas import CaseDetail, CasePage, DeadlineBoard
from caseregister.settings import load_login_policy
from ecokernel import clock
from ecokernel.errors import UserError
from service import registerthreads
from service.problems import ApiError, responses
from service.registerauth import (
    COOKIE,
    CurrentPrincipal,
    register_db,
    session_policy,
    user_out,
)
from service.registerthreads import register_route
from service.routers.web import STATIC
from service.siteguard import same_origin

API = "/api/register"
#: the 台账's page size, by default and at most
PAGE = 50
MAX_PAGE = 500
NOT_FOUND = "台账中没有这个案件，或您无权查看"

router = APIRouter(tags=["案件台账"])
pages = APIRouter(include_in_schema=False)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _check_origin(request: Request) -> None:
    """A login or logout posted by a page of another site is refused (login CSRF)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    host = request.headers.get("host", "")
    if source is not None and not (host and same_origin(source, host)):
        raise ApiError(403, "cross-site", "跨站请求被拒绝", "拒绝来自其他网站的登录或退出请求")


@pages.get("/register")
async def register_page() -> FileResponse:
    return FileResponse(STATIC / "register.html", media_type="text/html; charset=utf-8")


@router.post("/login", responses=responses(401, 403, 422, 429, 503))
async def login_form(request: Request, username: Annotated[str, Form(max_length=200)],
                     password: Annotated[str, Form(max_length=1000)]) -> Response:
    """网页登录（表单 username、password）。成功：设置会话 Cookie；`Accept: application/json` 时返回用户和
    CSRF 令牌，否则 303 转到台账页面。用户名不存在和密码错误的提示相同。"""
    _check_origin(request)
    engine = await registerthreads.run(register_db(request).engine)
    settings = request.app.state.settings
    policy = session_policy(settings)

    def attempt() -> tuple[login.LoginResult, dict[str, Any] | None, str | None]:
        try:
            login_policy = load_login_policy()
        except UserError as exc:
            raise ApiError(503, "register-unavailable", "案件台账不可用", exc.message) from None
        with write_session(engine) as db:  # the failure count is kept, whatever the outcome
            result = login.authenticate(db, username, password, policy=login_policy)
            if not result.ok:
                return result, None, None
            user = db.get_one(User, result.user_id)
            raw = websessions.open_session(db, user, policy=policy)
            return result, user_out(user, websessions.csrf_token(raw)), raw

    result, user, raw = await anyio.to_thread.run_sync(attempt)
    if result.status is login.LoginStatus.LOCKED:
        assert result.locked_until is not None
        wait = max(1, int((result.locked_until - utcnow()).total_seconds()))
        raise ApiError(429, "locked", "账号暂时锁定", result.message, headers={"Retry-After": str(wait)})
    if raw is None:
        raise ApiError(401, "login-failed", "登录失败", result.message)
    answer: Response = JSONResponse({"user": user}) if _wants_json(request) else RedirectResponse("/register", 303)
    answer.set_cookie(COOKIE, raw, max_age=settings.session_max_hours * 3600, path="/",
                      secure=settings.cookie_secure, httponly=True, samesite="lax")
    return answer


@router.post("/logout", responses=responses(400, 401, 403))
async def logout(request: Request, principal: CurrentPrincipal) -> Response:
    """退出登录：删除服务器端会话并清除 Cookie（须附 CSRF 令牌）。"""
    _check_origin(request)
    if principal.session is None:
        raise ApiError(400, "not-a-session", "请求有误", "以 API 令牌访问时没有可退出的登录会话")
    engine = register_db(request).engine()

    def close() -> None:
        with write_session(engine) as db:
            websessions.close_session(db, principal.session or "")

    await anyio.to_thread.run_sync(close)
    answer: Response = Response(status_code=204) if _wants_json(request) else RedirectResponse("/register", 303)
    answer.delete_cookie(COOKIE, path="/", secure=request.app.state.settings.cookie_secure, httponly=True,
                         samesite="lax")
    return answer


@router.get(API + "/me", responses=responses(401, 503))
def me(principal: CurrentPrincipal) -> dict[str, Any]:
    """当前用户（姓名、角色、部门）和本会话的 CSRF 令牌（以 API 令牌访问时为空）。"""
    return user_out(principal.user, principal.csrf_token)


@router.get(API + "/cases", response_model=CasePage, responses=responses(401, 422, 503))
@register_route
def cases(request: Request, principal: CurrentPrincipal,
          jurisdiction: Annotated[str | None, Query(max_length=50, description="辖区代码，如 zhangye")] = None,
          stage: Annotated[str | None, Query(max_length=50, description="阶段代码")] = None,
          obligor: Annotated[str | None, Query(max_length=200, description="赔偿义务人名称（包含即可）")] = None,
          year: Annotated[int | None, Query(ge=1990, le=2100, description="立案号中的年份（无年份的按登记年份）")] = None,
          q: Annotated[str | None, Query(max_length=200, description="检索：案件名称、立案号、义务人、部门")] = None,
          limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"每页案件数（默认{PAGE}，至多{MAX_PAGE}）")] = PAGE,
          offset: Annotated[int, Query(ge=0, description="从第几个案件起（从0起）")] = 0,
          ) -> Response:
    """台账：本人可见的案件（本部门及下级部门），含阶段、下一期限和是否逾期；最近的期限在前。分页：`limit`、`offset`，
    `total` 为符合筛选条件的案件总数（全部案件可导出 XLSX：`/api/register/export/ledger.xlsx`）。"""
    filters = views.CaseFilter(jurisdiction=jurisdiction or None, stage=stage or None, obligor=obligor or None,
                               year=year, search=q or None)
    with read_session(register_db(request).engine()) as db:
        return json_response(views.case_page(db, principal.user, filters, clock.today(), limit=limit, offset=offset))


@router.get(API + "/deadlines", response_model=DeadlineBoard, responses=responses(401, 503))
@register_route
def deadlines(request: Request, principal: CurrentPrincipal) -> Response:
    """期限看板：可见案件中已逾期、7日内到期、30日内到期的期限（按今天判断）。"""
    with read_session(register_db(request).engine()) as db:
        return json_response(views.deadline_board(db, principal.user, clock.today()))


def json_response(answer: BaseModel) -> Response:
    """A model the view built (and so validated) as JSON, without FastAPI validating and encoding it once
    more (the route's ``response_model`` still describes it); a page of the 台账 or the board at once."""
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get(API + "/calendar.ics", responses=responses(401, 503), response_class=Response)
@register_route
def calendar(request: Request, principal: CurrentPrincipal) -> Response:
    """本人可见案件的全部未到期期限，iCalendar 格式（RFC 5545），可导入日历软件。"""
    with read_session(register_db(request).engine()) as db:
        return ics_response(views.calendar(db, principal.user, clock.today()))


def ics_response(text: str) -> Response:
    return Response(text.encode("utf-8"), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=ecoclaim-deadlines.ics"})


@router.get(API + "/cases/{case_id}", response_model=CaseDetail, responses=responses(401, 404, 503))
@register_route
def case_page(request: Request, principal: CurrentPrincipal, case_id: int) -> CaseDetail:
    """案件页：各版本（修改人、时间、理由）、文书、审查记录、期限和审计记录。无权查看的案件与不存在的案件一样答 404。"""
    with read_session(register_db(request).engine()) as db:
        detail = views.case_detail(db, principal.user, case_id, clock.today())
    if detail is None:
        raise ApiError(404, "not-found", "未找到", NOT_FOUND)
    return detail

