"""``ecoclaim db ledger | report | archive | publication``: the register's exports on the command
line, mounted on the ``db`` group by :mod:`caseregister.cli`. Each export is made as a named user
sees the register (``--user``): the same cases, the same refusals, as over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ecokernel.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from caseregister.models import Case, User

UserOpt = Annotated[str, typer.Option("--user", help="以该用户的身份导出（只含其可以查看的案件）")]
OutputOpt = Annotated[Path, typer.Option("-o", "--output", help="写入的文件")]
ForceOpt = Annotated[bool, typer.Option("--force", help="覆盖已有的文件")]
CaseArg = Annotated[str, typer.Argument(metavar="CASE", help="案件：台账编号、立案号或案件名称")]
PeriodArg = Annotated[str, typer.Argument(metavar="PERIOD", help="报告期间：2025Q3（季度）、2025H1（半年）、2025（年度）、2025-07（月）")]
JurisdictionOpt = Annotated[Optional[str], typer.Option("--jurisdiction", help="辖区代码（可见案件只有一个辖区时可省略）")]  # noqa: UP045


def _write(path: Path, data: bytes, force: bool) -> None:
    from caseregister.files import check_target, write_atomically

    check_target(path, force)
    write_atomically(path, lambda handle: handle.write(data))


def _user(session: Session, username: str) -> User:
    from caseregister.accounts import find_user

    user = find_user(session, username)
    if not user.active:
        raise UserError(f"用户 {user.username} 已停用")
    return user


def _case(session: Session, user: User, ref: str) -> Case:
    from caseregister.versions import find_case
    from caseregister.views import visible_case

    case = find_case(session, ref)
    if visible_case(session, user, case.id) is None:
        raise UserError(f"用户 {user.username} 无权查看案件“{ref}”")
    return case


report_app = typer.Typer(help="定期报送：线索筛查清单、工作开展情况（半年、年度），按辖区规定的节奏。", no_args_is_help=True)
publication_app = typer.Typer(help="信息公开：公开材料（脱敏）、公开核对、登记公开记录。", no_args_is_help=True)


def mount(db_app: typer.Typer, out: Any, err: Any, database: Callable[[], AbstractContextManager[Engine]]) -> None:
    """Add the export commands to ``ecoclaim db`` (``database``: the group's checked engine)."""

    def _read(work: Callable[[Session], Any]) -> Any:
        from caseregister.engine import read_session

        with database() as engine, read_session(engine) as session:
            return work(session)

    def _period_report(make: Callable[..., tuple[bytes, int]], period: str, username: str, jurisdiction: str | None,
                       output: Path, force: bool, what: str) -> None:
        """Write one periodic report (``make``: clue_list_xlsx or work_report_docx) and say what it holds."""
        from caseregister.exports.reports import parse_period

        which = parse_period(period)
        data, count = _read(lambda s: make(s, _user(s, username), jurisdiction, which))
        _write(output, data, force)
        out.print(f"已导出{which.label}{what.format(count=count)}：{output}")

    @db_app.command("ledger")
    def ledger_command(
        username: UserOpt, output: OutputOpt, force: ForceOpt = False,
        jurisdiction: Annotated[Optional[str], typer.Option("--jurisdiction", help="只含这个辖区（代码）")] = None,  # noqa: UP045
        stage: Annotated[Optional[str], typer.Option("--stage", help="只含这个阶段（代码）")] = None,  # noqa: UP045
        obligor: Annotated[Optional[str], typer.Option("--obligor", help="赔偿义务人名称包含")] = None,  # noqa: UP045
        year: Annotated[Optional[int], typer.Option("--year", help="立案号中的年份")] = None,  # noqa: UP045
    ) -> None:
        """把台账导出为 Excel（XLSX）：阶段、下一期限、是否逾期、赔偿义务人、金额、辖区。"""
        from caseregister.exports.ledger import ledger_xlsx
        from caseregister.views import CaseFilter
        from ecokernel import clock

        filters = CaseFilter(jurisdiction=jurisdiction, stage=stage, obligor=obligor, year=year)
        data, count = _read(lambda s: ledger_xlsx(s, _user(s, username), filters, clock.today()))
        _write(output, data, force)
        out.print(f"已导出台账（{count}个案件）：{output}")

    @report_app.command("rhythm")
    def rhythm_command(jurisdiction: Annotated[str, typer.Argument(metavar="JURISDICTION", help="辖区代码或名称")]) -> None:
        """显示辖区规定的报送节奏（周期、日期和依据）；规定未写明的如实说明。"""
        from caseregister.exports.reports import rhythm
        from corpus.profiles import get_profile, jurisdiction_key

        profile = get_profile(jurisdiction_key(jurisdiction))
        for item in rhythm(profile):
            out.print(item.text(profile), markup=False)

    @report_app.command("clue-list")
    def clue_list_command(period: PeriodArg, username: UserOpt, output: OutputOpt, force: ForceOpt = False,
                          jurisdiction: JurisdictionOpt = None) -> None:
        """案件线索筛查清单（XLSX）：本期发现和期初仍在办理的线索。"""
        from caseregister.exports.reports import clue_list_xlsx

        _period_report(clue_list_xlsx, period, username, jurisdiction, output, force, "线索筛查清单（{count}条）")

    @report_app.command("work")
    def work_command(period: PeriodArg, username: UserOpt, output: OutputOpt, force: ForceOpt = False,
                     jurisdiction: JurisdictionOpt = None) -> None:
        """工作开展情况（DOCX）：本期各项工作的件数和金额、期末在办案件、逾期事项、案件清单。"""
        from caseregister.exports.reports import work_report_docx

        _period_report(work_report_docx, period, username, jurisdiction, output, force, "工作开展情况（{count}个案件）")

    @db_app.command("archive")
    def archive_command(case: CaseArg, username: UserOpt, output: OutputOpt, force: ForceOpt = False) -> None:
        """一案一卷（ZIP）：全部文书按环节排序、全卷 PDF、卷内目录（页号）、案件数据、带校验值的清单。"""
        from caseregister.exports.archive import archive_zip

        def work(s: Session) -> Any:
            user = _user(s, username)
            return archive_zip(s, user, _case(s, user, case).id)

        found = _read(work)
        _write(output, found[0], force)
        out.print(f"已导出案卷：{output}")

    @publication_app.command("pack")
    def pack_command(case: CaseArg, username: UserOpt, output: OutputOpt, force: ForceOpt = False) -> None:
        """信息公开材料（ZIP）：应当公开的文书（脱敏）、公开信息表、核对结果。"""
        from caseregister.exports.publication import publication_pack

        def work(s: Session) -> Any:
            user = _user(s, username)
            return publication_pack(s, user, _case(s, user, case).id)

        data, _name, result = _read(work)
        _write(output, data, force)
        out.print(f"已导出公开材料：{output}")
        (err if result.missing else out).print(result.message, markup=False)

    @publication_app.command("check")
    def check_command(case: CaseArg, username: UserOpt) -> None:
        """核对应当公开的信息是否都有公开记录；有缺少时退出码为1。"""
        from caseregister.exports.publication import case_check

        def work(s: Session) -> Any:
            user = _user(s, username)
            return case_check(s, user, _case(s, user, case).id)

        result = _read(work)
        for item in result.items:
            state = ("已公开：" + "；".join(f"{r.published_on:%Y-%m-%d} {r.url or ''}".strip() for r in item.records)
                     if item.records else "缺少公开记录" if item.missing else "尚未到该环节")
            out.print(f"{item.label}：{state}", markup=False)
        (err if result.missing else out).print(result.message, markup=False)
        if result.missing:
            raise typer.Exit(1)

    @publication_app.command("record")
    def record_command(
        case: CaseArg,
        item: Annotated[str, typer.Option("--item", help="公开项目：agreement、ruling、fund_use、restoration_effect")],
        published_on: Annotated[str, typer.Option("--date", help="公开日期（YYYY-MM-DD）")],
        actor: Annotated[str, typer.Option("--actor", help="登记人（记入审计记录）")],
        url: Annotated[Optional[str], typer.Option("--url", help="公开的网址")] = None,  # noqa: UP045
        note: Annotated[Optional[str], typer.Option("--note", help="说明")] = None,  # noqa: UP045
    ) -> None:
        """登记一项信息公开（项目、日期、网址）。"""
        from caseregister.engine import write_session
        from caseregister.exports.publication import record
        from caseregister.versions import find_case

        try:
            day = date.fromisoformat(published_on.strip())
        except ValueError:
            raise UserError(f"公开日期“{published_on}”应写作 YYYY-MM-DD") from None
        with database() as engine, write_session(engine) as session:
            row = record(session, find_case(session, case), item, day, url=url, note=note, author=actor)
            out.print(f"已登记：{row.item} 于 {row.published_on:%Y-%m-%d} 公开（记录编号{row.id}）。")

    db_app.add_typer(report_app, name="report")
    db_app.add_typer(publication_app, name="publication")
