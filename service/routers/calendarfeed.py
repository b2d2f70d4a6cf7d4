"""Calendar subscriptions over HTTP: a logged-in user makes (or remakes, or revokes) a secret URL of
their deadlines feed, which a calendar program then fetches without any login
(:mod:`caseregister.calendarfeeds`). An unknown or revoked token is 404."""

from __future__ import annotations

from datetime import datetime

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from caseregister import calendarfeeds, views
from caseregister.engine import read_session, write_session
from ecokernel import clock
from service.problems import ApiError, responses
from service.registerauth import CurrentPrincipal, register_db
from service.routers.register import API, ics_response

router = APIRouter(tags=["案件台账"])
FEED = API + "/calendar-feed"
NO_FEED = "没有这个日历订阅地址，或它已停用"


class FeedOut(BaseModel):
    active: bool = Field(description="是否有有效的订阅地址")
    created_at: datetime | None = Field(None, description="订阅地址生成时间（UTC）")
    url: str | None = Field(None, description="订阅地址：只在生成时返回这一次（台账只保存其校验值）")


@router.get(FEED, summary="日历订阅地址的状态", response_model=FeedOut, responses=responses(401, 503))
def feed_state(request: Request, principal: CurrentPrincipal) -> FeedOut:
    """本人的日历订阅地址是否有效、何时生成（地址本身只在生成时显示）。"""
    with read_session(register_db(request).engine()) as db:
        feed = calendarfeeds.current(db, principal.user)
        return FeedOut(active=feed is not None, created_at=feed.created_at if feed else None)


@router.post(FEED, summary="生成日历订阅地址", status_code=201, response_model=FeedOut, responses=responses(401, 403, 503))
def feed_create(request: Request, principal: CurrentPrincipal) -> FeedOut:
    """生成本人的日历订阅地址（原有的地址随即失效）：日历软件无须登录即可订阅本人可见案件的期限。"""
    with write_session(register_db(request).engine()) as db:
        feed, token = calendarfeeds.create(db, principal.user)
    return FeedOut(active=True, created_at=feed.created_at,
                   url=str(request.url_for("calendar_feed", token=token)))


@router.delete(FEED, summary="停用日历订阅地址",
               status_code=204, response_class=Response, responses=responses(401, 403, 503))
def feed_revoke(request: Request, principal: CurrentPrincipal) -> Response:
    """停用本人的日历订阅地址。"""
    with write_session(register_db(request).engine()) as db:
        calendarfeeds.revoke(db, principal.user)
    return Response(status_code=204)


@router.get(API + "/calendar/{token}.ics", summary="日历订阅（无须登录）", name="calendar_feed", response_class=Response,
            responses=responses(404, 503))
async def calendar_feed(request: Request, token: str) -> Response:
    """日历订阅（无须登录，地址中的令牌即凭证）：该用户可见案件的全部未到期期限，iCalendar 格式。"""
    engine = await anyio.to_thread.run_sync(register_db(request).engine)

    def read() -> str | None:
        with read_session(engine) as db:
            user = calendarfeeds.feed_user(db, token)
            return None if user is None else views.calendar(db, user, clock.today())

    text = await anyio.to_thread.run_sync(read)
    if text is None:
        raise ApiError(404, "not-found", "未找到", NO_FEED)
    return ics_response(text)
