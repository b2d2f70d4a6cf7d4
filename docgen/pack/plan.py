"""Which items a court pack holds for a case and a filing step (corpus/filing.yaml), before anything is
read or rendered: the forms to write (one per applicant, per agent…), the supplied materials that fill
the other items, and the required items that are missing (待补)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from casefile.model import Agent, Case, Material, MaterialKind, Obligor, ObligorKind, Organization
from casefile.obligations import defaults
from corpus.filing import STATUS_TEXT, FilingItem, FilingStep, filing, filing_steps
from corpus.forms import all_kinds
from corpus.profiles import get_profile
from ecokernel.cnfmt import format_date
from ecokernel.errors import UserError

Status = Literal["written", "supplied", "missing", "optional"]
#: how the 材料清单 prints a status
STATUS_LABEL: dict[str, str] = {"written": "已附", "supplied": "已附", "missing": "待补", "optional": "建议提供"}
#: material kinds that are not tied to one requirement: evidence joins the 证据目录, other goes last
GENERIC = (MaterialKind.EVIDENCE, MaterialKind.OTHER)
OTHER_SECTION = "其他材料"
EVIDENCE_SECTION = "证据"
#: words of an agent's powers that mean receiving money (执行工作规定第二十条: special authority)
MONEY_WORDS = ("收取", "收款", "收付", "代收", "领取", "受领")


class PackError(UserError):
    """The pack cannot be prepared (no data for the step, an unusable call)."""


@dataclass(frozen=True)
class Party:
    """An applicant: the designated department or an obligor."""

    name: str
    unit: bool
    data: Organization | Obligor
    claimant: bool


@dataclass
class Slot:
    """One item of the pack: a form the tool writes, a supplied material, or a missing one."""

    item: FilingItem
    name: str
    section: str
    status: Status
    copies: int
    original: bool
    form: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    case: Case | None = None  # the case the form is rendered from (one agent's 授权委托书)
    material: Material | None = None
    material_index: int | None = None
    proves: str | None = None
    source: str | None = None

    @property
    def present(self) -> bool:
        return self.status in ("written", "supplied")

    @property
    def evidence(self) -> bool:
        return self.item.evidence

    @property
    def basis_note(self) -> str:
        """``依据未经核实`` for an S or U item (the 材料清单 and report say so), else empty."""
        return "" if self.item.status == "V" else STATUS_TEXT[self.item.status]


@dataclass
class Plan:
    case: Case
    step: FilingStep
    court: str | None
    day: date | None
    applicants: list[Party]
    respondents: list[Obligor]
    slots: list[Slot]
    warnings: list[str]
    notices: list[str]

    @property
    def missing(self) -> list[Slot]:
        return [s for s in self.slots if s.status == "missing"]

    @property
    def submitter(self) -> str:
        return "、".join(p.name for p in self.applicants)


def _applicants(case: Case, step: FilingStep) -> list[Party]:
    dept = case.claimant.department
    out = [Party(dept.name, True, dept, True)] if "claimant" in step.applicants else []
    if "obligors" in step.applicants:
        out += [Party(o.name, o.kind is ObligorKind.UNIT, o, False) for o in case.obligors]
    return out


def _agents(case: Case, step: FilingStep, applicants: list[Party]) -> list[Agent]:
    """The applicants' agents whose scope covers the step."""
    chosen = {id(a) for p in applicants for a in case.agents_for(step.code, None if p.claimant else p.name)}
    return [a for a in case.agents if id(a) in chosen]


def _present(case: Case, dotted: str | None) -> bool:
    value: Any = case
    for part in (dotted or "").split(".") if dotted else ():
        value = getattr(value, part, None)
    return value not in (None, [], "")


def _title(item: FilingItem) -> str:
    if item.title:
        return item.title
    if item.form:
        return all_kinds()[item.form].title
    return MaterialKind(item.material).label


def _copies(item: FilingItem, material: Material | None, respondents: int) -> int:
    if material is not None and material.copies:
        return material.copies
    return item.copies + (respondents if item.evidence else 0)


def _owners(item: FilingItem, applicants: list[Party], agents: list[Agent]) -> list[Party | Agent | None]:
    """Whom one item is repeated for (``per``): None for an item that is there once."""
    per = item.per
    if per == "once":
        return [None]
    if per == "agent":
        return list(agents)
    chosen = {
        "applicant": lambda p: True,
        "applicant_unit": lambda p: p.unit,
        "claimant": lambda p: p.claimant,
        "obligor_unit": lambda p: p.unit and not p.claimant,
        "obligor_person": lambda p: not p.unit and not p.claimant,
    }[per]
    return [p for p in applicants if chosen(p)]


def _owner_name(owner: Party | Agent | None) -> str | None:
    return None if owner is None else owner.name


