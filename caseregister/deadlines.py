"""The cases' deadlines as stored data, and what a day makes of them — in SQL.

When a version is saved, its timeline steps are computed once, as far as they do not depend on the
day (:func:`procedure.timeline.engine.standing_steps`), and stored in ``timeline_steps``
(:func:`store`); the case row keeps the fingerprint of the profiles, rules and calendar the current
version's steps were computed with (``cases.steps_fingerprint``, :mod:`caseregister.knowledge`):
:func:`stale` finds the cases whose steps were computed with other data
(:mod:`caseregister.recompute` computes them again). The day enters only in the queries that read them (:class:`OnDay`): which steps
are open on it (a window or a minimum span is open until its due date, a duty or a paused step
always) and each step's due date on it (a paused step's moves on with the day; the SQL maps each
of its "days left" to the day's due date, computed with the work calendar). The 台账 (next deadline,
overdue), the deadlines board and ``ecoclaim db list`` read the steps so: no timeline is computed
when they are asked for and nothing is kept between requests — any worker answers the same from
the database alone. "Today" is the caller's (``ecokernel.clock.today()``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    RowMapping,
    Select,
    and_,
    case,
    distinct,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, joinedload

from casefile.model import Case as CaseData
from caseregister import knowledge
from caseregister.knowledge import Knowledge
from caseregister.models import Case, Department, TimelineStep
from ecokernel.calendar import WorkCalendar
from procedure.timeline.daily import LAPSING, resumed_due


def step_rows(case_id: int, version: int, data: CaseData, known: Knowledge | None = None) -> list[dict[str, Any]]:
    """The ``timeline_steps`` rows of a version of a case (computed with the program's knowledge
    unless another is given)."""
    return [{"case_id": case_id, "version": version, "position": i, "step": s.code, "title": s.title, "due": s.due,
             "done": s.done, "open_kind": s.open, "working": s.working, "paused_since": s.paused_since,
             "remaining": s.remaining, "basis": s.basis}
            for i, s in enumerate((known or knowledge.current()).steps(data))]


def store(session: Session, case_id: int, version: int, data: CaseData, known: Knowledge | None = None) -> str:
    """Store the steps of a version just saved; returns the fingerprint they were computed with (for
    the case row)."""
    known = known or knowledge.current()
    rows = step_rows(case_id, version, data, known)
    if rows:
        session.execute(insert(TimelineStep), rows)
    return known.fingerprints[data.jurisdiction]


def of_current_version() -> ColumnElement[bool]:
    """Join condition: the steps of the case's current version."""
    return and_(TimelineStep.case_id == Case.id, TimelineStep.version == Case.current_version)


def stale(known: Knowledge | None = None) -> ColumnElement[bool]:
    """Over ``cases``: the current version's steps were computed with other data than ``known`` (the
    program's), or with data not recorded (before migration 0007). A fingerprint covers the
    jurisdiction's own profile file, so no two jurisdictions share one: a fingerprint that is one
    of ``known``'s is the case's own jurisdiction's."""
    current = sorted(set((known or knowledge.current()).fingerprints.values()))
    return or_(Case.steps_fingerprint.is_(None), Case.steps_fingerprint.not_in(current))


def counting_stale(known: Knowledge | None = None) -> Select[Any]:
    """A ``SELECT`` of how many cases have stale steps (narrow it with conditions on ``cases``)."""
    return select(func.count()).select_from(Case).where(stale(known))


def stale_count(session: Session, known: Knowledge | None = None) -> int:
    """How many cases of the register have stale steps."""
    return session.scalar(counting_stale(known)) or 0


@dataclass(frozen=True)
class OnDay:
    """SQL over ``timeline_steps`` as of one day."""

    today: date
    #: the step's due date on the day (a paused step's as moved on by then; else the stored one)
    due: ColumnElement[date]
    #: the step is open on the day
    is_open: ColumnElement[bool]


