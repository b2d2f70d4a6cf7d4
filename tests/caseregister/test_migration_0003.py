"""Migration 0003 (web sessions) from the previous schema with accounts in it, on both backends:
users and tokens are untouched, sessions can be opened, and a downgrade keeps the accounts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, text

from caseregister import migrate, websessions
from caseregister.engine import read_session, write_session
from caseregister.integrity import problems
from caseregister.models import ApiToken, User, WebSession

AT = datetime(2026, 3, 1, 8, 30)


def _seed_0002(engine: Engine) -> int:
    """A department with a user and an API token, at 0002."""
    migrate.upgrade(engine, "0002")
    with engine.begin() as c:
        dept = c.execute(text("INSERT INTO departments (name, created_at, code) VALUES ('张掖市生态环境局', :at, 'ZY') "
                              "RETURNING id"), {"at": AT}).scalar_one()
        user = c.execute(text("INSERT INTO users (username, display_name, password_hash, role, department_id, active, "
                              "failed_logins, password_changed_at, created_at) VALUES ('zhang', '张三', 'x', 'drafter', "
                              ":d, :yes, 0, :at, :at) RETURNING id"), {"d": dept, "at": AT, "yes": True}).scalar_one()
        c.execute(text("INSERT INTO api_tokens (user_id, name, token_sha256, created_at) VALUES (:u, '脚本', :sha, :at)"),
                  {"u": user, "sha": "0" * 64, "at": AT})
    return int(user)


def test_upgrade_from_0002_with_accounts(bare_engine: Engine):
    user_id = _seed_0002(bare_engine)
    migrate.upgrade(bare_engine)
    assert migrate.current_revision(bare_engine) == migrate.head_revision()
    assert migrate.schema_differences(bare_engine) == []
    assert problems(bare_engine) == []
    policy = websessions.SessionPolicy()
    now = AT + timedelta(days=1)
    with write_session(bare_engine) as s:
        raw = websessions.open_session(s, s.get_one(User, user_id), policy=policy, now=now)
    with read_session(bare_engine) as s:
        assert s.scalar(select(func.count()).select_from(ApiToken)) == 1
        row = websessions.find_session(s, raw, policy=policy, now=now + timedelta(minutes=1))
        assert row is not None and row.user.username == "zhang"
        assert websessions.find_session(s, raw, policy=policy, now=now + timedelta(minutes=30)) is None  # idle
        assert s.scalar(select(WebSession.token_sha256)) != raw


def test_downgrade_to_0002_keeps_the_accounts(bare_engine: Engine):
    _seed_0002(bare_engine)
    migrate.upgrade(bare_engine)
    migrate.downgrade(bare_engine, "0002")
    assert migrate.current_revision(bare_engine) == "0002"
    with bare_engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM users").scalar() == 1
        assert c.exec_driver_sql("SELECT count(*) FROM api_tokens").scalar() == 1
    migrate.upgrade(bare_engine)
    assert migrate.schema_differences(bare_engine) == []
