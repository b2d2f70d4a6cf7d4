"""Migration 0004 (stored files, approvals, calendar subscriptions) from the previous schema with a case,
a user and a web session in it, on both backends: nothing existing changes, the new tables work, approvals
are append-only, and a downgrade to 0003 keeps everything that was there."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.exc import DBAPIError

from caseregister import approvals, calendarfeeds, migrate, storedfiles, versions
from caseregister.casedata import submit
from caseregister.engine import read_session, write_session
from caseregister.integrity import problems
from caseregister.models import Approval, User

from .conftest import example_text

AT = datetime(2026, 3, 1, 8, 30)


def _seed_0003(engine: Engine) -> tuple[int, int]:
    """A department, a case (through the code of today, at the newest schema, then down to 0003), a user with a
    web session, at 0003."""
    migrate.upgrade(engine)
    with write_session(engine) as s:
        dept = versions.department(s, "张掖市生态环境局", "张三")
        case_id = versions.create_case(s, dept, submit(example_text("zhangye"), "yaml"), author="张三",
                                       reason="立案").case_id
        dept_id = dept.id
    migrate.downgrade(engine, "0003")
    with engine.begin() as c:
        user = c.execute(text("INSERT INTO users (username, display_name, password_hash, role, department_id, active, "
                              "failed_logins, password_changed_at, created_at) VALUES ('zhao', '赵局长', 'x', 'head', "
                              ":d, :yes, 0, :at, :at) RETURNING id"), {"d": dept_id, "at": AT, "yes": True}).scalar_one()
        c.execute(text("INSERT INTO web_sessions (user_id, token_sha256, created_at, last_seen_at) "
                       "VALUES (:u, :sha, :at, :at)"), {"u": user, "sha": "1" * 64, "at": AT})
    return case_id, int(user)


def test_upgrade_from_0003_keeps_the_data_and_adds_the_write_side(bare_engine: Engine):
    case_id, user_id = _seed_0003(bare_engine)
    migrate.upgrade(bare_engine)
    assert migrate.current_revision(bare_engine) == migrate.head_revision()
    assert migrate.schema_differences(bare_engine) == []
    assert problems(bare_engine) == []
    with write_session(bare_engine) as s:
        digest = storedfiles.store(s, b"signed copy")
        assert storedfiles.store(s, b"signed copy") == digest  # kept once
        approvals.approve(s, case_id, 1, author="赵局长", comment="同意")
        _feed, token = calendarfeeds.create(s, s.get_one(User, user_id))
    with read_session(bare_engine) as s:
        assert storedfiles.content(s, digest) == b"signed copy"
        assert calendarfeeds.feed_user(s, token).username == "zhao"  # type: ignore[union-attr]
        assert s.scalar(select(Approval.comment)) == "同意"
    with pytest.raises(DBAPIError, match="append-only"), write_session(bare_engine) as s:
        s.execute(update(Approval).values(comment="改过"))


def test_downgrade_to_0003_keeps_what_was_there(bare_engine: Engine):
    case_id, _user = _seed_0003(bare_engine)
    migrate.upgrade(bare_engine)
    with write_session(bare_engine) as s:
        approvals.approve(s, case_id, 1, author="赵局长")
    migrate.downgrade(bare_engine, "0003")
    assert migrate.current_revision(bare_engine) == "0003"
    with bare_engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM cases").scalar() == 1
        assert c.exec_driver_sql("SELECT count(*) FROM web_sessions").scalar() == 1
    migrate.upgrade(bare_engine)
    assert migrate.schema_differences(bare_engine) == []
