"""Computing rules: each function takes (Context, Rule) and returns findings.

Metadata (code, category, severity, basis, message, suggestion, doc) lives in
``data/90-computed.yaml``; only the computation is here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING, Any

from checkers.extract.text import open_bracket
from checkers.findings import CannotEvaluate, Finding
from checkers.rules.basis import Basis, BasisRef, make_basis, status_note
from checkers.rules.instalments import named_instalments
from checkers.rules.limits import MAX_FINDINGS_PER_RULE, at_most
from checkers.rules.values import STAGE_NAMES, STAGES, UPPER_RX, near, small_number
from checkers.understand.parties import is_public_body
from corpus.profiles import get_profile
from ecokernel.calendar import WorkCalendar
from ecokernel.cnfmt import (
    _OPEN_CLASS,
    COURT_CASE_NUMBER_RE,
    DOC_NUMBER_RE,
    diagnose_court_case_number,
    diagnose_doc_number,
    format_date,
    parse_figure_amount,
    rmb_upper,
)
from ecokernel.errors import FormatError
from ecokernel.identifiers import classify_identifier, validate_ric, validate_uscc

if TYPE_CHECKING:
    from checkers.rules.engine import Context
    from checkers.rules.registry import Rule
    from checkers.rules.values import Amount, DateValue

Check = Callable[["Context", "Rule"], list[Finding]]
#: rule code → the function that computes it; filled by ``@rule`` below, checked against the rule
#: data by ``registry.load_rules`` (a computed rule without a function, or a function without a
#: rule, fails loading).
COMPUTED: dict[str, Check] = {}


def rule(code: str) -> Callable[[Check], Check]:
    """Register the decorated function as the computation of rule ``code``."""
    def register(fn: Check) -> Check:
        if code in COMPUTED:
            raise ValueError(f"rule {code} is computed twice: {COMPUTED[code].__name__} and {fn.__name__}")
        COMPUTED[code] = fn
        return fn
    return register



def _yuan(v: Decimal) -> str:
    return f"{v:,.2f}元"


# ---- amounts


@rule("AMT-WORDS")
def amount_words(ctx: Context, rule: Rule) -> list[Finding]:
    """Each 大写 amount against the figure amount written next to it."""
    out = []
    amounts = ctx.values.amounts
    for i, up in enumerate(amounts):
        if up.kind != "upper":
            continue
        twin = _twin(ctx, amounts, i)
        if twin is None or twin.value == up.value:
            continue
        a, b = min(twin.start, up.start), max(twin.end, up.end)
        out.append(ctx.finding(
            rule, span=(a, b),
            message=f"金额数字“{twin.text.strip()}”（{_yuan(twin.value)}）与大写“{up.text}”（{_yuan(up.value)}）不一致",
            quote=ctx.text[max(0, a - 10):b + 5].strip(), fix=(up.text, rmb_upper(twin.value, prefix=False))))
    return out


def _sentence_over_wraps(ctx: Context, offset: int) -> tuple[int, int]:
    """The sentence at ``offset``, continued over line breaks where a line ends mid-sentence (a hard
    wrap: "…合计356800元（大" / "写：叁拾伍万…）")."""
    s0, s1 = ctx.seg.sentence_at(offset)
    text = ctx.text
    while s0 > 1 and text[s0 - 1] == "\n" and _wraps_into(ctx, s0 - 2, s0):
        s0 = ctx.seg.sentence_at(s0 - 2)[0]
    while s1 < len(text) and s1 > 1 and text[s1 - 1] == "\n" and _wraps_into(ctx, s1 - 2, s1):
        s1 = ctx.seg.sentence_at(s1)[1]
    return s0, s1


def _wraps_into(ctx: Context, last: int, first: int) -> bool:
    """Whether the line whose last character is at ``last`` runs on into the line starting at ``first``:
    two body paragraphs, the first a long line that stops mid-sentence."""
    before, after = ctx.doc.block_at(last), ctx.doc.block_at(first)
    return (before.kind == after.kind == "paragraph" and len(before.text) >= 15
            and ctx.text[last] not in _LINE_DONE)


#: what ends a line at the end of a sentence or a heading, not mid-sentence
_LINE_DONE = frozenset("。！？!?；;：:）)】」”")


def _twin(ctx: Context, amounts: list[Amount], i: int) -> Amount | None:
    up = amounts[i]
    best, best_gap = None, 31
    s0, s1 = _sentence_over_wraps(ctx, up.start)
    for j in (i - 1, i + 1, i - 2, i + 2):
        if not 0 <= j < len(amounts) or amounts[j].kind != "figure":
            continue
        fig = amounts[j]
        if fig.start < s0 - 1 or fig.end > s1 + 1:
            continue
        gap = up.start - fig.end if fig.end <= up.start else fig.start - up.end
        between = ctx.text[min(fig.end, up.end):max(fig.start, up.start)]
        if re.search(r"[，,；;。]|其中|以及|和|及", between) and not re.search(r"大写|小写", between):
            continue
        if fig.start >= up.end and re.search(r"[）)]", between) and _in_words_parenthesis(ctx, up):
            continue  # "60万元（大写：陆拾万元整）中的30万元": the parenthesis belongs to the figure before it
        if fig.start >= up.end and "\n" in between and not re.search(r"小写|[¥￥]|^[ \t　\n]*[（(]", between):
            continue  # "大写：…元整" ending its line and the next line's "合计140,000.00元": another amount
        if 0 <= gap < best_gap:
            best, best_gap = fig, gap
    if best is None and _WORDS_OF_ABOVE.search(ctx.text, max(s0, up.start - 30), up.start):
        # "尚未缴纳的赔偿金为38.572万元。上述剩余赔偿金大写：叁拾捌万…": the figure of the sentence before
        own = [a for a in amounts if a.kind == "figure" and s0 <= a.start < s1]
        before = [a for a in amounts[:i] if a.kind == "figure" and s0 - 120 <= a.start < s0]
        if not own and before:
            best = before[-1]
    return best


def _items(ctx: Context) -> list[Amount]:
    """The amounts a sum can add up: the figures, and the amounts written in words alone ("③鉴定评估费用
    伍万捌仟元整") — a 大写 that is no figure's own (``_twin``), nor labelled 大写."""
    amounts = ctx.values.amounts
    return [a for i, a in enumerate(amounts) if a.kind == "figure" or (
        _twin(ctx, amounts, i) is None and "大写" not in ctx.text[max(0, a.start - 6):a.start])]


#: a 大写 line about the sum just stated: "上述剩余赔偿金大写：", "以上金额大写为"
_WORDS_OF_ABOVE = re.compile(r"(?:上述|以上|前述)[^。；，,\n]{0,12}大写(?:金额)?[为是]?[：:]?[ \t　]*$")


def _in_words_parenthesis(ctx: Context, up: Amount) -> bool:
    """The 大写 amount sits in a "（大写：…）" parenthesis opened just before it."""
    before = ctx.text[max(0, up.start - 12):up.start]
    return bool(re.search(r"[（(][^）)]*大写[^）)]*$", before))


TOTAL_RX = re.compile(r"(?:合计|共计|总计|总额|总金额|总费用|费用总额|共|总共|累计)(?:为|是|人民币|金额|：|:|\s|[（(]小写[）)])*$")


#: a figure the text then breaks down: "…款1,265,400.00元（大写：…），包括：" / "，具体为：" / "，包括A元、B元"
_COMPOSED_OF = re.compile(r"(?:[（(][^（()）]*[）)])?[，,]?[ \t　]*(?:包括|具体为|分别为|构成为|明细为)[：:]?")


#: the bracket that opens a figure after its words ("陆万伍仟元整（65,000元）")
_TWIN_OPEN = re.compile(r"[ \t　]*[（(](?:小写[：:]?)?[ \t　]*")
#: one item of a list whose items end in ；: short, one amount ("应急处置费用215,600.00元")
_LIST_ITEM_MAX = 60


def _words_before(ctx: Context, figure: Amount) -> Amount | None:
    """The amount in words right before ``figure``, which stands in brackets after them."""
    opening = ctx.text.rfind("（", max(0, figure.start - 8), figure.start)
    if opening < 0:
        opening = ctx.text.rfind("(", max(0, figure.start - 8), figure.start)
    if opening < 0 or not _TWIN_OPEN.fullmatch(ctx.text, opening, figure.start):
        return None
    return next((a for a in ctx.values.amounts if a.kind == "upper" and a.end == opening), None)


def _list_end(text: str, figs: list[Amount], start: int, stop: int) -> int:
    """Where the breakdown that starts at ``start`` ends: at its clause's end (。 or ；), or — items
    separated by ；, each a short clause with one amount ("包括：A元；B元；C元。") — at the 。 after them,
    when every item up to it has its amount."""
    first = end = min([i for i in (text.find(mark, start, stop) for mark in "。；;") if i >= 0] or [stop])
    while end < stop and text[end] in "；;":
        nxt = min([i for i in (text.find(mark, end + 1, stop) for mark in "。；;") if i >= 0] or [stop])
        amounts = [f for f in figs if end < f.start < nxt and f.kind == "figure"]
        if len(amounts) != 1 or nxt - end > _LIST_ITEM_MAX:
            return first  # an item without its amount (cut by a page?): the list is not read whole
        end = nxt
    return end if end < stop and text[end] == "。" else first


def _items_after(ctx: Context, figs: list[Amount], k: int, stop: int) -> list[Amount]:
    total = figs[k]
    m = re.compile(r"其中").search(ctx.text, total.end, min(stop, total.end + 40))
    if not m:
        return []
    return [f for f in figs[k + 1:] if m.end() <= f.start < stop]


#: an amount the text itself keeps out of the total ("专家评估及监测费用4.10万元另计")
_APART = re.compile(r"[ \t　]*(?:另计|另行(?:计算|计取|承担|支付|缴纳)|不计入|未计入|不含在内|不在其内)")


_NAMED_SUBTOTAL = re.compile(r"(?:[（(][一二三四五六七八九十\d]+[）)][、，,和及与]?){2,}\s*项?\s*(?:费用|金额)?\s*(?:合计|共计|总计)")


@rule("AMT-SUM")
def sum_mismatch(ctx: Context, rule: Rule) -> list[Finding]:
    out = []
    figs = _items(ctx)  # an item may be written in words alone
    text = ctx.text
    for k, total in enumerate(figs):
        if total.kind != "figure":
            continue  # a total is read from its figure; words alone are items only
        lead = text[max(0, total.start - 12):total.start]
        words = _words_before(ctx, total) if not TOTAL_RX.search(lead) else None
        if words is not None:
            # "以上合计人民币陆万伍仟元整（65,000元）": the words lead, the figure in brackets after them
            lead = text[max(0, words.start - 12):words.start]
        composed = _COMPOSED_OF.match(text, total.end)
        if not TOTAL_RX.search(lead) and composed is None:
            continue
        if _NAMED_SUBTOTAL.search(text[max(0, total.start - 30):total.start]):
            continue  # "第（一）（三）（四）项合计…": a subtotal of named items, not of the whole list
        block = ctx.doc.block_at(total.start)
        b0 = ctx.doc.offset_of(block)
        b1 = b0 + len(block.text)
        if composed is not None:
            # "执行标的款X元（大写：…），包括：A、B、C；": the items up to the clause's end, none left open (等)
            stop = _list_end(text, figs, composed.end(), b1)
            items = [f for f in figs[k + 1:] if composed.end() <= f.start < stop]
            if items and re.match(r"[ \t　]*等", text[items[-1].end:stop]):
                continue
            if not items and not TOTAL_RX.search(lead):
                continue  # a figure that is no total, its breakdown not in its clause
        else:
            items = _items_after(ctx, figs, k, b1)
        if not items and _LISTED_BELOW.match(text, total.end, b1):
            # "共计31.74万元（大写：…），具体为：" and the numbered items in the blocks below
            items = _numbered_items_below(ctx, figs, block)
        if not items and _ABOVE.search(lead):
            # "以上合计…": the numbered items listed just before ("1.赔偿金684,000元；2.违约金…")
            items = _numbered_items_before(ctx, figs, total, block)
        if not items:
            # items before the total in the same sentence, or in the preceding list blocks
            s0, _ = ctx.seg.sentence_at(total.start)
            seg_start = max(s0, b0)
            if seg_start == b0 and block.index > 0:
                prev = ctx.doc.blocks[block.index - 1]
                if prev.kind == "paragraph" and not prev.text.rstrip().endswith(("。", "；", ";", "：", ":")):
                    # the sentence began on the line before (a PDF's wrap): from its last sentence end
                    cut = max(prev.text.rfind(mark) for mark in "。；;：:") + 1
                    seg_start = ctx.doc.offset_of(prev) + cut
            items = [f for f in figs[:k] if seg_start <= f.start < total.start]
            if len(items) < 2 and not _NAMES_ITS_ITEMS.search(text, seg_start, total.start):
                items = _list_items_before(ctx, figs, block)
        # a subtotal among the items ("…、C，合计S") is not an item of the total
        items = _dedupe([f for f in items if not TOTAL_RX.search(text[max(0, f.start - 12):f.start])
                         and not _APART.match(text, f.end)], text)
        if len(items) < 2:
            continue
        subtotal = sum((f.value for f in items), Decimal(0))
        if subtotal != total.value and _sentence_sums_to(ctx, figs, k, b0):
            continue  # "损失A元；另发生B元、C元，合计S": the clauses before the ； are items too
        if subtotal != total.value and _clause_sums_to(text, items, total.value):
            continue  # the breakdown after 其中 ends with its clause; later clauses' amounts are not its items
        if subtotal != total.value and _suffix_sums_to(items, total.value):
            continue  # "总额X，其中A由乙方修复；B、C、D合计S": the total covers the items just before it
        if subtotal != total.value and _nested_sums_to(items, total.value):
            continue  # "总额X，其中A…；B中C以…抵扣，其余D…": B is broken down into C and D
        if (subtotal != total.value and re.search(r"其余|剩余|余下|余款", text[items[-1].end:total.start])
                and items[0].value - sum((f.value for f in items[1:]), Decimal(0)) == total.value):
            continue  # "数额为X，其中A由乙方自行修复，其余…费用合计X−A": the rest, not the sum
        if subtotal != total.value:
            listing = "＋".join(f"{f.value:,.2f}" for f in items)
            out.append(ctx.finding(
                rule, span=(total.start, total.end),
                message=f"分项金额之和{_yuan(subtotal)}（{listing}）与所写合计{_yuan(total.value)}不一致（相差{_yuan(abs(subtotal - total.value))}）"))
    lines = _lines(text)
    return out + _table_sums(ctx, rule) + _line_table_sums(ctx, rule, lines) + _vertical_table_sums(ctx, rule, lines)


_LINE_HEADER = re.compile(r"(?:金额|费用|数额|价值)[^\n]{0,4}[（(](万?元)[)）]")
_LINE_SERIAL = r"^[ \t　]*(?:\d{1,2}|[（(]?[一二三四五六七八九十]{1,3}[)）、]?)(?![\d,.])"
#: a figure: with thousands separators or decimals, or plain (3+ digits) right after a word, so that
#: a row number glued to the item ("2土壤修复费用1842500") is never read as part of the amount
_LINE_FIGURE = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+\.\d{1,2}|(?<=[\u4e00-\u9fff）)\s])\d{3,})"
#: the amount may be followed by a last text column ("1清淤费用312,000.00乙方自行修复"), never by a number
_LINE_ITEM = re.compile(_LINE_SERIAL + r"[^\n]*?(?P<v>" + _LINE_FIGURE + r")(?![\d,.])"
                        r"(?:[ \t　]*[\u4e00-\u9fff（）()、，,]{1,16})?[ \t　]*$")
