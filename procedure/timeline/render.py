"""Render a timeline: text (rich), JSON (the stable shape of ``Timeline.to_dict``) and iCalendar.

The ICS output is written by hand per RFC 5545: CRLF line ends, lines folded at 75 octets
without splitting a UTF-8 character, TEXT values escaped; one all-day VEVENT per open deadline
(and per recurring duty, when listed), with the basis in the description.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from rich.console import Console
from rich.table import Table
from rich.text import Text

from procedure.timeline.result import Basis, Step, Timeline

_STYLE = {
    "in_time": "green", "ok": "green", "late": "red", "overdue": "bold red", "violated": "red",
    "due": "yellow", "paused": "cyan", "pending": "dim", "closed": "dim",
}
_SEVERITY = {"error": ("red", "错误"), "warning": ("yellow", "提示"), "info": ("cyan", "说明")}


# -- JSON --------------------------------------------------------------------------------------


def to_json(timeline: Timeline) -> str:
    return json.dumps(timeline.to_dict(), ensure_ascii=False, indent=2)


# -- text --------------------------------------------------------------------------------------


#: The general period-counting rules, cited on every computed period: listed once in text output.
_COUNTING = ("minsufa:85", "minfadian:201", "minfadian:202")


def _basis_text(basis: list[Basis], *, brief: bool = False) -> str:
    shown = [b.address for b in basis if not (brief and b.address in _COUNTING)]
    return "、".join(shown) or "赔偿协议约定"


def _due_text(step: Step) -> str:
    if step.due is None:
        return "—"
    text = step.due.isoformat() + ("＊" if step.estimated else "")
    if step.moved_from:
        text += f"\n（原{step.moved_from.isoformat()}）"
    return text


def render_text(timeline: Timeline, console: Console) -> None:
    """Print the timeline for a person: header, steps table, checks, stage and next steps, notes."""
    tl = timeline
    head = f"{tl.case_name}" + (f"（{tl.case_number}）" if tl.case_number else "")
    console.print(Text(head, style="bold"))
    console.print(Text(f"适用辖区：{tl.jurisdiction_name}（{tl.jurisdiction}）    评估日期：{tl.on.isoformat()}"))
    since = f"（自{tl.stage.since.isoformat()}）" if tl.stage.since else ""
    console.print(Text(f"当前阶段：{tl.stage.label}{since}", style="bold"))

    table = Table(title="办案期限", show_lines=True)
    for col in ("#", "步骤", "起算", "期限", "到期日", "完成", "状态", "依据"):
        table.add_column(col, overflow="fold")
    for i, s in enumerate(tl.steps, start=1):
        start = f"{s.start.label}\n{s.start.date.isoformat()}" if s.start else "—"
        done = f"{s.done.label}\n{s.done.date.isoformat()}" if s.done else "—"
        table.add_row(str(i), s.title, start, s.limit.text if s.limit else "约定", _due_text(s), done,
                      Text(s.status_label, style=_STYLE.get(s.status, "")), _basis_text(s.basis, brief=True))
    console.print(table)
    console.print(Text("期间计算：开始之日不计入，末日为法定休假日的顺延至休假日后第一日，按月、年计算的以到期月对应日为末日"
                       "（minsufa:85、minfadian:201—203）；期限未注明工作日的按自然日计算"))

    notes = [(i, s) for i, s in enumerate(tl.steps, start=1) if s.notes]
    if notes:
        console.print(Text("说明：", style="bold"))
        for i, s in notes:
            console.print(Text(f"  {i}. {s.title}：" + "；".join(s.notes)))
    if any(s.estimated for s in tl.steps):
        console.print(Text("  ＊到期日的计算用到了节假日安排未知的年份（估算），见下方日历提示", style="yellow"))

    if tl.checks:
        console.print(Text("范围、程序检查：", style="bold"))
        for c in tl.checks:
            style, word = _SEVERITY[c.severity]
            basis = f"（依据：{_basis_text(c.basis)}）" if c.basis else ""
            console.print(Text(f"  [{word}] {c.message}{basis}", style=style))

    if tl.next:
        console.print(Text("下一步：", style="bold"))
        for n in tl.next:
            console.print(Text(f"  - {n.text}"))

    for fee in tl.fees:
        howmuch = f"{fee.amount:,.2f}元" if fee.amount is not None else \
            (f"每件{fee.amount_range[0]:,.0f}元至{fee.amount_range[1]:,.0f}元" if fee.amount_range else "—")
        base = f"（以执行金额{fee.base:,.2f}元计）" if fee.base else "（没有执行金额）"
        console.print(Text(f"{fee.title}：{howmuch}{base}；{fee.note}（依据：{_basis_text(fee.basis)}）"))

    if tl.recurring:
        console.print(Text("本辖区的定期工作：", style="bold"))
        for r in tl.recurring:
            rest = "（该日为休息日，宜提前报送）" if r.rest_day else ""
            console.print(Text(f"  - {r.due.isoformat()}前：{r.title}{rest}（依据：{_basis_text(r.basis)}）"))

    for w in tl.calendar_warnings:
        console.print(Text(f"日历提示（{w.year}年）：{w.message}", style="yellow" if w.severity == "warning" else ""))
    for src in tl.sources:
        if src.status != "in_force":
            console.print(Text(f"依据状态：{src.message}", style="yellow"))

    cited = _cited(tl)
    if any(b.text for b in cited):
        console.print(Text("条文：", style="bold"))
        for b in cited:
            if b.text:
                console.print(Text(f"【{b.address}】{b.citation}", style="bold"))
                console.print(Text(b.text))


def _cited(tl: Timeline) -> list[Basis]:
    seen: dict[str, Basis] = {}
    groups: Iterable[list[Basis]] = [s.basis for s in tl.steps] + [c.basis for c in tl.checks] + \
        [r.basis for r in tl.recurring] + [f.basis for f in tl.fees]
    for group in groups:
        for b in group:
            seen.setdefault(b.address, b)
    return list(seen.values())


# -- iCalendar ---------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


_TOKEN = re.compile(r"\\.|.", re.DOTALL)


def _fold(line: str) -> list[str]:
    """Split a content line into chunks of at most 75 octets (continuations start with a space).

    A UTF-8 character and an escape sequence (``\\n``, ``\\,``) are never split.
    """
    out: list[str] = []
    current, size = "", 0
    for token in _TOKEN.findall(line):
        n = len(token.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += token
        size += n
    out.append(current)
    return out


def _uid(tl: Timeline, code: str, n: int, due: str) -> str:
    digest = hashlib.sha1(f"{tl.jurisdiction}|{tl.case_number}|{tl.case_name}".encode()).hexdigest()[:12]
    return f"{digest}-{code}-{n}-{due}@ecoclaim"


def _event(uid: str, stamp: str, day: str, next_day: str, summary: str,
           description: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day}",
        f"DTEND;VALUE=DATE:{next_day}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _describe(step: Step, tl: Timeline) -> str:
    lines = [f"案件：{tl.case_name}", f"状态（{tl.on.isoformat()}）：{step.status_label}"]
    if step.start:
        lines.append(f"起算：{step.start.label} {step.start.date.isoformat()}")
    if step.limit:
        lines.append(f"期限：{step.limit.text}")
    lines += step.notes
    lines += [f"依据：{b.citation}（{b.address}）" for b in step.basis] or ["依据：赔偿协议约定"]
    lines += [f"日历提示：{w.message}" for w in step.warnings]
    return "\n".join(lines)


def to_ics(timeline: Timeline, stamp: datetime | None = None) -> str:
    """The open deadlines (and listed recurring duties) as an iCalendar file (RFC 5545)."""
    return calendar_ics(timeline.case_name + " 办案期限", [timeline], stamp)


def calendar_ics(name: str, timelines: Iterable[Timeline], stamp: datetime | None = None) -> str:
    """One iCalendar file (RFC 5545) named ``name`` with the open deadlines (and listed recurring
    duties) of every timeline given (several cases in one feed, as the case register serves)."""
    stamp_text = (stamp or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ecoclaim//timeline//ZH", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}",
    ]
    for tl in timelines:
        lines += _timeline_events(tl, stamp_text)
    lines.append("END:VCALENDAR")
    return "".join(chunk + "\r\n" for line in lines for chunk in _fold(line))


def _timeline_events(tl: Timeline, stamp_text: str) -> list[str]:
    lines: list[str] = []
    for n, s in enumerate(tl.steps):
        if not s.is_open or s.due is None:
            continue
        day, nxt = s.due.strftime("%Y%m%d"), (s.due + timedelta(days=1)).strftime("%Y%m%d")
        mark = "（估算）" if s.estimated else ""
        lines += _event(_uid(tl, s.code, n, day), stamp_text, day, nxt,
                        f"【{s.status_label}】{s.title}{mark}：{tl.case_name}", _describe(s, tl))
    for n, r in enumerate(tl.recurring):
        day, nxt = r.due.strftime("%Y%m%d"), (r.due + timedelta(days=1)).strftime("%Y%m%d")
        desc = "\n".join([f"{tl.jurisdiction_name}定期工作，{r.due.isoformat()}前完成",
                          *[f"依据：{b.citation}（{b.address}）" for b in r.basis],
                          *[f"日历提示：{w.message}" for w in r.warnings]])
        lines += _event(_uid(tl, r.code, n, day), stamp_text, day, nxt, r.title, desc)
    return lines


# -- output formats ----------------------------------------------------------------------------------

#: output format → printer of a timeline to a console (``ecoclaim timeline --format``)
OUTPUTS: dict[str, Callable[[Timeline, Console], None]] = {
    "text": render_text,
    "json": lambda timeline, console: console.file.write(to_json(timeline) + "\n"),
    "ics": lambda timeline, console: console.file.write(to_ics(timeline)),
}
