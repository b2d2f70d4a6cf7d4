"""Procedural periods a document narrates or sets, against the jurisdiction's profile.

- CLUE-CHECK: the preliminary check after a clue is received (zhangye:9 and nantong:(二) 30 days,
  guangxi:12 5 working days), read from the dates the facts give to receiving the clue
  ("收到…移送的案件线索", "接到举报") and to opening the case ("立案启动索赔"): the check comes between
  them and the case is to be opened "及时" after it, so a gap longer than the period means the check
  ran over (or the opening was not timely). Where the text dates the check's completion ("于…完成初步
  核查"), that date ends the period instead.
- CN-REPLY-SHORT: the period a consultation notice gives the obligor to answer, not shorter than the
  model text's (zhangye 附件[4]: 5 working days).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checkers.findings import CannotEvaluate, Finding
from checkers.rules.computed import clause_around, period_overrun, rule
from checkers.rules.values import small_number
from ecokernel.cnfmt import format_date

if TYPE_CHECKING:
    from checkers.rules.engine import Context
    from checkers.rules.registry import Rule

#: the clause of a date on which a clue reached the department
_CLUE = re.compile(r"(?<!财产)线索|移送|举报|投诉|转办|交办")
#: the clause of a date on which the preliminary check was completed ("于2025年1月21日完成初步核查")
_CHECKED = re.compile(r"完成(?:了)?(?:初步)?核查|(?:初步)?核查(?:工作)?(?:已)?(?:完成|结束|完毕)")
#: the clause of a date on which the case was opened (not a criminal case the police opened: "公安局立案侦查")
_OPENED = re.compile(r"(?<!刑事)立案(?!侦查)|启动(?:生态环境损害)?(?:赔偿|索赔)")


@rule("CLUE-CHECK")
def clue_check(ctx: Context, rule: Rule) -> list[Finding]:
    param = ctx.profile.param(rule.param or "")
    assert param is not None  # the engine runs the rule only where the parameter is set
    text = ctx.text
    dated = [d for d in ctx.values.dates if d.value is not None and not d.in_range]
    clues, opened, checked = [], [], []
    for i, d in enumerate(dated):
        # the date's own clause, then what follows it up to the sentence's end or the next date
        # ("2024年3月11日，我局收到…移送的案件线索，反映…。")
        stop = min([e for e in (text.find("。", d.end), text.find("；", d.end)) if e >= 0] or [len(text)])
        if i + 1 < len(dated):
            stop = min(stop, dated[i + 1].start)
        done = opens = False
        for window in (clause_around(text, d.start, d.end), text[d.end:stop]):
            # ("于2025年3月24日完成初步核查，确认已造成损害并立案启动索赔": completed, and opened that day)
            done = done or bool(_CHECKED.search(window))
            opens = opens or bool(_OPENED.search(window))
            if opens:
                break
            if not done and _CLUE.search(window):
                clues.append(d)
                break
        if done:
            checked.append(d)
        if opens:
            opened.append(d)
    if not clues:
        return []  # the document does not say when a clue came in
    if not opened:
        if _OPENED.search(text):
            raise CannotEvaluate("文中写了接到线索的日期和立案，但未识别到立案日期，无法核对初步核查期限")
        return []
    first_opened = min(opened, key=lambda d: d.value)  # type: ignore[arg-type, return-value]
    before = [d for d in clues if d.value <= first_opened.value]  # type: ignore[operator]
    if not before:
        return []
    clue = max(before, key=lambda d: d.value)  # type: ignore[arg-type, return-value]
    assert clue.value and first_opened.value
    # the day the check was completed, where the text gives it ("于2025年1月21日完成初步核查"), is the end
    # of the check; else the opening, which is to follow it "及时"
    completed = [d for d in checked if clue.value <= d.value <= first_opened.value]  # type: ignore[operator]
    end = min(completed, key=lambda d: d.value) if completed else first_opened  # type: ignore[arg-type, return-value]
    assert end.value
    over = period_overrun(clue.value, end.value, param)
    if over is None:
        return []
    if completed:
        return [ctx.finding(rule, span=(end.start, end.end), message=(
            f"接到线索（“{clue.text}”）至完成初步核查（“{end.text}”）相隔{over.elapsed}{over.unit}，超过初步核查期限"
            f"{param.text}：初步核查应于{format_date(over.due)}前完成{over.note}"))]
    return [ctx.finding(rule, span=(first_opened.start, first_opened.end), message=(
        f"接到线索（“{clue.text}”）至立案（“{first_opened.text}”）相隔{over.elapsed}{over.unit}，超过初步核查期限"
        f"{param.text}：初步核查应于{format_date(over.due)}前完成，完成后及时立案，请核对初步核查是否按期完成{over.note}"))]


#: the answer period a notice sets: "自本告知书送达之日起3个工作日内…书面意见"
_REPLY = re.compile(r"(?:送达|收到)[^。]{0,20}?(?P<n>\d+|[一二两三四五六七八九十]+)[ \t　]*(?:个)?[ \t　]*(?P<unit>工作日|日|天)"
                    r"(?:内|以内)[^。]{0,60}(?:书面|答复|回复|意见|是否同意)")


@rule("CN-REPLY-SHORT")
def reply_short(ctx: Context, rule: Rule) -> list[Finding]:
    param = ctx.profile.param(rule.param or "")
    assert param is not None
    out: list[Finding] = []
    for m in _REPLY.finditer(ctx.text):
        unit = "日" if m["unit"] == "天" else m["unit"]
        if unit != (param.unit or "日"):
            continue  # days against working days: not comparable without the dates
        n = small_number(m["n"])
        if n < int(param.value):
            out.append(ctx.finding(rule, span=(m.start("n"), m.end("unit")), message=(
                f"告知书给被告知人书面答复的期限为{m['n']}{'个' if unit == '工作日' else ''}{m['unit']}，"
                f"短于示范文本规定的{param.text}")))
    return out
