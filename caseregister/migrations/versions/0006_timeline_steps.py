"""Deadlines as stored data that do not depend on the day: ``timeline_steps`` holds each version's
timeline steps as far as the day does not change them (due date, done date, whether and how the
step can be open, its basis), computed once; the queries that read them decide what today makes of
them. It replaces ``deadlines`` (each version's steps with their status as of the day it was saved)
and the next deadline copied onto ``cases`` (also as of that day).

Upgrade: the steps of every version are computed from its stored data (with the timeline engine of
the program running the migration) and stored; then ``deadlines`` and ``cases.next_deadline``,
``cases.next_deadline_title`` are dropped. Downgrade: both are rebuilt as the program computed them
when each version was saved (as of its ``computed_on``), then ``timeline_steps`` is dropped.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

JSON_DATA = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BATCH = 500
CAN_BE_OPEN = "open_kind IS NOT NULL"
PAUSED = "open_kind = 'paused'"

VERSIONS = sa.table("case_versions", sa.column("id", sa.Integer()), sa.column("case_id", sa.Integer()),
                    sa.column("number", sa.Integer()), sa.column("data", JSON_DATA),
                    sa.column("computed_on", sa.Date()))
CASES = sa.table("cases", sa.column("id", sa.Integer()), sa.column("current_version", sa.Integer()),
                 sa.column("next_deadline", sa.Date()), sa.column("next_deadline_title", sa.String(200)))
STEPS = sa.table("timeline_steps", sa.column("case_id", sa.Integer()), sa.column("version", sa.Integer()),
                 sa.column("position", sa.Integer()), sa.column("step", sa.String(80)),
                 sa.column("title", sa.String(200)), sa.column("due", sa.Date()), sa.column("done", sa.Date()),
                 sa.column("open_kind", sa.String(10)), sa.column("working", sa.Boolean()),
                 sa.column("paused_since", sa.Date()), sa.column("remaining", sa.Integer()),
                 sa.column("basis", JSON_DATA))
DEADLINES = sa.table("deadlines", sa.column("version_id", sa.Integer()), sa.column("position", sa.Integer()),
                     sa.column("step", sa.String(80)), sa.column("title", sa.String(200)),
                     sa.column("due", sa.Date()), sa.column("done", sa.Date()), sa.column("status", sa.String(20)),
                     sa.column("status_label", sa.String(200)))


def _versions() -> Iterator[tuple[Any, ...]]:
    """Every version (id, case, number, case data, computed_on), in batches."""
    from casefile.model import Case

    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(sa.select(VERSIONS.c.id, VERSIONS.c.case_id, VERSIONS.c.number, VERSIONS.c.data,
                                            VERSIONS.c.computed_on)
                                  .where(VERSIONS.c.id > last).order_by(VERSIONS.c.id).limit(BATCH)).all()
        if not rows:
            return
        for version_id, case_id, number, data, computed_on in rows:
            try:
                case = Case.model_validate(data)
            except ValueError as exc:
                raise RuntimeError(f"案件{case_id}第{number}版的数据不能按本程序的案件数据格式读取，无法计算其期限：{exc}") from exc
            yield version_id, case_id, number, case, computed_on
        last = rows[-1][0]


def upgrade() -> None:
    from procedure.timeline.engine import standing_steps

    op.create_table(
        "timeline_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(80), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done", sa.Date(), nullable=True),
        sa.Column("open_kind", sa.String(10), nullable=True),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("paused_since", sa.Date(), nullable=True),
        sa.Column("remaining", sa.Integer(), nullable=True),
        sa.Column("basis", JSON_DATA, nullable=False),
        sa.CheckConstraint("open_kind IN ('duty', 'window', 'span', 'paused')",
                           name=op.f("ck_timeline_steps_open_kind_known")),
        sa.ForeignKeyConstraint(["case_id", "version"], ["case_versions.case_id", "case_versions.number"],
                                name=op.f("fk_timeline_steps_case_id_case_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_steps")),
        sa.UniqueConstraint("case_id", "version", "position", name=op.f("uq_timeline_steps_case_id_version_position")),
    )
    op.create_index("ix_timeline_steps_open", "timeline_steps", ["case_id", "version", "open_kind", "due"],
                    sqlite_where=sa.text(CAN_BE_OPEN), postgresql_where=sa.text(CAN_BE_OPEN))
    op.create_index("ix_timeline_steps_paused", "timeline_steps", ["paused_since", "remaining"],
                    sqlite_where=sa.text(PAUSED), postgresql_where=sa.text(PAUSED))
    connection = op.get_bind()
    rows: list[dict[str, Any]] = []
    for _version_id, case_id, number, case, _computed_on in _versions():
        rows += [{"case_id": case_id, "version": number, "position": i, "step": s.code, "title": s.title,
                  "due": s.due, "done": s.done, "open_kind": s.open, "working": s.working,
                  "paused_since": s.paused_since, "remaining": s.remaining, "basis": s.basis}
                 for i, s in enumerate(standing_steps(case))]
        if len(rows) >= BATCH:
            connection.execute(STEPS.insert(), rows)
            rows = []
    if rows:
        connection.execute(STEPS.insert(), rows)
    op.drop_table("deadlines")
    op.drop_index(op.f("ix_cases_next_deadline"), table_name="cases")
    op.drop_column("cases", "next_deadline_title")
    op.drop_column("cases", "next_deadline")


def downgrade() -> None:
    from procedure.timeline import build_timeline

    op.add_column("cases", sa.Column("next_deadline", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("next_deadline_title", sa.String(200), nullable=True))
    op.create_index(op.f("ix_cases_next_deadline"), "cases", ["next_deadline"])
    op.create_table(
        "deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(80), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_label", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["case_versions.id"],
                                name=op.f("fk_deadlines_version_id_case_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlines")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_deadlines_version_id_position")),
    )
    connection = op.get_bind()
    current = dict(connection.execute(sa.select(CASES.c.id, CASES.c.current_version)).all())
    rows: list[dict[str, Any]] = []
    for version_id, case_id, number, case, computed_on in _versions():
        steps = build_timeline(case, computed_on).steps
        rows += [{"version_id": version_id, "position": i, "step": s.code, "title": s.title, "due": s.due,
                  "done": s.done.date if s.done else None, "status": s.status, "status_label": s.status_label}
                 for i, s in enumerate(steps)]
        if current.get(case_id) == number:  # the open step due first, as the case row had it
            nxt = min((s for s in steps if s.is_open and s.due is not None), key=lambda s: s.due, default=None)
            if nxt is not None:
                connection.execute(CASES.update().where(CASES.c.id == case_id)
                                   .values(next_deadline=nxt.due, next_deadline_title=nxt.title))
        if len(rows) >= BATCH:
            connection.execute(DEADLINES.insert(), rows)
            rows = []
    if rows:
        connection.execute(DEADLINES.insert(), rows)
    op.drop_table("timeline_steps")
