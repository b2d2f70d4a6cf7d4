"""A plain summary of a case: who, what, how much, which stages are on file."""

from __future__ import annotations

from datetime import date

from casefile.model import Case
from corpus.profiles import get_profile
from ecokernel.cnfmt import format_date, rmb_upper
from procedure.stage import infer_stage

STAGES = (
    ("clue", "案件线索"), ("claim_start", "索赔启动"), ("investigation", "损害调查"), ("assessment", "鉴定评估"),
    ("restoration", "修复方案"), ("consultation", "赔偿磋商"), ("agreement", "赔偿协议"),
    ("judicial_confirmation", "司法确认"), ("enforcement", "强制执行"), ("termination", "索赔终止"),
    ("transfer", "案件移送"), ("closure", "结案"),
)


def money(amount) -> str:
    """``125,000.00元（人民币壹拾贰万伍仟元整）``."""
    return f"{amount:,.2f}元（{rmb_upper(amount)}）"


def summary_rows(case: Case, on: date) -> list[tuple[str, str]]:
    """(label, value) rows describing the case."""
    profile = get_profile(case.jurisdiction)
    rows = [("案件名称", case.case_name)]
    if case.case_number:
        rows.append(("立案号", case.case_number))
    rows.append(("案由", case.cause))
    rows.append(("适用辖区", f"{profile.name}（{profile.key}）"))
    for _source, _code, text in profile.status(on):
        rows.append(("依据状态", text))
    rows.append(("赔偿权利人", f"{case.claimant.government}；指定部门：{case.claimant.department.name}"))
    for o in case.obligors:
        ident = "统一社会信用代码" if o.kind == "unit" else "身份证号码"
        rows.append(("赔偿义务人", f"{o.name}（{ident} {o.identifier}）"))
    rows.append(("损害事件", f"{case.incident.name}，{case.incident.place}"))
    if case.assessment:
        rows.append(("损害数额", money(case.assessment.damage_amount)))
    if case.agreement:
        rows.append(("协议赔偿总额", money(case.agreement.performance.total)))
    on_file = [label for field, label in STAGES if getattr(case, field) is not None]
    rows.append(("已有阶段数据", "、".join(on_file) or "无"))
    stage = infer_stage(case)
    rows.append(("当前阶段", stage.label + (f"（自{format_date(stage.since)}）" if stage.since else "")))
    if stage.next:
        rows.append(("下一步", "；".join(stage.next)))
    return rows