#: a row without a serial number (a table with no 序号 column): "机井封填及设施拆除费用46,000"
_BARE_ITEM = re.compile(r"^[ \t　]*[\u4e00-\u9fff][^\n\d]*?(?P<v>" + _LINE_FIGURE + r")(?![\d,.])"
                        r"(?:[ \t　]*[\u4e00-\u9fff（）()、，,]{1,16})?[ \t　]*$")
_FORMULA = re.compile(r"\d[ \t　]*[×xX*][ \t　]*\d")
_ROW_START = re.compile(_LINE_SERIAL + r"[ \t　]*[\u4e00-\u9fff]")
_ROW_END = re.compile(r"[ \t　]*(?P<v>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{3,}(?:\.\d{1,2})?)[ \t　]*")
#: a table's total line: 合计, perhaps a note in brackets ("合计（第1、2项）") or the total in words (a column of
#: its own: "合计 人民币贰拾伍万柒仟陆佰伍拾元整 257,650.00"), then the figure
_LINE_TOTAL = re.compile(r"^[ \t　]*(?:合\s*计|总\s*计|共\s*计)(?:[^\d\n（(]{0,6}|[ \t　]*[（(][^）)\n]{0,16}[）)][^\d\n]{0,4}"
                         r"|[ \t　]*(?:人民币)?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]{2,}[ \t　]*)"
                         r"(?P<v>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)")


def _lines(text: str) -> tuple[list[str], list[int]]:
    """The text's lines and the offset each begins at."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    return lines, offsets


def _line_table_sums(ctx: Context, rule: Rule, text_lines: tuple[list[str], list[int]]) -> list[Finding]:
    """A cost table that reaches the text as lines (a PDF's or a plain text's table): a header with
    the amount column's unit, numbered item lines ending in an amount, and a 合计 line."""
    out: list[Finding] = []
    lines, offsets = text_lines
    for h, header in enumerate(lines):
        unit = _LINE_HEADER.search(header)
        if not unit:
            continue
        items: list[Decimal] = []
        open_row = False  # a row whose item name wrapped over lines before its amount
        for k in range(h + 1, min(len(lines), h + 40)):
            total = _LINE_TOTAL.match(lines[k])
            if total:
                if len(items) >= 2:
                    stated = Decimal(total["v"].replace(",", ""))
                    if sum(items) != stated:
                        start = offsets[k] + total.start("v")
                        scale = "万元" if unit.group(1) == "万元" else "元"
                        listing = "＋".join(f"{v:,}" for v in items)
                        out.append(ctx.finding(rule, span=(start, start + len(total["v"])),
                                               message=f"费用表各项之和{sum(items):,}{scale}（{listing}）与合计行"
                                                       f"{stated:,}{scale}不一致（相差{abs(sum(items) - stated):,}{scale}）"))
                break
            item = _LINE_ITEM.match(lines[k]) or (None if "序号" in header else _BARE_ITEM.match(lines[k]))
            if item is not None:
                items.append(Decimal(item["v"].replace(",", "")))
                open_row = False
            elif _ROW_START.match(lines[k]) and (not re.search(r"\d{3,}", lines[k]) or _FORMULA.search(lines[k])):
                open_row = True  # the item's name, or its calculation ("568,000.00×0.05%×339日"), wrapped
            elif open_row and (end := _ROW_END.fullmatch(lines[k])):
                items.append(Decimal(end["v"].replace(",", "")))
                open_row = False
            elif not (open_row and lines[k].strip()
                      and (not re.search(r"\d", lines[k]) or re.fullmatch(r"[ \t　]*[（(][^（()）]*[）)][ \t　]*", lines[k]))):
                break
    return out


#: a column's name on a line of its own: short, no figures ("序号", "项目", "金额（元）", "备注")
_HEADER_CELL = re.compile(r"[^\d\s：:，,。；;]{1,12}")
_SERIAL_CELL = re.compile(r"[ \t　]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t　.、．]?[ \t　]*")


def _vertical_table_sums(ctx: Context, rule: Rule, text_lines: tuple[list[str], list[int]]) -> list[Finding]:
    """A cost table read one cell per line (a table's cells copied into text or a PDF one per line;
    a table nested in a DOCX or HTML cell reads a row per line, for :func:`_line_table_sums`): a run of column names, one of them the amount column with its unit
    ("序号" / "项目" / "金额（元）"), rows of as many lines, each opening with its number, and a 合计 row."""
    out: list[Finding] = []
    lines, offsets = text_lines
    for h, line in enumerate(lines):
        unit = _LINE_HEADER.search(line)
        if not unit or not _HEADER_CELL.fullmatch(line.strip()):
            continue
        block = ctx.doc.block_at(offsets[h])
        if block.kind == "table_cell" and block.text.strip() == line.strip():
            continue  # a cell of a table the reader kept as a table: summed by _table_sums
        a = h
        while a > 0 and _HEADER_CELL.fullmatch(lines[a - 1].strip()) and h - a < 6:
            a -= 1
        while a < h and not re.search(r"序号|编号|项目|名称|内容", lines[a]):
            a += 1  # the run starts at the table's first column, not at the lead-in above it
        b = h
        while b + 1 < len(lines) and _HEADER_CELL.fullmatch(lines[b + 1].strip()) and b - h < 6:
            b += 1
        width, column = b - a + 1, h - a
        if width < 2 or column == 0:
            continue
        scale = Decimal(10000) if unit.group(1) == "万元" else Decimal(1)
        items: list[Decimal] = []
        i = b + 1
        while i < len(lines):
            first = lines[i].strip()
            if _TOTAL_LABEL.match(first):
                # the total row: its amount is the first figure in the next cells (merged cells shorten it)
                for j in range(i + 1, min(len(lines), i + width + 1)):
                    stated = _cell_amount(lines[j], scale)
                    if stated is None:
                        continue
                    subtotal = sum(items, Decimal(0))
                    if len(items) >= 2 and subtotal != stated:
                        start = offsets[j] + len(lines[j]) - len(lines[j].lstrip())
                        out.append(ctx.finding(rule, span=(start, start + len(lines[j].strip())),
                                               message=f"费用表各项之和{_yuan(subtotal)}（{_listing(items)}）"
                                                       f"与合计行{_yuan(stated)}不一致（相差{_yuan(abs(subtotal - stated))}）"))
                    break
                break
            if not _SERIAL_CELL.fullmatch(first) or i + width > len(lines):
                break
            row = lines[i:i + width]
            value = _cell_amount(row[column], scale)
            if value is None:
                break
            item = _row_item(" ".join(row[:column]), value)
            if item is not None:
                items.append(item)
            i += width
    return out


def _nested_sums_to(items: list[Amount], total: Decimal) -> bool:
    """Whether the items add up to the total once an item broken down into the next ones is counted
    once ("货币赔偿1,520,000元中760,000元以…抵扣，其余760,000元…")."""
    values = [f.value for f in items]
    i = 0
    kept: list[Decimal] = []
    while i < len(values):
        kept.append(values[i])
        for k in range(len(values) - i - 1, 1, -1):
            if sum(values[i + 1:i + 1 + k], Decimal(0)) == values[i]:
                i += k  # the parts of values[i]
                break
        i += 1
    return len(kept) < len(values) and sum(kept, Decimal(0)) == total


def _clause_sums_to(text: str, items: list[Amount], total: Decimal) -> bool:
    """Whether the first two or more items, up to where their clause ends (a ；or 。 before the next
    item), add up to it: "共计X，其中A、B、C、D；…逾期未完成修复的，应缴纳E" lists A–D only."""
    running = Decimal(0)
    for n, item in enumerate(items, start=1):
        running += item.value
        if n >= 2 and n < len(items) and running == total \
                and re.search(r"[；;。]", text[item.end:items[n].start]):
            return True
    return False


def _suffix_sums_to(items: list[Amount], total: Decimal) -> bool:
    """Whether the last two or more items (those just before the total) add up to it."""
    running = Decimal(0)
    for n, item in enumerate(reversed(items), start=1):
        running += item.value
        if n >= 2 and running == total:
            return True
    return False


_AMOUNT_HEADER = re.compile(r"(?:金额|费用|价值|数额|小计)[^\n]{0,6}(?:（元）|\(元\)|（万元）|\(万元\))|^(?:金额|金额（元）)$")
_TOTAL_LABEL = re.compile(r"^(?:合\s*计|总\s*计|共\s*计|小\s*计)")


_DEPOSIT_ROW = re.compile(r"保证金|押金|保函")
#: a row that takes its amount off the rows above ("减：被申请人已缴纳", "扣除已履行部分")
_DEDUCTION_ROW = re.compile(r"(?:^|\s)(?:减|扣除|扣减|减去|减除)[：:]?")
#: a row computed from other rows ("申请执行金额（1−2）", "小计（1+2+3）"): not an item of its own
_FORMULA_ROW = re.compile(r"[（(]\s*(?:第?\d+\s*(?:项\s*)?[−\-－—–+＋]\s*)+第?\d+\s*项?\s*[）)]")


def _amount_columns(cells: list[Any]) -> list[tuple[Any, Decimal]]:
    """A table's amount columns: each header cell (金额（元）, 应缴金额（元）, 未缴金额（元）, 费用（万元）…)
    and the unit of its bare figures, in the header row of the first."""
    headers = [c for c in cells if _AMOUNT_HEADER.search(c.text.strip())]
    if not headers:
        return []
    row = headers[0].location.row
    return [(h, Decimal(10000) if "万元" in h.text else Decimal(1)) for h in headers
            if h.location.row == row and (h is headers[0] or not _NOT_ADDITIVE.search(h.text))]


#: a column whose figures do not add up down the table: running totals and balances, rates and prices
_NOT_ADDITIVE = re.compile(r"累计|余额|剩余|结余|结存|单价|标准|比例|占比|每日|每月|每年")


def _row_item(label: str, value: Decimal) -> Decimal | None:
    """What a cost table's row adds to its total: its amount, taken off for a deduction ("减：已缴纳"),
    nothing for a deposit (held and returned) or a row computed from others ("申请执行金额（1−2）")."""
    if _DEPOSIT_ROW.search(label) or _FORMULA_ROW.search(label):
        return None
    return -value if _DEDUCTION_ROW.search(label) else value


def _listing(items: list[Decimal]) -> str:
    """The items of a sum as a message shows them: "64,300.00＋112,750.00－8,000.00"."""
    return "".join(("－" if v < 0 else "＋" if i else "") + f"{abs(v):,.2f}" for i, v in enumerate(items))


_CELL_NOTE_RX = re.compile(r"\s*[（(][^（()）\d]{1,16}[）)]$")
_CELL_WORDS_RX = re.compile(r"\s*[（(][^（()）]*[壹贰叁肆伍陆柒捌玖拾佰仟][^（()）]*[）)]$")


def _cell_amount(text: str, scale: Decimal) -> Decimal | None:
    """A table cell that is an amount, in yuan (a bare figure is in the column header's unit)."""
    # "261.00（大写：人民币贰佰陆拾壹万元整）": the figure with its words in brackets after it;
    # "100,000.00（保证金抵扣）": with a note on how it was paid
    text = _CELL_NOTE_RX.sub("", _CELL_WORDS_RX.sub("", text.strip()))
    if not re.fullmatch(r"[￥¥]?\s*[\d,，]+(?:\.\d+)?\s*(?:万?元)?", text):
        return None
    if not text.endswith("元") and scale != 1:
        # a bare figure in a 万元 column is read in 万元, so its four decimals are yuan ("46.3820" → 463,820.00元)
        text, scale = text.replace("，", ",") + "万元", Decimal(1)
    try:
        return parse_figure_amount(text) * (1 if text.endswith("元") else scale)
    except FormatError:
        return None


def _table_sums(ctx: Context, rule: Rule) -> list[Finding]:
    """A cost table (a DOCX table with an amount column): the 合计 row against the rows above it."""

    out: list[Finding] = []
    for cells in ctx.doc.tables().values():
        for header, scale in _amount_columns(cells):
            out += _column_sum(ctx, rule, cells, header, scale)
    return out


