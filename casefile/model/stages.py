"""The stages of a case, from the clue to closure, each with the blanks its model forms need.

Field titles are the wording of the model forms (guangxi 附件2, zhangye 附件); every blank of a
model text maps to one field here.
"""

from __future__ import annotations

from datetime import time

from pydantic import Field, model_validator

from .base import Model
from .choices import (
    AlternativeKind,
    AssessmentKind,
    ClueChannel,
    ConsultationOutcome,
    CostHead,
    FailureGround,
    LiabilityKind,
    Repairability,
    SecurityKind,
    TerminationGround,
)
from .parties import Approval, Person
from .types import CourtNo, Day, Line, Money, Text, labeled


class Incident(Model):
    """The damage event: what happened, when, where, with what consequence (事实情况)."""

    name: Line = Field(title="损害事件名称", description="如：某公司非法倾倒危险废物事件")
    conduct: Text = Field(title="污染环境、破坏生态行为", description="违法行为的具体事实")
    place: Line = Field(title="发生地点")
    occurred_from: Day = Field(title="行为发生日期（起）")
    occurred_to: Day | None = Field(None, title="行为发生日期（止）")
    consequence: Text = Field(title="危害后果")
    damage_type: Line | None = Field(None, title="损害类型及性质", description="如：土壤污染、地下水污染（结案审批表）")
    marine: bool = Field(False, title="是否涉及海洋生态环境损害", description="海洋生态环境损害不适用本程序（guangxi:5）")
    personal_or_property: bool = Field(
        False, title="是否为人身伤害、个人和集体财产损失",
        description="此类请求适用民法典侵权责任规定，不属生态环境损害赔偿（guangxi:5）")
    historical_no_liable_party: bool = Field(
        False, title="是否为历史遗留且责任主体不明", description="纳入常态治理，不启动索赔（guangxi:5）")

    @model_validator(mode="after")
    def _order(self) -> Incident:
        if self.occurred_to and self.occurred_to < self.occurred_from:
            raise ValueError("行为发生日期（止）早于（起）")
        return self


class Clue(Model):
    """案件线索 and the preliminary check (guangxi:11–12; nantong:(二); zhangye:9)."""

    received: Day = Field(title="发现或接到线索日期")
    channel: labeled(ClueChannel) = Field(title="线索来源渠道")  # type: ignore[valid-type]
    description: Text | None = Field(None, title="线索来源说明", description="如：2024年省级督察反馈问题第12项")
    checked: Day | None = Field(None, title="初步核查完成日期")
    check_conclusion: Text | None = Field(None, title="初步核查结论")


class ClaimStart(Model):
    """索赔启动 — 索赔启动登记表 (guangxi 附件2[1], zhangye 附件[1])."""

    date: Day = Field(title="启动（立案）日期")
    approved_by: Line | None = Field(None, title="批准启动索赔的机关")
    reason: Text = Field(title="案情简介及启动索赔理由")
    handler: Line | None = Field(None, title="经办人")
    office_approval: Approval | None = Field(None, title="机构负责人意见")
    department_approval: Approval | None = Field(None, title="部门负责人意见")
    remarks: Text | None = Field(None, title="备注")


class Extension(Model):
    """An approved extension of the investigation period (guangxi:13: once, by 30 days)."""

    days: int = Field(30, ge=1, le=365, title="延长天数")
    approved_by: Line | None = Field(None, title="批准人（承办单位主要负责人）")
    approved_on: Day | None = Field(None, title="批准日期")
    reason: Text | None = Field(None, title="延长理由")


class Investigation(Model):
    """损害调查 — 调查情况登记表 (guangxi 附件2[2]) / 调查报告 (zhangye 附件[2])."""

    start: Day = Field(title="调查开始日期")
    end: Day | None = Field(None, title="调查结束日期")
    extension: Extension | None = Field(None, title="延长调查期限")
    investigators: list[Person] = Field(default_factory=list, title="调查人员")
    methods: list[Line] = Field(default_factory=list, title="调查方式", description="如：现场勘察、采样监测、询问笔录")
    scope: Text | None = Field(None, title="调查范围")
    findings: Text | None = Field(None, title="调查结论（查明的事实）")
    evidence: list[Line] = Field(default_factory=list, title="相关证据材料")
    legal_basis: list[Line] = Field(default_factory=list, title="承担赔偿、修复责任的法律依据",
                                    description="应写明法律、法规名称及条款")
    recommendation: Text | None = Field(None, title="调查部门的处理建议")
    handler: Line | None = Field(None, title="经办人")
    report_date: Day | None = Field(None, title="登记表（报告）日期")

    @model_validator(mode="after")
    def _order(self) -> Investigation:
        if self.end and self.end < self.start:
            raise ValueError("调查结束日期（end）早于开始日期（start）")
        return self


