"""Command line: ``python cli.py …`` or the installed ``ecoclaim`` script.

Every command prints Chinese messages; a ``UserError`` ends with its message (exit 2), never a
traceback. Set ``ECOCLAIM_DEBUG=1`` to see tracebacks of internal errors.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from docgen.errors import UserError

app = typer.Typer(
    help="生态环境损害赔偿文书工具：案件数据校验、法规查询、辖区配置。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
corpus_app = typer.Typer(help="查询法规库：按地址显示条文、按词语检索。", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _parse_day(text: str | None) -> date:
    if text is None:
        return date.today()
    from docgen.cnfmt import parse_cn_date

    return parse_cn_date(text)


@app.command()
def schema() -> None:
    """输出案件数据的 JSON Schema。"""
    from docgen.model import Case

    out.print_json(json.dumps(Case.model_json_schema(), ensure_ascii=False))


@app.command()
def validate(
    case_file: Annotated[Path, typer.Argument(metavar="CASE", help="案件数据文件（.yaml / .yml / .json）")],
    fmt: Annotated[str, typer.Option("--format", help="输出格式：text 或 json")] = "text",
    on: Annotated[Optional[str], typer.Option(help="按哪一天判断法规状态（默认今天）")] = None,  # noqa: UP045
) -> None:
    """校验案件数据，列出全部问题（字段路径和行号）。无错误时退出码0，有错误时为1。"""
    from docgen.summary import summary_rows
    from docgen.validation import validate_file

    if not case_file.exists():
        raise UserError(f"找不到文件：{case_file}")
    case, problems = validate_file(case_file)
    errors = [p for p in problems if p.severity == "error"]
    if fmt == "json":
        payload = {"file": str(case_file), "valid": not errors,
                   "problems": [p.model_dump() for p in problems]}
        out.print_json(json.dumps(payload, ensure_ascii=False))
    elif fmt == "text":
        for p in problems:
            style = "red" if p.severity == "error" else "yellow"
            out.print(f"[{style}]{case_file}: {p}[/{style}]")
        if case is not None:
            table = Table(show_header=False, box=None, pad_edge=False)
            table.add_column(no_wrap=True)
            table.add_column(overflow="fold")
            for label, value in summary_rows(case, _parse_day(on)):
                table.add_row(f"[bold]{label}[/bold]", value)
            out.print(table)
        warnings = len(problems) - len(errors)
        verdict = "通过" if not errors else f"未通过：{len(errors)}处错误"
        out.print(f"{case_file}: 校验{verdict}" + (f"，{warnings}处提示" if warnings else ""))
    else:
        raise UserError(f"不支持的输出格式“{fmt}”，可用：text、json")
    raise typer.Exit(1 if errors else 0)


@app.command()
def jurisdictions(
    on: Annotated[Optional[str], typer.Option(help="按哪一天判断法规状态（默认今天），如 2026-11-23")] = None,  # noqa: UP045
) -> None:
    """列出辖区配置及其所依据法规在某日的状态。"""
    from docgen.jurisdictions import load_profiles

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
    from docgen.forms import form_kinds

    table = Table()
    for col in ("代码", "文书", "广西附件2", "张掖附件"):
        table.add_column(col)
    for kind in form_kinds().values():
        table.add_row(kind.code, kind.title, kind.guangxi or "—", kind.zhangye or "—")
    out.print(table)


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


_CLICK_HINTS = {
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "No such option": "没有这个选项",
    "No such command": "没有这个命令",
    "Invalid value": "取值无效",
    "Got unexpected extra argument": "多余的参数",
    "requires an argument": "需要一个取值",
}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 findings/errors in the input, 2 unusable call/input)."""
    try:
        rv = app(args=argv, prog_name="ecoclaim", standalone_mode=False)
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
    except UserError as exc:
        err.print(f"错误：{exc}")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("ECOCLAIM_DEBUG"):
            raise
        err.print(f"内部错误：{type(exc).__name__}: {exc}\n请将所用命令和输入文件反馈给开发者（设置 ECOCLAIM_DEBUG=1 可查看详细信息）。")
        return 3
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
