"""Server-side web sessions: what a login cookie stands for.

The session id is 32 random bytes (URL-safe text) handed to the browser once, in the cookie; the
database keeps only its SHA-256, so a copy of the database logs nobody in. A session ends:

- when the person logs out (its row is deleted);
- after ``SessionPolicy.idle_minutes`` without a request (idle expiry, from ``last_seen_at``);
- ``SessionPolicy.max_hours`` after the login, however active (absolute expiry, from ``created_at``);
- when the account is disabled or its password changes after the login.

The CSRF token of a session is derived from the session id (HMAC-SHA256 of a fixed label keyed by
the id): one per session, nothing more to store, and unknowable without the cookie, which a page on
another site can neither read nor compute (a synchroniser token tied to the session).

``now`` is naive UTC, as the database stores times; tests pass it or move the stored times back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, joinedload

from caseregister import audit
from caseregister.accounts import token_digest
from caseregister.models import User, WebSession, utcnow

#: a session's last_seen_at is written at most once per this many seconds (reads stay reads)
TOUCH_SECONDS = 60
_CSRF_LABEL = b"ecoclaim-csrf-v1"


class SessionPolicy(BaseModel):
    """How long a web session lasts: idle and absolute limits."""

    model_config = ConfigDict(frozen=True)

    idle_minutes: int = Field(30, ge=1, le=7 * 24 * 60)
    max_hours: int = Field(12, ge=1, le=30 * 24)

    def expired(self, row: WebSession, now: datetime) -> bool:
        return (row.last_seen_at + timedelta(minutes=self.idle_minutes) <= now
                or row.created_at + timedelta(hours=self.max_hours) <= now)


def open_session(session: Session, user: User, *, policy: SessionPolicy, now: datetime | None = None) -> str:
    """A new session for ``user`` (after a successful login): the session id for the cookie. The
    user's expired sessions are removed on the way."""
    moment = now or utcnow()
    idle_cut = moment - timedelta(minutes=policy.idle_minutes)
    age_cut = moment - timedelta(hours=policy.max_hours)
    session.execute(delete(WebSession).where(WebSession.user_id == user.id,
                                             or_(WebSession.last_seen_at <= idle_cut, WebSession.created_at <= age_cut))
                    .execution_options(synchronize_session=False))
    raw = secrets.token_urlsafe(32)
    row = WebSession(user_id=user.id, token_sha256=token_digest(raw), created_at=moment, last_seen_at=moment)
    session.add(row)
    session.flush()
    audit.record(session, actor=user.username, action="session.open", entity="web_sessions", entity_id=row.id,
                 detail={"username": user.username})
    return raw


def find_session(session: Session, raw: str, *, policy: SessionPolicy,
                 now: datetime | None = None) -> WebSession | None:
    """The live session whose id is ``raw`` (``None``: unknown, expired, or its user disabled or with a
    password changed since the login). Reads only."""
    if not raw or len(raw) > 200:
        return None
    row = session.scalar(select(WebSession).where(WebSession.token_sha256 == token_digest(raw))
                         .options(joinedload(WebSession.user).joinedload(User.department)))  # one query
    if row is None or policy.expired(row, now or utcnow()):
        return None
    user = row.user
    if not user.active or user.password_changed_at > row.created_at:
        return None
    return row


def needs_touch(row: WebSession, now: datetime | None = None) -> bool:
    return (now or utcnow()) - row.last_seen_at >= timedelta(seconds=TOUCH_SECONDS)


def touch(session: Session, row_id: int, now: datetime | None = None) -> None:
    """Note that the session was used (idle expiry counts from here)."""
    session.execute(update(WebSession).where(WebSession.id == row_id).values(last_seen_at=now or utcnow())
                    .execution_options(synchronize_session=False))


def close_session(session: Session, raw: str) -> bool:
    """Log out: delete the session (``False`` when there was none)."""
    row = session.scalar(select(WebSession).where(WebSession.token_sha256 == token_digest(raw))
                         .options(joinedload(WebSession.user).joinedload(User.department)))  # one query
    if row is None:
        return False
    username = row.user.username
    session.delete(row)
    audit.record(session, actor=username, action="session.close", entity="web_sessions", entity_id=row.id,
                 detail={"username": username})
    return True


def csrf_token(raw: str) -> str:
    """The CSRF token of the session whose id is ``raw``."""
    return hmac.new(raw.encode("utf-8"), _CSRF_LABEL, hashlib.sha256).hexdigest()


def csrf_matches(raw: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(raw).encode(), (given or "").strip().encode("utf-8"))