def _column_sum(ctx: Context, rule: Rule, cells: list[Any], header: Any, scale: Decimal) -> list[Finding]:
    """One amount column of a cost table: its 合计 row against the rows above it (a table of instalments
    has three: 应缴, 实缴, 未缴)."""
    column, header_row = header.location.cell, header.location.row or 0
    total_row = next((c.location.row for c in cells if (c.location.row or 0) > header_row
                      and _TOTAL_LABEL.match(c.text.strip())), None)
    if total_row is None:
        return []
    total_cell = next((c for c in cells if c.location.row == total_row and c.location.cell == column), None)
    total = _cell_amount(total_cell.text, scale) if total_cell else None
    # a row the total says it leaves out ("合计 | 217,300.00 | 不含履约保证金"), or a deposit, which is
    # held and returned rather than paid over
    left_out = [m.group(1) for c in cells if c.location.row == total_row
                for m in re.finditer(r"(?:不含|不包括|未含|未包括)([^，,。；;、\s]{2,12})", c.text)]
    # a row's label: its cells left of the amount column ("3 | 申请执行金额（1−2）")
    labels: dict[int | None, str] = {}
    for c in sorted(cells, key=lambda c: c.location.cell or 0):
        if (c.location.cell or 0) < (column or 0):
            labels[c.location.row] = labels.get(c.location.row, "") + " " + c.text.strip()
    items: list[Decimal] = []
    out: list[Finding] = []
    what = re.sub(r"[（(].*$", "", header.text.strip()) or "金额"
    for c in sorted(cells, key=lambda c: c.location.row or 0):
        if not (header_row < (c.location.row or 0) < total_row and c.location.cell == column):
            continue
        label = labels.get(c.location.row, "")
        value = _cell_amount(c.text, scale)
        if value is not None and "小计" in label:
            # a subtotal is no item of the total: it adds up some rows just above it ("修复费用小计", and
            # "损害数额小计" over those rows and the one after them)
            suffixes = [sum(items[k:], Decimal(0)) for k in range(len(items))]
            if items and value not in suffixes:
                at = ctx.doc.offset_of(c)
                out.append(ctx.finding(rule, span=(at, at + len(c.text)), message=(
                    f"表格中“{what}”一栏的小计{_yuan(value)}不等于其上任何连续几项之和（紧邻的各项：{_listing(items[-4:])}）")))
            continue
        item = _row_item(label, value) if value is not None and not any(x in label for x in left_out) else None
        if item is not None:
            items.append(item)
    if total_cell is None or total is None or len(items) < 2:
        return out
    subtotal = sum(items, Decimal(0))
    if subtotal == total:
        return out
    start = ctx.doc.offset_of(total_cell)
    listing = _listing(items)
    return [*out, ctx.finding(rule, span=(start, start + len(total_cell.text)),
                              message=f"表格中“{what}”一栏各项之和{_yuan(subtotal)}（{listing}）与合计行{_yuan(total)}不一致"
                                      f"（相差{_yuan(abs(subtotal - total))}）")]


def _sentence_sums_to(ctx: Context, figs: list[Amount], k: int, b0: int) -> bool:
    """Whether the figures of the whole sentence before ``figs[k]`` (across its ；, back to the last 。
    in its block) add up to it, or their last few do."""
    total, text = figs[k], ctx.text
    s0 = max(b0, text.rfind("。", b0, total.start) + 1)
    wide = _dedupe([f for f in figs[:k] if s0 <= f.start and not TOTAL_RX.search(text[max(0, f.start - 12):f.start])
                    and not _APART.match(text, f.end)], text)
    return len(wide) >= 2 and (sum((f.value for f in wide), Decimal(0)) == total.value
                               or _suffix_sums_to(wide, total.value))


def _dedupe(items: list[Amount], text: str) -> list[Amount]:
    """Drop a figure repeated in brackets right after the same value (100万元（1,000,000元））; two equal
    items in a list ("38,640元、19,320元、19,320元") are two items."""
    out: list[Amount] = []
    for f in items:
        if out and out[-1].value == f.value and _REPEATED.fullmatch(text, out[-1].end, f.start):
            continue
        out.append(f)
    return out


#: what stands between a figure and the same value repeated in brackets
_REPEATED = re.compile(r"[ \t　]*[（(][ \t　]*(?:人民币|小写[：:]?|即)?[ \t　]*")


_ABOVE = re.compile(r"(?:以上|上述|前述|前列)[^\n，,。；]{0,4}(?:合计|共计|总计)(?:为|是|人民币|金额|：|:|\s)*$")
_NUMBERED = re.compile(r"[ \t　]*(?:\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}[、．.])")
_ITEM_SPLIT = re.compile(r"(?:^|(?<=[；;。：:]))" + _NUMBERED.pattern)


def _numbered_items_before(ctx: Context, figs: list[Amount], total: Amount, block) -> list[Amount]:
    """The amount of each numbered item listed before "以上合计": the items in the total's own
    block before it, or the numbered blocks just above it (page furniture between them skipped).
    An item's amount is its last figure outside brackets ("违约金（以268,000元为基数…）：9,782元")."""
    b0 = ctx.doc.offset_of(block)
    spans: list[tuple[int, int]] = []
    head = ctx.text[b0:total.start]
    starts = [m.start() for m in _ITEM_SPLIT.finditer(head)]
    colon = max((i for i, ch in enumerate(head) if ch in "：:" and not open_bracket(head[:i])), default=-1)
    listed = head[colon + 1:] if colon >= 0 else ""
    listed = listed[:listed.rfind("。") + 1] if _ABOVE.search(listed[listed.rfind("。") + 1:]) else listed
    if len(starts) >= 2:
        spans = [(b0 + a, b0 + b) for a, b in zip(starts, [*starts[1:], len(head)], strict=True)]
    elif len(re.findall(r"[；;]", listed)) >= 1 and "。" not in listed.rstrip().rstrip("。"):
        # "赔偿金包括：期间损失38.60万元（…）；永久性损害21.40万元（…）；…。以上合计…"
        at = b0 + colon + 1
        # (an item listing several amounts "另发生A费用X元、B费用Y元" is as many items)
        for part in re.split(r"(?<=[；;])|(?<=元)、", listed):
            spans.append((at, at + len(part)))
            at += len(part)
    else:
        skipped, index = 0, block.index - 1
        while index >= 0:
            prev = ctx.doc.blocks[index]
            p0 = ctx.doc.offset_of(prev)
            has_figure = any(p0 <= f.start < p0 + len(prev.text) for f in figs)
            if not has_figure and prev.text.rstrip().endswith(("：", ":")):
                break  # the list's lead-in ("二、执行标的如下："), numbered one level up
            if _NUMBERED.match(prev.text):
                spans.insert(0, (p0, p0 + len(prev.text)))
                skipped = 0
            elif has_figure and index > 0 and _NUMBERED.match((above := ctx.doc.blocks[index - 1]).text) and not any(
                    (a0 := ctx.doc.offset_of(above)) <= f.start < a0 + len(above.text) for f in figs):
                # "1. 生态环境损害赔偿金（期间生态服务功能损失）" / "623,400元；": an item whose amount went to
                # the next line (a scan's line per paragraph): one item
                spans.insert(0, (a0, p0 + len(prev.text)))
                skipped = 0
                index -= 1
            elif not has_figure and skipped < 3 and len(prev.text) < 80 and not prev.text.rstrip().endswith(("：", ":")):
                skipped += 1  # a running footer or a page number between two items
            else:
                break
            index -= 1
    if len(spans) < 2:
        return []
    found = [_item_amount(ctx, figs, a, b) for a, b in spans]
    items = [f for f in found if f is not None]
    return items if len(items) == len(found) else []


def _item_amount(ctx: Context, figs: list[Amount], a: int, b: int) -> Amount | None:
    """A listed item's amount: the last figure of ``text[a:b]`` outside brackets
    ("违约金（以268,000元为基数…）：9,782元"), or None when it has none. The figures of a breakdown
    after the item's amount ("缴纳141,600.00元，其中缴入忻州84,540.00元、朔州57,060.00元") are not it."""
    inside = [f for f in figs if a <= f.start < b and not open_bracket(ctx.text[a:f.start])]
    if inside:
        split = ctx.text.find("其中", inside[0].end, b)
        if split != -1:
            inside = [f for f in inside if f.start < split]
    return inside[-1] if inside else None


_LISTED_BELOW = re.compile(r"(?:[（(][^（()）]*[）)])?[^。；;\n]{0,12}?(?:具体为|具体如下|如下|包括|分别为|构成为|明细如下|其中)[：:]?[ \t　]*$")


def _numbered_items_below(ctx: Context, figs: list[Amount], block) -> list[Amount]:
    """The amount of each numbered block right below a total that announces them ("…具体为："): the
    last figure outside brackets of each, up to the first block that is not a numbered item."""
    items: list[Amount] = []
    marker = None
    for prev in ctx.doc.blocks[block.index + 1:]:
        m = _NUMBERED.match(prev.text)
        if not m:
            break
        shape = re.sub(r"[一二三四五六七八九十\d]+", "N", m.group().strip())
        if marker is None:
            marker = shape
        elif shape != marker:
            break  # a sub-list or the next section
        p0 = ctx.doc.offset_of(prev)
        amount = _item_amount(ctx, figs, p0, p0 + len(prev.text))
        if amount is None:
            return []
        items.append(amount)
    return items


#: a total that names what it adds up in words ("污染清除、河道清淤和河岸植被恢复（合计X元）",
#: "期间损失及鉴定评估费用共计X元"): a subtotal of some items, not of the list above it
_NAMES_ITS_ITEMS = re.compile(r"[、和及与][^。；;，,：:\d]{1,24}[（(]?(?:合计|共计|总计|小计)[^。；;，,\d]{0,6}$")


def _list_items_before(ctx: Context, figs: list[Amount], block) -> list[Amount]:
    items: list[Amount] = []
    index = block.index - 1
    while index >= 0:
        prev = ctx.doc.blocks[index]
        p0 = ctx.doc.offset_of(prev)
        inside = [f for f in figs if p0 <= f.start < p0 + len(prev.text)]
        if len(inside) != 1 or TOTAL_RX.search(ctx.text[max(p0, inside[0].start - 12):inside[0].start]):
            break
        items.insert(0, inside[0])
        index -= 1
    return items


# ---- identifiers


@rule("ID-USCC")
def invalid_uscc(ctx: Context, rule: Rule) -> list[Finding]:
    out = []
    for v in ctx.values.identifiers:
        kind = v.expected if v.expected != "unknown" else classify_identifier(v.code)
        if kind != "uscc":
            continue
        if v.expected == "unknown" and v.label is None and not _looks_like_uscc(v.code):
            continue
        problem = validate_uscc(v.code)
        if problem:
            out.append(ctx.finding(rule, span=(v.start, v.end), message=f"统一社会信用代码“{v.code}”有误：{problem}"))
    return out


def _looks_like_uscc(code: str) -> bool:
    return code[:2].isalnum() and code[2:8].isdigit() and code.upper() == code


@rule("ID-RIC")
def invalid_id(ctx: Context, rule: Rule) -> list[Finding]:
    out = []
    for v in ctx.values.identifiers:
        kind = v.expected if v.expected != "unknown" else classify_identifier(v.code)
        if kind != "ric":
            continue
        problem = validate_ric(v.code, today=ctx.on)
        if problem:
            out.append(ctx.finding(rule, span=(v.start, v.end), message=f"身份证号码“{v.code}”有误：{problem}"))
    return out


# ---- names


_ORG_SUFFIX = re.compile(r"(?:有限责任公司|股份有限公司|有限公司|集团公司|公司|合作社|厂|矿)$")


def _public_inserted(x: str, y: str) -> bool:
    """Two public bodies, one the other's name with a place inserted: a superior and its branch."""
    short, long = sorted((x, y), key=len)
    if not (is_public_body(short) and is_public_body(long)) or len(long) - len(short) > 6:
        return False
    head = next((i for i, (a, b) in enumerate(zip(short, long, strict=False)) if a != b), len(short))
    return long[:head] + long[head + len(long) - len(short):] == short


#: the place a public body's name opens with ("张掖市", "江苏省", "广西壮族自治区", "高台县")
_PLACE_HEAD = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:自治区|省|市|自治州|州|盟|县|区|旗)")


def _bodies_of_two_places(x: str, y: str) -> bool:
    """Two public bodies of the same kind in two places ("张掖市生态环境局" and "酒泉市生态环境局" of a
    joint case): the same name after places that differ in more than a slip of one character."""
    if not (is_public_body(x) and is_public_body(y)):
        return False
    px, py = _PLACE_HEAD.match(x), _PLACE_HEAD.match(y)
    if px is None or py is None or x[px.end():] != y[py.end():]:
        return False
    a, b = px.group(), py.group()
    return len(a) != len(b) or sum(c != d for c, d in zip(a, b, strict=True)) >= 2


def _listed_together(text: str, x: str, y: str) -> bool:
    """Two names the document itself lists side by side ("忻州市生态环境局、朔州市生态环境局"): two
    parties, however alike their names (a slip is not written next to the name it misspells)."""
    return any(f"{a}{sep}{b}" in text for a, b in ((x, y), (y, x)) for sep in ("、", "和", "与", "及", "，"))


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


@rule("NAME-CONSISTENT")
def name_inconsistent(ctx: Context, rule: Rule) -> list[Finding]:
    out: list[Finding] = []
    reported: set[tuple[str, str]] = set()
    parties = ctx.values.parties
    short = _short_forms(ctx.text)
    # 1. the same role labelled with near-identical but different names
    by_role: dict[str, list] = {}
    for p in parties:
        by_role.setdefault(p.role, []).append(p)
    for role_parties in by_role.values():
        first = role_parties[0]
        for p in role_parties[1:]:
            key = tuple(sorted((p.name, first.name)))
            if p.name == first.name or key in reported or "、" in p.name + first.name:
                continue  # ("A公司、B公司": a label naming several parties at once)
            if _bodies_of_two_places(p.name, first.name) or _listed_together(ctx.text, p.name, first.name):
                continue  # two claimants' departments of a joint case
            # a name that extends the other (南宁市生态环境局 → 南宁市生态环境局法规科) is the same body's office
            extends = p.name.startswith(first.name) or first.name.startswith(p.name)
            if not extends and _similar(p.name, first.name) >= 0.6 and not short(p.name, first.name):
                reported.add(key)  # type: ignore[arg-type]
                out.append(ctx.finding(rule, span=(p.start, p.end),
                                       message=f"同一当事人名称前后不一致：“{first.name}”与“{p.name}”"))
    # 2. organisation names in running text that nearly match a party's name
    names = at_most(sorted({p.name for p in parties if _ORG_SUFFIX.search(p.name)}), "party_names")
    for name in names:
        matcher = SequenceMatcher(None, "", name)
        for whole, a, b in ctx.values.organisations:
            whole = _ORG_LEAD.sub("", whole)
            if whole == name or whole in name or name in whole:
                continue
            # the match may run on from the words before the name ("确认申请人南通市水利局与申请人启东恒盛…"):
            # compare the tails of about the name's length and keep the closest
            org, best = whole, 0.0
            for size in range(max(2, len(name) - 3), min(len(whole), len(name) + 3) + 1):
                matcher.set_seq1(whole[-size:])
                if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() > best:
                    org, best = whole[-size:], matcher.ratio()
            key = tuple(sorted((org, name)))
            if org in name or name in org or key in reported:
                continue
            a = b - len(org)
            if _public_inserted(org, name):
                continue  # "百色市凌云生态环境局" and "百色市生态环境局": a county's bureau and the city's
            if best >= 0.8 and not short(org, name):
                reported.add(key)  # type: ignore[arg-type]
                out.append(ctx.finding(rule, span=(a, b), message=f"当事人名称前后不一致：“{name}”与“{org}”"))
    # 3. a public body named by its place and department in another form than the party's name
    out += _bureau_variants(ctx, rule, {p.name for p in parties}, reported, short)
    # 4. a natural person's name written with one character changed where a party acts ("与黄得荣经磋商")
    out += _person_variants(ctx, rule, {p.name for p in parties} | {p.name for p in ctx.parties if p.name}, reported)
    # 5. one name with two different identifiers
    for name, codes in ctx.values.party_identifiers.items():
        if len(codes) > 1:
            out.append(ctx.finding(rule, message=f"“{name}”前后写有不同的证件号码：{'、'.join(sorted(codes))}"))
    return out


