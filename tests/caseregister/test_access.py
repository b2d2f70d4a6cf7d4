"""Which cases a user sees: their own department's (changeable in a writing role) and, read-only,
those of the departments below theirs; nothing of a sibling department; nothing when disabled."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from caseregister import accounts, versions
from caseregister.access import Access, case_access, readable_department_ids, visible_cases
from caseregister.casedata import submit
from caseregister.engine import read_session, write_session
from caseregister.models import Case

from .conftest import example_text

PASSWORD = "Shengtai-2025!"
#: code → (name, superior's code)
TREE = {"GS": ("甘肃省生态环境厅", None), "ZY": ("张掖市生态环境局", "GS"), "GZ": ("甘州区生态环境分局", "ZY"),
        "JQ": ("酒泉市生态环境局", "GS")}
USERS = {"prov": ("GS", "负责人"), "city": ("ZY", "起草"), "county": ("GZ", "审查"), "other": ("JQ", "起草"),
         "cityreader": ("ZY", "只读")}


@pytest.fixture
def org(engine: Engine) -> dict[str, int]:
    """The departments above, one case in each; returns department code → case id."""
    text = example_text("zhangye")
    cases = {}
    with write_session(engine) as s:
        for code, (name, parent) in TREE.items():
            dept = accounts.add_department(s, name, code, parent=parent, actor="admin")
            cases[code] = versions.create_case(s, dept, submit(text, "yaml"), author="张三", reason="新建").case_id
        for username, (code, role) in USERS.items():
            accounts.add_user(s, username, username, PASSWORD, role, code, actor="admin")
    return cases


def _seen(engine: Engine, username: str) -> set[int]:
    with read_session(engine) as s:
        return set(s.scalars(visible_cases(s, accounts.find_user(s, username)).with_only_columns(Case.id)))


def test_each_user_sees_their_department_and_those_below(engine: Engine, org: dict[str, int]):
    assert _seen(engine, "prov") == set(org.values())
    assert _seen(engine, "city") == {org["ZY"], org["GZ"]}
    assert _seen(engine, "cityreader") == {org["ZY"], org["GZ"]}
    assert _seen(engine, "county") == {org["GZ"]}
    assert _seen(engine, "other") == {org["JQ"]}


def test_only_the_own_department_is_writable_and_only_in_a_writing_role(engine: Engine, org: dict[str, int]):
    expected = {
        "prov": {"GS": Access.WRITE, "ZY": Access.READ, "GZ": Access.READ, "JQ": Access.READ},
        "city": {"GS": None, "ZY": Access.WRITE, "GZ": Access.READ, "JQ": None},
        "cityreader": {"GS": None, "ZY": Access.READ, "GZ": Access.READ, "JQ": None},
        "county": {"GS": None, "ZY": None, "GZ": Access.WRITE, "JQ": None},
        "other": {"GS": None, "ZY": None, "GZ": None, "JQ": Access.WRITE},
    }
    with read_session(engine) as s:
        for username, by_dept in expected.items():
            user = accounts.find_user(s, username)
            got = {code: case_access(s, user, s.get_one(Case, case_id)) for code, case_id in org.items()}
            assert got == by_dept, username


def test_a_narrowed_query_keeps_its_own_conditions(engine: Engine, org: dict[str, int]):
    with read_session(engine) as s:
        user = accounts.find_user(s, "prov")
        query = visible_cases(s, user, select(func.count()).select_from(Case).where(Case.id != org["GS"]))
        assert s.scalar(query) == 3
        by_id = visible_cases(s, accounts.find_user(s, "other"), select(Case).where(Case.id == org["ZY"]))
        assert s.scalar(by_id) is None  # another department's case is simply not found


def test_a_disabled_user_sees_nothing(engine: Engine, org: dict[str, int]):
    with write_session(engine) as s:
        accounts.disable_user(s, "prov", actor="admin")
    assert _seen(engine, "prov") == set()
    with read_session(engine) as s:
        user = accounts.find_user(s, "prov")
        assert readable_department_ids(s, user) == set()
        assert case_access(s, user, s.get_one(Case, org["GS"])) is None
