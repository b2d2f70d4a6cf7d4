"""Command line: ``python cli.py …`` or the installed ``ecoclaim`` script.

Every command prints Chinese messages; a ``UserError`` ends with its message (exit 2), never a
traceback. Set ``ECOCLAIM_DEBUG=1`` to see tracebacks of internal errors.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.table import Table

from caseregister.cli import db_app
from ecokernel import clock
from ecokernel.errors import UserError
from ecokernel.files import write_atomically
from ecokernel.version import product_version

app = typer.Typer(
    help="生态环境损害赔偿文书工具：案件数据校验、法规查询、辖区配置。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
corpus_app = typer.Typer(help="查询法规库：按地址显示条文、按词语检索。", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
app.add_typer(db_app, name="db")
series_app = typer.Typer(help="系列案件：同一事件的多个赔偿义务人各为一案，用 Excel 工作簿（每行一个赔偿义务人）批量建立案件。",
                         no_args_is_help=True)
app.add_typer(series_app, name="series")

#: off a terminal (a pipe, a file) tables are laid out this wide instead of rich's 80 columns, so that
#: ``ecoclaim timeline … > 期限.txt`` stays readable; $COLUMNS still wins
_PIPE_WIDTH = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 200
out = Console(highlight=False, soft_wrap=True, width=_PIPE_WIDTH)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _show_version(value: bool) -> None:
    if value:
        out.print(f"ecoclaim {product_version()}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", help="显示版本号后退出", is_eager=True,
                                                callback=_show_version)] = False) -> None:
    """生态环境损害赔偿文书工具。"""


def _require_file(path: Path) -> None:
    """An unusable input path is a usage error (exit 2), said in Chinese."""
    if not path.exists():
        raise UserError(f"找不到文件：{path}")
    if not path.is_file():
        raise UserError(f"不是文件：{path}")


def _case_problems(case_file: Path, exc: Any, outcome: str, code: int) -> NoReturn:
    """Print every problem of an invalid case file (a ``CaseError``) and end with ``code``."""
    for p in exc.problems:
        style = "red" if p.severity == "error" else "yellow"
        err.print(f"[{style}]{case_file}: {p}[/{style}]")
    err.print(f"{case_file}: 案件数据有误，{outcome}。")
    raise typer.Exit(code) from None


def _parse_day(text: str | None) -> date:
    if text is None:
        return clock.today()
    from ecokernel.cnfmt import parse_cn_date

    return parse_cn_date(text)


@app.command()
def schema() -> None:
    """输出案件数据的 JSON Schema。"""
    from casefile.model import Case

    out.print_json(json.dumps(Case.model_json_schema(), ensure_ascii=False))


def _validation_json(case_file: Path, case: Any, problems: list[Any], on: date) -> None:
    payload = {"file": str(case_file), "valid": not any(p.severity == "error" for p in problems),
               "problems": [p.model_dump() for p in problems]}
    out.print_json(json.dumps(payload, ensure_ascii=False))


def _validation_text(case_file: Path, case: Any, problems: list[Any], on: date) -> None:
    from procedure.summary import summary_rows

    for p in problems:
        style = "red" if p.severity == "error" else "yellow"
        out.print(f"[{style}]{case_file}: {p}[/{style}]")
    if case is not None:
        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for label, value in summary_rows(case, on):
            table.add_row(f"[bold]{label}[/bold]", value)
        out.print(table)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    verdict = "通过" if not errors else f"未通过：{errors}处错误"
    out.print(f"{case_file}: 校验{verdict}" + (f"，{warnings}处提示" if warnings else ""))


#: ``validate --format`` → how the result is printed
_VALIDATION_OUTPUTS: dict[str, Callable[[Path, Any, list[Any], date], None]] = {
    "text": _validation_text,
    "json": _validation_json,
}


@app.command()
def validate(
    case_file: Annotated[Path, typer.Argument(metavar="CASE", help="案件数据文件（.yaml / .yml / .json）")],
    fmt: Annotated[str, typer.Option("--format", help="输出格式：text 或 json")] = "text",
    on: Annotated[Optional[str], typer.Option(help="按哪一天判断法规状态（默认今天）")] = None,  # noqa: UP045
) -> None:
    """校验案件数据，列出全部问题（字段路径和行号）。无错误时退出码0，有错误时为1。"""
    from casefile.validation import validate_file

    _require_file(case_file)
    case, problems = validate_file(case_file)
    errors = [p for p in problems if p.severity == "error"]
    show = _VALIDATION_OUTPUTS.get(fmt)
    if show is None:
        raise UserError(f"不支持的输出格式“{fmt}”，可用：{'、'.join(_VALIDATION_OUTPUTS)}")
    show(case_file, case, problems, _parse_day(on))
    raise typer.Exit(1 if errors else 0)


@app.command()
def timeline(
    case_file: Annotated[Path, typer.Argument(metavar="CASE", help="案件数据文件（.yaml / .yml / .json）")],
    on: Annotated[Optional[str], typer.Option(help="按哪一天计算剩余和逾期天数（默认今天）")] = None,  # noqa: UP045
    fmt: Annotated[str, typer.Option("--format", help="输出格式：text、json 或 ics（未完成的期限导出为日历）")] = "text",
    holidays: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        help="节假日安排文件（YAML），用于库中没有的年份，格式见 examples/schedules/README.md")] = None,
    cite: Annotated[bool, typer.Option("--cite", help="同时输出所依据条文的原文")] = False,
    recurring: Annotated[bool, typer.Option("--recurring", help="同时列出本辖区今后12个月的定期工作（如张掖季度线索清单、年度报告）")] = False,
) -> None:
    """办案期限：每一步的到期日、完成日、状态和依据，当前阶段和下一步，范围与程序检查。

    退出码：0 无逾期或违规，1 有逾期、违规或不属适用范围，2 文件无法读取或调用有误。
    """
    from casefile.validation import load_case
    from ecokernel.calendar import WorkCalendar, load_schedule
    from procedure.timeline import build_timeline
    from procedure.timeline.render import OUTPUTS

    if fmt not in OUTPUTS:
        raise UserError(f"不支持的输出格式“{fmt}”，可用：{'、'.join(OUTPUTS)}")
    _require_file(case_file)
    calendar = WorkCalendar(load_schedule(holidays) if holidays is not None else None)
    case = load_case(case_file)
    result = build_timeline(case, _parse_day(on), calendar, cite=cite, recurring=recurring)
    OUTPUTS[fmt](result, out)
    findings = result.breaches or [c for c in result.checks if c.severity == "error"]
    raise typer.Exit(1 if findings else 0)


@app.command()
def jurisdictions(
    on: Annotated[Optional[str], typer.Option(help="按哪一天判断法规状态（默认今天），如 2026-11-23")] = None,  # noqa: UP045
) -> None:
    """列出辖区配置及其所依据法规在某日的状态。"""
    from corpus.profiles import load_profiles

    day = _parse_day(on)
    table = Table(title=f"辖区（状态日期：{day:%Y-%m-%d}）")
    for col in ("键", "名称", "文书示范文本", "依据状态"):
        table.add_column(col)
    for key, profile in load_profiles().items():
        status = "\n".join(text for _s, _c, text in profile.status(day))
        table.add_row(key, profile.name, profile.forms.variant, status)
    out.print(table)


@app.command()
def forms() -> None:
    """列出十一种文书及其在广西、张掖示范文本中的编号。"""
    from corpus.forms import form_kinds

    table = Table()
    for col in ("代码", "文书", "广西附件2", "张掖附件"):
        table.add_column(col)
    for kind in form_kinds().values():
        table.add_row(kind.code, kind.title, kind.guangxi or "—", kind.zhangye or "—")
    out.print(table)


@app.command()
def generate(
    case_file: Annotated[Path, typer.Argument(metavar="CASE", help="案件数据文件（.yaml / .yml / .json）")],
    form: Annotated[Optional[list[str]], typer.Option("--form", help="文书种类：代码或名称（可重复），如 agreement 或 赔偿协议，见 ecoclaim forms")] = None,  # noqa: UP045
    all_forms: Annotated[bool, typer.Option("--all", help="生成案件当前阶段允许的全部文书")] = False,
    fmt: Annotated[str, typer.Option("--format", help="输出格式：docx、pdf、html 或 md")] = "docx",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="输出目录")] = None,  # noqa: UP045
    make_zip: Annotated[bool, typer.Option("--zip", help="另将全部文书和清单打包为一个 ZIP")] = False,
    template_dir: Annotated[Optional[list[Path]], typer.Option("--template-dir", help="替换模板的目录（同名模板优先，可重复）")] = None,  # noqa: UP045
    reference_docx: Annotated[Optional[Path], typer.Option("--reference-docx", help="参考 DOCX：采用其样式和页眉（版头）")] = None,  # noqa: UP045
    force: Annotated[bool, typer.Option("--force", help="覆盖输出目录中生成后被修改过的文件")] = False,
) -> None:
    """生成文书（DOCX/PDF/HTML/Markdown）和清单 manifest.json。案件数据有误时退出码为1。
    输出目录中的文件生成后被修改过（或不是本工具生成的）时不覆盖，除非加 --force。"""
    from casefile.validation import CaseError
    from docgen.dossier import generate_dossier

    if bool(form) == all_forms:
        raise UserError("请指定 --form 文书种类（可重复）或 --all（二者选一）")
    form = [_kind(f) for f in form or []]
    if output is None:
        raise UserError("请用 -o 指定输出目录")
    _require_file(case_file)
    try:
        result = generate_dossier(case_file, output, fmt=fmt, kinds=None if all_forms else form, make_zip=make_zip,
                                  template_dirs=template_dir, reference_docx=reference_docx, force=force)
    except CaseError as exc:
        _case_problems(case_file, exc, "未生成文书", 1)
    for notice in result.notices:
        out.print(f"[yellow]注意：{notice}[/yellow]")
    for g in result.generated:
        out.print(f"已生成 {output / g.file}")
    for s in result.skipped:
        out.print(f"未生成 {s.title}（{s.kind}）：{s.reason}")
    out.print(f"共生成{len(result.generated)}份文书" + (f"，跳过{len(result.skipped)}份" if result.skipped else "")
              + f"；清单：{result.manifest}" + (f"；压缩包：{result.zip_path}" if result.zip_path else ""))


@app.command()
def pack(
    case_file: Annotated[Path, typer.Argument(metavar="CASE", help="案件数据文件（.yaml / .yml / .json）")],
    step: Annotated[str, typer.Option("--for", help="申请事项：judicial_confirmation（申请司法确认）或 enforcement（申请强制执行）")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="输出目录")] = None,  # noqa: UP045
    check_only: Annotated[bool, typer.Option("--check", help="只核对材料是否齐全（读取所附文件），不生成文件")] = False,
    fmt: Annotated[str, typer.Option("--format", help="报告格式：text 或 json")] = "text",
) -> None:
    """准备提交法院的材料：申请书、法定代表人身份证明书、授权委托书、送达地址确认书、证据目录、材料清单，
    并入案件数据 materials 所列的扫描件，另生成一份带书签、目录和连续页码的合并 PDF。
    退出码：0 材料齐全，1 有待补的必需材料或案件数据有误，2 输入无法使用或调用有误。"""
    from casefile.validation import CaseError
    from docgen.pack.build import build_pack
    from docgen.pack.report import render_json, render_text

    if fmt not in ("text", "json"):
        raise UserError(f"不支持的报告格式“{fmt}”，可用：text、json")
    if output is None and not check_only:
        raise UserError("请用 -o 指定输出目录（只核对材料时用 --check）")
    _require_file(case_file)
    try:
        result = build_pack(case_file, step, None if check_only else output, check_only=check_only)
    except CaseError as exc:
        _case_problems(case_file, exc, "未准备材料", 2)
    if fmt == "json":
        sys.stdout.write(render_json(result))
    else:
        out.print(render_text(result), markup=False, end="")
    raise typer.Exit(1 if result.plan.missing else 0)


@app.command()
def ruling(
    ruling_file: Annotated[Path, typer.Argument(metavar="RULING", help="法院的民事裁定书（.pdf，也可 .docx .txt）")],
    case_file: Annotated[Path, typer.Option("--case", help="要填入的案件数据文件（.yaml / .yml）")],
    write: Annotated[bool, typer.Option("--write", help="写入案件数据文件（默认只显示改动）")] = False,
) -> None:
    """读取司法确认的民事裁定书，把案号、法院、裁定日期（及是否确认协议有效）填入案件数据的
    judicial_confirmation：先显示改动，加 --write 才写入（只改这几行，注释和顺序不变）。
    退出码：0 已写入或无需改动，1 有改动未写入，2 文件无法读取或读不出裁定信息。"""
    import difflib

    from casefile.validation import CaseError, validate_text
    from checkers.extract import read_document
    from ecokernel.files import write_atomically
    from procedure.ruling import apply_ruling, read_ruling

    _require_file(ruling_file)
    _require_file(case_file)
    if case_file.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"只能填入 YAML 格式的案件数据文件（.yaml / .yml）：{case_file}")
    facts = read_ruling(read_document(ruling_file).text)
    labels = {"ruling_number": "案号", "court": "法院", "ruling_date": "裁定日期", "confirmed": "确认协议有效"}
    found = facts.fields()
    shown = {k: ("是" if v else "否") if isinstance(v, bool) else v for k, v in found.items()}
    out.print("读出：" + "；".join(f"{labels[k]} {v}" for k, v in shown.items()), markup=False)
    if len(found) < len(labels):
        out.print("未读出：" + "、".join(v for k, v in labels.items() if k not in found) + "（请核对后手工填写）",
                  markup=False)
    try:
        old = case_file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"无法读取案件数据文件 {case_file}：{exc}") from None
    new = apply_ruling(old, facts)
    problems = [p for p in validate_text(new, suffix=case_file.suffix)[1] if p.severity == "error"]
    if problems:
        _case_problems(case_file, CaseError(problems), "未写入", 2)
    if new == old:
        out.print(f"{case_file} 已与裁定书一致，无需改动。")
        raise typer.Exit(0)
    diff = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                str(case_file), f"{case_file}（填入裁定书后）")
    out.print("".join(diff), markup=False, highlight=False, end="")
    if not write:
        out.print("（未写入；确认无误后加 --write 写入）")
        raise typer.Exit(1)

    def check(path: Path) -> None:
        if any(p.severity == "error" for p in validate_text(path.read_bytes(), suffix=case_file.suffix)[1]):
            raise UserError(f"写入后的 {case_file} 未通过校验，已保留原文件")

    write_atomically(case_file, lambda fh: fh.write(new.encode("utf-8")), check=check)
    out.print(f"已写入 {case_file}")


@series_app.command("template")
def series_template(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="基础案件文件（.yaml / .json）：各案共同的内容和一个示例赔偿义务人")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="写入的工作簿（.xlsx）")] = None,  # noqa: UP045
    installments: Annotated[Optional[int], typer.Option("--installments", help="分期列数（默认为基础案件的期数，至少3期）")] = None,  # noqa: UP045
) -> None:
    """生成系列案件工作簿：「赔偿义务人」表每行填一个赔偿义务人（列名取自案件数据模型，列名带批注说明），「说明」表逐列说明。"""
    from casefile.series import read_base, template_workbook

    if output is None:
        raise UserError("请用 -o 指定要写入的工作簿，如 -o 系列.xlsx")
    if output.suffix.lower() != ".xlsx":
        raise UserError(f"工作簿的文件名应以 .xlsx 结尾：{output}")
    if output.exists():
        raise UserError(f"{output} 已存在，为免覆盖已填写的内容，请换一个文件名")
    _require_file(base)
    data = template_workbook(read_base(base), installments)
    write_atomically(output, lambda handle: handle.write(data))
    err.print(f"已写入 {output}：在「赔偿义务人」表中每行填写一个赔偿义务人，各列说明见「说明」表；"
              f"填好后运行 ecoclaim series import {base} {output} -o 输出目录")


@series_app.command("import")
def series_import(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="基础案件文件（.yaml / .json）")],
    workbook: Annotated[Path, typer.Argument(metavar="WORKBOOK", help="填写好的系列案件工作簿（.xlsx）")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="输出目录：每行一个案件文件（行号-名称.yaml）")] = None,  # noqa: UP045
    generate: Annotated[bool, typer.Option("--generate", help="同时为每个案件生成当前阶段允许的全部文书（每案一个子目录）")] = False,
    fmt: Annotated[str, typer.Option("--format", help="--generate 的文书格式：docx、pdf、html 或 md")] = "docx",
    force: Annotated[bool, typer.Option("--force", help="覆盖输出目录中内容不同的案件文件和生成后被修改过的文书")] = False,
) -> None:
    """把工作簿的每一行（一个赔偿义务人）并入基础案件，按 validate 的规则校验，每行写出一个案件文件；
    加 --generate 时再生成每个案件的文书。有错误的行不写出任何文件（错误指明行号和列名），其他行照常写出。
    退出码：0 全部写出，1 有的行有错误，2 基础案件或工作簿无法使用。"""
    from docgen.series import import_series

    if output is None:
        raise UserError("请用 -o 指定输出目录")
    _require_file(base)
    _require_file(workbook)

    def report(outcome: Any) -> None:
        row = outcome.row
        for problem in outcome.problems:  # cell text is the user's: never read as console markup
            if problem.severity == "error":
                err.print(str(problem), style="red", markup=False)
            else:
                out.print(str(problem), style="yellow", markup=False)
        if outcome.ok:
            made = f"，文书{len(outcome.dossier.generated)}份在 {output / row.stem}" if outcome.dossier else ""
            out.print(f"第{row.number}行 {row.name}：已写出 {outcome.case_file}{made}", markup=False)
        else:
            err.print(f"第{row.number}行 {row.name}：有错误，未写出任何文件", markup=False)

    result = import_series(base, workbook, output, generate=fmt if generate else None, force=force, progress=report)
    done = len(result.outcomes) - len(result.failed)
    out.print(f"共{len(result.outcomes)}行：写出{done}个案件" + ("（含文书）" if generate else "")
              + (f"，{len(result.failed)}行有错误未写出" if result.failed else ""))
    raise typer.Exit(1 if result.failed else 0)



@corpus_app.command("show")
def corpus_show(address: Annotated[str, typer.Argument(help="法规地址，如 guangxi:21、nantong:(六)、zhangye:附件[4]")]) -> None:
    """显示一个法规条文（含其项）。"""
    from corpus import load_corpus

    corpus = load_corpus()
    unit = corpus.get(address)
    out.print(f"[bold]{corpus.cite(unit.address)}[/bold]  （{unit.address}）")
    status = corpus.sources[unit.source].status
    if status == "draft":
        out.print("[yellow]注意：该文件为征求意见稿，尚未生效。[/yellow]")
    if not unit.verbatim:
        out.print("[yellow]注意：以下为要旨摘录，非官方原文。[/yellow]")
    out.print(unit.text)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址（默认只在本机 127.0.0.1；内网服务可用 0.0.0.0）")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[int, typer.Option(help="工作进程数")] = 1,
) -> None:
    """启动网页服务和 HTTP 接口（网页在 /，接口文档在 /docs）。设置 ECOCLAIM_TOKEN 后接口须带访问令牌。
    启动前，案件台账中按此前的辖区配置、期限规则或节假日安排计算的期限先重新计算（ECOCLAIM_RECOMPUTE_ON_START=0 则只提示）。"""
    from caseregister.recompute import at_start
    from service.run import run_server

    if workers < 1:
        raise UserError("--workers 至少为 1")
    shown = f"[{host}]" if ":" in host else host
    out.print(f"ecoclaim 网页服务：http://{shown}:{port}/  （接口文档：http://{shown}:{port}/docs）")
    if os.environ.get("ECOCLAIM_TOKEN"):
        out.print("已启用访问令牌（ECOCLAIM_TOKEN）：/api 请求须带 Authorization: Bearer <令牌>")
    if os.environ.get("ECOCLAIM_PASSWORD_HASH", "").strip() == "test":
        err.print("[red]警告：ECOCLAIM_PASSWORD_HASH=test 是测试用的低强度密码散列参数，正式服务不得使用。[/red]")
    for line in at_start():  # before the first request: the board never shows deadlines known to be stale
        out.print(line)
    out.print("按 Ctrl+C 停止。")
    try:
        run_server(host, port, workers)
    except OSError as exc:
        raise UserError(f"无法在 {host}:{port} 启动服务：{exc.strerror or exc}") from None


@corpus_app.command("search")
def corpus_search(
    term: Annotated[str, typer.Argument(help="检索词")],
    source: Annotated[Optional[str], typer.Option(help="只在某一法规中检索，如 guangxi")] = None,  # noqa: UP045
) -> None:
    """列出某个词语出现的条文。"""
    from corpus import load_corpus

    hits = load_corpus().search(term, source=source)
    if not hits:
        out.print(f"未找到“{term}”。")
        raise typer.Exit(1)
    for hit in hits:
        out.print(f"[bold]{hit.unit.address}[/bold]\t{hit.snippet}")
    out.print(f"共{len(hits)}处。")


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="要审查的文书（.docx .pdf .txt .md .html）")],
    doc_type: Annotated[Optional[str], typer.Option("--type", help="文书种类：代码或名称，如 agreement 或 赔偿协议（默认自动识别）")] = None,  # noqa: UP045
    jurisdiction: Annotated[Optional[str], typer.Option("--jurisdiction", help="辖区：代码或名称，如 zhangye 或 张掖（默认自动识别）")] = None,  # noqa: UP045
    fmt: Annotated[str, typer.Option("--format", help="输出格式：text、json、sarif、html；docx 为带批注的原文书（仅限一份 DOCX，须给 -o）")] = "text",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="写入文件（默认输出到屏幕）")] = None,  # noqa: UP045
    case_file: Annotated[Optional[Path], typer.Option("--case", help="案件数据文件：核对文书中的当事人名称、证件号码与案件数据是否一致")] = None,  # noqa: UP045
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="文本格式只列出有问题的文书和最后的汇总")] = False,
    author: Annotated[str, typer.Option("--author", help="批注的作者（--format docx）")] = "ecoclaim 审查",
    suggest: Annotated[bool, typer.Option("--suggest", help="有明确改法的问题（大写金额、文号括号）另作修订（--format docx）")] = False,
    select: Annotated[Optional[str], typer.Option("--select", help="只运行这些规则（逗号分隔的代码或前缀，如 AGR-,AMT-WORDS），替代审查配置中的 select")] = None,  # noqa: UP045
    ignore: Annotated[Optional[str], typer.Option("--ignore", help="不运行这些规则（逗号分隔的代码或前缀），加在审查配置的 ignore 之后")] = None,  # noqa: UP045
) -> None:
    """审查文书（可给文件夹，递归查找 .docx .pdf .txt .md .html）的必备要素、前后一致性和法定限额。
    无错误时退出码0，有错误时为1，文件无法读取时为2；不属于审查范围的文书列为“跳过”。"""
    from checkers.check import (
        KINDS,
        Skipped,
        Unreadable,
        against_case,
        check_files,
        expand_paths,
    )
    from checkers.report import FORMATS, render

    if fmt not in (*FORMATS, "docx"):
        raise UserError(f"不支持的输出格式“{fmt}”，可用：{'、'.join((*FORMATS, 'docx'))}")
    if fmt == "docx" and (output is None or len(files) != 1 or files[0].suffix.lower() != ".docx"):
        raise UserError("带批注的审查结果（--format docx）只能由一份 DOCX 文书生成，并须用 -o 指定输出文件")
    doc_type = _kind(doc_type, KINDS)
    jurisdiction = _jurisdiction(jurisdiction)
    from checkers.packfolder import check_pack, missing_report, split_packs

    given = files
    files, packs = split_packs(files)  # court pack folders (issue 11 §4): each file as what it is
    files = expand_paths(files)
    if not files and not packs:
        raise UserError(f"没有找到可审查的文书（{'、'.join(str(f) for f in given)} 中没有 .docx .pdf .txt .md .html 文件）")
    if len(files) > 3 and sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("审查中", total=len(files))
            results = check_files(files, doc_type, jurisdiction, progress=lambda: bar.advance(task),
                                  select=_codes(select), ignore=_codes(ignore))
    else:
        results = check_files(files, doc_type, jurisdiction, select=_codes(select), ignore=_codes(ignore)) if files else []
    for pack in packs:
        results += check_pack(pack, jurisdiction, select=_codes(select), ignore=_codes(ignore))
    reports = [r for r in results if not isinstance(r, Unreadable | Skipped)]
    if case_file is not None:
        from casefile.validation import load_case

        against_case(load_case(case_file), str(case_file), reports)
    unreadable = [r for r in results if isinstance(r, Unreadable)]
    skipped = [r for r in results if isinstance(r, Skipped)]
    for message in unreadable:
        err.print(f"错误：{message}", markup=False)
    for s in skipped:
        err.print(f"跳过：{s.file}：{s.reason}", markup=False)
    if reports and fmt == "docx":
        _write_commented(files[0], reports[0], output, author, suggest)  # type: ignore[arg-type]
    elif reports:
        color = output is None and fmt == "text" and sys.stdout.isatty()
        shown = [r for r in reports if r.findings or r.not_evaluated] if quiet and fmt == "text" else reports
        problems = [("unreadable", u.file, u.reason) for u in unreadable] + [
            ("skipped", s.file, s.reason) for s in skipped]
        _emit(render(shown, fmt, color=color, problems=problems) if shown else "", output)
    if fmt == "text" and (len(results) > 1 or quiet):
        errors = sum(r.errors for r in reports)
        warnings = sum(r.warnings for r in reports)
        err.print(f"汇总：{len(results)}个文件，审查{len(reports)}份，错误{errors}处，警告{warnings}处，"
                  f"有问题的文书{sum(1 for r in reports if r.errors)}份，跳过{len(skipped)}份，无法读取{len(unreadable)}份",
                  markup=False)
    for pack in packs:  # what the filing desk would ask for: one complete list per pack
        (out if fmt == "text" and output is None else err).print("\n".join(missing_report(pack)), markup=False)
    if unreadable:
        raise typer.Exit(2)
    raise typer.Exit(1 if any(r.errors for r in reports) or any(p.missing() for p in packs) else 0)


def _codes(option: str | None) -> list[str]:
    """Rule codes or prefixes from a --select/--ignore option ("AGR-,AMT-WORDS"), checked against the rules."""
    if not option:
        return []
    from checkers.rules import load_rules

    codes = [c.strip().upper() for c in option.replace("，", ",").split(",") if c.strip()]
    rules = load_rules()
    # a department's own rules (DEPT-…) are known only with the playbook of each file
    unknown = [c for c in codes if not c.startswith("DEPT-")
               and not any(r == c or (c.endswith("-") and r.startswith(c)) for r in rules)]
    if unknown:
        raise UserError(f"没有这样的规则：{'、'.join(unknown)}（规则代码见 docs/rules/ 或 ecoclaim explain）")
    return codes


@app.command()
def playbook(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="文书所在的文件夹（向上查找审查配置）")] = Path("."),
) -> None:
    """显示对某文件夹生效的审查配置（ecoclaim.toml 或 pyproject.toml 的 [tool.ecoclaim]），并用本单位自定规则的
    示例逐条检验：每条规则在 pass 示例上不报告、在 fail 示例上报告。有规则不符时退出码为1。"""
    from checkers.check import fixture_failures
    from checkers.policy import find_policy

    policy = find_policy(folder)
    if policy.source is None:
        out.print(f"{folder} 及其上级文件夹中没有审查配置：使用全部内置规则。")
        raise typer.Exit(0)
    out.print(f"审查配置：{policy.source}", markup=False)
    out.print(f"默认辖区：{policy.jurisdiction or '（自动识别）'}；只运行：{'、'.join(policy.select) or '全部'}；"
              f"不运行：{'、'.join(policy.ignore) or '无'}；调整严重程度：{len(policy.severity)}条", markup=False)
    for rule in policy.own_rules:
        out.print(f"本单位规则 {rule.code} {rule.title}（{rule.source_file}）：{rule.basis_text}", markup=False)
    failures = fixture_failures(policy)
    for line in failures:
        err.print(f"示例不符：{line}", markup=False)
    if policy.own_rules:
        out.print(f"本单位规则 {len(policy.own_rules)} 条，示例检验{'全部通过' if not failures else f'有{len(failures)}处不符'}。")
    raise typer.Exit(1 if failures else 0)


@app.command()
def accept(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="审查过的文书")],
    rule: Annotated[str, typer.Argument(metavar="RULE", help="接受其问题的规则代码，如 INST-LENGTH")],
    reason: Annotated[str, typer.Option("--reason", help="接受的理由（必填，写入记录）")],
    by: Annotated[Optional[str], typer.Option("--by", help="接受人")] = None,  # noqa: UP045
) -> None:
    """接受一份文书中某条规则发现的问题（写明理由）：记录在文书所在文件夹的 .ecoclaim-accepted.yaml，
    按文书内容的 SHA-256 识别；此后审查这一版本时该问题列为“已接受”，文书改动后重新报告。"""
    from checkers.policy import accept as record
    from checkers.rules import load_rules
    from ecokernel import clock

    _require_file(file)
    code = rule.strip().upper()
    if code not in load_rules():
        raise UserError(f"没有这样的规则：{rule}（规则代码见 docs/rules/ 或 ecoclaim explain）")
    if len(reason.strip()) < 2:
        raise UserError("请用 --reason 写明接受的理由")
    sidecar = record(file, code, reason.strip(), by, clock.today())
    err.print(f"已记录：{file.name} 的 {code} 问题已接受（{sidecar}）")


def _write_commented(source: Path, report: object, output: Path, author: str, suggest: bool) -> None:
    """Write the reviewed DOCX with each finding as a Word comment (atomically: all or nothing)."""
    from checkers.report.word import annotate

    result = annotate(source, report, author=author, suggest=suggest)  # type: ignore[arg-type]
    write_atomically(output, lambda handle: handle.write(result.data))
    placed = sum(a is not None for a in result.anchors)
    err.print(f"已写入 {output}（{placed}条批注" + (f"，{result.suggested}处修订建议" if suggest else "") + "）")


@app.command()
def init(
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="辖区：代码或名称，如 zhangye 或 张掖")],
    obligor: Annotated[str, typer.Option("--obligor", help="赔偿义务人类型：单位 或 个人")] = "单位",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="写入的案件文件（默认输出到屏幕）")] = None,  # noqa: UP045
) -> None:
    """生成带中文说明的案件数据模板：必填项留空待填，选填项和后续阶段以“#”注释备用；填写后用 ecoclaim validate 校验。"""
    from casefile.skeleton import obligor_kind, skeleton
    from corpus.profiles import jurisdiction_key

    text = skeleton(jurisdiction_key(jurisdiction), obligor_kind(obligor))
    if output is not None and output.exists():
        raise UserError(f"{output} 已存在，为免覆盖已填写的内容，请换一个文件名")
    _emit(text, output)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="原来的版本")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="新的版本")],
    doc_type: Annotated[Optional[str], typer.Option("--type", help="文书种类（默认按新版本自动识别）")] = None,  # noqa: UP045
    jurisdiction: Annotated[Optional[str], typer.Option("--jurisdiction", help="辖区（默认自动识别）")] = None,  # noqa: UP045
    fmt: Annotated[str, typer.Option("--format", help="输出格式：text、json、html")] = "text",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="写入文件（默认输出到屏幕）")] = None,  # noqa: UP045
) -> None:
    """比较同一文书的两个版本（如两轮磋商之间的协议稿）：当事人、金额、日期和各条款（要素）的变化，以及逐行的文字差异。
    两版相同时退出码0，有变化时为1，文件无法读取时为2。"""
    from checkers.check import KINDS, read_file
    from checkers.compare import compare, render_comparison

    if fmt not in ("text", "json", "html"):
        raise UserError(f"不支持的输出格式“{fmt}”，可用：text、json、html")
    doc_type = _kind(doc_type, KINDS)
    jurisdiction = _jurisdiction(jurisdiction)
    docs = []
    for path in (old, new):
        _require_file(path)
        doc = read_file(path)
        doc.file = str(path)
        docs.append(doc)
    result = compare(docs[0], docs[1], doc_type, jurisdiction)
    _emit(render_comparison(result, fmt), output)
    raise typer.Exit(1 if result.changed else 0)


