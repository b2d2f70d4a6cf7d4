"""What the register's web pages show, always narrowed to the cases a user may see
(:func:`caseregister.access.visible_cases`): the 台账 with its filters, a page at a time, the
deadlines board, the per-user calendar feed and one case's page.

The 台账 and the deadlines board read the current versions' stored timeline steps and decide in SQL
what ``today`` makes of them (:mod:`caseregister.deadlines`; the caller passes
``ecokernel.clock.today()``): a case's next deadline is its open step due first on that day, and it
is overdue when that day lies before today; the board lists the open steps due before today
(overdue), within 7 days and within 30 days. No timeline is computed for them and nothing is kept
between requests. The calendar and a case's page compute the timelines as of ``today``
(``procedure.timeline``: the calendar's events carry each step's start, limit, notes and basis) —
the calendar only those of the cases with a step open today. The board also says how many of the
visible cases have steps computed with other data than the program's (stale until recomputed,
:mod:`caseregister.recompute`).
Measured in bench/register.py (README).

A case's year (the ``year`` filter) is the year its 立案号 states (``甘G环赔〔2025〕3号``); a case whose
number states none counts in the year it entered the register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping, and_, not_, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from casefile.model import Case as CaseData
from caseregister import deadlines, knowledge
from caseregister.access import Access, case_access, visible_cases
from caseregister.audit import info as audit_info
from caseregister.casedata import steps_on
from caseregister.models import (
    AcceptedFinding,
    Approval,
    AuditEntry,
    Case,
    CaseVersion,
    Department,
    Document,
    Review,
    TimelineStep,
    User,
)
from caseregister.roles import permissions_of
from caseregister.schemas import (
    AcceptedInfo,
    ApprovalInfo,
    CaseDetail,
    CasePage,
    CaseRow,
    DeadlineBoard,
    DeadlineInfo,
    DeadlineItem,
    DocumentInfo,
    FormChoice,
    ReviewInfo,
    VersionInfo,
)
from procedure.timeline import build_timeline
from procedure.timeline.daily import status_on
from procedure.timeline.render import calendar_ics
from procedure.timeline.result import Timeline

WEEK_DAYS = 7
MONTH_DAYS = 30


@dataclass(frozen=True)
class CaseFilter:
    """The 台账's filters; each given one narrows the list (all of them together)."""

    jurisdiction: str | None = None
    stage: str | None = None
    obligor: str | None = None
    year: int | None = None
    search: str | None = None


def _row(case: Case, nxt: tuple[date, str] | None, today: date) -> CaseRow:
    values = {c.key: getattr(case, c.key) for c in Case.__table__.columns}
    return CaseRow.model_validate({**values, "department": case.department.name,
                                   "department_code": case.department.code,
                                   "next_deadline": nxt[0] if nxt else None,
                                   "next_deadline_title": nxt[1] if nxt else None,
                                   "overdue": nxt is not None and nxt[0] < today})


def _listed(row: RowMapping, today: date) -> CaseRow:
    due = row["next_due"]
    return CaseRow.model_validate({**row, "next_deadline": due, "next_deadline_title": row["next_title"],
                                   "overdue": due is not None and due < today})


def _year(year: int) -> Any:
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    states_year = Case.case_number.like("%〔____〕%")
    return or_(Case.case_number.contains(f"〔{year}〕", autoescape=True),
               and_(or_(Case.case_number.is_(None), not_(states_year)), Case.created_at >= start, Case.created_at < end))


def case_page(session: Session, user: User, filters: CaseFilter, today: date, *, limit: int | None = None,
              offset: int = 0) -> CasePage:
    """The cases ``user`` sees that pass ``filters``, the nearest deadline on ``today`` first (none
    last), then by number: how many there are, and ``limit`` of them from ``offset`` on (all when
    ``limit`` is ``None``)."""
    query = visible_cases(session, user, select(Case.id).join(Department))
    if filters.jurisdiction:
        query = query.where(Case.jurisdiction == filters.jurisdiction)
    if filters.stage:
        query = query.where(Case.stage == filters.stage)
    if filters.obligor:
        query = query.where(Case.obligor_names.icontains(filters.obligor.strip(), autoescape=True))
    if filters.year is not None:
        query = query.where(_year(filters.year))
    if filters.search and filters.search.strip():
        words = filters.search.split()
        for word in words:
            query = query.where(or_(Case.title.icontains(word, autoescape=True),
                                    Case.case_number.icontains(word, autoescape=True),
                                    Case.obligor_names.icontains(word, autoescape=True),
                                    Department.name.icontains(word, autoescape=True)))
    total, rows = deadlines.listing(session, deadlines.on_day(session, today), query, limit, offset)
    return CasePage(total=total, offset=offset, limit=limit, items=[_listed(row, today) for row in rows])


def case_rows(session: Session, user: User, filters: CaseFilter, today: date) -> list[CaseRow]:
    """Every case of :func:`case_page` (the XLSX export)."""
    return case_page(session, user, filters, today).items


def visible_case(session: Session, user: User, case_id: int) -> Case | None:
    """The case if ``user`` may see it; ``None`` both when it does not exist and when it is another
    department's (the caller answers 404 either way: nobody learns that another department's case exists)."""
    return session.scalar(visible_cases(session, user).where(Case.id == case_id))


def _current(session: Session, case: Case) -> CaseVersion:
    return session.scalars(select(CaseVersion).where(CaseVersion.case_id == case.id,
                                                     CaseVersion.number == case.current_version)).one()


def _case_data(version: CaseVersion) -> CaseData:
    return CaseData.model_validate(version.data)


