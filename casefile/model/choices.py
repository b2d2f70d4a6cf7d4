"""Coded choices of the case model, each code with its Chinese label.

The codes are a stable contract (case files, API, tests); labels are what documents print.
Where a list comes from a regulation, its basis address is given on the class.
"""

from __future__ import annotations

from .types import LabeledEnum


class ClueChannel(LabeledEnum):
    """案件线索来源渠道 — the ten key channels of guangxi:11 (nantong:(二) "十个重点渠道")."""

    INSPECTION = "inspection", "生态环境保护督察发现"
    EMERGENCY = "emergency", "突发生态环境事件"
    ADMIN_PENALTY = "admin_penalty", "资源与环境行政处罚案件"
    CRIME = "crime", "涉嫌破坏环境资源保护犯罪案件"
    PROTECTED_AREA = "protected_area", "重点生态功能区、禁止开发区域发生的事件"
    ROUTINE = "routine", "日常监管、执法巡查、专项行动发现"
    COMPLAINT = "complaint", "信访投诉、举报和媒体曝光"
    ASSIGNED = "assigned", "上级机关交办"
    REFERRAL = "referral", "人民检察院、人民法院移送或检察建议"
    OTHER = "other", "其他线索渠道"


class ObligorKind(LabeledEnum):
    UNIT = "unit", "单位"
    PERSON = "person", "自然人"


class LiabilityKind(LabeledEnum):
    """How two or more obligors answer for the agreement (民法典 1231; 民诉法解释 358(五), 461)."""

    JOINT = "joint", "连带责任"
    SEVERAL = "several", "按份责任"


class AssessmentKind(LabeledEnum):
    """鉴定评估形式 — guangxi:15, guangxi:19."""

    EXPERT_OPINION_FORENSIC = "forensic_opinion", "鉴定意见"
    ASSESSMENT_REPORT = "assessment_report", "鉴定评估报告"
    EXPERT_OPINION = "expert_opinion", "专家意见"
    COMPREHENSIVE = "comprehensive", "综合认定"


class Repairability(LabeledEnum):
    """Whether the damage can be restored — guangxi:16, guangxi:26."""

    FULL = "full", "可以修复"
    PARTIAL = "partial", "部分可以修复"
    NONE = "none", "无法修复"


class CostHead(LabeledEnum):
    """赔偿范围 — 民法典第一千二百三十五条 (五项), guangxi:6; ``other`` for e.g. 律师费 (若干规定第十四条)."""

    SERVICE_LOSS = "service_loss", "生态环境受到损害至修复完成期间服务功能丧失导致的损失"
    PERMANENT_LOSS = "permanent_loss", "生态环境功能永久性损害造成的损失"
    INVESTIGATION = "investigation", "生态环境损害调查、鉴定评估等费用"
    RESTORATION = "restoration", "清除污染、修复生态环境费用"
    PREVENTION = "prevention", "防止损害的发生和扩大所支出的合理费用"
    OTHER = "other", "其他合理费用"


class AlternativeKind(LabeledEnum):
    """替代修复方式 — guangxi:26, hengshui:11."""

    LABOR = "labor", "劳务代偿"
    OFFSITE = "offsite", "异地修复"
    TECH_OFFSET = "tech_offset", "技改抵扣"
    INSTALLMENT = "installment", "分期赔付"
    OTHER = "other", "其他符合环境等量恢复原则的方式"


class SecurityKind(LabeledEnum):
    """履约担保 — guangxi:26(四) 履约保证金, nantong:(九) 有效担保."""

    DEPOSIT = "deposit", "履约保证金"
    GUARANTEE = "guarantee", "保证"
    PLEDGE = "pledge", "质押"
    MORTGAGE = "mortgage", "抵押"
    OTHER = "other", "其他担保"


class TerminationGround(LabeledEnum):
    """不启动/终止索赔的情形 — guangxi:14 (一)–(六)."""

    PAID = "paid", "赔偿义务人已经履行赔偿义务"
    JUDGMENT = "judgment", "人民法院已就同一生态环境损害形成生效裁判文书，索赔请求已被全部涵盖"
    MINOR = "minor", "生态环境损害显著轻微，不需要赔偿"
    EXTINCT = "extinct", "承担赔偿义务的法人终止、非法人组织解散或者自然人死亡，且无财产可供执行"
    PERMITTED = "permitted", "赔偿义务人依法持证排污，且排污符合国家规定"
    OTHER = "other", "其他可以不启动索赔程序的情形"


class ConsultationOutcome(LabeledEnum):
    ONGOING = "ongoing", "磋商中"
    AGREED = "agreed", "达成一致"
    FAILED = "failed", "磋商不成"


class FailureGround(LabeledEnum):
    """视为磋商未达成一致的情形 — guangxi:22 (一)–(七)."""

    REFUSED = "refused", "赔偿义务人明确拒绝磋商或未在告知书规定时间内提交答复意见"
    ABSENT = "absent", "赔偿义务人无故不参与磋商会议或退出磋商会议"
    UNSERVABLE = "unservable", "除公告送达外均无法送达磋商告知书"
    DETAINED = "detained", "赔偿义务人因处于被羁押等状态无法开展磋商"
    THREE_ROUNDS = "three_rounds", "三次磋商仍未达成一致意见"
    EXPIRED = "expired", "超过磋商期限仍未达成赔偿协议"
    OTHER = "other", "其他磋商不成的情形"


class AgentPrincipal(LabeledEnum):
    CLAIMANT = "claimant", "赔偿权利人一方"
    OBLIGOR = "obligor", "赔偿义务人一方"


class MaterialKind(LabeledEnum):
    """材料类别 of a material the department supplies for a court filing (scan or PDF). Which kinds a
    filing step requires, and on what basis, is data: ``corpus/filing.yaml``."""

    AGREEMENT = "agreement", "赔偿协议"
    RULING = "ruling", "民事裁定书"
    EFFECT_CERTIFICATE = "effect_certificate", "生效证明"
    ASSESSMENT = "assessment", "鉴定评估报告（专家意见）"
    RESTORATION_PLAN = "restoration_plan", "修复方案"
    CONSULTATION_NOTICE = "consultation_notice", "磋商告知书及送达回证"
    CONSULTATION_MINUTES = "consultation_minutes", "磋商会议记录"
    DESIGNATION = "designation", "赔偿权利人指定文件"
    CREDIT_CODE = "credit_code", "统一社会信用代码证书"
    BUSINESS_LICENSE = "business_license", "营业执照"
    ID_CARD = "id_card", "身份证"
    LEGAL_REP_ID = "legal_rep_id", "法定代表人身份证"
    AGENT_CREDENTIAL = "agent_credential", "委托代理人身份证明"
    EVIDENCE = "evidence", "其他证据"
    OTHER = "other", "其他材料"