def _emit(text: str, output: Path | None) -> None:
    """A report to ``output`` (UTF-8) or to standard output."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ecokernel.sourcefile import os_error_text

    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"无法写入 {output}：{os_error_text(exc)}") from None
    err.print(f"已写入 {output}")


@app.command()
def explain(rule: Annotated[str, typer.Argument(metavar="RULE", help="规则代码，如 AGR-BREACH")]) -> None:
    """说明一条审查规则：要求、示例（通过/不通过）和所依据的条文。"""
    from checkers.rules.explain import explain_rule

    out.print(explain_rule(rule), markup=False)


_CLICK_HINTS = {
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "No such option": "没有这个选项",
    "No such command": "没有这个命令",
    "Invalid value": "取值无效",
    "Got unexpected extra argument": "多余的参数",
    "requires an argument": "需要一个取值",
}


def _kind(value: str | None, kinds: tuple[str, ...] | None = None) -> Any:
    """A form kind given by code or Chinese name (``agreement``, ``赔偿协议``); None stays None."""
    from corpus.forms import form_kinds, kind_code

    if value is None:
        return None
    code = kind_code(value, kinds)
    if code is None:
        catalogue = form_kinds()
        choices = "、".join(f"{k}（{catalogue[k].title}）" for k in kinds or catalogue)
        raise UserError(f"未知文书种类“{value}”，可用：{choices}")
    return code


def _jurisdiction(value: str | None) -> str | None:
    """A jurisdiction given by key or Chinese name (``zhangye``, ``张掖``); None stays None."""
    from corpus.profiles import jurisdiction_key

    return None if value is None else jurisdiction_key(value)


#: the words typer writes in English around our Chinese help texts: headings, the help option,
#: default/required marks (substrings of a help row are replaced in order)
_HELP_WORDS = {
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
}
_USAGE_WORDS = (("[OPTIONS]", "[选项]"), ("COMMAND", "命令"), ("[ARGS]", "[参数]"))
_HELP_PHRASES = (
    ("Show this message and exit.", "显示本帮助并退出。"),
    ("[default: ", "[默认："),
    ("[required]", "[必填]"),
    ("[env var: ", "[环境变量："),
)


class _ChineseHelp(typer._click.formatting.HelpFormatter):
    """Help reads in Chinese whatever the locale: the usage prefix, headings and marks."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese_text in _USAGE_WORDS:
            args = args.replace(english, chinese_text)
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HELP_WORDS.get(heading, heading)}：\n")

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        def chinese(text: str) -> str:
            for english, chinese_text in _HELP_PHRASES:
                text = text.replace(english, chinese_text)
            return text

        super().write_dl([(term, chinese(text)) for term, text in rows], *args, **kwargs)


