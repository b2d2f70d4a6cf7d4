"""The deadlines board computes only the cases that can have something on it (an open step due
within 30 days or overdue, as stored with the current version): the answer must be the one of
computing every case, on any day before, between and after the examples' deadlines."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from caseregister import accounts, versions
from caseregister.casedata import submit
from caseregister.engine import read_session, write_session
from caseregister.views import deadline_board

from ..conftest import EXAMPLES

DAYS = [date(2025, 3, 1), date(2025, 9, 15), date(2025, 11, 28), date(2026, 1, 20), date(2026, 6, 25),
        date(2026, 12, 6), date(2027, 8, 20), date(2028, 1, 1)]


@pytest.fixture
def registered(engine: Engine) -> Engine:
    with write_session(engine) as s:
        accounts.add_department(s, "张掖市自然资源局", "ZY", actor="管理员")
        accounts.add_user(s, "zhang", "张三", "Shengtai-2025!hz", "drafter", "ZY", actor="管理员")
        dept = accounts.find_department(s, "ZY")
        for path in EXAMPLES:
            versions.create_case(s, dept, submit(path.read_text("utf-8"), "yaml"), author="张三", reason="登记")
    return engine


def test_the_prefiltered_board_is_the_full_board(registered: Engine):
    shown = 0
    with read_session(registered) as s:
        user = accounts.find_user(s, "zhang")
        for day in DAYS:
            fast = deadline_board(s, user, day)
            assert fast == deadline_board(s, user, day, prefilter=False), day
            shown += len(fast.overdue) + len(fast.week) + len(fast.month)
    assert shown > 0
