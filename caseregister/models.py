"""The register's tables (SQLAlchemy 2 typed declarative models).

A case belongs to a department and has numbered versions; each version keeps the exact text as
submitted (YAML or JSON), its parsed data and the deadlines computed from it. Generated documents
and reviews point at the version they came from or were checked against. ``audit_log`` records
every change and, like ``case_versions``, can only be appended to: database triggers (created by
the migrations, see ``migrations/versions/0001_initial.py``) refuse UPDATE and DELETE on both.

Times are stored as naive UTC (``timestamp without time zone`` on PostgreSQL), the same on both
backends. Users and roles are not modelled yet: an author is a name.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: JSON on SQLite (text), JSONB on PostgreSQL
JsonData = JSON().with_variant(JSONB(), "postgresql")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: tables that can only be appended to (triggers refuse UPDATE and DELETE)
APPEND_ONLY = ("audit_log", "case_versions")
TEXT_FORMATS = ("yaml", "json")
NAME = 200


def utcnow() -> datetime:
    """The current time as naive UTC (it stamps when something happened; it decides nothing)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    cases: Mapped[list[Case]] = relationship(back_populates="department")


class Case(Base):
    """A case, with the fields a listing needs copied from its current version."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("department_id", "case_number"),
        CheckConstraint("current_version >= 1", name="current_version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    case_number: Mapped[str | None] = mapped_column(String(NAME), index=True)
    title: Mapped[str] = mapped_column(String(500))
    jurisdiction: Mapped[str] = mapped_column(String(50))
    stage: Mapped[str] = mapped_column(String(50))
    stage_label: Mapped[str] = mapped_column(String(NAME))
    obligor_names: Mapped[str] = mapped_column(Text)
    next_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    next_deadline_title: Mapped[str | None] = mapped_column(String(NAME))
    current_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

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
    computed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="versions")
    deadlines: Mapped[list[Deadline]] = relationship(order_by="Deadline.position")


class Deadline(Base):
    """A step of the case's timeline as computed from one version on ``CaseVersion.computed_on``."""

    __tablename__ = "deadlines"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("case_versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(NAME))
    due: Mapped[date | None] = mapped_column(Date)
    done: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    status_label: Mapped[str] = mapped_column(String(NAME))


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
