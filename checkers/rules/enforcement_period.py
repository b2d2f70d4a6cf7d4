"""The period for applying to enforce (民事诉讼法第二百五十条): an enforcement application made more
than the profile's period (two years) after the last day the confirmed agreement set for performance.

The start is the latest performance deadline the application recites ("第二期…于2022年12月31日前缴纳",
"于2024年10月31日前完成修复"); a dated demand or undertaking after it ("2023年5月8日向被执行人送达
履行催告书") interrupts the period (第二百五十条第一款: 中止、中断适用诉讼时效的规定), so the period runs
again from the latest one. The day of the application is the date given to the act of applying, else
the date under the seals.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checkers.findings import CannotEvaluate, Finding
from checkers.rules.computed import clause_around, rule
from ecokernel.calendar import WorkCalendar
from ecokernel.cnfmt import format_date

if TYPE_CHECKING:
    from checkers.rules.engine import Context
    from checkers.rules.registry import Rule

#: a date that is a deadline: "…日前", "…日之前", "…日以前" (the line perhaps broken before 前: a PDF's)
_DUE_AFTER = re.compile(r"[ \t　]*\n?[ \t　]*(?:之前|以前|前)")
#: a performance deadline's own clause: paying, or finishing (not starting) the restoration
_PERFORMANCE = re.compile(r"缴|付|款|元|完成|竣工")
#: the date named as the deadline itself: "2025年6月30日缴费期限届满", "期限届满（2025年4月27日）",
#: "在…规定期限内（2025年8月31日前）"
_NAMED_DEADLINE_AFTER = re.compile(r"[ \t　]*(?:的)?(?:缴费|缴款|付款|履行|支付)?期限(?:届满|已满|到期)")
_NAMED_DEADLINE_BEFORE = re.compile(r"期限(?:届满|到期|内)[（(]$")
#: what interrupts the period: a demand for performance, or the obligor agreeing to perform
_INTERRUPTION = re.compile(r"催告|催缴|催收|督促[^。；]{0,6}履行|同意履行|承诺[^。；]{0,6}(?:履行|缴纳|支付)|还款计划|部分履行")


def _is_due(text: str, start: int, end: int) -> bool:
    if _NAMED_DEADLINE_AFTER.match(text, end) or _NAMED_DEADLINE_BEFORE.search(text, max(0, start - 8), start):
        return True
    due = _DUE_AFTER.match(text, end)
    if due is None:
        return False
    clause = clause_around(text, start, end)
    if "\n" in due.group():  # "2023年6月30日" / "前支付1,158,000.00元": the clause goes on after the break
        clause += clause_around(text, due.end(), due.end())
    return bool(_PERFORMANCE.search(clause))



@rule("ENF-PERIOD")
def enforcement_period(ctx: Context, rule: Rule) -> list[Finding]:
    param = ctx.profile.param(rule.param or "")
    assert param is not None  # the engine runs the rule only where the parameter is set
    text = ctx.text
    dated = [d for d in ctx.values.dates if d.value is not None]
    dues = [d for d in dated if _is_due(text, d.start, d.end)]
    applied = ctx.values.typed("enforcement")
    if not dues or not applied:
        missing = "、".join(w for w, have in (("履行期限", dues), ("申请执行日期", applied)) if not have)
        raise CannotEvaluate(f"未识别到{missing}，无法核对是否在申请执行期间（{param.text}）内申请")
    last_due = max(dues, key=lambda d: d.value)  # type: ignore[arg-type, return-value]
    day = max(applied, key=lambda d: d.value)  # type: ignore[arg-type, return-value]
    assert last_due.value and day.value
    start, since, late = last_due, "最后一期履行期限", ""
    calendar = WorkCalendar()
    due = calendar.add_period(last_due.value, int(param.value), param.unit or "年")
    for d in sorted(dated, key=lambda d: d.value):  # type: ignore[arg-type, return-value]
        s0, s1 = ctx.seg.sentence_at(d.start)
        if last_due.value < d.value < day.value and _INTERRUPTION.search(text, s0, max(s1, d.end)) \
                and not _DUE_AFTER.match(text, d.end) and d.value > start.value:  # type: ignore[operator]
            if d.value > due.end:
                # a demand after the period ran out does not interrupt it: there is nothing left to interrupt
                late = f"；“{d.text}”的催告在期间届满之后，不能中断"
                break
            start, since = d, "中断后重新起算之日"
            due = calendar.add_period(d.value, int(param.value), param.unit or "年")
    assert start.value
    if day.value <= due.end:
        return []
    return [ctx.finding(rule, span=(day.start, day.end), message=(
        f"申请执行日期“{day.text}”距{since}“{start.text}”已超过{param.text}（应于{format_date(due.end)}前申请）；"
        f"如有中止、中断事由，应在申请书中写明{late}"))]
