"""What the register's web pages show, always narrowed to the cases a user may see
(:func:`caseregister.access.visible_cases`): the 台账 with its filters, the deadlines board, the
per-user calendar feed and one case's page.

The 台账 lists the next deadline stored with the case's current version and marks it overdue when
it lies before today. The deadlines board and the calendar compute the visible cases' timelines
again (``procedure.timeline``) as of ``today`` (the caller passes ``ecokernel.clock.today()``), so a
deadline's status is that of today, not of the day the version was saved. The board computes only
the cases that can have something on it: those whose current version, as computed when it was
saved, has an open step due within the board's 30 days or already overdue (with the same case data
a step can only close as time passes — a step that was not open then is not open now), and every
case whose deadlines were computed on a later day than ``today``; and each version's open steps
as of a day are computed once per process (versions never change). Measured before and after in
bench/register.py (README).

A case's year (the ``year`` filter) is the year its 立案号 states (``甘G环赔〔2025〕3号``); a case whose
number states none counts in the year it entered the register.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.orm import Session

from casefile.model import Case as CaseData
from caseregister.access import Access, case_access, visible_cases
from caseregister.audit import info as audit_info
from caseregister.casedata import deadlines
from caseregister.models import (
    AcceptedFinding,
    Approval,
    AuditEntry,
    Case,
    CaseVersion,
    Deadline,
    Department,
    Document,
    Review,
    User,
)
from caseregister.roles import permissions_of
from caseregister.schemas import (
    AcceptedInfo,
    ApprovalInfo,
    CaseDetail,
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
from procedure.timeline.render import calendar_ics
from procedure.timeline.result import OPEN_STATUSES, Timeline

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


def _row(case: Case, today: date) -> CaseRow:
    values = {c.key: getattr(case, c.key) for c in Case.__table__.columns}
    return CaseRow.model_validate({**values, "department": case.department.name,
                                   "department_code": case.department.code,
                                   "overdue": case.next_deadline is not None and case.next_deadline < today})


def _year(year: int) -> Any:
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    states_year = Case.case_number.like("%〔____〕%")
    return or_(Case.case_number.contains(f"〔{year}〕", autoescape=True),
               and_(or_(Case.case_number.is_(None), not_(states_year)), Case.created_at >= start, Case.created_at < end))


def case_rows(session: Session, user: User, filters: CaseFilter, today: date) -> list[CaseRow]:
    """The cases ``user`` sees that pass ``filters``: the nearest deadline first (none last), then by number."""
    query = visible_cases(session, user, select(Case).join(Department))
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
    query = query.order_by(Case.next_deadline.is_(None), Case.next_deadline, Case.id)
    return [_row(case, today) for case in session.scalars(query)]


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
    steps = deadlines(data, today)
    return CaseDetail(case=_row(case, today), access=access.value,
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
    """Every visible case with its current version's timeline as of ``today``."""
    query = visible_cases(session, user, select(Case, CaseVersion).join(
        CaseVersion, and_(CaseVersion.case_id == Case.id, CaseVersion.number == Case.current_version)))
    return [(case, build_timeline(_case_data(version), today))
            for case, version in session.execute(query.order_by(Case.id))]


#: one open step on the board: code, title, due, status, status label
BoardStep = tuple[str, str, date, str, str]
BOARD_MEMO_SIZE = 50_000
_board_memo: OrderedDict[tuple[str, date], list[BoardStep]] = OrderedDict()
_board_memo_lock = threading.Lock()


def _board_steps(session: Session, version_id: int, digest: str, today: date) -> list[BoardStep]:
    """The version's open steps due within the board's 30 days, as of ``today``. They depend on the
    version's text and the day alone, so the answer for (text hash, day) is kept in this process (a
    bounded memo, never shared state: any worker computes the same; any database, the same); the
    version's data is read only when the answer is not known yet."""
    key = (digest, today)
    with _board_memo_lock:
        found = _board_memo.get(key)
        if found is not None:
            _board_memo.move_to_end(key)
            return found
    data = session.scalars(select(CaseVersion.data).where(CaseVersion.id == version_id)).one()
    steps = [(s.code, s.title, s.due, s.status, s.status_label)
             for s in build_timeline(CaseData.model_validate(data), today).steps
             if s.is_open and s.due is not None and s.due < today + timedelta(days=MONTH_DAYS)]
    with _board_memo_lock:
        _board_memo[key] = steps
        while len(_board_memo) > BOARD_MEMO_SIZE:
            _board_memo.popitem(last=False)
    return steps


def deadline_board(session: Session, user: User, today: date, *, prefilter: bool = True) -> DeadlineBoard:
    """The open deadlines of the visible cases: overdue, due within 7 days, within 30 days; each list by
    due date. ``prefilter=False`` computes every visible case (the same answer, slower)."""
    query = visible_cases(session, user, select(Case, CaseVersion.id, CaseVersion.text_sha256).join(
        CaseVersion, and_(CaseVersion.case_id == Case.id, CaseVersion.number == Case.current_version)))
    if prefilter:
        soon = select(Deadline.id).where(Deadline.version_id == CaseVersion.id,
                                         Deadline.status.in_(sorted(OPEN_STATUSES)),
                                         Deadline.due < today + timedelta(days=MONTH_DAYS))
        query = query.where(or_(CaseVersion.computed_on > today, soon.exists()))
    items: list[DeadlineItem] = []
    names: dict[int, str] = {dept_id: name for dept_id, name in session.execute(select(Department.id, Department.name))}
    for case, version_id, digest in session.execute(query.order_by(Case.id)):
        for code, title, due, status, label in _board_steps(session, version_id, digest, today):
            items.append(DeadlineItem(case_id=case.id, case_number=case.case_number, case_title=case.title,
                                      department=names[case.department_id], step=code, title=title, due=due,
                                      days_left=(due - today).days, status=status, status_label=label))
    items.sort(key=lambda i: (i.due, i.case_id, i.step))
    return DeadlineBoard(today=today,
                         overdue=[i for i in items if i.days_left < 0],
                         week=[i for i in items if 0 <= i.days_left < WEEK_DAYS],
                         month=[i for i in items if WEEK_DAYS <= i.days_left < MONTH_DAYS])


def calendar(session: Session, user: User, today: date, stamp: datetime | None = None) -> str:
    """The open deadlines of every case ``user`` sees, as one iCalendar file (RFC 5545)."""
    return calendar_ics(f"{user.display_name}的办案期限（ecoclaim 案件台账）",
                        [tl for _case, tl in timelines(session, user, today)], stamp)
