"""The deadlines board and the 台账's next deadlines come from the stored timeline steps and SQL: on any
day they must be what computing every visible case's timeline as of that day gives (the reference
here), for cases with duties open and overdue, an open window and minimum span and a paused
investigation, on days before, between and after their deadlines; and the 台账's pages, put together,
must be the whole ordered list. The calendar computes only the cases with a step open (as stored):
it must hold what computing every case gives."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import yaml
from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session

from casefile.model import Case as CaseData
from caseregister import accounts, versions
from caseregister.access import visible_cases
from caseregister.casedata import submit
from caseregister.engine import read_session, write_session
from caseregister.models import Case, CaseVersion, TimelineStep, User
from caseregister.schemas import DeadlineBoard, DeadlineItem
from caseregister.views import CaseFilter, calendar, case_page, deadline_board
from procedure.timeline import build_timeline
from procedure.timeline.render import calendar_ics

from ..procedure.test_timeline_daily import days, variants

DAYS = days()[::3]


@pytest.fixture(scope="module")
def cases() -> dict[str, str]:
    """Every variant's data as YAML text."""
    return {name: yaml.safe_dump(data, allow_unicode=True, sort_keys=False) for name, data in variants().items()}


@pytest.fixture
def registered(engine: Engine, cases: dict[str, str]) -> Engine:
    """Each variant in a department of its own below 张掖市自然资源局 (whose user sees them all);
    a department beside it holds one more, which that user must never see."""
    with write_session(engine) as s:
        accounts.add_department(s, "张掖市自然资源局", "ZY", actor="管理员")
        accounts.add_department(s, "南宁市生态环境局", "NN", actor="管理员")
        accounts.add_user(s, "zhang", "张三", "Shengtai-2025!hz", "drafter", "ZY", actor="管理员")
        for i, (name, text) in enumerate(sorted(cases.items())):
            accounts.add_department(s, f"下级部门{i}", f"ZY-{i}", parent="ZY", actor="管理员")
            versions.create_case(s, accounts.find_department(s, f"ZY-{i}"), submit(text, "yaml"), author="张三",
                                 reason=name)
        versions.create_case(s, accounts.find_department(s, "NN"), submit(cases["guangxi-unperformed"], "yaml"),
                             author="南六", reason="另一部门")
    return engine


def _timelines(s: Session, user: User, day: date) -> list[tuple[Case, list]]:
    query = visible_cases(s, user, select(Case, CaseVersion).join(
        CaseVersion, and_(CaseVersion.case_id == Case.id, CaseVersion.number == Case.current_version)))
    return [(case, build_timeline(CaseData.model_validate(version.data), day).steps)
            for case, version in s.execute(query.order_by(Case.id))]


def reference_board(s: Session, user: User, day: date) -> DeadlineBoard:
    """The board as computing every visible case's timeline as of ``day`` gives it."""
    items = [DeadlineItem(case_id=case.id, case_number=case.case_number, case_title=case.title,
                          department=case.department.name, step=st.code, title=st.title, due=st.due,
                          days_left=(st.due - day).days, status=st.status, status_label=st.status_label)
             for case, steps in _timelines(s, user, day) for st in steps
             if st.is_open and st.due is not None and st.due < day + timedelta(days=30)]
    items.sort(key=lambda i: (i.due, i.case_id, i.step))
    return DeadlineBoard(today=day, overdue=[i for i in items if i.days_left < 0],
                         week=[i for i in items if 0 <= i.days_left < 7],
                         month=[i for i in items if 7 <= i.days_left < 30])


def reference_ledger(s: Session, user: User, day: date) -> list[tuple[int, date | None, str | None, bool]]:
    """(case, next deadline, its title, overdue), nearest first, as the timelines as of ``day`` give them."""
    rows = []
    for case, steps in _timelines(s, user, day):
        nxt = min(((st.due, st.title) for st in steps if st.is_open and st.due is not None),
                  key=lambda d: d[0], default=None)
        rows.append((case.id, nxt[0] if nxt else None, nxt[1] if nxt else None, nxt is not None and nxt[0] < day))
    return sorted(rows, key=lambda r: (r[1] is None, r[1] or date.min, r[0]))


def test_the_board_is_the_timelines_board(registered: Engine):
    shown: set[str] = set()
    with read_session(registered) as s:
        user = accounts.find_user(s, "zhang")
        for day in DAYS:
            board = deadline_board(s, user, day)
            assert board == reference_board(s, user, day), day
            shown |= {i.status for part in (board.overdue, board.week, board.month) for i in part}
        # the steps on the board were open in every way a step can be
        assert {"overdue", "due", "paused"} <= shown
        assert {k for (k,) in s.execute(select(TimelineStep.open_kind).distinct())} >= {"duty", "window", "span",
                                                                                        "paused"}


def test_the_ledger_is_the_timelines_ledger_page_by_page(registered: Engine):
    with read_session(registered) as s:
        user = accounts.find_user(s, "zhang")
        for day in DAYS[::4]:
            whole = case_page(s, user, CaseFilter(), day)
            assert whole.total == len(whole.items) == len(variants())
            assert [(r.id, r.next_deadline, r.next_deadline_title, r.overdue) for r in whole.items] == \
                reference_ledger(s, user, day), day
            pages = [case_page(s, user, CaseFilter(), day, limit=4, offset=o) for o in range(0, whole.total, 4)]
            assert {p.total for p in pages} == {whole.total}
            assert [r for p in pages for r in p.items] == whole.items
        narrowed = case_page(s, user, CaseFilter(jurisdiction="zhangye"), DAYS[0], limit=1)
        assert narrowed.total == 2 and len(narrowed.items) == 1 and narrowed.items[0].jurisdiction == "zhangye"


def test_the_calendar_leaves_out_only_cases_with_nothing_open(registered: Engine):
    stamp = datetime(2026, 12, 6, 8, 0)
    with read_session(registered) as s:
        user = accounts.find_user(s, "zhang")
        for day in DAYS[::6]:
            every = [build_timeline(CaseData.model_validate(v.data), day) for _c, v in s.execute(
                visible_cases(s, user, select(Case, CaseVersion).join(CaseVersion, and_(
                    CaseVersion.case_id == Case.id, CaseVersion.number == Case.current_version))).order_by(Case.id))]
            assert calendar(s, user, day, stamp) == calendar_ics(f"{user.display_name}的办案期限（ecoclaim 案件台账）",
                                                                 every, stamp), day
