"""Golden tests: every form × variant rendered from the bundled examples, checked for structure and key
text (not byte equality)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from casefile.validation import load_case
from corpus.forms import form_kinds
from docgen.render.render import render_form
from ecodoc.tree import Document, PageBreak, Paragraph, Table
from ecokernel.calendar import WorkCalendar
from ecokernel.cnfmt import int_to_cn

from ..conftest import ROOT, example_path

TERMINATED = ROOT / "examples" / "guangxi-terminated-claim.yaml"
KINDS = list(form_kinds())
GUANGXI_KINDS = {"claim_start", "investigation", "claim_termination", "consultation_notice", "agreement",
                 "judicial_confirmation", "enforcement"}


def case_of(prefix: str):
    return load_case(TERMINATED if prefix == "terminated" else example_path(prefix))


@pytest.fixture(scope="module")
def cases():
    return {p: case_of(p) for p in ("guangxi", "zhangye", "hengshui", "terminated")}


def render(cases, prefix: str, kind: str) -> Document:
    return render_form(cases[prefix], kind, today=date(2026, 11, 23))


def text(doc: Document) -> str:
    return doc.plain_text()


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def cells(table: Table):
    return [c for row in table.rows for c in row.cells]


# --- every form renders in every variant, no "None", a title ----------------------------------------

@pytest.mark.parametrize("prefix", ["guangxi", "zhangye", "hengshui", "terminated"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_form_renders(cases, prefix, kind):
    doc = render(cases, prefix, kind)
    body = text(doc)
    assert "None" not in body
    assert form_kinds()[kind].title_for(doc.variant) in body
    expected = "guangxi" if prefix in ("guangxi", "terminated") and kind in GUANGXI_KINDS else "zhangye"
    assert doc.variant == expected
    if doc.variant != cases[prefix].jurisdiction:
        assert doc.note  # says which model text was borrowed


def test_guangxi_renders_its_seven_variants(cases):
    variants = {k: render(cases, "guangxi", k).variant for k in KINDS}
    assert {k for k, v in variants.items() if v == "guangxi"} == GUANGXI_KINDS


# --- registration forms: tables with merged cells and approval blocks --------------------------------

@pytest.mark.parametrize(("prefix", "kind", "number_label", "approval"), [
    ("guangxi", "claim_start", "编号", "机构负责人意见"),
    ("zhangye", "claim_start", "立案号", "承办机构负责人意见"),
    ("terminated", "claim_termination", "原编号", "部门负责人意见"),
    ("zhangye", "claim_termination", "原立案号", "部门负责人审批意见"),
])
def test_registration_forms_are_tables(cases, prefix, kind, number_label, approval):
    doc = render(cases, prefix, kind)
    [table] = tables(doc)
    texts = [c.blocks[0].text for c in cells(table)]
    assert number_label in texts and approval in texts and "备注" in texts
    obligor = next(c for c in cells(table) if c.blocks[0].text == "赔偿义务人")
    assert obligor.rowspan == 4
    assert any(c.colspan == 4 for c in cells(table))
    signed = [c for c in cells(table) if any(p.text.startswith(("签字：", "签名：")) for p in c.blocks)]
    assert len(signed) == 2
    assert all(any("年" in p.text and "日" in p.text for p in c.blocks) for c in signed)
    assert any(p.text.startswith("经办人：") for c in cells(table) for p in c.blocks)


def test_claim_start_fills_case_data(cases):
    body = text(render(cases, "zhangye", "claim_start"))
    assert "甘G环赔〔2025〕3号" in body and "620702197805122135" in body
    assert "同意启动索赔程序。" in body and "赵永福" in body and "2025年5月21日" in body
    body = text(render(cases, "guangxi", "claim_start"))
    assert "南环赔〔2025〕7号" in body and "陈国强" in body and "董事长" in body


def test_termination_gives_a_guangxi14_ground(cases):
    body = text(render(cases, "terminated", "claim_termination"))
    assert "人民法院已就同一生态环境损害形成生效裁判文书" in body
    assert "佐证材料：" in body and "判决生效证明" in body and "黎明华" in body


# --- investigation: a registration table (guangxi) and a report (zhangye) ----------------------------

def test_investigation_variants(cases):
    gx = render(cases, "guangxi", "investigation")
    assert gx.title == "生态环境损害调查情况登记表"
    [table] = tables(gx)
    assert len(table.rows) == 5
    zy = render(cases, "zhangye", "investigation")
    assert zy.title == "生态环境损害调查报告" and not tables(zy)
    heads = [b.text for b in zy.blocks if isinstance(b, Paragraph) and b.role == "h1"]
    assert heads[0].startswith("一、案件线索的来源") and heads[4] == "五、调查部门的处理建议"
    body = text(zy)
    for piece in ("调查人员：马志远", "调查方式：现场踏勘", "调查时间：2025年5月22日至2025年7月30日",
                  "《中华人民共和国湿地保护法》第二十八条", "经办人（签名）：马志远", "2025年7月31日"):
        assert piece in body


# --- consultation notice ------------------------------------------------------------------------------

def test_zhangye_notice_reply_date_is_five_working_days_with_tiaoxiu(cases):
    case = cases["zhangye"]
    notice = case.consultation.notice
    assert notice.served > notice.issued  # dated 8-04, served 8-06: a date counted from service cannot be printed
    body = text(render(cases, "zhangye", "consultation_notice"))
    assert "送达之日起5个工作日内向告知人提交" in body and "（至" not in body
    # served on the day it is dated: the date is known when the notice is issued
    due = WorkCalendar().add_workdays(notice.served, 5).end
    assert due == date(2025, 8, 13)
    on_the_day = case.consultation.model_copy(update={"notice": notice.model_copy(update={"issued": notice.served})})
    body = text(render_form(case.model_copy(update={"consultation": on_the_day}), "consultation_notice"))
    assert f"送达之日起5个工作日内（至{due.year}年{due.month}月{due.day}日止）" in body
    body = text(render(cases, "zhangye", "consultation_notice"))
    # attendee and reply rules for a natural person: in person with the ID card, signed and fingerprinted
    assert "本人参与磋商的，应当向磋商小组现场出示居民身份证" in body and "书面意见（本人签名并捺印）" in body
    assert "单位公章" not in body and "法定代表人/企业负责人：／" in body
    assert body.endswith("张掖市自然资源局\n2025年8月4日")  # the issuer's name, not a seal placeholder


def test_zhangye_notice_to_a_unit_keeps_the_model_rules(cases):
    body = text(render(cases, "hengshui", "consultation_notice"))
    assert "法定代表人委托代理人参与磋商的" in body and "书面意见（加盖单位公章）" in body


def test_notice_reply_date_skips_national_day_and_counts_the_makeup_day(cases):
    case = cases["zhangye"]
    notice = case.consultation.notice.model_copy(update={"served": date(2025, 9, 26), "issued": date(2025, 9, 26),
                                                         "reply_deadline": None})
    consultation = case.consultation.model_copy(update={"notice": notice})
    body = text(render_form(case.model_copy(update={"consultation": consultation}), "consultation_notice"))
    # 9/26 Fri → 9/28 (Sunday, make-up working day), 9/29, 9/30, then 10/1–8 holiday, 10/9, 10/10
    assert "（至2025年10月10日止）" in body


def test_guangxi_notice_has_its_own_wording(cases):
    body = text(render(cases, "guangxi", "consultation_notice"))
    assert "统一社会信用代码（义务人是个人的，填身份证号）：91450100MA5KQ3RT2R" in body
    assert "三、磋商小组人员组成" in body and "个工作日内" not in body
    assert "2025年8月5日9时30分，南宁市生态环境局三楼会议室" in body
    assert body.endswith("南宁市生态环境局\n2025年7月18日") and "印章）" not in body and "南环磋告〔2025〕3号" in body
    # guangxi sets no reply period: a date to fill, so that guangxi:22(一) can apply
    assert re.search(r"（一）被告知人应当于＿+年＿+月＿+日前向告知人提交是否同意磋商的书面答复意见；"
                     r"未在规定时间内提交答复意见的，视为磋商未达成一致。", body)
    assert "（二）被告知人应携带营业执照副本" in body


def test_notice_reply_deadline_and_meeting_hour_from_the_case_or_blank(cases):
    case = cases["guangxi"]
    notice = case.consultation.notice.model_copy(update={"reply_deadline": date(2025, 7, 28), "meeting_time": None})
    body = text(render_form(case.model_copy(update={"consultation": case.consultation.model_copy(
        update={"notice": notice})}), "consultation_notice"))
    assert "被告知人应当于2025年7月28日前向告知人提交" in body
    assert re.search(r"2025年8月5日＿+时，南宁市生态环境局三楼会议室", body)  # the hour is to be filled in


# --- power of attorney, minutes ----------------------------------------------------------------------

def test_power_of_attorney_one_per_agent(cases):
    doc = render(cases, "zhangye", "power_of_attorney")
    assert sum(isinstance(b, PageBreak) for b in doc.blocks) == len(cases["zhangye"].agents) - 1 == 1
    body = text(doc)
    assert "委托人：王建军" in body and "受委托人：孙丽娟" in body and "委托人（签字）" in body
    assert "委托人：张掖市自然资源局" in body and "委托单位法定代表人（签字）" in body
    assert "申请强制执行代理人" in body and "特此委托。" in body


def test_a_general_mandate_is_not_called_full_authority(cases):
    """民诉法第六十二条: special powers are listed; "全权办理" only under a special authorisation."""
    case = cases["zhangye"]
    general = [a.model_copy(update={"special_authorization": False, "powers": "一般授权：代为参加磋商、陈述意见"})
               for a in case.agents]
    body = text(render_form(case.model_copy(update={"agents": general}), "power_of_attorney"))
    assert "全权办理" not in body and "一般授权：代为参加磋商、陈述意见" in body
    special = [a.model_copy(update={"special_authorization": True}) for a in case.agents]
    assert "全权办理" in text(render_form(case.model_copy(update={"agents": special}), "power_of_attorney"))


def test_minutes_one_per_meeting(cases):
    doc = render(cases, "guangxi", "consultation_minutes")
    assert sum(isinstance(b, PageBreak) for b in doc.blocks) == 1
    body = text(doc)
    assert "（第一次磋商）" in body and "（第二次磋商）" in body
    assert "姓名：刘海涛　单位：广西正衡律师事务所　职务：律师" in body
    assert body.count("记录员（签字或盖章）") == 2


# --- agreement -----------------------------------------------------------------------------------------

def test_guangxi_agreement(cases):
    doc = render(cases, "guangxi", "agreement")
    blocks = doc.blocks
    first_break = next(i for i, b in enumerate(blocks) if isinstance(b, PageBreak))
    cover = " ".join(b.text for b in blocks[:first_break] if isinstance(b, Paragraph))
    assert "签订时间：2025年8月29日" in cover and "签订地点：南宁市生态环境局" in cover
    body = text(doc)
    for piece in ("南宁市生态环境局", "广西桂南冶炼有限公司（以下简称乙方）", "91450100MA5KQ3RT2R",
                  "一、生态环境损害事实、相关证据和法律依据", "（一）事实情况", "（二）相关证据",
                  "（三）相关法律依据及规定", "《中华人民共和国水污染防治法》", "双方对鉴定意见、评估报告、修复方案的意见",
                  "二、生态环境损害责任认定", "三、生态环境损害责任承担、履行方式和期限", "四、其他约定",
                  "人民币壹佰贰拾捌万陆仟肆佰元整", "1,286,400.00", "履约保证金", "非税收入", "国库",
                  "修复目标", "修复启动时间和期限：应于2025年9月15日前启动修复，于2026年6月30日前完成修复",
                  "修复效果评估的方式和期限", "2026年9月30日", "修复实施单位：广西清河环境治理有限公司",
                  "违约责任", "争议解决途径", "不可抗力", "法定代表人（签字）"):
        assert piece in body, piece
    for i, inst in enumerate(cases["guangxi"].agreement.performance.installments, 1):
        due = f"{inst.due.year}年{inst.due.month}月{inst.due.day}日"
        assert f"第{int_to_cn(i)}期：于{due}前支付{inst.amount:,.2f}元" in body
    assert "分三期支付426,400.00元" in body
    items = tables(doc)[0]
    assert len(items.rows) == 1 + 3 + 1 and items.rows[-1].cells[0].colspan == 3
    assert body.count("法定代表人（签字）") == 2


def test_zhangye_agreement_natural_person(cases):
    body = text(render(cases, "zhangye", "agreement"))
    assert "赔偿权利人：张掖市人民政府" in body and "赔偿权利人指定的部门或机构：张掖市自然资源局" in body
    assert "身份证号码：620702197805122135" in body and "赔偿义务人（签字）" in body
    assert "由甲方委托第三方实施修复" in body and "一次性支付：乙方应于2025年11月30日前支付186,500.00元" in body


def test_hengshui_agreement_irreparable_alternative(cases):
    body = text(render(cases, "hengshui", "agreement"))
    assert "受生态环境无法修复" in body.replace("受损", "受")
    assert "替代修复价值量：400,000.00元（大写：人民币肆拾万元整），不低于经鉴定评估的生态环境损害数额385,000.00元" in body
    assert "乙方自愿增加替代修复价值量15,000.00元" in body
    assert "全额上缴衡水市财政" in body and "修复目标：" not in body
    assert "《衡水市生态环境损害赔偿管理办法（试行）》" in body


def test_payment_destination_comes_from_profile_when_agreement_is_silent(cases):
    case = cases["hengshui"]
    perf = case.agreement.performance.model_copy(update={"destination": None})
    case = case.model_copy(update={"agreement": case.agreement.model_copy(update={"performance": perf})})
    assert "作为政府非税收入全额上缴市财政，纳入一般公共预算管理" in text(render_form(case, "agreement"))


# --- judicial confirmation ----------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["guangxi", "zhangye"])
def test_judicial_confirmation_dates_and_elements(cases, prefix):
    case = cases[prefix]
    body = text(render(cases, prefix, "judicial_confirmation"))
    d = case.agreement.date
    day = f"{d.year}年{d.month}月{d.day}日"
    request = body.split("请求事项：")[1].split("事实和理由：")[0]
    facts = body.split("事实和理由：")[1]
    assert day in request and facts.lstrip("\n").startswith(day)
    assert re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", request) == [day]
    for piece in ("（确认赔偿协议效力）", "没有恶意串通、规避法律的行为", "此致", case.judicial_confirmation.court,
                  "附：", "申请人（签名或者盖章）", "《生态环境损害赔偿制度改革方案》"):
        assert piece in body
    applied = case.judicial_confirmation.applied
    assert body.rstrip().endswith(f"{applied.year}年{applied.month}月{applied.day}日")


def test_judicial_confirmation_unit_and_person_blocks(cases):
    unit = text(render(cases, "guangxi", "judicial_confirmation"))
    assert "法定代表人（负责人）：陈国强，董事长" in unit and "工作单位或职业" not in unit
    assert "法定代表人：黄志明，局长" in unit  # the applicant department's 法定代表人 with the office held
    # the obligor's agent whose scope covers the confirmation, under the obligor's block
    assert "广西桂南冶炼有限公司（以下简称乙方）\n统一社会信用代码" in unit
    assert "0771-4860321\n委托代理人：刘海涛，广西正衡律师事务所，律师，13807710456\n请求事项" in unit
    person = text(render(cases, "zhangye", "judicial_confirmation"))
    assert "身份证号码：620702197805122135" in person and "工作单位或职业：个体运输户" in person
    assert "住址（联系方式）：张掖市甘州区党寨镇某村某社某号，13909361234" in person
    # 性别 and 出生日期 from the 身份证号码, 民族 from the case
    assert "申请人（赔偿义务人）：王建军（以下简称乙方）\n性别、出生日期、民族：男，1978年5月12日出生，汉族" in person
    assert "张掖市自然资源局（以下简称甲方）" in person and "委托代理人" not in person  # no agent's scope covers it


def test_judicial_confirmation_cites_the_agreement_and_the_rule_and_lists_the_enclosures(cases):
    body = text(render(cases, "zhangye", "judicial_confirmation"))
    assert ("确认申请人张掖市自然资源局与王建军于2025年8月28日就王建军在黑河甘州段非法采砂事件签订的"
            "《生态环境损害赔偿协议》（编号：张自然资赔协〔2025〕1号）有效。") in body
    assert "（一）乙方承担" in body and "磋商协议" not in body
    assert ("没有恶意串通、规避法律的行为；如果因为该协议内容而给国家、集体或他人造成损害的，愿意承担相应的民事责任和"
            "其他法律责任。现依据《最高人民法院关于审理生态环境损害赔偿案件的若干规定（试行）》第二十条的规定") in body
    enclosures = body.split("\n附：1. 证据：")[1].split("\n申请人（签名或者盖章）")[0]  # the evidence first
    for piece in ("身份证复印件（王建军）", "送达地址确认书（王建军）", "证据目录",
                  "2025年8月28日签订的《生态环境损害赔偿协议》（张自然资赔协〔2025〕1号）",
                  "《黑河甘州段非法采砂生态环境损害专家意见》", "磋商会议记录"):
        assert piece in enclosures, piece
    assert "磋商过程证明材料" not in body
    # what the case lists itself is printed as it is
    case = cases["zhangye"]
    jc = case.judicial_confirmation.model_copy(update={"attachments": ["赔偿协议原件", "专家意见"]})
    assert "附：赔偿协议原件、专家意见" in text(render_form(case.model_copy(update={"judicial_confirmation": jc}),
                                                       "judicial_confirmation"))


def test_several_obligors_are_one_party_named_once(cases):
    body = text(render_form(load_case(ROOT / "examples" / "guangxi-two-obligors-several.yaml"), "judicial_confirmation"))
    assert "（以上申请人赔偿义务人以下合称乙方）" in body and "以下简称乙方" not in body


# --- transfer, closure, enforcement -------------------------------------------------------------------

def test_case_transfer_has_seal_table(cases):
    doc = render(cases, "zhangye", "case_transfer")
    assert doc.title == "张掖市生态环境局案件移送函"
    [table] = tables(doc)
    assert [c.rowspan for c in table.rows[0].cells] == [2, 1, 2, 1]
    body = text(doc)
    assert "张掖市自然资源局：" in body and "现将该案移送贵单位处理" in body
    assert "我单位于2025年4月20日日常执法巡查发现：黑河甘州段河道内" in body  # one sentence, not cut at 。
    assert "移送人：周晓东" in body and "接收人：马志远" in body and "邮编：734000" in body
    assert body.count("2025年4月25日") == 2  # transferred and received


def test_closure_approval(cases):
    doc = render(cases, "terminated", "closure_approval")
    body = text(doc)
    assert "梧环赔〔2025〕2号" in body and "予以结案" in body and "林地生态破坏" in body
    [table] = tables(doc)
    assert len(table.rows) == 2 and "同意结案。" in body and "覃建平" in body


def test_closure_after_consultation(cases):
    from casefile.model.parties import Approval
    from casefile.model.stages import Closure

    closure = Closure(date=date(2026, 11, 20), result="赔偿义务人已按协议全部履行赔偿义务，修复工程已通过效果评估",
                      approvals=[Approval(opinion="同意结案。", signer="马志远", date=date(2026, 11, 20))])
    doc = render_form(cases["zhangye"].model_copy(update={"closure": closure}), "closure_approval")
    body = text(doc)
    assert "王建军：" in body and "经过本单位进行磋商后，现赔偿义务人已按协议全部履行赔偿义务，修复工程已通过效果评估，予以结案。" in body
    # issued by the designated department, not the government (zhangye:23)
    assert "张掖市自然资源局\n2026年11月20日" in body and "张掖市人民政府" not in body
    [table] = tables(doc)
    assert len(table.rows) == 1 and "承办机构负责人意见" in body


def test_enforcement(cases):
    body = text(render(cases, "zhangye", "enforcement"))
    for piece in ("申请人名称：张掖市自然资源局", "委托代理人（姓名、工作单位及职务）：马志远，张掖市自然资源局，法规科科长",
                  "联系方式：0936-8213466", "被申请人名称或姓名：王建军", "我单位于2025年5月22日开展生态环境损害调查",
                  "2025年8月6日，我单位通知赔偿义务人进行磋商", "2025年8月20日经过一轮磋商",
                  "于2025年9月3日向张掖市中级人民法院申请司法确认", "（2025）甘07民特12号",
                  "赔偿义务人王建军在司法确认的赔偿协议规定期限（2025年11月30日）届满后，未支付任何赔偿款项。由于",
                  "1. 被执行人王建军向申请人支付赔偿款186,500.00元（大写：人民币壹拾捌万陆仟伍佰元整）（一次性支付，应于2025年11月30日前支付）", "被执行人财产状况：被申请人名下有重型货车",
                  "性别、出生日期、民族：男，1978年5月12日出生，汉族", "法定代表人：赵永福，局长",
                  "附：1. 证据：证据目录、（2025）甘07民特12号民事裁定书、"
                  "2025年8月28日签订的《生态环境损害赔偿协议》（张自然资赔协〔2025〕1号）；",
                  "2. 当事人身份证明：法定代表人身份证明书（张掖市自然资源局）", "3. 委托代理：授权委托书（马志远）",
                  "赔偿权利人指定的部门或机构（盖章）", "2025年12月15日"):
        assert piece in body, piece
    # the case's statement of the non-performance stands instead of the model's sentence, not after it
    assert "未按照协议要求赔偿" not in body and body.count("未支付任何赔偿款项") == 1
    # zhangye puts 附 before 此致
    assert body.index("附：") < body.index("此致")


def test_enforcement_guangxi_order_and_computed_subject(cases):
    case = cases["guangxi"]
    from casefile.model.stages import Enforcement

    enf = Enforcement(court="南宁市中级人民法院", applied=date(2026, 8, 3), non_performance="乙方未支付第三期款项。")
    perf = case.agreement.performance
    unpaid = perf.model_copy(update={"installments": [i.model_copy(update={"paid": None}) for i in perf.installments]})
    case = case.model_copy(update={"agreement": case.agreement.model_copy(update={"performance": unpaid})})
    body = text(render_form(case.model_copy(update={"enforcement": enf}), "enforcement"))
    assert body.index("此致") < body.index("附：")
    assert "经过两次磋商" in body and "赔偿款426,400.00元" in body and "被执行人财产状况：＿" in body