def _matches(material: Material, kind: str, owner: str | None, dept: str) -> bool:
    if material.kind != kind:
        return False
    if owner is None:
        return True
    return (material.party or (dept if material.kind is MaterialKind.CREDIT_CODE else None)) == owner


def _form_slot(case: Case, plan_day: date | None, item: FilingItem, owner: Party | Agent | None, name: str,
               copies: int, court: str | None, step: FilingStep) -> Slot:
    slot = Slot(item=item, name=name, section=item.section, status="written", copies=copies,
                original=item.original, form=item.form)
    if isinstance(owner, Agent):  # one 授权委托书 per agent: the form renders the case's agents
        slot.case = case.for_agent(owner)
    elif isinstance(owner, Party):
        data = owner.data
        person = isinstance(data, Obligor) and data.kind is ObligorKind.PERSON
        contact = getattr(data, "contact", None)
        slot.extra = {"party": data, "person": person,
                      "recipient": data.name if person else (contact.name if contact else data.legal_rep),
                      "phone": (contact.phone if contact and contact.phone else None) or data.phone,
                      "postcode": getattr(data, "postcode", None)}
    slot.extra.update(day=plan_day, court=court, matter=step.title)
    return slot


def court_for(case: Case, step_code: str) -> tuple[str | None, str | None]:
    """The court the step's filings go to, and a notice when it is not the one the case names: for
    enforcement the court that made the confirmation ruling (民诉法解释第四百六十条, the profile's
    ``enforcement_court``), for confirmation the jurisdiction profile's ``confirmation_court``."""
    stage = getattr(case, step_code)
    if stage.court:
        return stage.court, None
    profile = get_profile(case.jurisdiction)
    if step_code == "enforcement" and case.judicial_confirmation and case.judicial_confirmation.court:
        rule = profile.param("enforcement_court")
        basis = "、".join(rule.basis) if rule else "minsufa_jieshi:460"
        return case.judicial_confirmation.court, (f"案件数据未写明执行法院，取作出司法确认裁定的"
                                                  f"{case.judicial_confirmation.court}（{basis}）")
    named = profile.param("confirmation_court") if step_code == "judicial_confirmation" else None
    if named is not None:
        note = f"；{named.note}" if named.note else ""
        return str(named.value), (f"案件数据未写明受理法院，取{profile.name}的配置：{named.value}"
                                  f"（{'、'.join(named.basis)}{note}）")
    level = profile.param("confirmation_court_level") if step_code == "judicial_confirmation" else None
    hint = f"；{profile.name}由{level.value}办理（{'、'.join(level.basis)}）" if level else ""
    return None, f"案件数据未写明{'执行' if step_code == 'enforcement' else '受理'}法院，申请书的致送法院留空，请填写{hint}"


def plan_pack(case: Case, step_code: str) -> Plan:
    """The items of the pack for ``case`` and the filing step ``step_code``. Raises PackError."""
    steps = filing_steps()
    if step_code not in steps:
        raise PackError(f"未知的申请事项“{step_code}”，可选：{'、'.join(f'{k}（{s.title}）' for k, s in steps.items())}")
    step = steps[step_code]
    stage = getattr(case, step_code)
    if stage is None:
        raise PackError(f"案件数据中尚无 {step_code}（{all_kinds()[step.form].title}的数据），无法准备{step.title}的材料")
    court, court_note = court_for(case, step_code)
    if court != stage.court:  # the forms print the court the pack goes to
        stage = stage.model_copy(update={"court": court})
        case = case.model_copy(update={step_code: stage})
    applicants = _applicants(case, step)
    respondents = list(case.obligors) if not step.respondents else _respondents(case)
    agents = _agents(case, step, applicants)
    dept = case.claimant.department.name
    materials = [(i, m) for i, m in enumerate(case.materials) if not m.steps or step_code in m.steps]
    used: set[int] = set()
    slots: list[Slot] = []
    warnings: list[str] = []
    n_resp = len(respondents) if step.respondents else 0
    for item in step.items:
        if not _present(case, item.when):
            continue
        for owner in _owners(item, applicants, agents):
            title = _title(item)
            who = _owner_name(owner)
            name = f"{title}（{who}）" if who and item.per != "once" else title
            if item.form:
                slots.append(_form_slot(case, stage.applied, item, owner, name, _copies(item, None, n_resp),
                                        stage.court, step))
                continue
            found = [(i, m) for i, m in materials if i not in used and _matches(m, item.material or "", who, dept)]
            for i, m in found:
                used.add(i)
                slots.append(_supplied(item, m, i, n_resp, item.section))
            if not found:
                slots.append(Slot(item=item, name=name, section=item.section,
                                  status="missing" if item.required else "optional",
                                  copies=_copies(item, None, n_resp), original=item.original, proves=item.proves))
    notices: list[str] = []
    extra_evidence: list[Slot] = []
    others: list[Slot] = []
    required_kinds = {i.material for i in step.items if i.material}
    generic_item = {kind: FilingItem(id=str(kind), material=str(kind), section=EVIDENCE_SECTION if kind is
                                     MaterialKind.EVIDENCE else OTHER_SECTION, required=False,
                                     evidence=kind is MaterialKind.EVIDENCE, proves="（未写明）",
                                     basis=filing().evidence_copies_basis if kind is MaterialKind.EVIDENCE
                                     else "案件数据所列", status="V") for kind in GENERIC}
    for i, m in materials:
        if i in used:
            continue
        if m.kind in GENERIC:
            slot = _supplied(generic_item[m.kind], m, i, n_resp, generic_item[m.kind].section)
            (extra_evidence if m.kind is MaterialKind.EVIDENCE else others).append(slot)
            if m.kind is MaterialKind.EVIDENCE and not m.proves:
                basis = next(it.basis for it in step.items if it.form == "evidence_index")
                warnings.append(f"证据“{m.name}”（materials[{i}]）未写明证明对象（proves）；证据目录须说明每一证据的"
                                f"证明对象（{basis}）")
        elif m.kind in required_kinds:
            notices.append(f"材料“{m.name}”（materials[{i}]）所属的当事人（{m.party or '未写明'}）不是本次申请的申请人，未并入")
        else:
            notices.append(f"材料“{m.name}”（materials[{i}]，{m.kind.label}）不是{step.title}所需的材料，未并入")
    last_evidence = max((k for k, s in enumerate(slots) if s.section == EVIDENCE_SECTION), default=len(slots) - 1)
    slots[last_evidence + 1:last_evidence + 1] = extra_evidence
    slots += others
    warnings += _agent_warnings(case, step, agents)
    if court_note:
        (notices if court else warnings).append(court_note)
    return Plan(case=case, step=step, court=court, day=stage.applied, applicants=applicants,
                respondents=respondents if step.respondents else [], slots=slots, warnings=warnings,
                notices=notices)


