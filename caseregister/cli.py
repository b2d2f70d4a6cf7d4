"""``ecoclaim db …``: the case register on the command line (a typer sub-app mounted by ``cli.py``).

Imports are lazy (the main CLI starts without loading SQLAlchemy). Errors are ``UserError``s in
Chinese (exit 2); invalid case data in an import exits 1 as ``validate`` does; ``db check`` exits 1
when it finds a problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from caseregister.roles import ROLE_LABELS
from ecokernel import clock
from ecokernel.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy import Engine

db_app = typer.Typer(help="案件台账（数据库）：导入、查看、比较、导出案件数据的各个版本，备份与恢复；部门与用户账号。",
                     no_args_is_help=True)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

CaseArg = Annotated[str, typer.Argument(metavar="CASE", help="案件：台账编号、立案号或案件名称")]


def _local(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


@contextmanager
def _database(*, create: bool = False) -> Iterator[Engine]:
    """The register's engine; unless ``create``, the database must exist at the newest schema."""
    from sqlalchemy.exc import OperationalError

    from caseregister import migrate
    from caseregister.engine import database_unreachable, make_engine
    from caseregister.settings import SQLITE_FILE, load_settings

    settings = load_settings()
    if not create and settings.data_dir is not None and not (settings.data_dir / SQLITE_FILE).exists():
        raise UserError(f"还没有案件台账数据库（{settings.data_dir}）：请先运行 ecoclaim db init，"
                        "或用环境变量 ECOCLAIM_DATA_DIR、ECOCLAIM_DATABASE_URL 指定已有的数据库")
    engine = make_engine(settings.url)
    try:
        if not create:
            revision = migrate.current_revision(engine)
            if revision is None:
                raise UserError(f"数据库 {settings.shown_url()} 中还没有案件台账：请先运行 ecoclaim db init")
            if revision != migrate.head_revision():
                raise UserError(f"数据库结构版本为 {revision}，本程序需要 {migrate.head_revision()}：请运行 ecoclaim db init 升级")
        yield engine
    except OperationalError as exc:
        raise database_unreachable(exc, settings.url) from None
    finally:
        engine.dispose()


def _table(*columns: str) -> Table:
    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


@db_app.command("init")
def init() -> None:
    """建立案件台账数据库，或把已有的数据库升级到本程序的结构。"""
    from caseregister import migrate
    from caseregister.settings import load_settings

    with _database(create=True) as engine:
        before = migrate.current_revision(engine)
        migrate.upgrade(engine)
        head = migrate.head_revision()
        _warn_if_stale(engine)
    where = load_settings().shown_url()
    if before is None:
        out.print(f"已建立案件台账数据库：{where}（结构版本 {head}）")
    elif before == head:
        out.print(f"案件台账数据库已是最新结构（{head}）：{where}")
    else:
        out.print(f"已将案件台账数据库从结构版本 {before} 升级到 {head}：{where}")


def _warn_if_stale(engine: Engine) -> None:
    """Tell (on stderr) when cases' stored deadlines were computed with other data than the program's."""
    from caseregister.deadlines import stale_count
    from caseregister.engine import read_session
    from caseregister.recompute import stale_warning

    with read_session(engine) as session:
        count = stale_count(session)
    if count:
        err.print(f"[yellow]{stale_warning(count)}[/yellow]")


_IMPORT_STATUS = {"new_case": "新案件", "new_version": "新版本", "unchanged": "与台账中的最新版本相同，未保存"}


