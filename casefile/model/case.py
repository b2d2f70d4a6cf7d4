"""The case: one structured file from which every document of a case is rendered and checked."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from corpus.profiles import load_profiles

from .base import Model
from .choices import AgentPrincipal, LiabilityKind, MaterialKind
from .parties import Agent, Claimant, Material, Obligor
from .stages import (
    Agreement,
    Assessment,
    ClaimStart,
    Closure,
    Clue,
    Consultation,
    Enforcement,
    Incident,
    Investigation,
    JudicialConfirmation,
    Restoration,
    Termination,
    Transfer,
)
from .types import DocNo, Line

#: material kinds that belong to one party (whose licence, whose identity card)
_PARTY_BOUND = frozenset({MaterialKind.BUSINESS_LICENSE, MaterialKind.ID_CARD, MaterialKind.LEGAL_REP_ID,
                          MaterialKind.AGENT_CREDENTIAL})


class Case(Model):
    """一个生态环境损害赔偿案件的全部数据。各阶段按办理进度逐步填写。"""

    schema_version: Literal[1] = Field(1, title="数据格式版本")
    jurisdiction: str = Field(title="适用辖区", description="辖区配置键，如 guangxi、zhangye、hengshui、nantong、xinzhou、national")
    case_number: DocNo | None = Field(None, title="立案号（编号）", description="如：甘G环赔〔2024〕3号；年份用六角括号〔〕")
    case_name: Line = Field(title="案件名称", description="如：某公司非法倾倒危险废物生态环境损害赔偿案")
    cause: Line = Field(title="案由")
    incident: Incident = Field(title="损害事件")
    claimant: Claimant = Field(title="赔偿权利人")
    obligors: list[Obligor] = Field(min_length=1, title="赔偿义务人")
    agents: list[Agent] = Field(default_factory=list, title="委托代理人")
    clue: Clue | None = Field(None, title="案件线索")
    claim_start: ClaimStart | None = Field(None, title="索赔启动")
    investigation: Investigation | None = Field(None, title="损害调查")
    assessment: Assessment | None = Field(None, title="鉴定评估")
    restoration: Restoration | None = Field(None, title="生态环境修复")
    consultation: Consultation | None = Field(None, title="赔偿磋商")
    agreement: Agreement | None = Field(None, title="赔偿协议")
    judicial_confirmation: JudicialConfirmation | None = Field(None, title="司法确认")
    enforcement: Enforcement | None = Field(None, title="强制执行")
    termination: Termination | None = Field(None, title="索赔终止")
    transfer: Transfer | None = Field(None, title="案件移送")
    closure: Closure | None = Field(None, title="结案")
    materials: list[Material] = Field(
        default_factory=list, title="提交法院的其他材料",
        description="本工具不生成、须另行提供的材料（鉴定评估报告、营业执照、民事裁定书等）的扫描件；"
                    "ecoclaim pack 将其并入提交法院的材料，缺少的列为待补")

    @field_validator("jurisdiction")
    @classmethod
    def _known_jurisdiction(cls, value: str) -> str:
        profiles = load_profiles()
        if value not in profiles:
            raise ValueError(f"未知辖区“{value}”，可选：{'、'.join(profiles)}")
        return value

    @model_validator(mode="after")
    def _references(self) -> Case:
        names = [o.name for o in self.obligors]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"赔偿义务人重复：{'、'.join(dupes)}")
        for i, agent in enumerate(self.agents):
            if agent.principal_obligor and agent.principal_obligor not in names:
                raise ValueError(f"agents[{i}].principal_obligor：“{agent.principal_obligor}”不是已列明的赔偿义务人"
                                 f"（{'、'.join(names)}）")
        if self.enforcement and self.enforcement.agent and \
                self.enforcement.agent not in [a.name for a in self.agents]:
            raise ValueError(f"enforcement.agent：“{self.enforcement.agent}”不在委托代理人（agents）中")
        if self.judicial_confirmation and not self.agreement:
            raise ValueError("judicial_confirmation：申请司法确认须有赔偿协议（agreement）")
        if self.enforcement and not (self.judicial_confirmation and self.judicial_confirmation.ruling_number):
            raise ValueError("enforcement：申请强制执行须以经司法确认的赔偿协议为前提，"
                             "请填写 judicial_confirmation.ruling_number（guangxi:24）")
        if self.agreement:
            self._check_allocation(names)
        self._check_materials(names)
        perf = self.agreement.performance if self.agreement else None
        if perf and perf.items:
            total = sum((i.amount for i in perf.items), start=perf.total * 0)
            if total != perf.total:
                raise ValueError(f"agreement.performance：费用构成合计 {total} 元与赔偿总额 {perf.total} 元不一致")
        return self

    def _check_allocation(self, names: list[str]) -> None:
        """Who pays what and who restores, when the agreement names it, must be unambiguous."""
        assert self.agreement is not None
        perf, alloc = self.agreement.performance, self.agreement.allocation
        pays = [("payments", i, p) for i, p in enumerate(perf.payments)] + \
               [("installments", i, p) for i, p in enumerate(perf.installments)]
        for field, i, pay in pays:
            if pay.obligor and pay.obligor not in names:
                raise ValueError(f"agreement.performance.{field}[{i}].obligor：“{pay.obligor}”不是已列明的赔偿义务人"
                                 f"（{'、'.join(names)}）")
        if alloc is None:
            return
        shared = [s.obligor for s in alloc.shares]
        for i, name in enumerate(shared):
            if name not in names:
                raise ValueError(f"agreement.allocation.shares[{i}].obligor：“{name}”不是已列明的赔偿义务人"
                                 f"（{'、'.join(names)}）")
        if dupes := sorted({n for n in shared if shared.count(n) > 1}):
            raise ValueError(f"agreement.allocation.shares：同一赔偿义务人列了两次：{'、'.join(dupes)}")
        if alloc.kind is not LiabilityKind.SEVERAL:
            return
        if missing := [n for n in names if n not in shared]:
            raise ValueError(f"agreement.allocation：按份责任须写明每一位赔偿义务人的份额，缺少：{'、'.join(missing)}")
        if len(names) > 1:
            for field, i, pay in pays:
                if not pay.obligor:
                    raise ValueError(f"agreement.performance.{field}[{i}].obligor：按份责任时每一笔款项须写明由哪一位"
                                     "赔偿义务人支付")
        for i, share in enumerate(alloc.shares):
            if share.amount is None:
                continue
            owed = sum((p.amount for _f, _i, p in pays if p.obligor == share.obligor), start=share.amount * 0)
            if owed != share.amount:
                raise ValueError(f"agreement.allocation.shares[{i}].amount：{share.obligor}承担{share.amount:.2f} 元，"
                                 f"但写明由其支付的款项合计 {owed:.2f} 元")
        if perf.restoration_by_obligor and not any(s.restoration for s in alloc.shares):
            raise ValueError("agreement.allocation.shares：由赔偿义务人实施修复的，按份责任须写明由哪一位义务人承担修复义务"
                             "（restoration: true）")

    def _check_materials(self, names: list[str]) -> None:
        """A material that belongs to someone names a party of the case (or an agent, for credentials)."""
        parties = [self.claimant.department.name, *names]
        agents = [a.name for a in self.agents]
        for i, material in enumerate(self.materials):
            known = agents if material.kind is MaterialKind.AGENT_CREDENTIAL else parties
            if material.party is None:
                if material.kind in _PARTY_BOUND:
                    raise ValueError(f"materials[{i}].party：{material.kind.label}须写明属于哪一方"
                                     f"（{'、'.join(known) or '无'}）")
            elif material.party not in known:
                raise ValueError(f"materials[{i}].party：“{material.party}”不是本案的"
                                 f"{'委托代理人' if known is agents else '当事人'}（{'、'.join(known) or '无'}）")

    def agents_for(self, step: str, principal: str | None = None) -> list[Agent]:
        """The agents whose scope covers ``step`` (e.g. judicial_confirmation), acting for the obligor
        named ``principal``, or for the claimant side when ``principal`` is None."""
        return [a for a in self.agents if step in a.scope and (
            a.principal_obligor == principal if principal else a.principal is AgentPrincipal.CLAIMANT)]

    def for_agent(self, agent: Agent) -> Case:
        """The case as one agent's own instrument (授权委托书) sees it: that agent alone."""
        return self.model_copy(update={"agents": [agent]})

    def obligor(self, name: str) -> Obligor:
        """The obligor with this name (KeyError if none)."""
        for o in self.obligors:
            if o.name == name:
                return o
        raise KeyError(name)
