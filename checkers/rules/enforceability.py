"""Enforceability of an agreement's terms (issue 11 §6): would a court confirm and enforce them?

The element-style enforceability rules (a fallback restoration cost, a measurable acceptance
standard, who pays the effect assessment) are data (``data/15-enforceability.yaml``); what needs the
document's values — each instalment against the dates and amounts the value layer found — is here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checkers.findings import Finding
from checkers.rules.computed import _INSTALLMENT_RX, _payment_date, rule
from checkers.rules.instalments import UNTICKED, Instalment, named_instalments
from checkers.rules.values import DEADLINE_AFTER

if TYPE_CHECKING:
    from checkers.rules.engine import Context
    from checkers.rules.registry import Rule

#: a time limit written without a calendar date: "签订之日起30日内", "每月25日前", "验收合格后10日内"
_RELATIVE = re.compile(
    r"(?:\d{1,3}|[一二三四五六七八九十百两]{1,3})[ \t　]*(?:个)?(?:工作日|日|天|周|个?月|年)[ \t　]*(?:内|以内|之内|前)"
    r"|每[ \t　]*(?:个)?(?:月|季度?|年)[^。；，,\n]{0,8}?(?:\d{1,2}|[一二三四五六七八九十]{1,3})?[ \t　]*(?:日|号|底|末)"
    r"|(?:签订|签署|生效|确认|裁定|验收|完成|合格|届满|付清|支付)[^。；，,\n]{0,8}(?:之日|当日|同日|当天|时(?!间|限))"
    r"|(?:年|月)(?:底|末)(?:前|之前)"
)
#: a share of the total, or a figure without 元 in a table whose column says 金额（元）
_SUM_WITHOUT_UNIT = re.compile(r"\d+(?:\.\d+)?[ \t　]*[%％]|百分之[一二三四五六七八九十]+"
                               r"|(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+\.\d{2})(?![\d,])")
_PERIOD = re.compile(r"(?:每|按)[ \t　]*(?:\d{1,2}|[一二三四五六七八九十两]{1,2})?[ \t　]*(?:个)?(?:月|季度?|半年|年)")
_MONTH_FROM = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t　]*年[ \t　]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t　]*月[ \t　]*(?:起|开始|至|止)")
_NEGATED = re.compile(r"(?:不|不得|不予|无需|不同意|不采用|不接受)[^。；，,]{0,4}$")


def _has_time(ctx: Context, a: int, b: int) -> bool:
    if any(a <= d.start < b and _payment_date(ctx.text, d.start, d.end) for d in ctx.values.dates):
        return True
    return bool(_RELATIVE.search(ctx.text, a, b))


def _periodic(ctx: Context, a: int, b: int) -> bool:
    """A periodic schedule that dates every instalment: a period and a start or end date in the same
    sentence ("自2025年7月起每三个月缴纳一期", "按季度缴纳，自2025年10月起至2027年3月止")."""
    if not _PERIOD.search(ctx.text, a, b):
        return False
    return any(a <= d.start < b for d in ctx.values.dates) or bool(_MONTH_FROM.search(ctx.text, a, b))


def _has_sum(ctx: Context, a: int, b: int) -> bool:
    return any(a <= x.start < b for x in ctx.values.amounts) or bool(_SUM_WITHOUT_UNIT.search(ctx.text, a, b))


@rule("AGR-INSTALLMENT-DATES")
def instalment_dates(ctx: Context, rule: Rule) -> list[Finding]:
    """Each instalment agreed with its sum carries its own time limit (a date or a period); an
    instalment plan with no time at all is reported once."""
    undated: list[Instalment] = []
    dated: set[int] = set()
    defined = 0
    for inst in named_instalments(ctx):
        a, b = inst.unit
        if not _has_sum(ctx, a, b):
            continue  # "第二期款项已于…支付", "逾期支付第三期的": a reference, not the term
        defined += 1
        s0, s1 = ctx.seg.sentence_at(inst.start)
        if _has_time(ctx, a, b) or _periodic(ctx, s0, max(s1, b)):
            dated.add(inst.ordinal)
        else:
            undated.append(inst)
    if defined:
        # an instalment dated where it is agreed and named again with a sum ("第三期：2025年12月31日前缴纳
        # 20,000元" … "保证金冲抵第三期应缴款项，第三期实际应缴10,000元") has its time limit
        return [ctx.finding(rule, span=(inst.start, inst.end), quote=ctx.text[inst.unit[0]:inst.unit[1]].strip(),
                            message=f"{rule.message}：{inst.name(ctx.text)}只有金额，没有写明支付日期或期限")
                for inst in undated if inst.ordinal is None or inst.ordinal < 0 or inst.ordinal not in dated]
    # "分期支付" with no instalment listed by name: the schedule may follow the sentence that agrees it
    undated = None
    for m in _INSTALLMENT_RX.finditer(ctx.text):
        if _NEGATED.search(ctx.text, max(0, m.start() - 8), m.start()) or \
                UNTICKED.search(ctx.text, max(0, m.start() - 4), m.start()):
            continue
        s0, s1 = ctx.seg.sentence_at(m.start())
        if not _has_sum(ctx, s0, s1):
            continue  # "关于分期赔付，双方参照……": no sum, no term
        block = ctx.doc.block_at(m.start())
        b0 = ctx.doc.offset_of(block)
        if _has_time(ctx, min(s0, b0), min(len(ctx.text), max(s1, b0 + len(block.text)) + 200)):
            return []
        undated = undated or m
    if undated is None:
        return []
    return [ctx.finding(rule, span=(undated.start(), undated.end()),
                        message=f"{rule.message}：约定分期支付，但没有写明各期的支付日期或期限")]


#: how far after an instalment's name its own deadline stands ("第二期人民币20万元，于2025年7月31日前缴纳")
_NEAR = 40
#: a security's deadline in the instalment's sentence ("为担保第二期…，于2025年2月10日前提交保函") is not the instalment's
_SECURITY = re.compile(r"保证金|保函|担保|押金|抵押|质押")
#: a schedule changed on purpose: the second time limit replaces the first
_CHANGED = re.compile(r"变更|调整|延期|延长|顺延|改为|展期|宽限|补充协议|原(?:协议|约定)")


@rule("AGR-INSTALLMENT-AGREE")
def instalment_dates_agree(ctx: Context, rule: Rule) -> list[Finding]:
    """The same instalment given two different time limits in one document (the body's schedule and
    the annexed 分期付款计划表), unless the text next to the second one says it was changed."""
    first: dict[int, tuple[str, object]] = {}
    for inst in named_instalments(ctx):
        a, b = inst.unit
        if inst.ordinal is None or inst.ordinal < 1:
            continue
        # its deadline ("…日前"), not a day it was paid ("第一期已于2024年6月26日缴纳"); in a schedule's row
        # read as text the sum may be on the next line
        due = next((d for d in ctx.values.dates if a <= d.start < b and d.value is not None and not d.in_range
                    and d.start - inst.end <= _NEAR and DEADLINE_AFTER.match(ctx.text, d.end)
                    and _payment_date(ctx.text, d.start, d.end)
                    and not _SECURITY.search(ctx.text, max(0, inst.start - 8), d.end)), None)
        if due is None:
            continue
        seen = first.setdefault(inst.ordinal, (due.text, due.value))
        if seen[1] != due.value:
            if _CHANGED.search(ctx.text, max(0, a - 60), b + 60):
                continue  # "经协商，第三期期限延长至…": changed on purpose, next to the new limit
            return [ctx.finding(rule, span=(due.start, due.end), message=(
                f"{rule.message}：{inst.name(ctx.text)}一处写“{seen[0]}”，另一处写“{due.text}”"))]
    return []