@db_app.command("import")
def import_(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="案件数据文件所在的文件夹（.yaml .yml .json，不含子文件夹）")],
    department: Annotated[str, typer.Option("--department", help="案件所属部门（没有时新建）")],
    author: Annotated[str, typer.Option("--author", help="导入人")],
) -> None:
    """导入一个文件夹中的案件数据。已在台账中的案件（同一部门、同一立案号）保存为新版本。

    每个文件都先校验；有一个文件有错误，就一个也不导入（退出码1；文件无法读取时为2）。"""
    from casefile.validation import CaseError
    from caseregister.engine import write_session
    from caseregister.transfer import ImportRefused, import_folder

    try:
        with _database() as engine, write_session(engine) as session:
            items = import_folder(session, folder, department, author)
    except ImportRefused as exc:
        for failure in exc.failures:
            if isinstance(failure.error, CaseError):
                for p in failure.error.problems:
                    style = "red" if p.severity == "error" else "yellow"
                    err.print(f"[{style}]{failure.file}: {p}[/{style}]")
            else:
                err.print(f"[red]{failure.file}: {failure.error.message}[/red]")
        err.print(f"{exc.message}。")
        raise typer.Exit(2 if any(f.unreadable for f in exc.failures) else 1) from None
    for item in items:
        out.print(f"{item.file}：{_IMPORT_STATUS[item.status]}（编号{item.case_id}，第{item.version}版）")
    counts = {status: sum(1 for i in items if i.status == status) for status in _IMPORT_STATUS}
    out.print(f"共{len(items)}个文件导入“{department.strip()}”：新案件{counts['new_case']}个，"
              f"新版本{counts['new_version']}个，未变{counts['unchanged']}个。")


@db_app.command("list")
def list_(
    department: Annotated[Optional[str], typer.Option("--department", help="只列出这个部门的案件")] = None,  # noqa: UP045
) -> None:
    """列出台账中的案件，下一期限最近的在前。"""
    from caseregister.engine import read_session
    from caseregister.versions import list_cases

    with _database() as engine:
        with read_session(engine) as session:
            cases = list_cases(session, clock.today(), department)
        _warn_if_stale(engine)
    if not cases:
        out.print("台账中还没有案件。" if department is None else f"“{department}”没有案件。")
        return
    table = _table("编号", "部门", "立案号", "案件名称", "辖区", "阶段", "赔偿义务人", "下一期限", "版本")
    for c in cases:
        due = f"{c.next_deadline:%Y-%m-%d} {c.next_deadline_title}" if c.next_deadline else "—"
        table.add_row(str(c.id), c.department, c.case_number or "—", c.title, c.jurisdiction, c.stage_label,
                      c.obligor_names, due, str(c.current_version))
    out.print(table)
    out.print(f"共{len(cases)}个案件。")


@db_app.command("show")
def show(case: CaseArg) -> None:
    """显示一个案件：基本信息和按最新版本计算的各项期限。"""
    from caseregister.engine import read_session
    from caseregister.versions import case_summary, current_deadlines, find_case, version_row

    today = clock.today()
    with _database() as engine, read_session(engine) as session:
        row = find_case(session, case)
        info = case_summary(session, row, today)
        latest = version_row(session, row, row.current_version)
        steps = current_deadlines(session, row, today)
    facts = Table(show_header=False, box=None, pad_edge=False)
    facts.add_column(no_wrap=True)
    facts.add_column(overflow="fold")
    for label, value in (("编号", str(info.id)), ("部门", info.department), ("立案号", info.case_number or "—"),
                         ("案件名称", info.title), ("辖区", info.jurisdiction), ("阶段", info.stage_label),
                         ("赔偿义务人", info.obligor_names),
                         ("下一期限", f"{info.next_deadline:%Y-%m-%d} {info.next_deadline_title}"
                          if info.next_deadline else "—"),
                         ("最新版本", f"第{latest.number}版（{latest.author}，{_local(latest.created_at)}：{latest.reason}）")):
        facts.add_row(f"[bold]{label}[/bold]", value)
    out.print(facts)
    if steps:
        table = _table("环节", "到期日", "完成日", "状态")
        for s in steps:
            table.add_row(s.title, f"{s.due:%Y-%m-%d}" if s.due else "—", f"{s.done:%Y-%m-%d}" if s.done else "—",
                          s.status_label)
        out.print(f"期限（按第{latest.number}版于今天 {today:%Y-%m-%d} 计算）：")
        out.print(table)