#: a person's name in the place of a party acting: after 与/和/由/a comma/被申请人… and before 经/应/承担/同意/纠集…
_PERSON_ACTS = re.compile(r"(?:(?<=[与和及由，,、])|(?:赔偿义务人|被申请人|被执行人|被告知人)[：:]?)"
                          r"(?P<name>[\u4e00-\u9fff]{2,4}?)(?=经|应|承担|同意|于|对|按|自愿|已|未|向|在|纠集|伙同|驾驶|雇佣|雇用|使用|利用|将|擅自|私自|非法|违法|违规)")
#: a person's name after the title he acts under in a party's particulars ("德胜生猪养殖场（经营者韦德生）")
_PERSON_TITLED = re.compile(r"(?:经营者|负责人|法定代表人|投资人|业主)[：:]?(?P<name>[\u4e00-\u9fff]{2,4}?)(?=[）)，,；;。])")
_PERSON_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _person_variants(ctx: Context, rule: Rule, names: set[str], reported: set[tuple[str, str]]) -> list[Finding]:
    """A party who is a natural person (a 2–4 character name) named elsewhere with the same surname and
    one other character changed, where a party acts. Organisations are matched by the other checks."""
    people = {n for n in names if _PERSON_NAME.fullmatch(n) and not _ORG_SUFFIX.search(n)}
    out = []
    for m in [*_PERSON_ACTS.finditer(ctx.text), *_PERSON_TITLED.finditer(ctx.text)]:
        found = m["name"]
        for name in people:
            key = tuple(sorted((found, name)))
            if found in names or len(found) != len(name) or found[0] != name[0] or key in reported:
                continue
            if sum(a != b for a, b in zip(found, name, strict=True)) == 1:
                reported.add(key)  # type: ignore[arg-type]
                out.append(ctx.finding(rule, span=(m.start("name"), m.end("name")),
                                       message=f"当事人姓名前后不一致：“{name}”与“{found}”"))
    return out


@cache
def _bureau_rx(departments: tuple[str, ...]) -> re.Pattern[str]:
    dept = "|".join(sorted(departments, key=len, reverse=True))
    return re.compile(rf"([\u4e00-\u9fff]{{2}})(?:市|县|区|旗)(?:{dept})(?:分局|局)")


def _bureau_variants(ctx: Context, rule: Rule, names: set[str], reported: set[tuple[str, str]],
                     short: Callable[[str, str], bool]) -> list[Finding]:
    """"枝江市生态环境分局" in the text while the party is "宜昌市生态环境局枝江分局": the same
    department of the same place written another way. The parent body (a prefix of the name) is not
    a variant."""
    departments = tuple(rule.options.get("departments", ()))
    rx = _bureau_rx(departments)
    # public bodies only: "百色市右江区恒茂林业开发有限公司" names a place and 林业 but is a company
    bodies = [n for n in names if any(d in n for d in departments) and is_public_body(n)]
    out: list[Finding] = []
    for m in rx.finditer(ctx.text):
        mention, place = m.group(0), m.group(1)
        department = next(d for d in departments if d in mention)
        for name in bodies:
            key = tuple(sorted((mention, name)))
            if (place not in name or department not in name or mention in name or name in mention
                    or key in reported or short(mention, name) or _public_inserted(mention, name)):
                continue
            reported.add(key)  # type: ignore[arg-type]
            out.append(ctx.finding(rule, span=(m.start(), m.end()),
                                   message=f"当事人名称前后不一致：“{name}”与“{mention}”"))
    return out


_ORG_LEAD = re.compile(r"^(?:与|和|及|由|向|对|经|为|是|系|被|将|原|其|以)")
_SHORT_FORM = re.compile(r"简称[“\"]?")


def _short_forms(text: str, longest: int = 40) -> Callable[[str, str], bool]:
    """Whether ``a`` or ``b`` is introduced as a short form (简称“…”) anywhere in ``text``: one
    pass over the text builds every prefix that follows a 简称, so each question is a set lookup."""
    prefixes: set[str] = set()
    for m in _SHORT_FORM.finditer(text):
        following = text[m.end():m.end() + longest]
        prefixes.update(following[:k] for k in range(1, len(following) + 1))
    return lambda a, b: a in prefixes or b in prefixes


# ---- dates


@rule("DATE-INVALID")
def date_invalid(ctx: Context, rule: Rule) -> list[Finding]:
    return [ctx.finding(rule, span=(d.start, d.end), message=f"日期“{d.text}”有误：{d.error}")
            for d in ctx.values.dates if d.error]


_SOFT_PAIRS = {("notice", "meeting")}  # guangxi:17 allows consultation before the notice on request


#: events a case has once (meetings and notices may be several)
_ONCE = frozenset({"agreement", "confirmation", "ruling"})


@rule("DATE-ORDER")
def date_order(ctx: Context, rule: Rule) -> list[Finding]:
    """Each dated event against every event of an earlier stage dated after it. Linear in the
    number of dates plus the findings: earlier-stage dates are kept per stage, distinct by their
    text and sorted latest first, so only the contradicting ones are visited."""
    rank = {event: i for i, event in enumerate(STAGES)}
    dated = [d for d in ctx.values.dates if d.value is not None and d.event in rank]
    by_stage: dict[int, list] = {}
    texts_seen: set[tuple[int, str]] = set()
    for d in dated:
        if (rank[d.event or ""], d.text) not in texts_seen:
            texts_seen.add((rank[d.event or ""], d.text))
            by_stage.setdefault(rank[d.event or ""], []).append(d)
    for stage_dates in by_stage.values():
        stage_dates.sort(key=lambda d: d.value, reverse=True)
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    done: set[tuple[str, str | None]] = set()
    for later in dated:
        if (later.text, later.event) in done:
            continue  # the same date text with the same role was compared already
        done.add((later.text, later.event))
        contradicting = []
        for stage in range(rank[later.event or ""]):
            dates_of_stage = by_stage.get(stage, [])
            if STAGES[stage] in _ONCE and dates_of_stage and dates_of_stage[-1].value <= later.value:
                # an event that happens once also dated in order elsewhere ("4月16日签订" and "4月26日签订的
                # 《协议》"): two dates of one event, which the date-mismatch rules report, not an order
                continue
            for earlier in dates_of_stage:
                if earlier.value <= later.value:
                    break
                contradicting.append(earlier)
        # the last date of the later stage, other than the end of a range this date opens ("3月12日至6月5日")
        latest = max((d.value for d in by_stage[rank[later.event or ""]]
                      if not (d.in_range and later.in_range and 0 < d.start - later.end < 20)), default=None)
        for earlier in sorted(contradicting, key=lambda d: d.start):
            key = (earlier.text, later.text)
            if key in seen:
                continue
            if latest is not None and latest >= earlier.value:
                # a case that went round again (a 补充协议 after a new meeting, a second notice after a
                # failed meeting): the later stage happened again after the earlier one
                continue
            seen.add(key)
            soft = (earlier.event, later.event) in _SOFT_PAIRS
            out.append(ctx.finding(
                rule, span=(later.start, later.end), severity="warning" if soft else None,
                message=f"日期先后矛盾：{STAGE_NAMES[later.event or '']}日期“{later.text}”早于{STAGE_NAMES[earlier.event or '']}日期“{earlier.text}”"))
            if len(out) > MAX_FINDINGS_PER_RULE:
                return out
    return out


def _section_text_span(ctx: Context, title_rx: str) -> tuple[int, int] | None:
    for s in ctx.seg.sections:
        if re.search(title_rx, s.title) or re.match(title_rx, s.heading.strip()):
            return s.start, s.end
    return None


_CLOSING = re.compile(r"此致|附\s*[：:件]|附件")


@rule("JC-DATE-MISMATCH")
def jc_date_mismatch(ctx: Context, rule: Rule) -> list[Finding]:
    req = _section_text_span(ctx, r"请求事项|申请事项")
    facts = _section_text_span(ctx, r"事实(?:和|与|及)理由|申请理由")
    if not req or not facts:
        # a filing in running prose: the request is the sentence asking to confirm, the facts follow it
        # ("请求事项：" on a line of its own, the request below it)
        ask = re.search(r"请求[^。\n]{0,80}(?:\n[ \t　]*)?确认[^。\n]{0,160}(?:有效|效力)[^。\n]{0,10}[。\n]", ctx.text)
        if ask is None:
            raise CannotEvaluate("未识别到“请求事项”和“事实和理由”两部分，无法核对两处的协议日期是否一致")
        req, facts = (ask.start(), ask.end()), (ask.end(), len(ctx.text))
    elif req[1] <= facts[0]:
        # "申请事项：" / "一、确认…" / "二、确认…": the request's own numbered items are sections of their
        # own; all of it runs to the facts, and the facts ("事实和理由：" / "一、案件基本情况" / "二、赔偿协议的
        # 主要内容") run on to the closing (此致, 附件) or the end
        req = (req[0], facts[0])
        closing = [s.start for s in ctx.seg.sections if s.start > facts[0] and _CLOSING.match(s.title)]
        facts = (facts[0], max(facts[1], closing[0] if closing else len(ctx.text)))
    dates = [d for d in ctx.values.dates if d.value is not None]
    req_dates = [d for d in dates if req[0] <= d.start < req[1]]
    fact_dates = [d for d in dates if facts[0] <= d.start < facts[1]]
    agreement_facts = [d for d in fact_dates if d.event == "agreement"]
    if not req_dates:
        return []
    if not agreement_facts:
        # the first date of the facts is usually the damage, not the agreement: do not guess
        raise CannotEvaluate("事实和理由中未识别到协议的达成日期，无法与请求事项中的日期核对")
    r = req_dates[0]
    if any(f.value == r.value for f in agreement_facts):
        return []
    f = agreement_facts[0]
    return [ctx.finding(rule, span=(f.start, f.end),
                        message=f"请求事项写的协议日期“{r.text}”与事实和理由写的“{f.text}”不一致")]


@rule("ENF-AGREEMENT-DATE")
def enforcement_agreement_date(ctx: Context, rule: Rule) -> list[Finding]:
    """Every place an enforcement application dates the agreement's signing gives the same day."""
    first: dict[object, DateValue] = {}
    for d in ctx.values.typed("agreement"):
        if not d.in_range:
            first.setdefault(d.value, d)
    if len(first) < 2:
        return []
    earliest, *others = sorted(first.values(), key=lambda d: d.start)
    other = others[0]
    return [ctx.finding(rule, span=(other.start, other.end),
                        message=f"申请书中赔偿协议的签订日期前后不一致：“{earliest.text}”与“{other.text}”")]


@rule("SIGN-DEADLINE")
def signing_deadline(ctx: Context, rule: Rule) -> list[Finding]:
    """The agreement signed after the jurisdiction's period from the last meeting, counted by the
    same calendar function as the timeline (``WorkCalendar.add_period``) in the parameter's unit."""
    return _signed_within(ctx, rule, ctx.values.meeting_dates(), "磋商会议日期", latest=True,
                          what="最后一次磋商会议", done="签订")


def _signed_within(ctx: Context, rule: Rule, starts: list, start_name: str, *, latest: bool, what: str,
                   done: str, end: str = "agreement") -> list[Finding]:
    """The agreement's signing date (or the ``end`` event's: the meeting a notice schedules) against the
    period (the rule's profile parameter) that runs from the latest (or earliest) of ``starts``;
    未能核对 when either date is not in the text."""

    param = ctx.profile.param(rule.param or "")
    assert param is not None  # the engine runs the rule only where the parameter is set
    agreements = ctx.values.typed(end)
    end_name, end_what = ("协议签订日期", "协议签订日") if end == "agreement" else ("磋商会议日期", "磋商会议日")
    if not starts or not agreements:
        missing = "、".join(w for w, have in ((start_name, starts), (end_name, agreements)) if not have)
        raise CannotEvaluate(f"未识别到{missing}，无法核对{end_what[:-1]}是否在{what}后{param.text}内")
    pick = max if latest else min
    first = pick(starts, key=lambda d: d.value)
    signed = max(agreements, key=lambda d: d.value)  # type: ignore[arg-type, return-value]
    assert first.value and signed.value
    over = period_overrun(first.value, signed.value, param)
    if over is None:
        return []
    return [ctx.finding(rule, span=(signed.start, signed.end),
                        message=f"{end_what}“{signed.text}”在{what}“{first.text}”之后第{over.elapsed}{over.unit}，"
                                f"超过{param.text}（应于{format_date(over.due)}前{done}）{over.note}")]


@dataclass(frozen=True)
class Overrun:
    """How far a dated act ran past a period: the period's last day, the units elapsed and their word,
    and the calendar's warnings (a year whose holiday schedule is not known) as a note."""

    due: dt.date
    elapsed: int
    unit: str  # 个工作日 | 日
    note: str


