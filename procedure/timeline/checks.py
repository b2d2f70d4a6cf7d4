"""Scope, route and precondition checks of a case (data: ``procedure/data/case_checks.yaml``)."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from casefile.model import Case, TerminationGround
from corpus.profiles import Profile
from ecokernel.sourcefile import packaged_data
from procedure.timeline.basis import Citer, profile_chain
from procedure.timeline.paths import Condition, dates, values
from procedure.timeline.result import Check


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _listify(v: Any) -> Any:
    return [v] if isinstance(v, str) else v


class ScopeItem(_Strict):
    code: str
    flag: str
    label: str
    route: str
    reference: list[str] = Field(default_factory=list)


class Precondition(_Strict):
    code: str
    label: str
    path: list[str]
    dated: bool

    _path = field_validator("path", mode="before")(_listify)


class Preconditions(_Strict):
    reference: str
    before: str
    items: list[Precondition]


class Simplified(_Strict):
    max_param: str
    experts_param: str
    excluded_heads: list[str]


class FailureGround(_Strict):
    ground: str
    label: str
    step: str | None = None
    statuses: list[str] = Field(default_factory=list)
    fact: str | None = None
    condition: Condition | None = None
    cite: list[str] = Field(default_factory=list)


class Failure(_Strict):
    route_cite: list[str]
    grounds: list[FailureGround]


class Termination(_Strict):
    grounds: dict[str, str]
    own: list[str] = Field(default_factory=list)


class CheckData(_Strict):
    scope: list[ScopeItem]
    preconditions: Preconditions
    simplified_assessment: Simplified
    consultation_failure: Failure
    termination: Termination


@functools.cache
def check_data() -> CheckData:
    data = packaged_data("procedure.data", "case_checks.yaml")
    return CheckData.model_validate(data)


def _set(case: Case, paths: list[str]) -> bool:
    return any(v not in (None, False, "", []) for p in paths for v in values(case, p))


def scope_checks(case: Case, profile: Profile, citer: Citer) -> list[Check]:
    out: list[Check] = []
    chain = profile_chain(profile)
    for item in check_data().scope:
        if not _set(case, [item.flag]):
            continue
        bases = [a for p in chain
                 if (sp := p.param("scope_excludes")) is not None and sp.origin == p.key and item.code in sp.value
                 for a in sp.basis]
        if bases:
            out.append(Check(
                code=f"SCOPE-{item.code.upper()}", severity="error", category="out_of_scope",
                message=f"案件属于{item.label}，不适用生态环境损害赔偿程序：{item.route}",
                basis=citer.make(bases)))
        else:
            out.append(Check(
                code=f"SCOPE-{item.code.upper()}", severity="warning", category="out_of_scope",
                message=(f"案件标注为{item.label}；{profile.name}的依据及国家基线（已核实部分）未将其列为不适用情形，"
                         f"请核实。其他地方规定：{item.route}"),
                basis=citer.make(item.reference)))
    return out


def precondition_checks(case: Case, profile: Profile, citer: Citer) -> list[Check]:
    spec = check_data().preconditions
    notice = [d for d in dates(case, spec.before)]
    if not notice:
        return []
    issued = notice[0]
    param = profile.param("consultation_preconditions")
    required = set(param.value) if param is not None else None
    out: list[Check] = []
    for item in spec.items:
        if required is not None and item.code not in required:
            continue
        if item.dated:
            found = [d for p in item.path for d in dates(case, p)]
            ok = bool(found) and min(found) <= issued
            when = f"（{min(found).isoformat()}）" if found else ""
            problem = f"磋商告知书（{issued.isoformat()}）制作前未{item.label}{when}"
        else:
            ok = _set(case, item.path)
            problem = f"开展磋商前未{item.label}"
        if ok:
            continue
        if param is not None:
            out.append(Check(code=f"PRECONDITION-{item.code.upper()}", severity="warning", category="other",
                             message=problem, basis=citer.make(param.basis)))
        else:
            out.append(Check(code=f"PRECONDITION-{item.code.upper()}", severity="info", category="other",
                             message=f"{problem}（{profile.name}未规定磋商前提条件，仅供参照）",
                             basis=citer.make([spec.reference])))
    return out


def simplified_checks(case: Case, profile: Profile, citer: Citer) -> list[Check]:
    a = case.assessment
    if a is None:
        return []
    spec = check_data().simplified_assessment
    used = a.simplified or a.kind == "expert_opinion"
    if a.cost_items:
        amount = sum((i.amount for i in a.cost_items if i.head not in spec.excluded_heads), start=Decimal(0))
        how = "费用构成中除调查、鉴定评估等费用以外各项合计"
    else:
        amount = a.damage_amount
        how = "生态环境损害数额"
    cap = profile.param(spec.max_param)
    if cap is None:
        if used:
            return [Check(code="SIMPLIFIED-ASSESSMENT", severity="info", category="other",
                          message=f"采用专家评估（简易评估）；{profile.name}未规定简易评估的数额上限")]
        return []
    limit = Decimal(str(cap.value))
    within = amount <= limit if cap.inclusive else amount < limit
    op = "不超过" if cap.inclusive else "低于"
    over = "超过" if cap.inclusive else "达到或超过"
    problems = [] if within else [f"{how}{amount:,.2f}元，{over}{limit:,.0f}元"]
    experts = profile.param(spec.experts_param)
    bases = list(cap.basis)
    if experts is not None and used and a.kind == "expert_opinion" and len(a.experts) < int(experts.value):
        problems.append(f"评估专家{len(a.experts)}人，少于{experts.value}人")
        bases += experts.basis
    if used and problems:
        return [Check(code="SIMPLIFIED-ASSESSMENT", severity="warning", category="other",
                      message="采用专家评估（简易评估），但不符合条件：" + "；".join(problems),
                      basis=citer.make(bases))]
    verdict = "符合" if within else "不符合"
    return [Check(code="SIMPLIFIED-ASSESSMENT", severity="info", category="other",
                  message=(f"简易评估数额条件：{how}{amount:,.2f}元，{verdict}“{op}{limit:,.0f}元”的条件"
                           + ("（已采用专家评估）" if used else "")),
                  basis=citer.make(bases))]


def failure_checks(case: Case, citer: Citer, facts: dict[str, dict[str, Any]]) -> list[Check]:
    """Failed consultation (guangxi:22) → litigation is due (unless an agreement exists)."""
    c = case.consultation
    if c is None or case.agreement is not None or case.termination is not None:
        return []
    spec = check_data().consultation_failure
    hits: list[FailureGround] = []
    for g in spec.grounds:
        fact = facts.get(g.step or "", {})
        if (g.step and g.statuses and fact.get("status") in g.statuses) or \
                (g.step and g.fact and fact.get(g.fact)) or \
                (g.condition is not None and g.condition.holds(case)):
            hits.append(g)
    if c.outcome == "failed" and c.failure_ground is not None:
        label = c.failure_ground.label
        message = f"磋商不成（{label}）"
    elif hits:
        message = "可以视为磋商未达成一致：" + "；".join(g.label for g in hits)
    else:
        return []
    addresses = [a for g in hits for a in g.cite] + spec.route_cite
    basis = citer.make(citer.local(addresses))
    if c.litigation_filed:
        return [Check(code="LITIGATION", severity="info", category="other",
                      message=f"{message}；已于{c.litigation_filed.isoformat()}向人民法院提起诉讼", basis=basis)]
    return [Check(code="LITIGATION-DUE", severity="warning", category="other",
                  message=f"{message}。应当及时向人民法院提起生态环境损害赔偿诉讼", basis=basis)]


def termination_checks(case: Case, citer: Citer) -> list[Check]:
    t = case.termination
    if t is None:
        return []
    spec = check_data().termination
    ground = TerminationGround(t.ground)
    addresses = [spec.grounds[ground.value], *citer.local(spec.own)]
    out = [Check(code="TERMINATION", severity="info", category="other",
                 message=f"索赔已于{t.date.isoformat()}终止，终止情形：{ground.label}",
                 basis=citer.make(addresses))]
    if not t.supporting_materials:
        out.append(Check(code="TERMINATION-MATERIALS", severity="warning", category="missing_element",
                         message="终止索赔应详细说明终止理由并提供佐证材料（supporting_materials 为空）",
                         basis=citer.make(["guangxi:14"])))
    return out


def all_checks(case: Case, profile: Profile, citer: Citer, facts: dict[str, dict[str, Any]]) -> list[Check]:
    return [
        *scope_checks(case, profile, citer),
        *precondition_checks(case, profile, citer),
        *simplified_checks(case, profile, citer),
        *failure_checks(case, citer, facts),
        *termination_checks(case, citer),
    ]