@db_app.command("history")
def history(case: CaseArg) -> None:
    """列出一个案件的全部版本：修改人、时间、原因。"""
    from caseregister.engine import read_session
    from caseregister.versions import find_case, history

    with _database() as engine, read_session(engine) as session:
        row = find_case(session, case)
        title, versions = row.title, history(session, row)
    table = _table("版本", "基于", "修改人", "时间", "原因", "原文")
    for v in versions:
        table.add_row(f"第{v.number}版", f"第{v.base_number}版" if v.base_number else "—", v.author,
                      _local(v.created_at), v.reason, f"{v.text_format.upper()} {v.text_sha256[:12]}")
    out.print(f"{title}：共{len(versions)}个版本")
    out.print(table)


@db_app.command("diff")
def diff(
    case: CaseArg,
    old: Annotated[int, typer.Argument(metavar="V1", help="较早的版本号")],
    new: Annotated[int, typer.Argument(metavar="V2", help="较晚的版本号")],
    text: Annotated[bool, typer.Option("--text", help="同时列出两版原文的逐行差异")] = False,
) -> None:
    """比较一个案件的两个版本：逐个字段（字段路径）列出变化，--text 另列原文差异。"""
    from caseregister.diff import describe
    from caseregister.engine import read_session
    from caseregister.versions import diff, find_case

    with _database() as engine, read_session(engine) as session:
        result = diff(session, find_case(session, case), old, new)
    out.print(f"第{old}版 → 第{new}版：{len(result.changes)}处字段变化" + ("。" if result.changes else "（原文可能仅格式不同）。"))
    for change in result.changes:
        out.print(describe(change), markup=False)
    if text and result.text_diff:
        out.print(result.text_diff, markup=False, end="")


@db_app.command("export")
def export(
    case: CaseArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="写入的文件（.yaml／.yml，JSON 原文为 .json）")],
    version: Annotated[Optional[int], typer.Option("--version", help="版本号（默认最新版本）")] = None,  # noqa: UP045
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的文件")] = False,
) -> None:
    """把案件的某一版本导出为案件数据文件（原文逐字不变，可直接用 ecoclaim validate 校验）。"""
    from caseregister.engine import read_session
    from caseregister.transfer import export_version

    with _database() as engine, read_session(engine) as session:
        row = export_version(session, case, version, output, force=force)
        out.print(f"已导出案件“{row.case.title}”第{row.number}版：{output}")


@db_app.command("backup")
def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="备份文件（ZIP）")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的文件")] = False,
) -> None:
    """把整个台账（含审计记录）备份为一个文件，SQLite 和 PostgreSQL 通用。"""
    from caseregister.backup import backup as write_backup

    with _database() as engine:
        meta = write_backup(engine, file, force=force)
    rows = sum(t.rows for t in meta.tables.values())
    out.print(f"已备份到 {file}：{len(meta.tables)}张表，共{rows}行（案件{meta.tables['cases'].rows}个，"
              f"版本{meta.tables['case_versions'].rows}个，审计记录{meta.tables['audit_log'].rows}条）。")


@db_app.command("restore")
def restore(file: Annotated[Path, typer.Argument(metavar="FILE", help="ecoclaim db backup 写出的备份文件")]) -> None:
    """从备份文件恢复台账。只能恢复到空的数据库（没有时新建），不会覆盖已有数据。"""
    from caseregister.backup import restore as read_backup

    with _database(create=True) as engine:
        meta = read_backup(engine, file)
    rows = sum(t.rows for t in meta.tables.values())
    out.print(f"已从 {file} 恢复：{len(meta.tables)}张表，共{rows}行（备份于 {_local(meta.created_at)}）。")


@db_app.command("check")
def check() -> None:
    """检查台账数据是否完整一致（数据库自检、外键、每个案件的版本连续、原文校验值、审计记录）。
    发现问题时退出码为1。"""
    from sqlalchemy import func, select

    from caseregister.engine import read_session
    from caseregister.integrity import problems
    from caseregister.models import Case, CaseVersion

    with _database() as engine:
        found = problems(engine)
        with read_session(engine) as session:
            cases = session.scalar(select(func.count()).select_from(Case))
            versions = session.scalar(select(func.count()).select_from(CaseVersion))
    for problem in found:
        err.print(f"[red]{problem}[/red]")
    if found:
        err.print(f"台账数据有{len(found)}处问题。")
        raise typer.Exit(1)
    out.print(f"台账数据完整一致：{cases}个案件，{versions}个版本。")