class CostItem(Model):
    """One item of the damage amount, under a head of 民法典第一千二百三十五条."""

    head: labeled(CostHead) = Field(title="费用类别")  # type: ignore[valid-type]
    description: Line | None = Field(None, title="说明")
    amount: Money = Field(title="金额（元）")


class Objection(Model):
    """An objection to the assessment and its answer (guangxi:16: answered within 10 working days)."""

    raised: Day = Field(title="提出异议日期")
    raised_by: Line | None = Field(None, title="异议方")
    answered: Day | None = Field(None, title="书面解释说明日期")
    content: Text | None = Field(None, title="异议内容")


class Assessment(Model):
    """鉴定评估 — 鉴定意见 / 鉴定评估报告 / 专家意见 / 综合认定 (guangxi:15–16)."""

    kind: labeled(AssessmentKind) = Field(title="形式")  # type: ignore[valid-type]
    institution: Line | None = Field(None, title="鉴定评估机构")
    experts: list[Person] = Field(default_factory=list, title="评估专家", description="专家意见时填写（一般不少于3人）")
    report_title: Line | None = Field(None, title="报告名称")
    report_number: Line | None = Field(None, title="报告编号")
    commissioned: Day | None = Field(None, title="委托日期")
    delivered: Day | None = Field(None, title="出具日期")
    damage_amount: Money = Field(title="生态环境损害数额（元）", description="不含调查、鉴定评估等费用")
    cost_items: list[CostItem] = Field(default_factory=list, title="费用构成")
    repairability: labeled(Repairability) = Field(title="可否修复")  # type: ignore[valid-type]
    repairable_area: Text | None = Field(None, title="可以修复的区域范围和要求")
    conclusion: Text | None = Field(None, title="鉴定评估结论")
    simplified: bool = Field(False, title="是否适用简易评估（专家评估）")
    objection: Objection | None = Field(None, title="对鉴定评估的异议")

    @model_validator(mode="after")
    def _order(self) -> Assessment:
        if self.commissioned and self.delivered and self.delivered < self.commissioned:
            raise ValueError("出具日期（delivered）早于委托日期（commissioned）")
        return self


class AlternativeRestoration(Model):
    """替代修复 (hengshui:9–12, guangxi:26): its value must be at least the assessed damage."""

    kind: labeled(AlternativeKind) = Field(title="方式")  # type: ignore[valid-type]
    description: Text = Field(title="替代修复内容")
    site: Line | None = Field(None, title="实施地点", description="原则上在损害发生地就近选址（hengshui:10）")
    value: Money = Field(title="替代修复价值量（元）")
    voluntary_increase: Money | None = Field(None, title="自愿增加的价值量（元）", description="须在协议中载明（hengshui:12）")


class Restoration(Model):
    """修复方案: targets, measures, who wrote it, who carries it out, when, and the effect assessment."""

    target: Text | None = Field(None, title="修复目标")
    plan: Text | None = Field(None, title="修复方案（措施）")
    plan_author: Line | None = Field(None, title="修复方案编制单位")
    implementer: Line | None = Field(None, title="修复实施单位", description="不得为修复方案编制单位（guangxi:25）")
    site: Line | None = Field(None, title="修复地点")
    start: Day | None = Field(None, title="修复启动日期")
    deadline: Day | None = Field(None, title="修复完成期限")
    cost: Money | None = Field(None, title="修复费用（元）")
    effect_assessment_method: Text | None = Field(None, title="修复效果评估方式")
    effect_assessment_deadline: Day | None = Field(None, title="修复效果评估期限")
    started: Day | None = Field(None, title="修复实际启动日期")
    completed: Day | None = Field(None, title="修复完成日期")
    effect_assessed: Day | None = Field(None, title="修复效果评估完成日期")
    effect_passed: bool | None = Field(None, title="修复效果是否达到修复目标",
                                       description="修复效果评估的结论；false 表示未达标，修复义务仍未履行完毕")
    alternative: AlternativeRestoration | None = Field(None, title="替代修复")

    @model_validator(mode="after")
    def _order(self) -> Restoration:
        if self.start and self.deadline and self.deadline < self.start:
            raise ValueError("修复完成期限（deadline）早于修复启动日期（start）")
        return self