typer._click.core.Context.formatter_class = _ChineseHelp


class Terminated(BaseException):
    """SIGTERM arrived. A ``BaseException`` (like ``KeyboardInterrupt``) so that no ``except Exception``
    swallows it, while every ``finally`` on the way out still runs: the staging folder, the
    LibreOffice profile and the soffice process group are removed exactly as on Ctrl+C."""


def _terminate(signum: int, _frame: object) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT):  # a second signal must not interrupt the clean-up
        signal.signal(sig, signal.SIG_IGN)
    raise Terminated(signum)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 findings/errors in the input, 2 unusable call/input,
    130 interrupted by SIGINT / Ctrl+C, 143 terminated by SIGTERM — 128 + the signal's number)."""
    if threading.current_thread() is not threading.main_thread():  # signals go to the main thread only
        return _run(argv)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(argv)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(argv: list[str] | None) -> int:
    try:
        rv = app(args=argv, prog_name="ecoclaim", standalone_mode=False)
    except Terminated:
        err.print("已终止。")
        return 128 + signal.SIGTERM
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("已中止。")
        return 130
    except typer.TyperException as exc:  # usage errors of the (vendored) click layer
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":
            out.print(message)
            return 0
        for en, zh in _CLICK_HINTS.items():
            message = message.replace(en, zh)
        err.print(f"用法错误：{message}\n（运行 ecoclaim --help 查看用法）")
        return 2
    except UserError as exc:  # messages quote file names and cell text: never read as console markup
        err.print(f"错误：{exc}", markup=False)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("ECOCLAIM_DEBUG"):
            raise
        err.print(f"内部错误：{type(exc).__name__}: {exc}\n请将所用命令和输入文件反馈给开发者（设置 ECOCLAIM_DEBUG=1 可查看详细信息）。",
                  markup=False)
        return 3
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