@db_app.command("recompute")
def recompute(
    everything: Annotated[bool, typer.Option("--all", help="重新计算全部案件（不论按什么数据计算），如程序更新改变了期限的算法时")] = False,
    actor: Annotated[str, typer.Option("--actor", help="操作人（记入审计记录）")] = "系统",
) -> None:
    """按现行的辖区配置、期限规则和节假日安排，重新计算各案件当前版本的期限。

    只计算按此前的数据计算、已过时的案件（--all 则全部）；分批进行，每批一个事务，并记入审计记录。
    可以重复运行：没有过时的期限时什么也不改。有案件无法计算时退出码为1。"""
    from caseregister.recompute import recompute as run_recompute

    with _database() as engine:
        result = run_recompute(engine, actor=actor, everything=everything)
    for failure in result.failures:
        err.print(f"[red]{failure}[/red]")
    out.print(result.summary())
    if result.failures:
        raise typer.Exit(1)


# ---- departments and users ---------------------------------------------------------------------

dept_app = typer.Typer(help="部门：新建、列出（部门代码、上级部门）。", no_args_is_help=True)
user_app = typer.Typer(help="用户账号：新建、列出、停用、修改密码、签发 API 令牌。", no_args_is_help=True)
db_app.add_typer(dept_app, name="dept")
db_app.add_typer(user_app, name="user")

ActorOpt = Annotated[str, typer.Option("--actor", help="操作人（记入审计记录）")]
ROLE_CHOICES = "、".join(f"{text}（{role.value}）" for role, text in ROLE_LABELS.items())
PasswordStdinOpt = Annotated[bool, typer.Option(
    "--password-stdin", help="从标准输入读取密码（一行），供脚本使用；不加时交互输入两次")]


def _read_password(from_stdin: bool) -> str:
    import sys

    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UserError("标准输入中没有密码")
        return line.removesuffix("\n").removesuffix("\r")
    first = typer.prompt("密码", hide_input=True, prompt_suffix="：")
    if typer.prompt("再次输入密码", hide_input=True, prompt_suffix="：") != first:
        raise UserError("两次输入的密码不一致，未保存")
    return str(first)


@dept_app.command("add")
def dept_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="部门名称")],
    code: Annotated[str, typer.Option("--code", help="部门代码（字母、数字、_、-，如 ZY-SEE）")],
    actor: ActorOpt,
    parent: Annotated[Optional[str], typer.Option("--parent", help="上级部门的代码或名称（可获准查看本部门案件）")] = None,  # noqa: UP045
) -> None:
    """新建一个部门。"""
    from caseregister.accounts import add_department
    from caseregister.engine import write_session

    with _database() as engine, write_session(engine) as session:
        dept = add_department(session, name, code, parent=parent, actor=actor)
        superior = f"，上级部门：{dept.parent.name}" if dept.parent else ""
        out.print(f"已新建部门“{dept.name}”（代码 {dept.code}{superior}）。")


@dept_app.command("list")
def dept_list() -> None:
    """列出全部部门：代码、名称、上级部门、用户数、案件数。"""
    from caseregister.accounts import list_departments
    from caseregister.engine import read_session

    with _database() as engine, read_session(engine) as session:
        departments = list_departments(session)
    if not departments:
        out.print("还没有部门。")
        return
    table = _table("代码", "名称", "上级部门", "用户", "案件")
    for d in departments:
        table.add_row(d.code, d.name, f"{d.parent_name}（{d.parent_code}）" if d.parent_code else "—", str(d.users),
                      str(d.cases))
    out.print(table)
    out.print(f"共{len(departments)}个部门。")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="用户名（小写字母、数字、. _ -）")],
    display_name: Annotated[str, typer.Option("--name", help="姓名")],
    role: Annotated[str, typer.Option("--role", help=f"角色：{ROLE_CHOICES}")],
    department: Annotated[str, typer.Option("--department", help="所属部门的代码或名称")],
    actor: ActorOpt,
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """新建一个用户账号。密码至少10个字符，并混合字母、数字等（或不少于16个字符）。"""
    from caseregister.accounts import add_user
    from caseregister.engine import write_session
    from caseregister.roles import parse_role

    parse_role(role)  # a wrong role is told before the password is asked for
    with _database() as engine:
        password = _read_password(password_stdin)
        with write_session(engine) as session:
            user = add_user(session, username, display_name, password, role, department, actor=actor)
            out.print(f"已新建用户 {user.username}（{user.display_name}，{_role_label(user.role)}，"
                      f"{user.department.name}）。")


