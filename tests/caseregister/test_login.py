"""Login throttling on both backends: N wrong passwords lock an account for M minutes (settings),
a lock checks no password, it ends on its own or with a new password; the messages do not tell an
unknown user from a wrong password. Times are fixed (no test depends on when it runs)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import Engine

from caseregister import accounts, audit, passwords
from caseregister.engine import read_session, write_session
from caseregister.login import WRONG, LoginResult, LoginStatus, authenticate
from caseregister.settings import LoginPolicy, load_login_policy
from ecokernel.errors import UserError

PASSWORD = "Shengtai-2025!"
T0 = datetime(2026, 3, 2, 9, 0)
POLICY = LoginPolicy(max_failures=3, lock_minutes=10)


@pytest.fixture
def org(engine: Engine) -> Engine:
    with write_session(engine) as s:
        accounts.add_department(s, "张掖市生态环境局", "ZY-SEE", actor="admin")
        accounts.add_user(s, "zhangsan", "张三", PASSWORD, "drafter", "ZY-SEE", actor="admin")
    return engine


def login(engine: Engine, password: str, at: datetime, username: str = "zhangsan") -> LoginResult:
    with write_session(engine) as s:
        return authenticate(s, username, password, policy=POLICY, now=at)


def state(engine: Engine) -> tuple[int, datetime | None, datetime | None]:
    with read_session(engine) as s:
        user = accounts.find_user(s, "zhangsan")
        return user.failed_logins, user.locked_until, user.last_login_at


def test_a_good_login_resets_the_count(org: Engine):
    assert login(org, "wrong", T0).message == WRONG
    assert state(org) == (1, None, None)
    result = login(org, PASSWORD, T0 + timedelta(seconds=5), username=" ZhangSan ")
    assert result.ok and result.user_id is not None
    assert state(org) == (0, None, T0 + timedelta(seconds=5))


def test_n_failures_lock_for_m_minutes_then_the_count_starts_again(org: Engine):
    for i in range(2):
        assert login(org, "wrong", T0 + timedelta(seconds=i)).status is LoginStatus.REFUSED
    locked = login(org, "wrong", T0 + timedelta(seconds=2))
    until = T0 + timedelta(seconds=2, minutes=10)
    assert locked.status is LoginStatus.LOCKED and locked.locked_until == until
    assert "登录失败次数过多" in locked.message and "2026-03-02 09:10" in locked.message
    assert state(org) == (0, until, None)
    # while locked, not even the right password gets in, and nothing is counted
    assert login(org, PASSWORD, until - timedelta(seconds=1)).status is LoginStatus.LOCKED
    assert state(org) == (0, until, None)
    # after the lock: the right password works; wrong ones count from zero again
    assert login(org, "wrong", until).status is LoginStatus.REFUSED
    assert state(org)[0] == 1
    assert login(org, PASSWORD, until + timedelta(seconds=1)).ok
    with read_session(org) as s:
        locks = [e for e in audit.entries(s) if e.action == "user.lock"]
    assert len(locks) == 1 and locks[0].actor == "zhangsan"
    assert locks[0].detail == {"username": "zhangsan", "failures": 3, "until": until.isoformat()}


def test_a_new_password_ends_a_lock(org: Engine):
    for i in range(3):
        login(org, "wrong", T0 + timedelta(seconds=i))
    assert login(org, PASSWORD, T0 + timedelta(minutes=1)).status is LoginStatus.LOCKED
    with write_session(org) as s:
        accounts.set_password(s, "zhangsan", "Lvshui-Qingshan-9", actor="admin")
    assert login(org, "Lvshui-Qingshan-9", T0 + timedelta(minutes=2)).ok


def test_unknown_users_and_disabled_accounts_are_told_the_same(org: Engine):
    unknown = login(org, PASSWORD, T0, username="nobody")
    wrong = login(org, "wrong", T0)
    with write_session(org) as s:
        accounts.disable_user(s, "zhangsan", actor="admin")
    disabled = login(org, PASSWORD, T0 + timedelta(seconds=1))
    assert unknown == disabled == LoginResult(status=LoginStatus.REFUSED, message=WRONG)
    assert wrong == unknown
    assert state(org)[2] is None  # the disabled account did not log in


def test_an_old_hash_is_replaced_at_the_next_login(org: Engine):
    old = PasswordHasher(time_cost=1, memory_cost=4 * 1024, parallelism=1, type=Type.ID).hash(PASSWORD)
    with write_session(org) as s:
        accounts.find_user(s, "zhangsan").password_hash = old
    assert login(org, PASSWORD, T0).ok
    with read_session(org) as s:
        new = accounts.find_user(s, "zhangsan").password_hash
    assert new != old and not passwords.needs_rehash(new) and passwords.verify(new, PASSWORD)


def test_the_policy_comes_from_the_environment():
    assert load_login_policy({}) == LoginPolicy(max_failures=5, lock_minutes=15)
    assert load_login_policy({"ECOCLAIM_LOGIN_MAX_FAILURES": "3", "ECOCLAIM_LOGIN_LOCK_MINUTES": " 60 "}) == \
        LoginPolicy(max_failures=3, lock_minutes=60)
    for bad in ("0", "abc", "１０", "-1", "101"):
        with pytest.raises(UserError, match="ECOCLAIM_LOGIN_MAX_FAILURES 应为1至100之间的整数"):
            load_login_policy({"ECOCLAIM_LOGIN_MAX_FAILURES": bad})
