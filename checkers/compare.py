"""Compare two versions of a document, the question a reviewer asks between two rounds of 磋商: what
changed in the parties, the amounts, the dates and each required element, plus a plain text diff.

Both versions are read and understood the same way the checker reads them (kind, elements, typed
values), so an element compares by what it says wherever it moved and however it is numbered.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from html import escape
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from checkers.check import body_only, guess_jurisdiction, guess_kind
from checkers.document import Document
from checkers.rules.engine import Context, detect, field_regex
from checkers.rules.registry import Rule, load_rules
from ecokernel import clock
from ecokernel.errors import UserError

Change = Literal["unchanged", "changed", "added", "removed"]


class ElementChange(BaseModel):
    element: str
    title: str
    change: Change
    old: str | None = None
    new: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def change_label(self) -> str:
        """The change in Chinese (新增, 删除, 修改, 未变), for readers of the JSON such as the web page."""
        return _CHANGE[self.change]


class ValueChange(BaseModel):
    what: Literal["amount", "date", "party", "identifier"]
    change: Literal["added", "removed"]
    value: str
    context: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        """What changed how, in Chinese: 新增金额, 删除日期, …"""
        return _CHANGE[self.change] + _WHAT[self.what]


class Comparison(BaseModel):
    """Two versions compared: per element, per value, and the text diff."""

    old: str
    new: str
    doc_type: str
    jurisdiction: str
    elements: list[ElementChange] = Field(default_factory=list)
    values: list[ValueChange] = Field(default_factory=list)
    text_diff: list[str] = Field(default_factory=list, description="unified diff of the text lines")

    @property
    def changed(self) -> bool:
        return bool(self.values or self.text_diff or any(e.change != "unchanged" for e in self.elements))


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


#: how much of a section stands for its element (a long section is cut, the text diff has the rest)
MAX_SECTION = 600


def _element_text(ctx: Context, span: tuple[int, int]) -> str:
    """What an element says: the section its heading opens (when found by its heading), else the
    lines that hold the passage that was recognised. A recognised region longer than a section is
    not a passage (e.g. the span between two parties' seals): only its first line stands for it."""
    stack = list(ctx.seg.sections)
    while stack:
        section = stack.pop()
        if section.start == span[0]:
            return ctx.text[section.start:min(section.end, section.start + MAX_SECTION)].strip()
        stack.extend(section.children)
    start = ctx.text.rfind("\n", 0, span[0]) + 1
    stop = span[1] if span[1] - span[0] <= MAX_SECTION else span[0]
    end = ctx.text.find("\n", stop)
    return ctx.text[start:end if end != -1 else len(ctx.text)].strip()


def _field_lines(ctx: Context, rule: Rule, span: tuple[int, int]) -> str:
    """An element made of fields (seals and signatures, date and place): the lines that hold them."""
    chunk = ctx.text[span[0]:span[1]]
    lines: list[str] = []
    for fieldset in rule.fields:
        matches = [field_regex(f).search(chunk) for f in fieldset]
        if all(matches):
            for m in matches:
                assert m is not None
                start = chunk.rfind("\n", 0, m.start()) + 1
                end = chunk.find("\n", m.end())
                line = chunk[start:end if end != -1 else len(chunk)].strip()
                if line not in lines:
                    lines.append(line)
            break
    return "\n".join(lines)


def _elements(ctx: Context) -> dict[str, tuple[str, str | None]]:
    """element id → (title, what the document says, or None when missing)."""
    out: dict[str, tuple[str, str | None]] = {}
    for rule in load_rules().values():
        if rule.type != "element" or not rule.element or not rule.applies(ctx.kind, ctx.jurisdiction):
            continue
        outcome = detect(ctx, rule)
        if outcome.status == "n/a":
            continue
        text = None
        if outcome.status == "present" and outcome.span:
            text = _field_lines(ctx, rule, outcome.span) if rule.fields else _element_text(ctx, outcome.span)
        out[rule.element] = (rule.title, text)
    return out


def _context(ctx: Context, start: int, end: int) -> str:
    return ctx.text[max(0, start - 16):end + 16].replace("\n", " ").strip()


def _values(ctx: Context) -> tuple[Counter[tuple[str, str]], dict[tuple[str, str], str]]:
    """How often each (kind, value) occurs — amounts, dates, party names, identifiers — and a context."""
    counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], str] = {}

    def add(key: tuple[str, str], start: int, end: int) -> None:
        counts[key] += 1
        where.setdefault(key, _context(ctx, start, end))

    for a in ctx.values.amounts:
        add(("amount", f"{a.value:,.2f}元"), a.start, a.end)
    for d in ctx.values.dates:
        if d.value is not None:
            add(("date", d.value.isoformat()), d.start, d.end)
    for p in ctx.values.parties:
        add(("party", p.name), p.start, p.end)
    for i in ctx.values.identifiers:
        add(("identifier", i.code), i.start, i.end)
    return counts, where