def _role_label(code: str) -> str:
    from caseregister.roles import label

    return label(code)


@user_app.command("list")
def user_list(
    department: Annotated[Optional[str], typer.Option("--department", help="只列出这个部门（代码或名称）的用户")] = None,  # noqa: UP045
) -> None:
    """列出用户账号：用户名、姓名、角色、部门、状态、最近登录。"""
    from caseregister.accounts import list_users
    from caseregister.engine import read_session
    from caseregister.models import utcnow

    with _database() as engine, read_session(engine) as session:
        users = list_users(session, department)
    if not users:
        out.print("还没有用户。" if department is None else f"“{department}”没有用户。")
        return
    now = utcnow()
    table = _table("用户名", "姓名", "角色", "部门", "状态", "最近登录")
    for u in users:
        if not u.active:
            state = "已停用"
        elif u.locked_until is not None and u.locked_until > now:
            state = f"锁定至 {_local(u.locked_until)}"
        else:
            state = "正常"
        table.add_row(u.username, u.display_name, _role_label(u.role), f"{u.department_name}（{u.department_code}）",
                      state, _local(u.last_login_at) if u.last_login_at else "—")
    out.print(table)
    out.print(f"共{len(users)}个用户。")


@user_app.command("disable")
def user_disable(
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="用户名")],
    actor: ActorOpt,
) -> None:
    """停用一个用户账号：不能再登录，其 API 令牌同时作废。账号和审计记录保留。"""
    from caseregister.accounts import disable_user
    from caseregister.engine import write_session

    with _database() as engine, write_session(engine) as session:
        user = disable_user(session, username, actor=actor)
        out.print(f"已停用用户 {user.username}（{user.display_name}）。")


@user_app.command("passwd")
def user_passwd(
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="用户名")],
    actor: ActorOpt,
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """为用户设置新密码（同时解除因多次登录失败造成的锁定）。"""
    from caseregister.accounts import find_user, set_password
    from caseregister.engine import read_session, write_session

    with _database() as engine:
        with read_session(engine) as session:
            find_user(session, username)  # an unknown user is told before the password is asked for
        password = _read_password(password_stdin)
        with write_session(engine) as session:
            user = set_password(session, username, password, actor=actor)
            out.print(f"已修改用户 {user.username}（{user.display_name}）的密码。")


@user_app.command("token")
def user_token(
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="用户名")],
    actor: ActorOpt,
    name: Annotated[str, typer.Option("--name", help="令牌的用途（如“统计脚本”），记入审计记录")] = "API 令牌",
) -> None:
    """为用户签发一个 API 令牌，供程序以该用户身份访问台账接口（Authorization: Bearer <令牌>）。
    令牌只显示这一次，数据库只保存其校验值；停用用户时令牌同时作废。"""
    from caseregister.accounts import issue_token
    from caseregister.engine import write_session

    with _database() as engine, write_session(engine) as session:
        row, token = issue_token(session, username, name, actor=actor)
        err.print(f"已为用户 {username.strip().lower()} 签发 API 令牌“{row.name}”（只显示这一次，请妥善保存）：")
        out.print(token)


def _mount_exports() -> None:
    from caseregister.exports.cli import mount

    mount(db_app, out, err, _database)


_mount_exports()
