"""Departments and accounts on both backends: creation with checks and Chinese messages, listing,
disabling (tokens revoked), new passwords, API tokens stored as hashes; every change audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from caseregister import accounts, audit, passwords, versions
from caseregister.engine import read_session, write_session
from caseregister.models import ApiToken, User
from caseregister.roles import Role
from ecokernel.errors import UserError

PASSWORD = "Shengtai-2025!"
NOW = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def org(engine: Engine) -> Engine:
    """A province with a city below it, and a drafter in the city."""
    with write_session(engine) as s:
        accounts.add_department(s, "甘肃省生态环境厅", "GS-SEE", actor="admin")
        accounts.add_department(s, "张掖市生态环境局", "ZY-SEE", parent="GS-SEE", actor="admin")
        accounts.add_user(s, "ZhangSan", "张三", PASSWORD, "起草", "张掖市生态环境局", actor="admin")
    return engine


def test_departments_and_users_are_created_listed_and_audited(org: Engine):
    with read_session(org) as s:
        depts = {d.code: d for d in accounts.list_departments(s)}
        users = accounts.list_users(s)
        user = s.scalar(select(User))
        log = audit.entries(s)
    assert depts["ZY-SEE"].parent_code == "GS-SEE" and depts["ZY-SEE"].parent_name == "甘肃省生态环境厅"
    assert depts["ZY-SEE"].users == 1 and depts["GS-SEE"].users == 0 and depts["GS-SEE"].parent_code is None
    assert [(u.username, u.display_name, u.role, u.department_code, u.active) for u in users] == [
        ("zhangsan", "张三", Role.DRAFTER, "ZY-SEE", True)]
    assert user is not None and passwords.verify(user.password_hash, PASSWORD) and PASSWORD not in user.password_hash
    assert [(e.action, e.actor, e.entity) for e in log] == [
        ("department.create", "admin", "departments"), ("department.create", "admin", "departments"),
        ("user.create", "admin", "users")]
    assert log[1].detail == {"name": "张掖市生态环境局", "code": "ZY-SEE", "parent": "GS-SEE"}
    assert log[2].detail == {"username": "zhangsan", "display_name": "张三", "role": "drafter", "department": "ZY-SEE"}
    assert all(PASSWORD not in str(e.detail) for e in log)


@pytest.mark.parametrize(("call", "message"), [
    (lambda s: accounts.add_department(s, "张掖市生态环境局", "OTHER", actor="a"), "已有名为“张掖市生态环境局”的部门"),
    (lambda s: accounts.add_department(s, "新部门", "ZY-SEE", actor="a"), "部门代码“ZY-SEE”已被使用"),
    (lambda s: accounts.add_department(s, "新部门", "D0042", actor="a"), "留给导入案件时自动建立的部门"),
    (lambda s: accounts.add_department(s, "新部门", "张掖", actor="a"), "部门代码“张掖”不合要求"),
    (lambda s: accounts.add_department(s, "新部门", "NEW", parent="没有", actor="a"), "没有代码或名称为“没有”的部门"),
    (lambda s: accounts.add_department(s, "新部门", "NEW", actor=" "), "请注明操作人"),
    (lambda s: accounts.add_user(s, "zhangsan", "张三", PASSWORD, "drafter", "ZY-SEE", actor="a"), "用户名“zhangsan”已被使用"),
    (lambda s: accounts.add_user(s, "张三", "张三", PASSWORD, "drafter", "ZY-SEE", actor="a"), "用户名“张三”不合要求"),
    (lambda s: accounts.add_user(s, "lisi", "李四", PASSWORD, "超级用户", "ZY-SEE", actor="a"), "没有“超级用户”这个角色"),
    (lambda s: accounts.add_user(s, "lisi", "李四", "short", "drafter", "ZY-SEE", actor="a"), "密码太短"),
    (lambda s: accounts.add_user(s, "lisi", "  ", PASSWORD, "drafter", "ZY-SEE", actor="a"), "请填写用户的姓名"),
    (lambda s: accounts.add_user(s, "lisi", "李四", PASSWORD, "reader", "XX", actor="a"), "没有代码或名称为“XX”的部门"),
    (lambda s: accounts.disable_user(s, "wangwu", actor="a"), "没有用户“wangwu”"),
])
def test_bad_requests_are_refused_in_chinese(org: Engine, call, message: str):
    with pytest.raises(UserError, match=message), write_session(org) as s:
        call(s)
    with read_session(org) as s:
        assert len(audit.entries(s)) == 3  # nothing was recorded either


def test_roles_by_code_or_label(org: Engine):
    with write_session(org) as s:
        for name, role in (("reviewer1", "审查"), ("head1", "head"), ("reader1", "只读"), ("admin1", "ADMIN")):
            accounts.add_user(s, name, name, PASSWORD, role, "GS-SEE", actor="admin")
    with read_session(org) as s:
        roles = {u.username: u.role for u in accounts.list_users(s, "GS-SEE")}
    assert roles == {"admin1": Role.ADMIN, "head1": Role.HEAD, "reader1": Role.READER, "reviewer1": Role.REVIEWER}


def test_disable_revokes_tokens(org: Engine):
    with write_session(org) as s:
        _row, token = accounts.issue_token(s, "zhangsan", "导入脚本", actor="admin")
    assert token.startswith(accounts.TOKEN_PREFIX)
    with read_session(org) as s:
        stored = s.scalar(select(ApiToken))
        assert stored is not None and stored.token_sha256 == accounts.token_digest(token)
        assert token not in stored.token_sha256
        found = accounts.token_user(s, token, now=NOW)
        assert found is not None and found.username == "zhangsan"
        assert accounts.token_user(s, token + "x", now=NOW) is None
        assert accounts.token_user(s, "not-a-token", now=NOW) is None
    with write_session(org) as s:
        accounts.disable_user(s, "ZHANGSAN", actor="admin", now=NOW)
    with pytest.raises(UserError, match="已经停用"), write_session(org) as s:
        accounts.disable_user(s, "zhangsan", actor="admin")
    with pytest.raises(UserError, match="已经停用，不能签发令牌"), write_session(org) as s:
        accounts.issue_token(s, "zhangsan", "x", actor="admin")
    with read_session(org) as s:
        assert accounts.token_user(s, token, now=NOW) is None
        assert s.scalar(select(ApiToken.revoked_at)) == NOW
        assert accounts.list_users(s)[0].active is False
        assert audit.entries(s)[-1].detail == {"username": "zhangsan", "tokens_revoked": 1}


def test_an_expired_token_is_refused(org: Engine):
    with write_session(org) as s:
        _row, token = accounts.issue_token(s, "zhangsan", "临时", actor="admin", expires_at=NOW)
    with read_session(org) as s:
        assert accounts.token_user(s, token, now=NOW - timedelta(seconds=1)) is not None
        assert accounts.token_user(s, token, now=NOW) is None


def test_a_new_password_replaces_the_old_and_ends_a_lock(org: Engine):
    with write_session(org) as s:
        user = accounts.find_user(s, "zhangsan")
        user.failed_logins, user.locked_until = 5, NOW + timedelta(minutes=15)
    with pytest.raises(UserError, match="不能与原密码相同"), write_session(org) as s:
        accounts.set_password(s, "zhangsan", PASSWORD, actor="admin")
    with pytest.raises(UserError, match="密码不能包含用户名"), write_session(org) as s:
        accounts.set_password(s, "zhangsan", "zhangsan-Secret1", actor="admin")
    with write_session(org) as s:
        accounts.set_password(s, "zhangsan", "Lvshui-Qingshan-9", actor="张三", now=NOW)
    with read_session(org) as s:
        user = accounts.find_user(s, "zhangsan")
        assert passwords.verify(user.password_hash, "Lvshui-Qingshan-9")
        assert not passwords.verify(user.password_hash, PASSWORD)
        assert (user.failed_logins, user.locked_until, user.password_changed_at) == (0, None, NOW)
        assert [(e.action, e.actor, e.detail) for e in audit.entries(s)][-1] == (
            "user.password", "张三", {"username": "zhangsan"})


def test_departments_created_by_import_get_an_implicit_code(org: Engine):
    with write_session(org) as s:
        dept = versions.department(s, "某县自然资源局", "张三")
        with pytest.raises(UserError, match="已有名为“某县自然资源局”的部门"):
            accounts.add_department(s, "某县自然资源局", "MX", actor="admin")
    assert dept.code == f"D{dept.id:04d}"
    with read_session(org) as s:
        assert accounts.find_department(s, dept.code).name == "某县自然资源局"


def test_a_code_wins_over_a_name(org: Engine):
    with write_session(org) as s:
        accounts.add_department(s, "ZY-SEE", "ODD", actor="admin")  # a name that is another department's code
    with read_session(org) as s:
        assert accounts.find_department(s, "ZY-SEE").name == "张掖市生态环境局"
        assert accounts.find_department(s, "ODD").name == "ZY-SEE"
