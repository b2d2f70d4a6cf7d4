"""Terminal report: per file, findings grouped by severity, each with the quoted passage,
its basis and the suggestion. Colour via rich markup when writing to a terminal."""

from __future__ import annotations

from io import StringIO

from checkers.findings import Finding, Report
from corpus.forms import form_kinds

_GROUPS = [("error", "错误", "red"), ("warning", "警告", "yellow"), ("info", "提示", "cyan")]
_KINDS = {code: kind.title for code, kind in form_kinds().items()}


def where(f: Finding) -> str:
    loc = f.location
    if loc is None:
        return "全文"
    parts = []
    if loc.page:
        parts.append(f"第{loc.page}页")
    if loc.table:
        parts.append(f"表{loc.table}第{loc.row}行第{loc.cell}格")
    elif loc.paragraph:
        parts.append(f"第{loc.paragraph}段")
    if loc.line and not loc.paragraph:
        parts.append(f"第{loc.line}行")
    return "".join(parts) or "全文"


def render_text(reports: list[Report], *, color: bool = False, problems: list[tuple[str, str, str]] | None = None) -> str:
    """Text for a terminal (the CLI lists the files that gave no report, ``problems``, on standard error)."""
    from rich.console import Console
    from rich.markup import escape

    buf = StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, highlight=False, width=110,
                      soft_wrap=True)
    for report in reports:
        kind = _KINDS.get(report.doc_type or "", report.doc_type or "未识别")
        console.print(f"[bold]{escape(report.file)}[/bold]  {kind} · 辖区 {report.jurisdiction}")
        for note in report.notes:
            console.print(f"  [dim]{escape(note)}[/dim]")
        for severity, label, style in _GROUPS:
            group = [f for f in report.findings if f.severity == severity]
            if not group:
                continue
            console.print(f"  [{style} bold]{label}（{len(group)}）[/{style} bold]")
            for f in group:
                console.print(f"    [{style}]{f.rule}[/{style}] {escape(f.message)}  [dim]{where(f)}[/dim]")
                if f.location and f.location.text:
                    console.print(f"      [dim]│[/dim] “{escape(f.location.text)}”")
                if f.basis:
                    cites = "；".join(escape(b.label) for b in f.basis)
                    console.print(f"      [dim]依据：{cites}[/dim]")
                if f.suggestion:
                    console.print(f"      [green]建议：[/green]{escape(f.suggestion)}")
        if report.accepted:
            console.print(f"  [blue bold]已接受（{len(report.accepted)}）[/blue bold]")
            for a in report.accepted:
                who = "，".join(x for x in (a.by, a.date) if x)
                console.print(f"    [blue]{a.finding.rule}[/blue] {escape(a.finding.message)}  "
                              f"[dim]理由：{escape(a.reason)}{'（' + escape(who) + '）' if who else ''}[/dim]")
        if report.not_evaluated:
            console.print(f"  [magenta bold]未能核对（{len(report.not_evaluated)}）[/magenta bold]")
            for u in report.not_evaluated:
                console.print(f"    [magenta]{u.rule}[/magenta] {escape(u.title)}：{escape(u.reason)}")
        console.print(f"  [dim]{report.coverage.line}[/dim]")
        console.print(f"  [bold]{report.verdict}[/bold]\n")
    return buf.getvalue().rstrip("\n") + "\n"