def _context_of(doc: Document, kind: str | None, jurisdiction: str | None) -> Context:
    if kind is None:
        kind, why = guess_kind(doc)
        if kind is None:
            raise UserError(f"{doc.file}：无法判断文书种类（{'；'.join(why)}），请用 --type 指定")
    if jurisdiction is None:
        jurisdiction, _why = guess_jurisdiction(doc)
    return Context(body_only(doc), kind, jurisdiction, clock.today())


def compare(old: Document, new: Document, kind: str | None = None, jurisdiction: str | None = None) -> Comparison:
    """``old`` and ``new`` compared as documents of one kind (the new one's, unless given)."""
    b = _context_of(new, kind, jurisdiction)
    a = _context_of(old, b.kind, b.jurisdiction)
    elements = []
    old_elements, new_elements = _elements(a), _elements(b)
    for element, (title, new_text) in new_elements.items():
        old_text = old_elements.get(element, (title, None))[1]
        if old_text is None and new_text is None:
            continue
        change: Change = ("added" if old_text is None else "removed" if new_text is None
                          else "unchanged" if _squash(old_text) == _squash(new_text) else "changed")
        elements.append(ElementChange(element=element, title=title, change=change, old=old_text, new=new_text))
    (old_counts, old_where), (new_counts, new_where) = _values(a), _values(b)
    values = [ValueChange(what=k[0], change="removed", value=k[1], context=old_where[k])  # type: ignore[arg-type]
              for k in old_counts if old_counts[k] > new_counts[k]]
    values += [ValueChange(what=k[0], change="added", value=k[1], context=new_where[k])  # type: ignore[arg-type]
               for k in new_counts if new_counts[k] > old_counts[k]]
    diff = list(difflib.unified_diff(a.text.splitlines(), b.text.splitlines(), old.file, new.file, lineterm="", n=1))
    return Comparison(old=old.file, new=new.file, doc_type=b.kind or "", jurisdiction=b.jurisdiction,
                      elements=elements, values=values, text_diff=diff)


_CHANGE = {"changed": "修改", "added": "新增", "removed": "删除", "unchanged": "未变"}
_WHAT = {"amount": "金额", "date": "日期", "party": "当事人", "identifier": "证件号码"}


def render_comparison(c: Comparison, fmt: str) -> str:
    """The comparison as text, JSON or a self-contained HTML page."""
    if fmt == "json":
        return c.model_dump_json(indent=2)
    if fmt == "html":
        return _html(c)
    lines = [f"比较：{c.old} → {c.new}（{c.doc_type} · 辖区 {c.jurisdiction}）"]
    changed = [e for e in c.elements if e.change != "unchanged"]
    lines.append(f"条款（要素）：{len(changed)}项有变化，{len(c.elements) - len(changed)}项未变")
    for e in changed:
        lines.append(f"  [{_CHANGE[e.change]}] {e.title}（{e.element}）")
        if e.old:
            lines.append(f"    原：{_squash(e.old)[:160]}")
        if e.new:
            lines.append(f"    新：{_squash(e.new)[:160]}")
    counts = Counter((v.what, v.change) for v in c.values)
    if c.values:
        lines.append("数值：" + "，".join(f"{_WHAT[w]}{_CHANGE[ch]}{n}处" for (w, ch), n in sorted(counts.items())))
        for v in c.values:
            lines.append(f"  [{_CHANGE[v.change]}{_WHAT[v.what]}] {v.value}  …{v.context}…")
    lines.append("文字差异：" + ("无" if not c.text_diff else ""))
    lines += [f"  {line}" for line in c.text_diff]
    return "\n".join(lines) + "\n"


def _html(c: Comparison) -> str:
    rows = "".join(
        f"<tr class='{e.change}'><td>{escape(e.title)}</td><td>{_CHANGE[e.change]}</td>"
        f"<td>{escape(e.old or '')}</td><td>{escape(e.new or '')}</td></tr>" for e in c.elements)
    values = "".join(f"<li>{_CHANGE[v.change]}{_WHAT[v.what]}：{escape(v.value)}（…{escape(v.context)}…）</li>"
                     for v in c.values)
    diff = "".join(
        f"<div class='{'add' if line.startswith('+') else 'del' if line.startswith('-') else ''}'>{escape(line)}</div>"
        for line in c.text_diff)
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
             "td,th{border:1px solid #ccc;padding:4px;vertical-align:top;white-space:pre-wrap}"
             ".changed td{background:#fff8e1}.added td{background:#e8f5e9}.removed td{background:#ffebee}"
             ".add{background:#e8f5e9}.del{background:#ffebee}pre,div{font-family:monospace}")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>文书版本比较</title>"
            f"<style>{style}</style></head><body><h1>文书版本比较</h1>"
            f"<p>{escape(c.old)} → {escape(c.new)}（{escape(c.doc_type)} · 辖区 {escape(c.jurisdiction)}）</p>"
            "<h2>条款（要素）</h2><table><tr><th>要素</th><th>变化</th><th>原</th><th>新</th></tr>"
            f"{rows}</table><h2>数值</h2><ul>{values or '<li>无变化</li>'}</ul>"
            f"<h2>文字差异</h2>{diff or '<p>无</p>'}</body></html>\n")