def period_overrun(start: dt.date, end: dt.date, param: Any) -> Overrun | None:
    """``end`` against the profile parameter's period (``param``: value and unit) running from ``start``:
    None when within it."""
    calendar = WorkCalendar()
    due = calendar.add_period(start, int(param.value), param.unit or "日")
    if end <= due.end:
        return None
    n, warnings = calendar.elapsed(start, end, param.unit or "日")
    return Overrun(due.end, n, "个工作日" if param.unit == "工作日" else "日",
                   "".join(f"（{w.message}）" for w in [*due.warnings, *warnings]))


_CN_COUNT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


#: the consultation period extended ("经双方同意延长磋商期限30日"); not a force-majeure clause's
#: "修复期限相应顺延"
_EXTENDED = re.compile(r"磋商期限[^。；]{0,20}(?:延长|顺延)|延长[^。；]{0,10}磋商")


@rule("CONSULT-PERIOD")
def consultation_period(ctx: Context, rule: Rule) -> list[Finding]:
    """The consultation (its last meeting, else the agreement) after the period counted from the
    notice's service."""
    if _EXTENDED.search(ctx.text):
        return []
    if ctx.kind == "consultation_notice":  # the meeting it schedules must fall within the period
        # counted from the service (送达回证), not from the day the notice was issued (its own date)
        notices = ctx.values.typed("notice")
        served = [d for d in notices if not d.signed]
        issued = [d for d in notices if d.signed]
        if served or not issued:
            return _signed_within(ctx, rule, served, "告知书送达日期（送达回证）", latest=False,
                                  what="告知书送达", done="召开磋商会议并完成磋商", end="meeting")
        # no service date: the notice's own date is the earliest it can have been served, so a meeting
        # within the period from it is within the period; beyond it, the service date decides
        late = _signed_within(ctx, rule, issued, "告知书落款日期", latest=False,
                              what="告知书落款日期", done="召开磋商会议并完成磋商", end="meeting")
        return [ctx.finding(rule, span=f.span, severity="warning",
                            message=f"{f.message}；文中未写送达日期，期限自送达之日起算，请以送达回证核对") for f in late]
    # the consultation ends at its last meeting (guangxi:20); signing after it has its own limit
    # (guangxi:21, SIGN-DEADLINE), so the agreement's date stands in only where no meeting is dated
    end = "meeting" if ctx.values.typed("meeting") else "agreement"
    return _signed_within(ctx, rule, ctx.values.typed("notice"), "磋商告知书送达日期", latest=False,
                          what="磋商告知书送达", done="完成磋商", end=end)


@rule("MEET-LIMIT")
def meetings_over_limit(ctx: Context, rule: Rule) -> list[Finding]:
    param = ctx.profile.param(rule.param or "")
    assert param is not None  # the engine runs the rule only where the parameter is set
    limit = int(param.value)
    best, span = 0, None
    # "经过五轮磋商", and a meeting counted by its ordinal ("决定继续召开第四次磋商会议")
    for m in re.finditer(r"(?:经过|经|进行|召开|开展)了?[ \t　]*第?(\d+|[一二两三四五六七八九十])[ \t　]*(?:次|轮)(?:磋商|会议)", ctx.text):
        n = int(m[1]) if m[1].isdigit() else _CN_COUNT[m[1]]
        if n > best:
            best, span = n, (m.start(), m.end())
    distinct = sorted({d.value for d in ctx.values.meeting_dates() if not d.in_range and d.value})
    if len(distinct) > best:
        best, span = len(distinct), None
    if re.search(r"(?:案情)?复杂[^。]{0,30}(?:同意|批准)", ctx.text):
        return []
    out = []
    if best > limit:
        out.append(ctx.finding(rule, span=span, message=f"磋商会议共{best}次，超过{param.text}的上限（案情复杂且经同意的除外，应写明）"))
    # the document's own cap on the meetings ("磋商会议原则上不超过5次") above the profile's
    for m in _MEETING_CAP.finditer(ctx.text):
        n = int(m["n"]) if m["n"].isdigit() else _CN_COUNT[m["n"]]
        if n > limit:
            out.append(ctx.finding(rule, span=(m.start(), m.end()), message=(
                f"文书写明磋商会议“{m.group(0)}”，超过{param.text}的上限（案情复杂且经同意的除外，应写明）")))
            break
    return out


#: a cap the document puts on the number of meetings ("磋商会议原则上不超过5次", "磋商次数最多为四次")
_MEETING_CAP = re.compile(r"磋商(?:会议)?(?:次数)?[^。；，,\n]{0,6}?(?:原则上)?[ \t　]*(?:不超过|不多于|最多|至多|以)(?:为)?[ \t　]*"
                          r"(?P<n>\d{1,2}|[一二两三四五六七八九十])[ \t　]*次(?!以上)")


# ---- numbers


def _doc_open() -> re.Pattern[str]:
    return re.compile(_OPEN_CLASS)


@rule("NUM-DOC")
def doc_numbers(ctx: Context, rule: Rule) -> list[Finding]:
    out = []
    seen: set[str] = set()
    # an agency code has at most 8 characters before the bracket; year, serial and 号 follow within 20
    for m in near(DOC_NUMBER_RE, ctx.text, _doc_open(), 10, 20):
        if _court_like(ctx.text, m.start("open")):
            continue
        text = m.group(0)[m.start("agency") - m.start():]
        if "律" in m["agency"]:
            continue  # "海晟律函〔2025〕第21号": a law firm's letter, no 公文 of GB/T 9704
        problems = [p for p in diagnose_doc_number(text) if "机关代字" not in p]
        if ctx.doc.format == "pdf":  # a PDF's text has spaces and breaks where its lines were laid out
            problems = [p for p in problems if "空格" not in p]
        report = (re.search(r"[鉴评检测监验审][^〔\[\s]{0,3}[〔\[]\d{4}[〕\]]", text)
                  # "…核算报告（忻中环造〔2025〕第118号）": the number a report's title gives in brackets;
                  # "（宅基地使用权证号：南集用〔2016〕第0317号）": a certificate's number; "作出行政处罚决定
                  # （绍虞环罚〔2025〕第021号）": a penalty decision's, an enforcement paper numbered in its own custom
                  or _REPORT_TITLE.search(ctx.text, max(0, m.start("agency") - 16), m.start("agency")))
        if report or re.search(r"字[〔\[]\d{4}[〕\]]第", text):
            # "X鉴字〔2025〕第36号", "苏科环鉴〔2024〕第058号": the numbering of appraisal, monitoring and
            # inspection reports and of certificates, where 第, zero-padded serials and the issuer's own
            # spacing are customary (and 第 after 字); GB/T 9704 7.2.5 governs 公文发文字号 only, so on such
            # a number only the year's brackets are checked.
            problems = [p for p in problems if "第" not in p and not (report and ("虚位" in p or "空格" in p))]
        if problems and text not in seen:  # one finding per distinct number
            seen.add(text)
            fixed = re.sub(r"[\[［(（][ \t　]*(\d{4})[ \t　]*[\]］)）]", r"〔\1〕", text)
            out.append(ctx.finding(rule, span=(m.start(), m.end()), message=f"发文字号“{text}”格式有误：{'；'.join(problems)}",
                                   fix=(text, fixed) if fixed != text else None))
    return out


_REPORT_TITLE = re.compile(r"(?:报告|报告书|意见书|核算书|评审意见|鉴定书|处罚决定|处罚决定书)》?[（(]$|(?:证|证书)(?:号|编号)?[：:][ \t　]*$")


#: a certificate's number label, its issuing province's abbreviation after it ("不动产权证号：晋")
_CERTIFICATE_LABEL = re.compile(r"(?:证|证书)(?:号|编号)[：:][ \t　]*[\u4e00-\u9fff]?$")


def _court_like(text: str, open_at: int) -> bool:
    return COURT_CASE_NUMBER_RE.match(text, open_at) is not None


@rule("NUM-COURT")
def court_numbers(ctx: Context, rule: Rule) -> list[Finding]:
    out = []
    seen: set[str] = set()
    for m in COURT_CASE_NUMBER_RE.finditer(ctx.text):
        if _CERTIFICATE_LABEL.search(ctx.text, max(0, m.start() - 12), m.start()):
            continue  # "不动产权证号：晋（2019）宁武县不动产权第0003216号": a title certificate, not a case
        problems = diagnose_court_case_number(m.group(0))
        if ctx.doc.format == "pdf":  # a PDF's text has spaces where its lines were laid out (as NUM-DOC)
            problems = [p for p in problems if "空格" not in p]
        if problems and m.group(0) not in seen:  # one finding per distinct number, as NUM-DOC
            text = m.group(0)
            seen.add(text)
            fixed = re.sub(r"[〔\[［][ \t　]*(\d{4})[ \t　]*[〕\]］]", r"（\1）", text)
            out.append(ctx.finding(rule, span=(m.start(), m.end()), message=f"案号“{text}”格式有误：{'；'.join(problems)}",
                                   fix=(text, fixed) if fixed != text else None))
    return out


# ---- agreement terms


# "分期", "分3期", and years as the instalments ("分四年缴，每年6月30日前缴…")
_INSTALLMENT_RX = re.compile(r"分期|分[ \t　]*[0-9一二三四五六七八九十两]+[ \t　]*(?:期|年(?=缴|付|支付|偿还|还清|赔付))")
_NUM = r"(\d+|[一二两三四五六七八九十]+)"


def _agrees_instalments(ctx: Context) -> bool:
    """An instalment plan is agreed (not merely refused: "不分期")."""
    for m in _INSTALLMENT_RX.finditer(ctx.text):
        s0, _s1 = ctx.seg.sentence_at(m.start())
        if not re.search(r"(?:不|不得|不予|无需|不同意)分期", ctx.text[max(s0, m.start() - 4):m.end()]):
            return True
    return False


def installment_months(ctx: Context) -> tuple[int, tuple[int, int]] | None:
    """The longest instalment period the text states, in months, and where."""
    best: tuple[int, tuple[int, int]] | None = None
    for m in _INSTALLMENT_RX.finditer(ctx.text):
        s0, s1 = ctx.seg.sentence_at(m.start())
        if re.search(r"(?:不|不得|不予|无需|不同意)分期", ctx.text[max(s0, m.start() - 4):m.end()]):
            continue
        chunk = ctx.text[s0:s1]
        for k in re.finditer(r"(?<![\d])(\d{1,3}|[一二两三四五六七八九十]+)[ \t　]*(个月|年)(?![\d一二三四五六七八九十]{1,2}月)", chunk):
            n = small_number(k[1]) * (12 if k[2] == "年" else 1)
            if best is None or n > best[0]:
                best = (n, (s0 + k.start(), s0 + k.end()))
        per = re.search(rf"(?:每月|按月)[^。；]{{0,30}}共[ \t　]*{_NUM}[ \t　]*期|分[ \t　]*{_NUM}[ \t　]*期[^。；]{{0,20}}(?:每月|按月)", chunk)
        if per:
            n = small_number(per[1] or per[2])
            if best is None or n > best[0]:
                best = (n, (s0 + per.start(), s0 + per.end()))
        # dated schedule: from the signing date to the last instalment date in the paragraph
        block = ctx.doc.block_at(m.start())
        b0 = ctx.doc.offset_of(block)
        dates = [d for d in ctx.values.dates if d.value and b0 <= d.start < b0 + len(block.text) + 400
                 and _payment_date(ctx.text, d.start, d.end)]
        signed = ctx.values.typed("agreement")
        if dates and signed:
            start = min(d.value for d in signed if d.value)
            last = max(dates, key=lambda d: d.value)  # type: ignore[arg-type, return-value]
            if last.value and last.value > start:
                months = (last.value.year - start.year) * 12 + last.value.month - start.month
                months += 1 if last.value.day > start.day else 0
                if best is None or months > best[0]:
                    best = (months, (last.start, last.end))
    return best


#: where a clause ends: a comma (not a thousands separator: "赔偿金693,000元"), a semicolon, a full stop, a line end
_CLAUSE_END = re.compile(r"[，；;。\n]|,(?!\d{3}(?!\d))|(?<!\d),")


def clause_around(text: str, start: int, end: int) -> str:
    """The clause (between commas, semicolons, full stops or line ends) that holds ``text[start:end]``."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 400), start)]
    after = _CLAUSE_END.search(text, end)
    return text[before[-1] if before else max(0, start - 400):after.start() if after else len(text)]


def _payment_date(text: str, start: int, end: int) -> bool:
    """A date whose own clause is about paying ("第二期7.25万元，于2025年5月31日前缴纳"), not the
    restoration's schedule ("自补植完成之日起开展连续三年抚育管护，至2027年12月31日止")."""
    clause = clause_around(text, start, end)
    work = r"修复|补植|抚育|管护|养护|启动|开工|竣工|施工|评估|验收|整地|种植|清运|监测"
    if re.search(work, clause):
        return False
    if re.search(r"缴|付|款|元|期", clause):
        return True
    s0 = max(text.rfind(mark, 0, start) for mark in "。\n") + 1
    return not re.search(work, text[s0:start])  # "…开展连续三年抚育管护，至2027年12月31日止"


@rule("INST-LENGTH")
def installment_length(ctx: Context, rule: Rule) -> list[Finding]:
    found = installment_months(ctx)
    if not found:
        if _agrees_instalments(ctx):
            raise CannotEvaluate("文中约定分期赔付，但未能确定分期的总期限（未写明月数、期数或最后一期的日期）")
        return []
    months, span = found
    hard = ctx.profile.param(rule.param or "")
    normal = ctx.profile.param("installment_normal_max")
    if hard is not None and months > int(hard.value):
        return [ctx.finding(rule, span=span, message=f"分期赔付期限约{months}个月，超过最长{hard.text}的限制")]
    if normal is not None and months > int(normal.value):
        return [ctx.finding(rule, span=span, severity="warning",
                            message=f"分期赔付期限约{months}个月，超过一般不超过{normal.text}的要求，应说明理由")]
    return []


def _percent_near(text: str) -> Decimal | None:
    m = re.search(r"(\d+(?:\.\d+)?)[ \t　]*[%％]", text)
    if m:
        return Decimal(m[1]) / 100
    m = re.search(r"百分之([一二三四五六七八九十百]+)", text)
    if m:
        return Decimal(small_number(m[1])) / 100
    m = re.search(r"(?<![\d一二三四五六七八九十])([1-9]|[一二三四五六七八九])[ \t　]*成(?![本功员立为果熟交型效绩])", text)
    if m:  # "抵扣其中的六成": tenths
        return Decimal(small_number(m[1])) / 10
    return None