class Notice(Model):
    """磋商告知书 (guangxi 附件2[4], zhangye 附件[4], guangxi:17)."""

    number: Line | None = Field(None, title="告知书文号")
    issued: Day = Field(title="告知书落款日期")
    served: Day | None = Field(None, title="送达日期")
    service_method: Line | None = Field(None, title="送达方式")
    reply_deadline: Day | None = Field(None, title="答复期限",
                                       description="不填则按辖区规定计算（如张掖：送达之日起5个工作日）")
    replied: Day | None = Field(None, title="收到书面答复日期")
    agreed: bool | None = Field(None, title="是否同意磋商")
    meeting_date: Day | None = Field(None, title="拟定磋商会议日期")
    meeting_time: time | None = Field(None, title="拟定磋商会议时间")
    meeting_place: Line | None = Field(None, title="拟定磋商会议地点")
    other_matters: list[Text] = Field(default_factory=list, title="其他事项")

    @model_validator(mode="after")
    def _order(self) -> Notice:
        if self.served and self.served < self.issued:
            raise ValueError("送达日期（served）早于告知书落款日期（issued）")
        if self.replied and self.served and self.replied < self.served:
            raise ValueError("答复日期（replied）早于送达日期（served）")
        return self


class Meeting(Model):
    """One consultation meeting — 磋商会议记录 (zhangye 附件[6])."""

    date: Day = Field(title="会议日期")
    start_time: time | None = Field(None, title="开始时间")
    place: Line = Field(title="地点")
    host: Line | None = Field(None, title="主持人")
    recorder: Line | None = Field(None, title="记录员")
    claimant_attendees: list[Person] = Field(default_factory=list, title="赔偿权利人指定的部门或机构参会人员")
    obligor_attendees: list[Person] = Field(default_factory=list, title="赔偿义务人参会人员")
    agent_attendees: list[Person] = Field(default_factory=list, title="委托代理人")
    invited_attendees: list[Person] = Field(default_factory=list, title="受邀参会人员")
    minutes: Text | None = Field(None, title="会议内容")
    agreed: bool = Field(False, title="本次会议是否达成一致")


class Panel(Model):
    """磋商小组组成 (guangxi 附件2[4] 三)."""

    claimant_members: list[Person] = Field(default_factory=list, title="赔偿权利人或其指定的部门或机构")
    invited_units: list[Line] = Field(default_factory=list, title="受邀参与磋商的单位或部门")


class Consultation(Model):
    """磋商: the notice, the panel, the meetings and their outcome (guangxi:17–22)."""

    notice: Notice = Field(title="磋商告知书")
    panel: Panel = Field(default_factory=Panel, title="磋商小组")
    meetings: list[Meeting] = Field(default_factory=list, title="磋商会议")
    complex_case_approved: bool = Field(False, title="案情复杂经同意增加磋商次数", description="guangxi:20")
    outcome: labeled(ConsultationOutcome) = Field("ongoing", title="磋商结果")  # type: ignore[valid-type]
    failure_ground: labeled(FailureGround) | None = Field(None, title="磋商不成情形")  # type: ignore[valid-type]
    litigation_filed: Day | None = Field(None, title="提起诉讼日期",
                                         description="磋商不成后向人民法院提起生态环境损害赔偿诉讼的日期（guangxi:22）")

    @model_validator(mode="after")
    def _outcome(self) -> Consultation:
        if self.outcome is ConsultationOutcome.FAILED and self.failure_ground is None:
            raise ValueError("磋商不成时须写明 failure_ground（guangxi:22 所列情形之一）")
        if self.outcome is not ConsultationOutcome.FAILED and self.failure_ground is not None:
            raise ValueError("仅在磋商不成（outcome: failed）时填写 failure_ground")
        dates = [m.date for m in self.meetings]
        if dates != sorted(dates):
            raise ValueError("磋商会议应按日期先后排列")
        return self


class Payment(Model):
    """A sum due by a date (a single payment or one instalment)."""

    amount: Money = Field(title="金额（元）")
    due: Day = Field(title="支付期限")
    description: Line | None = Field(None, title="说明")
    obligor: Line | None = Field(None, title="付款义务人",
                                 description="两个以上赔偿义务人按份承担时，写明该笔款项由哪一位义务人支付（须与 obligors 中的名称一致）")
    paid: Day | None = Field(None, title="实际支付日期")