def case_detail(session: Session, user: User, case_id: int, today: date) -> CaseDetail | None:
    """The case page's content, or ``None`` when ``user`` may not see the case."""
    case = visible_case(session, user, case_id)
    if case is None:
        return None
    access = case_access(session, user, case)
    assert access is not None
    numbers = version_numbers(session, case.id)
    versions = session.scalars(select(CaseVersion).where(CaseVersion.case_id == case.id).order_by(CaseVersion.number))
    documents = [document_info(d, numbers)
                 for d in session.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.id))]
    reviews = [review_info(session, r, numbers)
               for r in session.scalars(select(Review).where(Review.case_id == case.id).order_by(Review.id))]
    audit = session.scalars(select(AuditEntry).where(AuditEntry.case_id == case.id).order_by(AuditEntry.id))
    approvals = [ApprovalInfo.model_validate({**_columns(a), "version": numbers[a.version_id]})
                 for a in session.scalars(select(Approval).where(Approval.case_id == case.id).order_by(Approval.id))]
    data = _case_data(_current(session, case))
    steps = steps_on(data, today)
    nxt = min(((s.due, s.title) for s in steps if s.open and s.due is not None), key=lambda d: d[0], default=None)
    return CaseDetail(case=_row(case, nxt, today), access=access.value,
                      permissions=permissions_of(user.role) if access is Access.WRITE else [],
                      approvals=approvals, forms=form_choices(data),
                      deadlines=[DeadlineInfo.model_validate(s.model_dump(exclude={"open"})) for s in steps],
                      versions=[VersionInfo.model_validate(v) for v in versions], documents=documents,
                      reviews=reviews, audit=[audit_info(a) for a in audit])


def version_numbers(session: Session, case_id: int) -> dict[int, int]:
    """Version row id → version number, for one case."""
    return {i: n for i, n in session.execute(
        select(CaseVersion.id, CaseVersion.number).where(CaseVersion.case_id == case_id))}


def document_info(doc: Document, numbers: dict[int, int]) -> DocumentInfo:
    return DocumentInfo.model_validate({**_columns(doc), "version": numbers[doc.version_id]})


def review_info(session: Session, review: Review, numbers: dict[int, int]) -> ReviewInfo:
    accepted = session.scalars(select(AcceptedFinding).where(AcceptedFinding.review_id == review.id)
                               .order_by(AcceptedFinding.finding_index))
    return ReviewInfo.model_validate({
        **_columns(review), "version": numbers.get(review.version_id) if review.version_id else None,
        "findings": (review.report or {}).get("findings") or [],
        "accepted": [AcceptedInfo.model_validate(a) for a in accepted]})


def form_choices(data: CaseData) -> list[FormChoice]:
    """Every form kind with whether the case's stage allows it now (``procedure.stage``)."""
    from corpus.forms import form_kinds
    from procedure.stage import allowed_forms

    kinds = form_kinds()
    return [FormChoice(form=a.kind, title=kinds[a.kind].title, allowed=a.allowed, reason=a.reason)
            for a in allowed_forms(data)]


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in type(row).__table__.columns}


def timelines(session: Session, user: User, today: date) -> list[tuple[Case, Timeline]]:
    """Every visible case with a step open on ``today`` (as stored), with its current version's
    timeline as of ``today`` (a case with no open step would add nothing to a calendar)."""
    day = deadlines.on_day(session, today)
    query = visible_cases(session, user, select(Case, CaseVersion).join(
        CaseVersion, and_(CaseVersion.case_id == Case.id, CaseVersion.number == Case.current_version))
        .where(select(TimelineStep.id).where(deadlines.of_current_version(), day.is_open).exists()))
    calendar = knowledge.current().calendar
    return [(case, build_timeline(_case_data(version), today, calendar))
            for case, version in session.execute(query.order_by(Case.id))]


def deadline_board(session: Session, user: User, today: date) -> DeadlineBoard:
    """The open deadlines of the visible cases on ``today``: overdue, due within 7 days, within 30
    days; each list by due date. The stored steps are chosen and sorted into the three lists in SQL;
    only each listed step's status label is worked out here (:func:`procedure.timeline.daily.status_on`:
    for a step overdue in working days, with the work calendar)."""
    day = deadlines.on_day(session, today)
    part = sql_case((day.due < today, "overdue"), (day.due < today + timedelta(days=WEEK_DAYS), "week"),
                else_="month")
    query = visible_cases(session, user, select(
        Case.id, Case.case_number, Case.title, Department.name, TimelineStep.step, TimelineStep.title, day.due,
        TimelineStep.open_kind, TimelineStep.working, part)
        .join(Department, Department.id == Case.department_id).join(TimelineStep, deadlines.of_current_version())
        .where(day.is_open, day.due < today + timedelta(days=MONTH_DAYS)))
    calendar = knowledge.current().calendar
    parts: dict[str, list[DeadlineItem]] = {"overdue": [], "week": [], "month": []}
    for case_id, number, case_title, department, step, title, due, kind, working, where in session.execute(query):
        status = status_on(kind, due, today, calendar, working=working)
        parts[where].append(DeadlineItem(case_id=case_id, case_number=number, case_title=case_title,
                                         department=department, step=step, title=title, due=due,
                                         days_left=(due - today).days, status=status.status,
                                         status_label=status.label))
    for items in parts.values():
        items.sort(key=lambda i: (i.due, i.case_id, i.step))
    stale = session.scalar(visible_cases(session, user, deadlines.counting_stale())) or 0
    return DeadlineBoard(today=today, stale=stale, **parts)


def calendar(session: Session, user: User, today: date, stamp: datetime | None = None) -> str:
    """The open deadlines of every case ``user`` sees, as one iCalendar file (RFC 5545)."""
    return calendar_ics(f"{user.display_name}的办案期限（ecoclaim 案件台账）",
                        [tl for _case, tl in timelines(session, user, today)], stamp)
