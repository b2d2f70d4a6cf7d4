"""Several obligors in the documents: the allocation printed in the agreement and the 司法确认 summary,
and a 强制执行申请书 built from the recorded facts (only defaulters, only unpaid sums, restoration only
when it is not done)."""

from __future__ import annotations

import copy
import re
from datetime import date

import pytest
import yaml

from casefile.validation import validate_data
from checkers.check import check_text
from docgen.render.render import render_form

from ..conftest import ROOT

SEVERAL = ROOT / "examples" / "guangxi-two-obligors-several.yaml"
COMPANY, CHAIRMAN = "广西桂南冶炼有限公司", "陈国强"
TODAY = date(2026, 12, 6)


@pytest.fixture
def data() -> dict:
    return yaml.safe_load(SEVERAL.read_text("utf-8"))


def text(data: dict, kind: str) -> str:
    case, problems = validate_data(data)
    assert case is not None, [str(p) for p in problems]
    return render_form(case, kind, today=TODAY).plain_text()


def respondents(body: str) -> list[str]:
    return re.findall(r"^被申请人名称或姓名：(.+)$", body, re.M)


def test_the_agreement_states_who_pays_and_who_restores(data):
    body = text(data, "agreement")
    assert "按份承担赔偿责任，各自仅就本人份额向甲方承担责任" in body
    assert f"1. {COMPANY}：承担赔偿款426,400.00元（大写：人民币肆拾贰万陆仟肆佰元整）" in body
    assert f"2. {CHAIRMAN}：承担生态环境修复义务" in body
    assert f"{COMPANY}分三期支付426,400.00元" in body
    assert f"由{CHAIRMAN}自行或委托第三方实施修复" in body


def test_the_confirmation_summary_states_the_allocation(data):
    body = text(data, "judicial_confirmation")
    facts = body[body.index("事实和理由"):]
    assert "按份承担赔偿责任" in facts and f"{CHAIRMAN}：承担生态环境修复义务" in facts


def test_joint_liability_is_printed_as_such(data):
    data["agreement"]["allocation"] = {"kind": "joint"}
    for inst in data["agreement"]["performance"]["installments"]:
        inst.pop("obligor")
    body = text(data, "agreement")
    assert f"{COMPANY}、{CHAIRMAN}对本协议约定的全部赔偿和修复义务承担连带责任" in body


def test_an_unallocated_agreement_leaves_a_visible_blank(data):
    del data["agreement"]["allocation"]
    for inst in data["agreement"]["performance"]["installments"]:
        inst.pop("obligor")
    body = text(data, "agreement")
    assert re.search(r"各赔偿义务人承担连带责任还是按份责任及各自承担的份额：＿{10,}", body)


def test_enforcement_names_only_the_defaulter_and_the_unpaid_sum(data):
    body = text(data, "enforcement")
    assert respondents(body) == [COMPANY]
    assert f"被执行人{COMPANY}向申请人支付赔偿款142,000.00元（大写：人民币壹拾肆万贰仟元整）（第三期，应于2026年6月30日前支付）" in body
    # the case's own statement of the non-performance, once (not after the model's sentence)
    assert "第三期款项142,000.00元至今未支付" in body and "未按照协议要求赔偿" not in body
    assert f"由于赔偿义务人{COMPANY}一直未按照协议履行赔偿义务" in body
    assert "开展修复" not in body and "修复义务（修复完成期限" not in body  # restoration was completed
    assert "426,400" not in body  # the paid instalments are not claimed
    assert "（2025）桂01民特56号民事裁定书" in body and "于2025年10月24日予以司法确认" in body
    assert "统一社会信用代码：91450100MA5KQ3RT2R" in body and "法定代表人（负责人）：陈国强，董事长" in body


def test_enforcement_claims_overdue_restoration_from_the_restorer(data):
    for key in ("completed", "effect_assessed", "effect_passed"):
        del data["restoration"][key]
    data["enforcement"]["non_performance"] = "赔偿义务人未支付第三期款项，亦未完成修复。"
    body = text(data, "enforcement")
    assert respondents(body) == [COMPANY, CHAIRMAN]
    assert "一直未按照协议履行赔偿、修复义务" in body
    assert f"被执行人{CHAIRMAN}履行协议约定的生态环境修复义务（修复完成期限2026年6月30日）" in body
    assert "性别、出生日期、民族：女，1949年12月31日出生" in body  # read from the 身份证号码


def test_joint_default_is_claimed_jointly_once(data):
    data["agreement"]["allocation"] = {"kind": "joint"}
    for inst in data["agreement"]["performance"]["installments"]:
        inst.pop("obligor")
    body = text(data, "enforcement")
    assert respondents(body) == [COMPANY, CHAIRMAN]
    assert body.count("向申请人支付赔偿款") == 1
    assert f"被执行人{COMPANY}、{CHAIRMAN}连带向申请人支付赔偿款142,000.00元" in body


def test_the_generated_documents_pass_the_checker(data):
    for kind in ("agreement", "judicial_confirmation", "enforcement"):
        report = check_text(text(copy.deepcopy(data), kind), kind=kind, jurisdiction="guangxi", on=TODAY)
        errors = [(f.rule, f.message) for f in report.findings if f.severity == "error"]
        assert errors == [], (kind, errors)


def test_check_against_the_case_finds_a_respondent_who_performed(data):
    """check --case: a 强制执行申请书 drafted without the allocation (both obligors as respondents) is
    compared with the case data, which records that only the company defaulted."""
    from checkers.check import against_case

    case, _ = validate_data(copy.deepcopy(data))
    unallocated = copy.deepcopy(data)
    del unallocated["agreement"]["allocation"]
    for inst in unallocated["agreement"]["performance"]["installments"]:
        inst.pop("obligor")
    for_both = check_text(text(unallocated, "enforcement"), kind="enforcement", jurisdiction="guangxi", on=TODAY)
    for_company = check_text(text(data, "enforcement"), kind="enforcement", jurisdiction="guangxi", on=TODAY)
    before = for_company.coverage.model_copy()
    against_case(case, "case.yaml", [for_both, for_company])
    [finding] = [f for f in for_both.findings if f.rule == "CASE-FACTS"]
    assert CHAIRMAN in finding.message and "不应列为被申请人" in finding.message
    assert finding.location.text and CHAIRMAN in finding.location.text
    assert not [f for f in for_company.findings if f.rule == "CASE-FACTS"]
    assert for_company.coverage.passed == before.passed + 1
    assert for_company.coverage.not_applicable == before.not_applicable - 1