class Security(Model):
    """履约保证金 or other security for instalments (guangxi:26(四), nantong:(九))."""

    kind: labeled(SecurityKind) = Field(title="担保方式")  # type: ignore[valid-type]
    amount: Money | None = Field(None, title="金额（元）")
    description: Text | None = Field(None, title="说明")


class LaborService(Model):
    """劳务代偿 with its valuation (nantong:(九); guangxi:26(一) under supervision)."""

    description: Text = Field(title="劳务内容")
    valuation: Money = Field(title="折抵金额（元）")
    valuation_basis: Text | None = Field(None, title="价值核算依据")
    supervisor: Line | None = Field(None, title="监督单位或人员")
    deadline: Day | None = Field(None, title="完成期限")


class TechOffset(Model):
    """技改抵扣: clean-production investment offset against the amount payable (guangxi:26(三), ≤ 50 %)."""

    description: Text = Field(title="技改项目内容")
    amount: Money = Field(title="抵扣金额（元）")
    verification: Text | None = Field(None, title="核验方式")


class Performance(Model):
    """履行方式和期限: the amounts, their make-up, how and by when they are paid."""

    total: Money = Field(title="赔偿总额（元）")
    items: list[CostItem] = Field(default_factory=list, title="费用构成")
    payments: list[Payment] = Field(default_factory=list, title="一次性或分笔支付")
    installments: list[Payment] = Field(default_factory=list, title="分期赔付")
    security: Security | None = Field(None, title="履约担保")
    destination: Line | None = Field(None, title="资金去向",
                                     description="赔偿金作为政府非税收入全额缴入国库（同级财政），如：缴入某市财政局非税收入账户")
    account: Line | None = Field(None, title="收款账户信息")
    labor_service: LaborService | None = Field(None, title="劳务代偿")
    tech_offset: TechOffset | None = Field(None, title="技改抵扣")
    restoration_by_obligor: bool = Field(False, title="由赔偿义务人自行或委托修复")


class Share(Model):
    """One obligor's part when two or more obligors are liable."""

    obligor: Line = Field(title="赔偿义务人", description="须与 obligors 中的名称一致")
    amount: Money | None = Field(None, title="承担的赔偿金额（元）",
                                 description="按份责任时该义务人应支付的金额，须等于写明由其支付的各笔款项之和")
    restoration: bool = Field(False, title="承担修复义务", description="由该义务人自行或委托第三方实施生态环境修复")
    description: Text | None = Field(None, title="说明")


class Allocation(Model):
    """连带 or 按份 liability of several obligors, with each one's share (民法典 1231; 民诉法解释 358(五), 461)."""

    kind: labeled(LiabilityKind) = Field(title="责任形式")  # type: ignore[valid-type]
    shares: list[Share] = Field(default_factory=list, title="各赔偿义务人的份额",
                                description="按份责任时必填，每位赔偿义务人一项；连带责任时可写明内部份额")


class Agreement(Model):
    """生态环境损害赔偿协议 (guangxi:21; guangxi 附件2[5]; zhangye 附件[7])."""

    number: Line | None = Field(None, title="协议编号")
    date: Day = Field(title="签订日期")
    place: Line = Field(title="签订地点")
    facts: Text | None = Field(None, title="事实情况", description="不填则由损害事件生成")
    evidence: list[Line] = Field(default_factory=list, title="相关证据", description="不填则取调查证据")
    legal_basis: list[Line] = Field(default_factory=list, title="相关法律依据及规定")
    assessment_opinions: Text = Field(title="双方对鉴定意见、评估报告、修复方案的意见")
    liability: Text = Field(title="责任认定")
    performance: Performance = Field(title="责任承担、履行方式和期限")
    allocation: Allocation | None = Field(
        None, title="多个赔偿义务人的责任分担",
        description="两个以上赔偿义务人时，约定连带责任或按份责任及各自承担的金额和修复义务；"
                    "不约定则给付内容不明确（民诉法解释第三百五十八条、第四百六十一条）")
    breach: Text = Field(title="违约责任")
    dispute_resolution: Text = Field(title="争议解决途径")
    force_majeure: Text = Field(title="不可抗力因素的处理")
    other_terms: list[Text] = Field(default_factory=list, title="其他约定")


