"""Calendar subscriptions: a secret URL per user, so a calendar program without cookies can
subscribe to the user's deadlines feed (the same feed as ``GET /api/register/calendar.ics``).

The token in the URL is 32 random bytes; only its SHA-256 is stored, so the URL is shown once, when
it is made. A user has at most one live subscription: making a new one revokes the old, and it can
be revoked outright. A disabled account's feed answers nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseregister import audit
from caseregister.accounts import token_digest
from caseregister.models import CalendarFeed, User, utcnow

PREFIX = "ecal_"


def _live(session: Session, user: User) -> list[CalendarFeed]:
    return list(session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                           CalendarFeed.revoked_at.is_(None))))


def _revoke(session: Session, user: User, moment: datetime) -> int:
    live = _live(session, user)
    for feed in live:
        feed.revoked_at = moment
    return len(live)


def create(session: Session, user: User, *, now: datetime | None = None) -> tuple[CalendarFeed, str]:
    """A new subscription for ``user`` (any earlier one is revoked): the row and the token, shown once."""
    moment = now or utcnow()
    revoked = _revoke(session, user, moment)
    token = PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, token_sha256=token_digest(token), created_at=moment)
    session.add(feed)
    session.flush()
    audit.record(session, actor=user.username, action="calendar.create", entity="calendar_feeds", entity_id=feed.id,
                 detail={"username": user.username, "revoked": revoked})
    return feed, token


def revoke(session: Session, user: User, *, now: datetime | None = None) -> int:
    """Revoke the user's subscription (how many were live: 0 or 1)."""
    revoked = _revoke(session, user, now or utcnow())
    if revoked:
        audit.record(session, actor=user.username, action="calendar.revoke", entity="calendar_feeds", entity_id=None,
                     detail={"username": user.username, "revoked": revoked})
    return revoked


def current(session: Session, user: User) -> CalendarFeed | None:
    """The user's live subscription, if any."""
    live = _live(session, user)
    return live[-1] if live else None


def feed_user(session: Session, token: str) -> User | None:
    """The active user whose live subscription token is ``token`` (``None`` otherwise)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token_sha256 == token_digest(token)))
    if feed is None or feed.revoked_at is not None or not feed.user.active:
        return None
    return feed.user