def enclosures(case: Case, step_code: str) -> list[tuple[str, list[str]]]:
    """What the application of ``step_code`` lists under 附: the pack's items section by section (the
    order of the pack and its 材料清单), without the application itself and the items only recommended;
    a form the tool does not write is named from the case (the agreement by its title and number, the
    assessment by its report, the ruling by its number). The evidence comes first, as both model texts
    list the agreement (and the ruling) first. Empty when the case has no data for the step."""
    try:
        plan = plan_pack(case, step_code)
    except PackError:
        return []
    groups: dict[str, list[str]] = {}
    for slot in plan.slots:
        if slot.item.form == plan.step.form or slot.status == "optional":
            continue
        groups.setdefault(slot.section, []).append(_enclosure_name(case, slot))
    return sorted(groups.items(), key=lambda group: group[0] != EVIDENCE_SECTION)


def _enclosure_name(case: Case, slot: Slot) -> str:
    if slot.status == "supplied":
        return slot.name
    kind, agreement, assessment = slot.item.material, case.agreement, case.assessment
    jc = case.judicial_confirmation
    if kind == MaterialKind.AGREEMENT and agreement:
        number = f"（{agreement.number}）" if agreement.number else ""
        return f"{format_date(agreement.date)}签订的《{all_kinds()['agreement'].title}》{number}"
    if kind == MaterialKind.ASSESSMENT and assessment and assessment.report_title:
        number = f"（{assessment.report_number}）" if assessment.report_number else ""
        return f"《{assessment.report_title}》{number}"
    if kind == MaterialKind.RULING and jc and jc.ruling_number:
        return f"{jc.ruling_number}民事裁定书"
    return slot.name


def _supplied(item: FilingItem, m: Material, index: int, respondents: int, section: str) -> Slot:
    return Slot(item=item, name=m.name, section=section, status="supplied", copies=_copies(item, m, respondents),
                original=m.original, material=m, material_index=index, proves=m.proves or item.proves,
                source=m.source)


def _respondents(case: Case) -> list[Obligor]:
    return list(defaults(case).respondents) or list(case.obligors)


def _agent_warnings(case: Case, step: FilingStep, agents: list[Agent]) -> list[str]:
    """Special authority to receive money (执行工作规定第二十条); the enforcement agent's scope."""
    out = []
    if step.code == "enforcement":
        for agent in agents:
            if not agent.special_authorization and any(w in agent.powers for w in MONEY_WORDS):
                out.append(f"委托代理人{agent.name}的代理权限写明收取款项，但未特别授权（special_authorization）；"
                           "代为收取执行款项须有特别授权（《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第二十条），"
                           "请改为特别授权，或删去收取款项的权限、由执行款直接缴入指定账户")
        named = case.enforcement.agent if case.enforcement else None
        if named and named not in [a.name for a in agents]:
            out.append(f"强制执行申请书写明的委托代理人{named}的代理阶段（scope）不含 enforcement，未附其授权委托书")
    return out