@rule("TECH-OFFSET")
def tech_offset(ctx: Context, rule: Rule) -> list[Finding]:
    param = ctx.profile.param(rule.param or "")
    assert param is not None  # the engine runs the rule only where the parameter is set
    limit = Decimal(str(param.value))
    out = []
    evaluated, unable = False, ""
    for m in re.finditer(r"技改抵扣|(?:技术)?改造[^。；]{0,20}抵扣|抵扣[^。；]{0,10}赔偿金|清洁生产[^。；]{0,20}抵扣", ctx.text):
        s0, s1 = ctx.seg.sentence_at(m.start())
        chunk = ctx.text[s0:s1]
        ratio, how = _percent_near(chunk), ""
        if ratio is None:
            window = [a for a in ctx.values.figures() if max(0, s0 - 60) <= a.start < s1 + 200]
            offset = next((a for a in window if a.start >= s0 and _offset_amount(ctx.text, a)), None)
            rest = next((a for a in window if offset is not None and a.start > offset.start
                         and _REMAINDER_RX.search(ctx.text[max(0, a.start - 30):a.start])), None)
            total = _total_payable(ctx)
            if offset is not None and rest is not None:
                total_value = offset.value + rest.value  # "抵扣后尚应缴纳R元": offset and remainder
            elif offset is not None and total is not None and total is not offset:
                total_value = total.value
            else:
                unable = "文中约定技改抵扣，但未能确定抵扣比例（未写明百分比，或缺少抵扣金额、赔付总额）"
                continue
            if not total_value:
                continue
            ratio = offset.value / total_value
            how = f"（抵扣{_yuan(offset.value)}，赔付金额{_yuan(total_value)}）"
        evaluated = True
        if ratio > limit:
            out.append(ctx.finding(rule, span=(m.start(), m.end()),
                                   message=f"技改抵扣比例约为{ratio * 100:.1f}%{how}，超过赔付金额的{param.text}"))
            break
    if not evaluated and unable:
        raise CannotEvaluate(unable)
    return out


_REMAINDER_RX = re.compile(r"(?:抵扣|扣除|抵减|冲抵)[^。；]{0,16}后[^。；]{0,20}$|(?:剩余|余下|其余|尚余|余款)[^。；，,\d]{0,8}$")
# what an offset amount is: "抵扣金额为X元", "可抵扣赔偿金X元", "X元（大写…）可抵扣赔偿金", "抵扣X元"
_OFFSET_LEAD_RX = re.compile(r"(?:抵扣|抵减|冲抵)(?:金额|额|的?赔偿金|部分)?[为：:]?[^。；，,\d]{0,6}$")
_OFFSET_TRAIL_RX = re.compile(r"(?:万?元)?(?:（[^）]{0,40}）)?[^。；，,\d]{0,6}(?:可|用于|予以|作为)?(?:抵扣|抵减|冲抵)")


def _offset_amount(text: str, a: Amount) -> bool:
    """Whether amount ``a`` is the technology-upgrade offset itself (not what is left after it)."""
    lead = text[max(0, a.start - 30):a.start]
    if _REMAINDER_RX.search(lead):
        return False
    return bool(_OFFSET_LEAD_RX.search(lead) or _OFFSET_TRAIL_RX.match(text, a.end))


def _total_payable(ctx: Context) -> Amount | None:
    for a in ctx.values.figures():
        lead = ctx.text[max(0, a.start - 30):a.start]
        if re.search(r"(?:赔偿金|赔偿费用|赔偿款|赔付金额|赔偿金额|损害赔偿)[^。；]{0,12}(?:合计|共计|总计|总额|为|人民币)", lead) or TOTAL_RX.search(lead[-12:]):
            return a
    return None


# the damage: its value ("损害价值量", "损害数额"), or a loss of service ("期间损害人民币862,400.00元")
_DAMAGE_RX = re.compile(r"(?:损害(?:价值量?|数额|金额)|生态环境损害(?:赔偿)?(?:费用|金额|数额|价值量?)|损失"
                        r"|(?:期间|功能)损害(?=[^。；，,]{0,12}$))[^。；]{0,20}$")
#: a damage figure as its sentence names it ("永久性损害（价值41.70万元", "期间损失为12万元")
_REPLACED_RX = re.compile(r"(?<!替代)(?:损害|损失)[（(]?(?:价值量?|数额|金额)?(?:为|共计|计|约)?(?:人民币)?[：:]?$")
#: just before a figure: the value it was raised or set to ("由6,300元增加至8,000元", "确认替代修复价值为")
_RAISED_TO = re.compile(r"(?:增加|提高|调增|调整|上调)(?:至|到|为)[ \t　]*(?:人民币)?$")
_ALT_RX = re.compile(r"替代修复[^。；]{0,30}(?:价值量?|费用|投资|投入|金额|预算|估算|概算|工程(?:款|造价))[^。；]{0,12}$")
# an amount named as what a work costs ("工程投资520,000元", "预算18.50万元")
_COST_LEAD_RX = re.compile(r"(?:价值量?|费用|投资|投入|预算|估算|概算|造价|工程款)"
                           r"(?:总额|额|为|约|共计|合计|仅|不低于|不少于|不得低于|达到|人民币)*[：:]?$")


# a clause about what happens on default ("乙方未按…修复的，…由甲方组织开展替代修复"), not the agreed work
_FALLBACK_RX = re.compile(r"(?:未按|逾期|拒不|未达到|不履行|未履行|违约)[^。；]{0,40}的|扣除|差额")
_UPPER_BEFORE_RX = re.compile(rf"(?:{UPPER_RX.pattern})[（(]$")


def _about_alternative(text: str, pos: int) -> bool:
    """Whether the clause holding ``pos`` (up to a 。 or a ；), or the heading of its paragraph, is about 替代修复."""
    line0 = text.rfind("\n", 0, pos) + 1
    s0 = max(line0, text.rfind("。", 0, pos) + 1, text.rfind("；", 0, pos) + 1)
    if "替代" in text[s0:pos]:
        return True
    ends = [e for e in (text.find("。", pos), text.find("；", pos), text.find("\n", pos)) if e >= 0]
    end = min(ends) if ends else len(text)
    if "替代" in text[pos:end] and not _FALLBACK_RX.search(text, s0, end):
        return True  # "乙方投资不低于68万元，在…实施…替代修复工程；": later in the same clause
    head = text[line0:line0 + 24]  # "第六条【替代修复】…", "（一）替代修复"
    if re.match(r"[^。；，]{0,12}替代修复", head):
        return True
    prev0 = text.rfind("\n", 0, max(0, line0 - 1)) + 1
    previous = text[prev0:max(prev0, line0 - 1)]
    return len(previous) <= 24 and "替代修复" in previous


def _listed_within(ctx: Context, total: Decimal, part: Decimal) -> bool:
    """Whether a total of ``total`` is broken down somewhere (共计X，其中…) into items one of which is ``part``."""
    figs = ctx.values.figures()
    for k, f in enumerate(figs):
        if f.value != total:
            continue
        block = ctx.doc.block_at(f.start)
        stop = ctx.doc.offset_of(block) + len(block.text)
        if any(item.value == part for item in _items_after(ctx, figs, k, stop)):
            return True
    return False


def _table_amounts(ctx: Context) -> list[tuple[str, Amount]]:
    """The rows of the cost tables (a table with an amount column, 金额（元） or 金额（万元））: each row's
    other cells as its label, and its amount in yuan."""
    from checkers.rules.values import Amount

    out = []
    for cells in ctx.doc.tables().values():
        columns = _amount_columns(cells)
        if not columns:
            continue
        header, scale = columns[0]  # the first amount column: what a row is worth (应缴, not 实缴)
        rows: dict[int, list] = {}
        for c in cells:
            if (c.location.row or 0) > (header.location.row or 0):
                rows.setdefault(c.location.row or 0, []).append(c)
        for row in rows.values():
            cell = next((c for c in row if c.location.cell == header.location.cell), None)
            value = _cell_amount(cell.text, scale) if cell else None
            if cell is None or value is None:
                continue
            label = " ".join(c.text.strip() for c in row if c is not cell)
            start = ctx.doc.offset_of(cell)
            out.append((label, Amount(value, start, start + len(cell.text), "figure", cell.text)))
    return out


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding ``text[at]`` begins: after the last 。 or line break before it."""
    return max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1


@rule("ALT-VALUE")
def alternative_value(ctx: Context, rule: Rule) -> list[Finding]:
    agreed = [m for m in re.finditer("替代修复", ctx.text)
              if not _FALLBACK_RX.search(ctx.text[_sentence_start(ctx.text, m.start()):m.start()])]
    if not agreed:
        return []  # none, or only what happens on default ("未按期完成修复的，…由甲方组织开展替代修复")
    damage = alt = None
    for a in ctx.values.figures():
        # the figure in brackets after its 大写 reads with the words before the 大写
        lead = _UPPER_BEFORE_RX.sub("", ctx.text[max(0, a.start - 52):a.start])[-40:]
        if (alt is None or _RAISED_TO.search(lead[-12:])) and not re.search("损害|损失", lead[-12:]) and (
                _ALT_RX.search(lead) or (_COST_LEAD_RX.search(lead) and _about_alternative(ctx.text, a.start))):
            alt = a  # (a value raised later, "由6,300元增加至8,000元", is the one agreed)
        elif damage is None and _DAMAGE_RX.search(lead) and "替代" not in re.split(r"[，,；;。]", lead)[-1]:
            damage = a
    if damage is None or alt is None:
        # a cost table's rows ("1 | 生态环境损害数额 | 1,280,000.00" under 金额（元）)
        for label, amount in _table_amounts(ctx):
            if alt is None and "替代" in label and _COST_LEAD_RX.search(label + "费用"):
                alt = amount
            elif damage is None and "替代" not in label and _DAMAGE_RX.search(label):
                damage = amount
    if alt is not None:
        # the damage the alternative's own sentence names ("对…永久性损害（价值41.70万元），…采用异地补植
        # 方式替代修复：…项目预算投资28.50万元") is what it replaces, before any other damage figure
        def named_in(a0: int, a1: int) -> list[Amount]:
            return [a for a in ctx.values.figures() if a0 <= a.start < a1
                    and _REPLACED_RX.search(ctx.text, max(a0, a.start - 16), a.start)]

        begin = _sentence_start(ctx.text, alt.start)
        named = named_in(begin, alt.start)
        if not named and begin > 0 and ctx.text[begin - 1] == "。":
            # or the sentence before, in the same paragraph: "期间服务功能损失0.63万元无法原位恢复，乙方…补植…。
            # 乙方自愿将替代修复价值由6,300元增加至8,000元"
            named = named_in(_sentence_start(ctx.text, begin - 1), begin)
        damage = named[-1] if named else damage
    if damage is None or alt is None:
        raise CannotEvaluate("文中约定替代修复，但未能识别" + ("替代修复的价值量" if alt is None else "评估的损害价值量"))
    if alt.value >= damage.value:
        return []
    if _listed_within(ctx, damage.value, alt.value):
        return []  # "赔偿数额共计512.80万元，其中：…替代修复费用250.00万元": the alternative is a part of that total
    # money paid for the same damage counts with the alternative restoration (赔偿金 + 替代修复)
    # (not a fallback: "未按期完成替代修复工程的，…应全额缴纳生态环境损害赔偿金560,000元" pays instead of it)
    cash = sum((a.value for a in ctx.values.figures()
                if a is not damage and a is not alt and a.value < damage.value
                and re.search(r"赔偿金[^。；，]{0,10}$", ctx.text[max(0, a.start - 14):a.start])
                and not _FALLBACK_RX.search(ctx.text[_sentence_start(ctx.text, a.start):a.start])),
               Decimal(0))
    if alt.value + cash >= damage.value:
        return []
    extra = f"（另付赔偿金{_yuan(cash)}）" if cash else ""
    return [ctx.finding(rule, span=(alt.start, alt.end),
                        message=f"替代修复的价值量{_yuan(alt.value)}{extra}低于评估的损害价值量{_yuan(damage.value)}")]


_ORG_NAME_RX = re.compile(
    r"[\u4e00-\u9fff（）()]{2,40}?(?:有限责任公司|股份有限公司|有限公司|公司|研究院|研究所|设计院|中心|大学|学院|站|院|所)"
)
# words that end the text before an organisation's name ("乙方委托…", "由…", "修复方案编制单位…")
_ORG_LEAD_RX = re.compile(r".*(?:委托|聘请|邀请|由|经|的|与|和|及|为|是|向|对|将|按照|依照|依据|根据|按|该|甲方|乙方|丙方|单位|编制|实施|承担"
                          r"|负责|组织|约定|同意|确认|选定|确定)")
_CLAUSE_RX = re.compile(r"[^，,。；;！？!?\n]+")
_AUTHOR_VERB_RX = re.compile(r"(?:(?!按照|根据|依据|依照|按|由|委托)[^，。；]){0,14}?(?:编制|制定|出具|编写|编(?=的))")
_PLAN_RX = re.compile(r"修复[^，。；]{0,8}方案|方案[^，。；]{0,4}修复")
_DOER_RX = re.compile(r"实施|施工|承建|承担|负责|总承包|开展|进行")
_WORK_RX = re.compile(r"修复|补植|复绿|增殖放流|治理|工程")
_ENGAGE_RX = re.compile(r"委托|交由|聘请|选定")
_NEGATION_RX = re.compile(r"不得|不由|不能|不应|不宜|禁止|严禁|另行|以外|之外|未参与|不参与|不参加|不承担|不负责|无关|非|回避|不是|不属于|除外|排除")
# the plan's author as the one who is given the work ("委托修复方案编制单位X实施", "由方案编制单位施工")
_APPOSITION_RX = re.compile(r"(?:委托|由|交由|聘请|选定|确定|同意)[^，。；与和及]{0,4}?(?:修复)?方案(?:的)?编制单位")
#: the restoration plan is an annex of the assessment report
_ANNEXED_PLAN = re.compile(r"(?:报告|评估意见|鉴定意见)(?:所附|附件|附带的|附有的?)[^，。；]{0,20}方案|方案[^，。；]{0,6}(?:作为|系|为)[^，。；]{0,10}报告(?:的)?附件")
_REPORT_RX = re.compile(r"(?:鉴定|评估)[^，。；]{0,20}(?:报告|意见)")
_ANAPHORA_RX = re.compile(r"该(?:公司|单位|机构|院|所|中心)|上述(?:公司|单位|机构)|前述(?:公司|单位|机构)")


def _org_names(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Organisation names in ``text[start:end]`` with their spans, the words before a name cut off."""
    out = []
    for m in _ORG_NAME_RX.finditer(text, start, end):
        lead = _ORG_LEAD_RX.match(m.group())
        cut = lead.end() if lead else 0
        name = m.group()[cut:]
        if len(name) >= 4 and not _ORG_LEAD_RX.fullmatch(name):
            out.append((name, m.start() + cut, m.end()))
    return out


