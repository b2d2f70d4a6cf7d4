"""The register's tables (SQLAlchemy 2 typed declarative models).

A case belongs to a department and has numbered versions; each version keeps the exact text as
submitted (YAML or JSON), its parsed data and its timeline steps as far as they do not depend on the
day (``timeline_steps``, computed when the version is saved, and again when the data they were
computed with changes: ``cases.steps_fingerprint``; what today makes of them is decided in the
queries that read them, :mod:`caseregister.deadlines`). Generated documents
and reviews point at the version they came from or were checked against. ``audit_log`` records
every change and, like ``case_versions``, can only be appended to: database triggers (created by
the migrations, see ``migrations/versions/0001_initial.py``) refuse UPDATE and DELETE on both.

Web sessions (``web_sessions``) are the server side of a logged-in browser: the random session id
travels only in the cookie, the table keeps its SHA-256, when it began and when it was last used
(idle and absolute expiry are decided by the caller, :mod:`caseregister.websessions`).

The bytes of generated documents, signed copies and documents uploaded for review are kept in
``stored_files``, one row per distinct content (keyed by its SHA-256, which ``documents`` and
``reviews`` already record), so every worker serves them from the database alone. ``approvals``
records a 负责人's approval of one version (append-only, like the audit log). ``calendar_feeds``
holds the SHA-256 of each user's secret calendar subscription token.

Departments may have a superior department (``parent_id``). Users are local accounts of one
department with one role (:mod:`caseregister.roles`); their passwords and API tokens are stored only
as hashes (argon2id for passwords, SHA-256 for the random tokens). The authors recorded on versions,
documents and reviews are still names (text), as before accounts existed.

The bytes of generated documents and uploaded signed copies are kept once per content in
``stored_files`` (by SHA-256), so a case's file (一案一卷) can be exported from the database alone and
web workers keep no state of their own. ``publications`` records what was published about a case
(which item, when, where), against the items its jurisdiction's profile says must be published.

Times are stored as naive UTC (``timestamp without time zone`` on PostgreSQL), the same on both
backends.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from caseregister.roles import ROLE_CODES
from procedure.timeline.daily import OPEN_KINDS

#: JSON on SQLite (text), JSONB on PostgreSQL
JsonData = JSON().with_variant(JSONB(), "postgresql")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: the conditions of the partial indexes on timeline_steps
CAN_BE_OPEN = "open_kind IS NOT NULL"
PAUSED = "open_kind = 'paused'"
#: tables that can only be appended to (triggers refuse UPDATE and DELETE)
APPEND_ONLY = ("audit_log", "case_versions", "approvals")
TEXT_FORMATS = ("yaml", "json")
NAME = 200
CODE = 50
USERNAME = 64


def utcnow() -> datetime:
    """The current time as naive UTC (it stamps when something happened; it decides nothing)."""
    return datetime.now(UTC).replace(tzinfo=None)


def implicit_code(department_id: int) -> str:
    """The code of a department created by name alone (an import): ``D`` + its id in at least four
    digits. Migration 0002 gave the departments that existed then the same codes."""
    return f"D{department_id:04d}"


def placeholder_code() -> str:
    """A unique code to insert a department with until its id, and so its implicit code, is known."""
    return f"~{uuid.uuid4().hex}"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: a short stable code (``D0001`` for departments created implicitly, by name)
    code: Mapped[str] = mapped_column(String(CODE), unique=True, index=True)
    #: the superior department (it may be given read access to this one's cases)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)

    cases: Mapped[list[Case]] = relationship(back_populates="department")
    parent: Mapped[Department | None] = relationship(remote_side=[id])
    users: Mapped[list[User]] = relationship(back_populates="department")


class Case(Base):
    """A case, with the fields a listing needs copied from its current version (its next deadline
    depends on the day: :mod:`caseregister.deadlines` finds it among the current version's steps).

    ``steps_fingerprint`` is the fingerprint of the profiles, rules and calendar the current
    version's stored steps were computed with (:mod:`caseregister.knowledge`; ``NULL``: steps stored
    before fingerprints were kept, migration 0007). Steps whose fingerprint is not the program's are
    stale and computed again (:mod:`caseregister.recompute`). The index with the department lets the
    board count a user's stale cases from the index alone."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("department_id", "case_number"),
        CheckConstraint("current_version >= 1", name="current_version_positive"),
        Index("ix_cases_department_id_steps_fingerprint", "department_id", "steps_fingerprint"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    case_number: Mapped[str | None] = mapped_column(String(NAME), index=True)
    title: Mapped[str] = mapped_column(String(500))
    jurisdiction: Mapped[str] = mapped_column(String(50))
    stage: Mapped[str] = mapped_column(String(50))
    stage_label: Mapped[str] = mapped_column(String(NAME))
    obligor_names: Mapped[str] = mapped_column(Text)
    current_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    steps_fingerprint: Mapped[str | None] = mapped_column(String(64))

    department: Mapped[Department] = relationship(back_populates="cases")
    versions: Mapped[list[CaseVersion]] = relationship(back_populates="case", order_by="CaseVersion.number")


class CaseVersion(Base):
    """One saved state of a case's data: the text exactly as submitted and its parsed data."""

    __tablename__ = "case_versions"
    __table_args__ = (
        UniqueConstraint("case_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("text_format IN ('yaml', 'json')", name="text_format_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    number: Mapped[int] = mapped_column(Integer)
    base_number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_format: Mapped[str] = mapped_column(String(10))
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[Any] = mapped_column(JsonData)
    source_name: Mapped[str | None] = mapped_column(String(500))
    author: Mapped[str] = mapped_column(String(NAME))
    reason: Mapped[str] = mapped_column(Text)
    #: the day the version was saved (its timeline steps were first computed then)
    computed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="versions")


class TimelineStep(Base):
    """A step of one version's timeline as far as it does not depend on the day
    (:class:`procedure.timeline.daily.StandingStep`), in timeline order (``position``).

    ``open_kind`` is what an open step is (``duty``: overdue once ``due`` has passed; ``window`` and
    ``span``: no longer open then; ``paused``: its due date moves on with the day, from
    ``paused_since`` with ``remaining`` days left), ``NULL`` for a step not open on any day. The
    steps of a case's current version are those with ``(case_id, version) = (cases.id,
    cases.current_version)``. Two partial indexes: the steps that can be open (a few of all), by case
    version, open kind and due date — what the board and the 台账 ask of each case (which are open
    today, the earliest due), small enough to scan whole for a user who sees every case; and the
    paused steps (their days-left values to map to today's due dates)."""

    __tablename__ = "timeline_steps"
    __table_args__ = (
        ForeignKeyConstraint(["case_id", "version"], ["case_versions.case_id", "case_versions.number"]),
        UniqueConstraint("case_id", "version", "position"),
        Index("ix_timeline_steps_open", "case_id", "version", "open_kind", "due", sqlite_where=text(CAN_BE_OPEN),
              postgresql_where=text(CAN_BE_OPEN)),
        Index("ix_timeline_steps_paused", "paused_since", "remaining", sqlite_where=text(PAUSED),
              postgresql_where=text(PAUSED)),
        CheckConstraint("open_kind IN (" + ", ".join(f"'{k}'" for k in OPEN_KINDS) + ")", name="open_kind_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(NAME))
    due: Mapped[date | None] = mapped_column(Date)
    done: Mapped[date | None] = mapped_column(Date)
    open_kind: Mapped[str | None] = mapped_column(String(10))
    working: Mapped[bool] = mapped_column(Boolean)
    paused_since: Mapped[date | None] = mapped_column(Date)
    remaining: Mapped[int | None] = mapped_column(Integer)
    #: the corpus addresses the step rests on
    basis: Mapped[Any] = mapped_column(JsonData)


class Document(Base):
    """A generated document, from a dossier's manifest; and the signed copy uploaded back, if any."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("manifest_sha256", "file_name"),
        CheckConstraint("format IN ('docx', 'pdf', 'html', 'md')", name="format_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("case_versions.id"))
    form: Mapped[str] = mapped_column(String(50))
    format: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(NAME))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(100))
    author: Mapped[str] = mapped_column(String(NAME))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    signed_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_name: Mapped[str | None] = mapped_column(String(500))
    signed_by: Mapped[str | None] = mapped_column(String(NAME))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime)


class Review(Base):
    """A document checked against the rules: what was uploaded and the report's findings."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("case_versions.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    doc_type: Mapped[str | None] = mapped_column(String(50))
    report: Mapped[Any] = mapped_column(JsonData)
    errors: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(NAME))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    accepted: Mapped[list[AcceptedFinding]] = relationship(order_by="AcceptedFinding.finding_index")


class AcceptedFinding(Base):
    """A finding of a review that a person accepted (judged not to need a change), with the reason."""

    __tablename__ = "accepted_findings"
    __table_args__ = (UniqueConstraint("review_id", "finding_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    finding_index: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(NAME))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class User(Base):
    """A local account: one department, one role; locked for a while after repeated failed logins."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN (" + ", ".join(f"'{code}'" for code in ROLE_CODES) + ")", name="role_known"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(NAME))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    department: Mapped[Department] = relationship(back_populates="users")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", order_by="ApiToken.id")


class ApiToken(Base):
    """A user's API token for machine clients: only the SHA-256 of the (random) token is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(NAME))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class AuditEntry(Base):
    """One change: who, when, what (an action code and the row it touched) and which case."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case_id_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(NAME))
    action: Mapped[str] = mapped_column(String(50))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[Any] = mapped_column(JsonData)


class WebSession(Base):
    """A logged-in browser: only the SHA-256 of its (random) session id is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class StoredFile(Base):
    """The content of a file the register keeps (generated, signed or reviewed), once per SHA-256."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Approval(Base):
    """A 负责人's approval (审批) of one version of a case's data, with an optional comment."""

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("case_versions.id"), unique=True)
    author: Mapped[str] = mapped_column(String(NAME))
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CalendarFeed(Base):
    """A user's calendar subscription: only the SHA-256 of the (random) token in its URL is stored."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class Publication(Base):
    """A publication record: an item of a case (agreement, ruling, …) made public on a day, where."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    item: Mapped[str] = mapped_column(String(CODE))
    published_on: Mapped[date] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(1000))
    note: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(NAME))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