def on_day(session: Session, today: date, calendar: WorkCalendar | None = None) -> OnDay:
    """The expressions for ``today``. The paused steps' "days left" values are read first (few and
    small numbers), so that each maps to its due date as of ``today``."""
    calendar = calendar or knowledge.current().calendar
    paused_now = and_(TimelineStep.open_kind == "paused", TimelineStep.paused_since < today)
    left = sorted(session.scalars(select(distinct(TimelineStep.remaining)).where(paused_now)))
    due: ColumnElement[date] = TimelineStep.due
    if left:
        moved = case({n: literal(resumed_due(today, n, calendar), Date) for n in left},
                     value=TimelineStep.remaining)
        due = case((paused_now, moved), else_=TimelineStep.due)
    # the first term says what the partial index on the open-able steps holds, so that it is used
    is_open = and_(TimelineStep.open_kind.is_not(None),
                   or_(TimelineStep.open_kind.in_(("duty", "paused")),
                       and_(TimelineStep.open_kind.in_(LAPSING), TimelineStep.due >= today)))
    return OnDay(today=today, due=due, is_open=is_open)


def next_due(day: OnDay) -> Any:
    """A scalar subquery, correlated to ``cases``: the case's earliest open due date on the day."""
    return (select(func.min(day.due)).where(of_current_version(), day.is_open, day.due.is_not(None))
            .correlate(Case).scalar_subquery())


#: what a listed case carries: its row's columns, its department's name and code, its next deadline
LISTED_COLUMNS = (*Case.__table__.columns, Department.name.label("department"),
                  Department.code.label("department_code"))


def listing(session: Session, day: OnDay, cases: Select[Any], limit: int | None = None,
            offset: int = 0) -> tuple[int, list[RowMapping]]:
    """How many cases ``cases`` (a ``SELECT`` of ``cases.id`` joined to ``departments``, filtered)
    selects, and ``limit`` of them from ``offset`` on (all when ``limit`` is ``None``): the nearest next
    deadline on the day first, cases without one last, then by number. Each as a mapping of
    :data:`LISTED_COLUMNS` with ``next_due`` and ``next_title``, the due date and title of its next
    deadline (both ``None`` for a case without one).

    One statement: the inner query orders every selected case by its next due date and counts them
    (a window over the whole selection), the outer one reads the page's rows and their next step's
    title (the title's subquery runs for the page only). A page past the end counts once more."""
    inner = cases.add_columns(next_due(day).label("next_due"), func.count().over().label("total")).subquery()
    page = select(inner).order_by(inner.c.next_due.asc().nulls_last(), inner.c.id)
    if limit is not None:
        page = page.limit(limit).offset(offset)
    chosen = page.subquery()
    title = (select(TimelineStep.title).where(of_current_version(), day.is_open, day.due.is_not(None))
             .order_by(day.due, TimelineStep.position).limit(1).correlate(Case).scalar_subquery())
    query = (select(*LISTED_COLUMNS, chosen.c.next_due, title.label("next_title"), chosen.c.total)
             .join(chosen, chosen.c.id == Case.id).join(Department, Department.id == Case.department_id)
             .order_by(chosen.c.next_due.asc().nulls_last(), Case.id))
    rows = list(session.execute(query).mappings())
    if rows:
        return rows[0]["total"], rows
    total = 0 if not offset else session.scalar(select(func.count()).select_from(cases.subquery())) or 0
    return total, []


def next_deadlines(session: Session, day: OnDay, cases: Collection[int] | Select[Any]
                   ) -> dict[int, tuple[Case, tuple[date, str] | None]]:
    """Each of these cases (ids, or a ``SELECT`` of them) by id, with its next deadline on the day:
    due date and title of the open step due first (of two due the same day, the earlier in the
    timeline), ``None`` for a case with none. Correlated subqueries: each reads its case's steps only."""
    title = (select(TimelineStep.title).where(of_current_version(), day.is_open, day.due.is_not(None))
             .order_by(day.due, TimelineStep.position).limit(1).correlate(Case).scalar_subquery())
    query = select(Case, next_due(day), title).options(joinedload(Case.department)).where(Case.id.in_(cases))
    return {case.id: (case, (due, title) if due is not None else None)
            for case, due, title in session.execute(query)}