#: a third party's contract label, which the document then uses as its name ("（二）修复方案由丙方编制")
_THIRD_LABEL = re.compile(r"[丙丁戊]方")


def _third_aliases(ctx: Context) -> dict[str, str]:
    """丙方/丁方 → the name its party block gives (the restorer or guarantor a three-party agreement names)."""
    out: dict[str, str] = {}
    for party in ctx.parties:
        label = re.split(r"[（(]", party.label, maxsplit=1)[0]
        if party.name and _THIRD_LABEL.fullmatch(label) and _ORG_NAME_RX.fullmatch(party.name):
            out.setdefault(label, party.name)
    return out


def _named(ctx: Context, aliases: dict[str, str], start: int, end: int) -> list[tuple[str, int, int]]:
    """The organisations ``text[start:end]`` names, by name or by a third party's label, in text order."""
    names = _org_names(ctx.text, start, end)
    if aliases:
        names += [(aliases[m.group()], m.start(), m.end()) for m in _THIRD_LABEL.finditer(ctx.text, start, end)
                  if m.group() in aliases]
        names.sort(key=lambda n: n[1])
    return names


#: the plan's author, unnamed, kept out of the work ("修复方案编制单位不参与施工")
_AUTHOR_KEPT_OUT = re.compile(r"编制单位[^。；，,]{0,6}(?:不参与|不得参与|不得承担|不承担|不负责|回避)[^。；，,]{0,6}(?:施工|实施|修复)")


@rule("PLAN-AUTHOR")
def plan_author(ctx: Context, rule: Rule) -> list[Finding]:
    """Who wrote the restoration plan and who carries the restoration out, clause by clause.

    An author is an organisation whose name is followed by 编制/制定/出具 in a clause about the
    restoration plan ("X编制的《…》及《修复方案》", "修复方案由X编制", "方案编制单位：X"). A doer is named
    in a clause that says who carries out the restoration and is not negated ("不得由…实施"): by name,
    as "修复方案编制单位X" or as "该公司" when the last organisation named before it is an author."""
    text = ctx.text
    aliases = _third_aliases(ctx)
    clauses = [(m.start(), m.end()) for m in _CLAUSE_RX.finditer(text)]
    authors: set[str] = set()
    for c0, c1 in clauses:
        clause = text[c0:c1]
        if "编制" not in clause and "制定" not in clause and "出具" not in clause and "编的" not in clause:
            continue
        plan = bool(_PLAN_RX.search(clause))
        for name, _n0, n1 in _named(ctx, aliases, c0, c1):
            if plan and _AUTHOR_VERB_RX.match(text, n1):
                authors.add(name)
        for m in re.finditer(r"(?:方案)?编制单位[ \t　]*[：:为是]?[ \t　]*", clause):
            if plan or "方案" in m.group():
                names = _org_names(text, c0 + m.end(), c1)
                if names and names[0][1] == c0 + m.end():
                    authors.add(names[0][0])
    if not authors and _ANNEXED_PLAN.search(text):
        # "报告所附修复方案", "按评估报告附件《生态修复实施方案》执行": the plan is part of the assessment
        # report, so whoever issued the report wrote it ("广西北部湾林业规划设计有限公司出具的《…评估报告》")
        for c0, c1 in clauses:
            if "出具" in text[c0:c1] and _REPORT_RX.search(text, c0, c1 + 60):
                authors |= {name for name, _n0, n1 in _org_names(text, c0, c1)
                            if re.match(r"(?:于[^，。；]{0,16})?出具", text[n1:n1 + 20])}
    delegated = False
    for c0, c1 in clauses:
        clause = text[c0:c1]
        # (the tests below in the cheapest order: most clauses name no one doing anything)
        # "华盛锌业委托X按照《修复方案》，对…河段实施…清淤": the engaged body's work is in the next clause
        if not _DOER_RX.search(clause) and not (
                _ENGAGE_RX.search(clause) and _DOER_RX.search(text[c1:c1 + 80].split("。")[0].split("；")[0])):
            continue
        if _NEGATION_RX.search(clause):
            continue
        if not _WORK_RX.search(text[text.rfind("。", 0, c0) + 1:text.find("。", c1) % (len(text) + 1)]):
            continue
        authored = re.search(r"编制|制定|出具|编写|编的", clause)
        if authored and not _DOER_RX.search(clause, authored.end()):
            continue  # only says who wrote the plan ("负责编制修复方案的X")
        names = _named(ctx, aliases, c0, c1)
        delegated = delegated or bool(names) or "委托" in clause
        apposition = _APPOSITION_RX.search(clause)
        if apposition:
            named = next((n for n in names if n[1] >= c0 + apposition.end()), None)
            span = (named[1], named[2]) if named else (c0 + apposition.start(), c0 + apposition.end())
            who = f"“{named[0]}”" if named else ""
            return [ctx.finding(rule, span=span, message=f"修复由修复方案的编制单位{who}实施")]
        for name, n0, n1 in names:
            cited = _AUTHOR_VERB_RX.match(text, n1)  # "按照X编制的方案实施": X is cited, not the doer
            if name in authors and not (cited and not _DOER_RX.match(text, cited.end() + 1)):
                return [ctx.finding(rule, span=(n0, n1), message=f"修复由修复方案的编制单位“{name}”实施")]
        anaphora = _ANAPHORA_RX.search(clause)
        if anaphora and authors:
            before = _org_names(text, max(0, c0 - 400), c0)
            if before and before[-1][0] in authors:
                a0 = c0 + anaphora.start()
                return [ctx.finding(rule, span=(a0, c0 + anaphora.end()),
                                    message=f"修复由修复方案的编制单位“{before[-1][0]}”（文中称“{anaphora.group()}”）实施")]
    if not authors and delegated and "修复方案" in text:
        if _AUTHOR_KEPT_OUT.search(text):
            return []  # "修复方案编制单位不参与施工": the document itself answers the question
        raise CannotEvaluate("修复由第三方实施，但文中未写明修复方案的编制单位，无法核对二者是否为同一单位")
    return []


# ---- regulation status


@rule("REG-STATUS")
def regulation_status(ctx: Context, rule: Rule) -> list[Finding]:
    out = []
    corpus = ctx.corpus
    for key, source in corpus.sources.items():
        core = _title_core(source.title)
        # (most sources are not cited: a substring test first, the match only for those that are)
        m = re.search(re.escape(core), ctx.text) if core in ctx.text else None
        if not m:
            continue
        code, explain = corpus.source_status(key, ctx.on)
        if code not in ("draft", "expired", "not_yet_effective"):
            continue
        if _status_stated(ctx, m, code):
            continue  # the document itself says so ("（征求意见稿）", "仅作参考", "试行期已届满")
        address = source.status_basis or corpus.units(key)[0].address
        out.append(_with_basis(ctx.finding(rule, span=(m.start(), m.end()), message=f"文中引用的{explain}"),
                               make_basis(corpus, BasisRef(address=address), ctx.on), f"文中引用的{explain}"))
    for law in corpus.repealed:
        short = law.title.removeprefix("中华人民共和国")
        m = re.search(rf"《(?:中华人民共和国)?{re.escape(short)}》", ctx.text) if short in ctx.text else None
        if m is None or ctx.on < law.repealed_on or _status_stated(ctx, m, "repealed"):
            continue
        message = (f"文中引用的《{law.title}》已于{format_date(law.repealed_on)}废止，"
                   f"应改为引用《{law.replaced_by}》的相应规定")
        out.append(_with_basis(ctx.finding(rule, span=(m.start(), m.end()), message=message),
                               make_basis(corpus, BasisRef(address=law.basis), ctx.on), message))
    return out


@cache
def _title_core(title: str) -> str:
    """A source's title without its trailing parenthetical ("（征求意见稿）", "（试行）")."""
    return re.sub(r"[（(][^）)]*[）)]$", "", title)


def _with_basis(finding: Finding, basis: Basis, message: str) -> Finding:
    """``finding`` resting on ``basis`` alone, its message noting that basis's status only (not the
    status of the rule's default basis)."""
    finding.basis = [basis]
    finding.message = message + status_note(finding.basis)
    return finding


#: a citation used as the rule an act follows, not only mentioned ("根据《…》的规定", "依照《…》")
_RELIED_ON = re.compile(r"(?:根据|依据|依照|按照|遵照)(?:(?!参照|参考)[^。；]){0,60}$")
_STATUS_WORDS = {
    "draft": r"征求意见稿|征求意见阶段|草案|仅作(?:工作)?参考|(?:尚未|未正式)(?:印发|施行|生效)",
    "expired": r"已(?:届满|失效|过期)|试行期(?:已)?(?:届满|满)|仅作(?:工作)?参考",
    "not_yet_effective": r"尚未施行|施行后|生效后",
    # "原《侵权责任法》", "（已废止）", "行为发生时有效的《…》"
    "repealed": r"已(?:被)?废止|原《|失效|行为(?:发生)?时(?:有效|施行)|当时(?:有效|施行)",
}


def _status_stated(ctx: Context, m: re.Match[str], code: str) -> bool:
    """Whether the citation itself states the status the rule would report (within its sentence).
    A draft's own label in its title ("《…细则（征求意见稿）》") does not count when the draft is
    relied on as the rule the act follows ("根据…的规定"): a draft binds no one."""
    s0, s1 = ctx.seg.sentence_at(m.start())
    text = ctx.text[s0:max(s1, m.end() + 20)]
    if code == "draft" and _RELIED_ON.search(ctx.text, s0, m.start()):
        label = re.match(r"[（(](?:征求意见稿|草案|送审稿)[）)]》?", ctx.text[m.end():m.end() + 12])
        if label:
            cut = m.end() + label.end() - s0
            text = text[:m.end() - s0] + text[cut:]
    return bool(re.search(_STATUS_WORDS[code], text))


# ---- scope

# scope_excludes key (profiles) → what in a document shows such a claim, and what to say about it
_SCOPE_SIGNS = {
    "personal_property": (
        r"(?:人身(?:伤害|损害|伤亡)|医疗费|误工费|(?:个人|集体|村民|农户|牧户|牧民|养殖户|渔户|渔民|种植户|承包户|群众|村委会|村民委员会)"
        r"[^。；]{0,20}(?:财产|养殖|种植|农作物|作物|庄稼|青苗|地上附着物|附着物|鱼塘|鱼苗|网箱|果树|草场|承包经营|牲畜|玉米|水稻|减产)"
        r"[^。；]{0,14}(?:损失|补偿)"
        # "上述村民个人及村集体损失一并纳入本次磋商赔偿范围": such losses claimed in the case
        # "…紫荆村集体经济组织林木经济损失27.40万元的赔偿一并进行"
        r"|(?:个人|集体|村民|农户|群众)[^。；，,]{0,10}损失[^。；]{0,12}(?:纳入|列入|计入|一并|合并)[^。；]{0,12}(?:赔偿|磋商|索赔|主张|进行))",
        "文书包含人身伤害或个人、集体财产损失的赔偿：此类请求适用民法典侵权责任的规定，不属于生态环境损害赔偿",
    ),
    "marine": (
        r"(?:海洋生态环境损害|海洋生态(?:系统)?[^。；]{0,6}(?:损害|破坏)|(?:近岸)?海域[^。；]{0,12}(?:污染|损害|破坏)|海洋环境污染"
        # the damage said by what it harmed: sea grass, sea water, the intertidal zone, oil on the sea
        r"|海草床[^。；]{0,8}(?:受损|损害|破坏|污染)|海水(?:水质)?[^。；]{0,8}(?:污染|损害|超标)|潮间带[^。；]{0,12}(?:损害|污染|受损)"
        r"|(?:泄漏|排放|倾倒)[^。；]{0,16}(?:进入|流入|排入)[^。；]{0,10}(?:海域|海湾|港湾|近海)|海面[^。；]{0,8}油膜)",
        "文书涉及海洋生态环境损害：海洋生态环境损害赔偿适用海洋环境保护法等规定，不适用本程序",
    ),
}
_SCOPE_NEGATION = re.compile(r"不包括|不含|除外|不属于|不适用|另行(?:处理|解决|主张|起诉)|不(?:纳入|列入|计入|一并)")


@rule("SCOPE-EXCLUDED")
def out_of_scope(ctx: Context, rule: Rule) -> list[Finding]:
    excludes = set(ctx.profile.value("scope_excludes", [])) | set(get_profile("national").value("scope_excludes", []))
    out = []
    for key, (pattern, message) in _SCOPE_SIGNS.items():
        if key not in excludes:
            continue
        for m in ctx.matches(pattern):
            sentence = _sentence_around(ctx, m.start(), m.end())
            if _SCOPE_NEGATION.search(sentence):
                continue
            out.append(ctx.finding(rule, span=(m.start(), m.end()), message=message))
            break
    return out


def _sentence_around(ctx: Context, start: int, end: int) -> str:
    for s0, s1 in ctx.seg.sentences_in(start, start + 1):
        if s0 <= start < s1:
            return ctx.text[s0:max(s1, end)]
    return ctx.text[start:end]


# ---- against the case data (check --case)

#: a claim that restoration is still owed ("未开展修复", "被执行人…履行…修复义务"), not "已完成修复"
_RESTORATION_CLAIM = re.compile(r"(?<!已)(?:未|没有|拒不|尚未)[^。；]{0,20}(?:开展修复|修复义务|实施修复)"
                                r"|被执行人[^。；]{0,30}履行[^。；]{0,20}修复义务")