class JudicialConfirmation(Model):
    """司法确认 (guangxi:24; 若干规定第二十条: public notice ≥ 30 days, then a ruling)."""

    court: Line | None = Field(None, title="受理法院",
                               description="未填写时，立案材料取辖区配置的法院（confirmation_court），申请书留空待填")
    applied: Day = Field(title="申请日期")
    attachments: list[Line] = Field(default_factory=list, title="附件",
                                    description="不填则按提交法院的材料（ecoclaim pack）逐项列出")
    notice_from: Day | None = Field(None, title="公告开始日期")
    notice_to: Day | None = Field(None, title="公告结束日期")
    ruling_number: CourtNo | None = Field(None, title="司法确认文书号", description="如：（2024）甘07民特12号")
    ruling_date: Day | None = Field(None, title="裁定日期")
    confirmed: bool | None = Field(None, title="是否裁定确认协议有效")

    @model_validator(mode="after")
    def _ruling(self) -> JudicialConfirmation:
        if self.notice_from and self.notice_to and self.notice_to < self.notice_from:
            raise ValueError("公告结束日期早于开始日期")
        return self


class Enforcement(Model):
    """强制执行申请 (guangxi:24; 若干规定第二十一条; 执行工作规定 18)."""

    court: Line | None = Field(None, title="执行法院",
                               description="未填写时，立案材料取作出司法确认裁定的法院（民诉法解释第四百六十条）")
    applied: Day | None = Field(None, title="申请日期")
    agent: Line | None = Field(None, title="委托代理人姓名", description="须与 agents 中的一人一致")
    non_performance: Text = Field(title="未履行情况", description="赔偿义务人在协议规定期限内未按协议要求赔偿（修复）的事实")
    subject_matter: Text | None = Field(
        None, title="其他申请执行事项",
        description="执行标的中由案件数据推算不出的部分，如违约金、迟延履行期间的债务利息（执行工作规定第18条）；"
                    "到期未付的款项和未完成的修复义务由各期款项的支付情况和修复完成情况自动列出，不必在此重复")
    assets_known: Text | None = Field(None, title="被执行人财产状况", description="执行工作规定第18条要求写明")
    attachments: list[Line] = Field(default_factory=list, title="附件",
                                    description="不填则按提交法院的材料（ecoclaim pack）逐项列出")


class Termination(Model):
    """索赔终止 — 索赔终止登记表 (guangxi:14, guangxi 附件2[3], zhangye 附件[3])."""

    ground: labeled(TerminationGround) = Field(title="终止情形")  # type: ignore[valid-type]
    explanation: Text = Field(title="终止理由详细说明")
    supporting_materials: list[Line] = Field(default_factory=list, title="佐证材料")
    date: Day = Field(title="终止日期")
    handler: Line | None = Field(None, title="经办人")
    office_approval: Approval | None = Field(None, title="机构负责人意见")
    department_approval: Approval | None = Field(None, title="部门负责人意见")
    remarks: Text | None = Field(None, title="备注")


class Transfer(Model):
    """案件移送函 (zhangye 附件[9])."""

    from_unit: Line = Field(title="移送单位")
    to_unit: Line = Field(title="受移送单位/部门")
    discovered: Day = Field(title="发现日期")
    source: Text = Field(title="案件来源信息", description="如：检查发现、督查发现")
    summary: Text = Field(title="案件基本情况")
    basis: Text = Field(title="移送依据和理由")
    contact: Line | None = Field(None, title="联系人")
    phone: Line | None = Field(None, title="电话")
    address: Line | None = Field(None, title="地址")
    postcode: Line | None = Field(None, title="邮编")
    materials: list[Line] = Field(default_factory=list, title="有关材料和证据清单")
    transferor: Line | None = Field(None, title="移送人")
    receiver: Line | None = Field(None, title="接收人")
    received: Day | None = Field(None, title="接收日期", description="受移送单位/部门签收的日期（移送函印章栏）")
    date: Day = Field(title="移送日期")


class Closure(Model):
    """结案 — 结案审批表 (zhangye 附件[10])."""

    date: Day = Field(title="结案日期")
    result: Text = Field(title="结案情况", description="如：赔偿义务人已按协议全部履行赔偿和修复义务")
    approvals: list[Approval] = Field(default_factory=list, title="审批意见")

