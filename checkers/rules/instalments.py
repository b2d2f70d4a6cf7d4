"""Instalments named in a document ("第二期：于2026年1月31日前支付142,000.00元"): where each is agreed
and the text that belongs to it, for the rules that check each instalment's own date and amount
(AGR-INSTALLMENT-DATES; CASE-FACTS against the case data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checkers.rules.values import small_number

if TYPE_CHECKING:
    from checkers.rules.engine import Context

#: one instalment named by its place in the schedule ("第二期", "第 3 期", "首期", "最后一期")
_INSTALMENT = re.compile(r"第[ \t　]*(?P<n>[一二三四五六七八九十]{1,3}|\d{1,2})[ \t　]*期|(?P<first>首期)|末期|最后一期")
#: a list of instalments named together ("第一期、第二期款项已支付"): a reference, not the term
_LISTED = re.compile(r"[ \t　]*(?:[、和及与至到]|或)[ \t　]*(?:第[ \t　]*(?:[一二三四五六七八九十]{1,3}|\d{1,2})[ \t　]*期|末期|最后一期)")
#: an instalment named as a point in time ("于首期缴纳前交纳保证金"): a reference, not the term
_AS_TIME = re.compile(r"[ \t　]*(?:款项?)?(?:缴纳|缴款|交款|支付|付款|缴清|付清|到期)?[ \t　]*(?:前|后|之前|之后|时)")
UNTICKED = re.compile(r"(?:\[[ \t　]*\]|☐|□|（[ \t　]*）|\([ \t　]*\))[ \t　]*$")
_CLAUSE_END = re.compile(r"[。；;\n]")
_CLAUSE_MARK = re.compile(r"[，,：:。；;\n]")


@dataclass(frozen=True)
class Instalment:
    """An instalment named in the text: its place in the schedule (1-based; -1 for the last one,
    None if unknown), the span of its name, and the span of the text that belongs to it."""

    ordinal: int | None
    start: int
    end: int
    unit: tuple[int, int]

    def name(self, text: str) -> str:
        return re.sub(r"[ \t　]", "", text[self.start:self.end])


def named_instalments(ctx: Context) -> list[Instalment]:
    """Each instalment named in the text (not a reference in a list, not an unticked option, not a
    point in time), with the text that belongs to it."""
    text = ctx.text
    found: list[re.Match[str]] = []
    for m in _INSTALMENT.finditer(text):
        if _LISTED.match(text, m.end()) or _AS_TIME.match(text, m.end()) or \
                UNTICKED.search(text, max(0, m.start() - 4), m.start()):
            continue
        if text[m.start() - 1:m.start()] in ("（", "(") and text[m.end():m.end() + 1] in ("）", ")"):
            continue  # "…支付68,000元（第1期）": a name in brackets after the term, not an instalment of its own
        if re.search(r"[、和及与至到或][ \t　]*$", text[max(0, m.start() - 3):m.start()]) and \
                _INSTALMENT.search(text, max(0, m.start() - 12), m.start()):
            continue  # the second of "第一期、第二期款项"
        found.append(m)
    bounds = [(m.start(), m.end()) for m in found]
    out = []
    for m in found:
        ordinal = small_number(m["n"]) if m["n"] else 1 if m["first"] else -1
        out.append(Instalment(ordinal, m.start(), m.end(), _unit(ctx, m.start(), m.end(), bounds)))
    return out


def _unit(ctx: Context, start: int, end: int, bounds: list[tuple[int, int]]) -> tuple[int, int]:
    """The text that belongs to the instalment named at ``start``: its table row; else the words
    before it in its clause ("2025年6月30日前支付第一期…") and the text after it up to the next
    instalment or the clause's end ("第一期142,400元，于2025年9月30日前支付；")."""
    block = ctx.doc.block_at(start)
    loc = block.location
    if block.kind == "table_cell" and loc.table is not None and loc.row is not None:
        cells = [b for b in ctx.doc.blocks if b.kind == "table_cell" and b.location.table == loc.table
                 and b.location.row == loc.row]
        a = min(ctx.doc.offset_of(b) for b in cells)
        return a, max(ctx.doc.offset_of(b) + len(b.text) for b in cells)
    text = ctx.text
    lead = [m.end() for m in _CLAUSE_MARK.finditer(text, max(0, start - 60), start)]
    a = max([lead[-1] if lead else max(0, start - 60)] + [e for _s, e in bounds if e <= start])
    stop = _CLAUSE_END.search(text, end)
    b = min([stop.start() if stop else len(text)] + [s for s, _e in bounds if s >= end])
    return a, b