@rule("CASE-FACTS")
def case_facts(ctx: Context, rule: Rule) -> list[Finding]:
    """The document against the case data: the agreement's total and date; for an enforcement
    application, the respondents, the unpaid sums and the restoration as the recorded performance
    has them (casefile.obligations)."""
    case = ctx.case
    if case.agreement is None:
        raise CannotEvaluate("案件数据中没有赔偿协议（agreement），无法与文书核对金额、日期和履行情况")
    if ctx.kind == "enforcement":
        return _enforcement_facts(ctx, rule, case)
    if ctx.kind in ("agreement", "judicial_confirmation"):
        return _agreement_facts(ctx, rule, case)
    return []


def _agreement_facts(ctx: Context, rule: Rule, case: Any) -> list[Finding]:
    a = case.agreement
    out: list[Finding] = []
    if a.performance.total not in {x.value for x in ctx.values.amounts}:
        out.append(ctx.finding(rule, severity="warning", message=(
            f"案件数据的赔偿总额{_yuan(a.performance.total)}在文书中没有出现：请核对金额是否与案件数据一致")))
    if a.date not in {d.value for d in ctx.values.dates}:
        out.append(ctx.finding(rule, severity="warning", message=(
            f"案件数据的协议签订日期{format_date(a.date)}在文书中没有出现：请核对签订日期是否与案件数据一致")))
    if a.allocation and len(case.obligors) > 1:
        out += _allocation_facts(ctx, rule, case)
    return out + _instalment_facts(ctx, rule, a.performance.installments)


#: a line that asks which kind of liability and leaves the answer blank ("连带责任还是按份责任：＿＿＿")
_QUESTION_LINE = re.compile(r"[＿_]{3,}|还是")
_LIABILITY_WORDS = {"joint": "连带", "several": "按份"}


def _answer_lines(text: str) -> list[tuple[int, str]]:
    """The lines that state something (not a question left blank), with their offsets."""
    out, at = [], 0
    for line in text.split("\n"):
        if line.strip() and not _QUESTION_LINE.search(line):
            out.append((at, line))
        at += len(line) + 1
    return out


def _allocation_facts(ctx: Context, rule: Rule, case: Any) -> list[Finding]:
    """连带/按份 as the case has it, said in a line that answers (not in a blank question line); each
    obligor's share as the case has it, where a line names that one obligor with an amount."""
    alloc = case.agreement.allocation
    lines = _answer_lines(ctx.text)
    word = _LIABILITY_WORDS[alloc.kind.value]
    other = next(w for k, w in _LIABILITY_WORDS.items() if k != alloc.kind.value)
    out: list[Finding] = []
    if not any(word in line for _at, line in lines):
        wrong = next(((at, line) for at, line in lines if other in line), None)
        out.append(ctx.finding(rule, span=(wrong[0], wrong[0] + len(wrong[1])) if wrong else None, message=(
            f"案件数据约定各赔偿义务人承担{alloc.kind.label}，文书"
            + (f"写作{other}责任" if wrong else "没有写明") + "：给付内容不明确")))
    names = [o.name for o in case.obligors]
    figures = ctx.values.figures()
    # an obligor's name inside the event's or the case's name ("广西桂南冶炼有限公司超标排放含镉废水事件")
    # does not make a line about that obligor: such names are masked (same length, offsets kept)
    titles = [t for t in (case.incident.name if case.incident else None, case.case_name) if t]

    def masked(line: str) -> str:
        for title in titles:
            line = line.replace(title, "＿" * len(title))
        return line

    for share in alloc.shares:
        if share.amount is None:
            continue
        allowed = {share.amount} | _owed_amounts(case, share.obligor)
        for at, raw in lines:
            line = masked(raw)
            if share.obligor not in line or sum(n in line for n in names) > 1:
                continue  # a line about several obligors ("甲、乙承担…共计…") states no one's share
            start = at + line.index(share.obligor)
            after = [f for f in figures if start < f.start < at + len(line)]
            if after and re.search(r"承担|支付|缴纳|赔偿", line) and after[0].value not in allowed:
                out.append(ctx.finding(rule, span=(after[0].start, after[0].end), message=(
                    f"按案件数据，{share.obligor}承担{_yuan(share.amount)}，文书写作{_yuan(after[0].value)}")))
    return out


def _owed_amounts(case: Any, name: str) -> set[Decimal]:
    """The sums the case has one obligor pay: each of its payments and instalments, and their total."""
    perf = case.agreement.performance
    mine = [p.amount for p in [*perf.payments, *perf.installments] if p.obligor in (None, name)]
    return {*mine, sum(mine, Decimal(0))} if mine else set()


def _instalment_facts(ctx: Context, rule: Rule, instalments: list[Any]) -> list[Finding]:
    """Each instalment the document names ("第二期") against the case's: its amount and its date."""
    out: list[Finding] = []
    for inst in named_instalments(ctx):
        k = len(instalments) if inst.ordinal == -1 else inst.ordinal or 0
        if not 0 < k <= len(instalments):
            continue
        want = instalments[k - 1]
        a, b = inst.unit
        sums = [x for x in ctx.values.figures() if a <= x.start < b]
        days = [d for d in ctx.values.dates if a <= d.start < b and d.value]
        if sums and want.amount not in {x.value for x in sums}:
            out.append(ctx.finding(rule, span=(sums[0].start, sums[0].end), message=(
                f"按案件数据，{inst.name(ctx.text)}为{_yuan(want.amount)}，文书写作{_yuan(sums[0].value)}")))
        if days and not {want.due, want.paid} & {d.value for d in days}:
            out.append(ctx.finding(rule, span=(days[0].start, days[0].end), message=(
                f"按案件数据，{inst.name(ctx.text)}应于{format_date(want.due)}前支付，文书写作{days[0].text}")))
    return out


#: where an enforcement application states what is to be enforced
_SUBJECT_HEAD = re.compile(r"(?m)^[ \t　#]*(?:[一二三四五六七八九十]+、)?(?:执行标的|申请执行(?:的)?事项|执行事项|请求事项|执行请求)[^\n]{0,6}[：:]?")
_SUBJECT_END = re.compile(r"(?m)^[ \t　#]*(?:[一二三四五六七八九十]+、)?(?:被执行人(?:的)?财产|事实(?:和|与)理由|此致|附[：:件]|申请执行(?:的)?(?:理由|依据))")
#: the base of a late-payment penalty ("违约金（以142,000.00元为基数…）"), not a sum claimed
_PENALTY_BASE = re.compile(r"(?:（[^）]{0,30}）)?[ \t　]*为(?:计算)?(?:基数|本金)")
#: a ruling's date: "法院于2025年10月24日予以司法确认", "于…作出（2025）…民事裁定"
_RULING_AFTER = re.compile(r"^[^。；，,\n]{0,12}(?:予以(?:司法)?确认|作出[^。；，,\n]{0,24}裁定|裁定确认|裁定[^。；，,\n]{0,6}有效)")


def _subject_span(ctx: Context) -> tuple[int, int] | None:
    m = _SUBJECT_HEAD.search(ctx.text)
    if m is None:
        return None
    stop = _SUBJECT_END.search(ctx.text, m.end())
    return m.start(), stop.start() if stop else min(len(ctx.text), m.end() + 600)


def _ruling_facts(ctx: Context, rule: Rule, case: Any) -> list[Finding]:
    """The ruling the application rests on, as the case records it: its number and its date."""
    jc = case.judicial_confirmation
    if jc is None:
        return []
    out: list[Finding] = []
    if jc.ruling_number:
        written = list(COURT_CASE_NUMBER_RE.finditer(ctx.text))
        if written and not any(_squash(m.group(0)) == _squash(jc.ruling_number) for m in written):
            m = written[0]
            out.append(ctx.finding(rule, span=(m.start(), m.end()), message=(
                f"按案件数据，据以执行的民事裁定书为{jc.ruling_number}，文书写作{m.group(0)}")))
    if jc.ruling_date:
        dated = [d for d in ctx.values.dates if d.value and _RULING_AFTER.search(ctx.text[d.end:d.end + 40])]
        if dated and jc.ruling_date not in {d.value for d in dated}:
            out.append(ctx.finding(rule, span=(dated[0].start, dated[0].end), message=(
                f"按案件数据，司法确认裁定的日期为{format_date(jc.ruling_date)}，文书写作{dated[0].text}")))
    return out


def _squash(number: str) -> str:
    return re.sub(r"[\s（）()〔〕\[\]]", "", number)


def _enforcement_facts(ctx: Context, rule: Rule, case: Any) -> list[Finding]:
    # imported here: the case model costs a tenth of a second at start-up and only a check against
    # a case file (--case) needs it
    from casefile.obligations import defaults

    owed = defaults(case)
    names = [o.name for o in case.obligors]
    spans = {p.name: (p.start, p.end) for p in reversed(ctx.values.parties) if p.role.startswith("respondent")}
    named = set(spans) & set(names)
    if not named:
        raise CannotEvaluate("未识别到与案件数据中赔偿义务人同名的被申请人，无法核对被申请人是否都有未履行的义务")
    out: list[Finding] = []
    due = {o.name for o in owed.respondents}
    for name in names:
        if name in named and name not in due:
            out.append(ctx.finding(rule, span=spans[name], message=(
                f"按案件数据，{name}至{format_date(owed.on)}没有到期未履行的款项或修复义务，不应列为被申请人"
                "（执行依据须权利义务主体明确）")))
        elif name in due and name not in named:
            out.append(ctx.finding(rule, message=(
                f"按案件数据，{name}有到期未履行的义务，申请书没有将其列为被申请人")))
    r = case.restoration
    if owed.restoration is None and r and r.completed and (m := _RESTORATION_CLAIM.search(ctx.text)):
        out.append(ctx.finding(rule, span=(m.start(), m.end()), message=(
            f"案件数据记载修复已于{format_date(r.completed)}完成，申请书仍称未履行修复义务")))
    if owed.unpaid:
        wanted = {g.amount for g in owed.payment_groups()} | {owed.unpaid}
        span = _subject_span(ctx)
        where = [x for x in ctx.values.amounts if (span is None or span[0] <= x.start < span[1])
                 and not (span and _PENALTY_BASE.match(ctx.text, x.end))]
        if not wanted & {x.value for x in where}:
            stated = next((x for x in where if x.kind == "figure"), None) if span else None
            out.append(ctx.finding(rule, span=(stated.start, stated.end) if stated else span, message=(
                f"按案件数据，到期未付的赔偿款为{_yuan(owed.unpaid)}，申请书的执行标的中没有这个金额"
                + (f"（写作{_yuan(stated.value)}）" if stated else ""))))
    return out + _ruling_facts(ctx, rule, case)


# ---- several obligors: who owes what

_OBLIGOR_ROLES = re.compile(r"obligor\d*|applicant_obligor|乙方|丙方")


def _own_share(text: str, name: str) -> bool:
    """The obligor (by its name or the short name defined for it) pays or bears a sum of its own."""
    forms = [name] + [m.group(1) for m in re.finditer(re.escape(name) + r"[^。；]{0,6}简[^\u4e00-\u9fff]{0,4}称[^\u4e00-\u9fff]{0,3}([\u4e00-\u9fff]{2,8})", text)]
    share = r"[ \t　]*(?:应|须|另行)?(?:缴纳|承担|支付|负担|赔偿)[ \t　]*(?:人民币)?[ \t　]*[¥￥]?[ \t　]*\d"
    return any(re.search(r"(?<![\u4e00-\u9fff])" + re.escape(f) + share, text) or re.search(r"由" + re.escape(f) + share, text)
               for f in forms)


@rule("AGR-ALLOCATION")
def several_obligors_allocation(ctx: Context, rule: Rule) -> list[Finding]:
    """Two or more obligors named as parties, and no word that says how they answer (连带, 按份, 各自
    承担…): the 给付内容 per obligor is unclear (民诉法解释 358(五), 461; 民法典 1231)."""
    names: list[tuple[str, int, int]] = []
    for p in ctx.values.parties:
        if not _OBLIGOR_ROLES.fullmatch(p.role):
            continue
        for name in p.name.split("、"):  # a cover page lists them in one line: "赔偿义务人：甲公司、张某"
            # a variant spelling of a name already seen is the same party (NAME-CONSISTENT reports it)
            if len(name) >= 2 and not any(name in n or n in name or _similar(name, n) >= 0.75
                                          for n, _s, _e in names):
                names.append((name, p.start, p.end))
    if len(names) < 2:
        return []
    words = re.compile("|".join(rule.options.get("allocation_words", [])))
    # a line that asks the question and leaves a blank ("连带责任还是按份责任：＿＿＿") does not answer it
    if any(words.search(line) and not re.search(r"[＿_]{3,}|还是", line) for line in ctx.text.splitlines()):
        return []
    if all(_own_share(ctx.text, name) for name, _s, _e in names):
        return []  # "由瑞丰公司缴纳¥265,800.00、王立军缴纳¥30,000.00": each one's own sum (按份)
    second = names[1]
    return [ctx.finding(rule, span=(second[1], second[2]), message=(
        f"有{len(names)}个赔偿义务人（{'、'.join(n for n, _s, _e in names)}），未写明承担连带责任还是按份责任及各自的份额"))]


#: a notice that itself explains more than one meeting day: a second meeting, a new date, a fallback
_MEETING_DAYS_EXPLAINED = re.compile(r"第[二三四五六七八九十2-9]次|再次|第[二三2-9]轮|改期|延期|顺延|变更为|改为|备选|如[^。；]{0,12}(?:不能|无法)")


@rule("CN-MEETING-DATE")
def notice_meeting_date(ctx: Context, rule: Rule) -> list[Finding]:
    """A consultation notice that dates the meeting it convenes differently in two places."""
    # a meeting held before the notice was issued is its history ("并于5月20日召开第一次磋商会议"), not
    # the meeting it convenes
    issued = max((d.value for d in ctx.values.typed("notice") if d.value is not None), default=None)
    first: dict[object, DateValue] = {}
    for d in ctx.values.typed("meeting"):
        if d.value is not None and not d.in_range and (issued is None or d.value >= issued):
            first.setdefault(d.value, d)
    if len(first) < 2 or _MEETING_DAYS_EXPLAINED.search(ctx.text):
        return []
    earliest, other = sorted(first.values(), key=lambda d: d.start)[:2]
    return [ctx.finding(rule, span=(other.start, other.end),
                        message=f"告知书两处写的磋商会议日期不一致：“{earliest.text}”与“{other.text}”")]
