"""``ecoclaim db dept …`` and ``ecoclaim db user …`` in-process (fast layer on SQLite): Chinese
output, exit 2 for a refused request, every change in the audit log, no password anywhere in it."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

import caseregister.cli
from caseregister import audit, passwords
from caseregister.accounts import find_user, token_user
from caseregister.engine import make_engine, read_session
from cli import main

PASSWORD = "Shengtai-2025!"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(caseregister.cli.out, "width", 300)

    def _run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "内部错误" not in captured.err, captured.err
        return code, captured.out, captured.err

    return _run


@pytest.fixture
def db(db_env: str, run) -> Iterator[Engine]:
    assert run("db", "init")[0] == 0
    engine = make_engine(db_env)
    yield engine
    engine.dispose()


def test_departments_and_users_from_the_command_line(db: Engine, run):
    assert run("db", "dept", "list")[1] == "还没有部门。\n"
    code, out, _ = run("db", "dept", "add", "甘肃省生态环境厅", "--code", "GS-SEE", "--actor", "管理员")
    assert code == 0 and out == "已新建部门“甘肃省生态环境厅”（代码 GS-SEE）。\n"
    code, out, _ = run("db", "dept", "add", "张掖市生态环境局", "--code", "ZY-SEE", "--parent", "GS-SEE",
                       "--actor", "管理员")
    assert code == 0 and "上级部门：甘肃省生态环境厅" in out
    code, out, _ = run("db", "dept", "list")
    assert code == 0 and "ZY-SEE" in out and "甘肃省生态环境厅（GS-SEE）" in out and "共2个部门" in out

    assert run("db", "user", "list")[1] == "还没有用户。\n"
    code, out, _ = run("db", "user", "add", "zhangsan", "--name", "张三", "--role", "起草", "--department", "ZY-SEE",
                       "--actor", "管理员", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0 and out == "已新建用户 zhangsan（张三，起草，张掖市生态环境局）。\n"
    code, out, _ = run("db", "user", "add", "lisi", "--name", "李四", "--role", "reader", "--department", "甘肃省生态环境厅",
                       "--actor", "管理员", "--password-stdin", stdin="Qingshan-Lvshui-7")
    assert code == 0 and "只读" in out
    code, out, _ = run("db", "user", "list")
    assert code == 0 and "共2个用户" in out and "张掖市生态环境局（ZY-SEE）" in out and "正常" in out
    code, out, _ = run("db", "user", "list", "--department", "GS-SEE")
    assert "lisi" in out and "zhangsan" not in out and "共1个用户" in out

    code, out, _ = run("db", "user", "passwd", "zhangsan", "--actor", "张三", "--password-stdin",
                       stdin="Lvshui-Qingshan-9\n")
    assert code == 0 and out == "已修改用户 zhangsan（张三）的密码。\n"
    code, out, _ = run("db", "user", "disable", "lisi", "--actor", "管理员")
    assert code == 0 and out == "已停用用户 lisi（李四）。\n"
    assert "已停用" in run("db", "user", "list")[1]

    with read_session(db) as s:
        assert passwords.verify(find_user(s, "zhangsan").password_hash, "Lvshui-Qingshan-9")
        log = audit.entries(s)
    assert [(e.action, e.actor) for e in log] == [
        ("department.create", "管理员"), ("department.create", "管理员"), ("user.create", "管理员"),
        ("user.create", "管理员"), ("user.password", "张三"), ("user.disable", "管理员")]
    assert not any(secret in str(e.detail) for e in log for secret in (PASSWORD, "Lvshui-Qingshan-9"))


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("db", "dept", "add", "某局", "--code", "ZY-SEE", "--actor", "a"), "", "部门代码“ZY-SEE”已被使用"),
    (("db", "dept", "add", "某局", "--code", "X", "--parent", "不存在", "--actor", "a"), "", "没有代码或名称为“不存在”的部门"),
    (("db", "user", "add", "wangwu", "--name", "王五", "--role", "老板", "--department", "ZY-SEE", "--actor", "a",
      "--password-stdin"), PASSWORD, "没有“老板”这个角色：可选 起草（drafter）"),
    (("db", "user", "add", "wangwu", "--name", "王五", "--role", "审查", "--department", "ZY-SEE", "--actor", "a",
      "--password-stdin"), "123", "密码不符合要求：密码太短"),
    (("db", "user", "add", "wangwu", "--name", "王五", "--role", "审查", "--department", "ZY-SEE", "--actor", "a",
      "--password-stdin"), "", "标准输入中没有密码"),
    (("db", "user", "passwd", "nobody", "--actor", "a", "--password-stdin"), PASSWORD, "没有用户“nobody”"),
    (("db", "user", "disable", "nobody", "--actor", "a"), "", "没有用户“nobody”"),
    (("db", "user", "list", "--department", "XX"), "", "没有代码或名称为“XX”的部门"),
])
def test_refused_requests_exit_2_in_chinese(db: Engine, run, args, stdin: str, message: str):
    run("db", "dept", "add", "张掖市生态环境局", "--code", "ZY-SEE", "--actor", "管理员")
    code, _out, err = run(*args, stdin=stdin)
    assert code == 2 and message in err, err
    with read_session(db) as s:
        assert len(audit.entries(s)) == 1


@pytest.mark.filterwarnings("ignore::getpass.GetPassWarning")  # the prompt reads a StringIO, not a terminal
def test_interactive_passwords_must_match(db: Engine, run):
    run("db", "dept", "add", "张掖市生态环境局", "--code", "ZY-SEE", "--actor", "管理员")
    code, _out, err = run("db", "user", "add", "wangwu", "--name", "王五", "--role", "审查", "--department", "ZY-SEE",
                          "--actor", "a", stdin=f"{PASSWORD}\n{PASSWORD}x\n")
    assert code == 2 and "两次输入的密码不一致" in err
    code, out, _ = run("db", "user", "add", "wangwu", "--name", "王五", "--role", "审查", "--department", "ZY-SEE",
                       "--actor", "a", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0 and "已新建用户 wangwu" in out


def test_an_api_token_from_the_command_line(db: Engine, run):
    assert run("db", "dept", "add", "张掖市生态环境局", "--code", "ZY", "--actor", "管理员")[0] == 0
    assert run("db", "user", "add", "zhang", "--name", "张三", "--role", "起草", "--department", "ZY",
               "--actor", "管理员", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    code, out, err = run("db", "user", "token", "zhang", "--name", "统计脚本", "--actor", "管理员")
    assert code == 0 and "只显示这一次" in err
    token = out.strip()
    with read_session(db) as session:
        assert token_user(session, token).username == "zhang"
        assert [e.action for e in audit.entries(session)][-1] == "token.create"
        assert token not in str([e.detail for e in audit.entries(session)])
    assert run("db", "user", "token", "nobody", "--actor", "管理员")[0] == 2
