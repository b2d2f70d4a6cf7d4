"""check --case (CASE-FACTS) on the documents generated for the several-obligor example and on copies
with one fact changed, the way a clerk's edit goes wrong (issue 11 §1): the unpaid amount in the
执行标的, one obligor's share, one instalment's date, the ruling's number and date, and 按份 stated
only in a question line left blank. Each change is caught; the generated documents stay clean."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from casefile.validation import load_case, validate_data
from checkers.check import check_document
from checkers.document import from_text
from docgen.render.render import render_form

from ..conftest import ROOT

SEVERAL = ROOT / "examples" / "guangxi-two-obligors-several.yaml"
TODAY = dt.date(2026, 12, 6)
CASE = load_case(SEVERAL)


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    case, problems = validate_data(yaml.safe_load(SEVERAL.read_text("utf-8")))
    assert case is not None, problems
    return {kind: render_form(case, kind, today=TODAY).plain_text()
            for kind in ("agreement", "judicial_confirmation", "enforcement")}


def facts(text: str, kind: str) -> list[str]:
    report = check_document(from_text(text, f"{kind}.txt"), kind, "guangxi", on=TODAY, only={"CASE-FACTS"},
                            case=CASE)
    return [f.message for f in report.findings if f.rule == "CASE-FACTS"]


def changed(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


@pytest.mark.parametrize("kind", ["agreement", "judicial_confirmation", "enforcement"])
def test_the_generated_documents_agree_with_the_case(generated, kind):
    assert facts(generated[kind], kind) == []


def test_an_unpaid_amount_changed_in_the_enforcement_subject(generated):
    # 142,000.00 still appears in the narrative and as the penalty's base: only the 执行标的 counts
    text = changed(generated["enforcement"], "支付赔偿款142,000.00元（大写：人民币壹拾肆万贰仟元整）",
                   "支付赔偿款100,000.00元（大写：人民币壹拾万元整）")
    [message] = facts(text, "enforcement")
    assert "142,000.00元" in message and "写作100,000.00元" in message


# 426,400.00 still appears as the sum of the company's instalments; 1月31日 nowhere else
CHANGES = {
    "share": ("承担赔偿款426,400.00元（大写：人民币肆拾贰万陆仟肆佰元整）", "承担赔偿款326,400.00元（大写：人民币叁拾贰万陆仟肆佰元整）",
              ["广西桂南冶炼有限公司承担426,400.00元", "326,400.00元"]),
    "instalment date": ("第二期：于2026年1月31日前", "第二期：于2026年3月31日前", ["第二期应于2026年1月31日前支付", "2026年3月31日"]),
    "instalment amount": ("第三期：于2026年6月30日前支付142,000.00元（大写：人民币壹拾肆万贰仟元整）",
                          "第三期：于2026年6月30日前支付124,000.00元（大写：人民币壹拾贰万肆仟元整）",
                          ["第三期为142,000.00元", "124,000.00元"]),
}


@pytest.mark.parametrize("kind", ["agreement", "judicial_confirmation"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_share_or_an_instalment_changed(generated, kind, change):
    old, new, said = CHANGES[change]
    [message] = facts(changed(generated[kind], old, new), kind)
    assert all(part in message for part in said), message


def test_the_ruling_number_and_date_changed(generated):
    text = generated["enforcement"].replace("（2025）桂01民特56号", "（2025）桂01民特65号")
    text = changed(text, "于2025年10月24日予以司法确认", "于2025年10月28日予以司法确认")
    messages = facts(text, "enforcement")
    assert len(messages) == 2
    assert any("（2025）桂01民特56号" in m and "（2025）桂01民特65号" in m for m in messages)
    assert any("2025年10月24日" in m and "2025年10月28日" in m for m in messages)


def test_several_liability_only_in_a_blank_question_line(generated):
    text = changed(generated["agreement"], "广西桂南冶炼有限公司、陈国强按份承担赔偿责任，各自仅就本人份额向甲方承担责任：",
                   "各赔偿义务人承担连带责任还是按份责任及各自承担的份额：＿＿＿＿＿＿")
    [message] = facts(text, "agreement")
    assert "按份责任" in message and "没有写明" in message


def test_joint_liability_written_where_the_case_has_several(generated):
    text = changed(generated["agreement"], "陈国强按份承担赔偿责任，各自仅就本人份额", "陈国强承担连带责任，各自仅就本人份额")
    [message] = facts(text, "agreement")
    assert "写作连带责任" in message
