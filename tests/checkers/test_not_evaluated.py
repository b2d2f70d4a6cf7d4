"""Three-valued results (issue 10): a rule that applies but lacks what it needs ends as 未能核对
with its reason, never as a pass, and no report says "未发现问题" while one could not be evaluated."""

from __future__ import annotations

import inspect
import json

import pytest

from casefile.validation import load_case
from checkers.check import check_text
from checkers.report import render
from checkers.rules.computed import COMPUTED

from ..conftest import ROOT

# one document per reason a computed rule can give for not evaluating (kind, jurisdiction, text)
UNABLE = {
    "INST-LENGTH": ("agreement", "guangxi", "生态环境损害赔偿协议\n乙方申请分期缴纳赔偿金，甲方同意分期，乙方交纳履约保证金。\n"),
    "TECH-OFFSET": ("agreement", "guangxi", "生态环境损害赔偿协议\n乙方以清洁生产技术改造投入抵扣部分赔偿金。\n"),
    "ALT-VALUE": ("agreement", "hengshui", "生态环境损害赔偿协议\n乙方在下游实施替代修复，补植树木一千株。\n"),
    "PLAN-AUTHOR": ("agreement", "guangxi", "生态环境损害赔偿协议\n修复方案已经专家评审。乙方委托南宁某某环保有限公司实施修复。\n"),
    "SIGN-DEADLINE": ("agreement", "guangxi", "生态环境损害赔偿协议\n甲乙双方于2025年4月10日签订本协议。\n"),
    "CONSULT-PERIOD": ("agreement", "guangxi", "生态环境损害赔偿协议\n甲乙双方于2025年4月10日签订本协议。\n"),
    "ENF-PERIOD": ("enforcement", "hengshui", "强制执行申请书\n被申请人未按协议缴纳赔偿金。\n此致\n衡水市中级人民法院\n"
                   "申请人（盖章）：衡水市生态环境局\n2025年3月18日\n"),
    "CLUE-CHECK": ("enforcement", "zhangye", "强制执行申请书\n2024年3月11日，我局收到移送的案件线索。经初步核查，我局立案启动索赔。\n"),
    "JC-DATE-MISMATCH": ("judicial_confirmation", "guangxi", "司法确认申请书\n双方于2025年4月10日签订了赔偿协议。\n"),
    # compared with a case (check --case) whose obligors the application does not name
    "CASE-FACTS": ("enforcement", "guangxi", "强制执行申请书\n被申请人名称或姓名：某某公司\n",
                   "examples/guangxi-two-obligors-several.yaml"),
}


def _raisers() -> set[str]:
    """The computed rules that can end as 未能核对, directly or through a helper of their module."""
    module = inspect.getmodule(next(iter(COMPUTED.values())))
    helpers = {name for name, fn in inspect.getmembers(module, inspect.isfunction)
               if fn.__module__ == module.__name__ and "CannotEvaluate(" in inspect.getsource(fn)}
    return {code for code, fn in COMPUTED.items()
            if any(marker in inspect.getsource(fn) for marker in ["CannotEvaluate(", *(f"{h}(" for h in helpers)])}


def test_every_reason_a_rule_can_give_is_exercised_here():
    assert set(UNABLE) == _raisers()


@pytest.mark.parametrize("code", sorted(UNABLE))
def test_the_rule_ends_as_not_evaluated_with_its_reason(code):
    kind, jurisdiction, text, *case_file = UNABLE[code]
    case = load_case(ROOT / case_file[0]) if case_file else None
    report = check_text(text, kind=kind, jurisdiction=jurisdiction, only={code}, case=case)
    assert report.findings == []
    [unchecked] = report.not_evaluated
    assert unchecked.rule == code and unchecked.reason
    assert report.coverage.not_evaluated == 1 and report.coverage.passed == 0
    assert "未发现问题（" not in report.verdict and "未能核对" in report.verdict


def test_no_report_says_nothing_was_found_while_a_rule_could_not_be_evaluated():
    kind, jurisdiction, text = UNABLE["SIGN-DEADLINE"]
    report = check_text(text, kind=kind, jurisdiction=jurisdiction, only={"SIGN-DEADLINE"})
    out = render([report], "text")
    assert "未能核对" in out and "SIGN-DEADLINE" in out and "未发现问题（适用的规则均已核对）" not in out
    data = json.loads(render([report], "json"))
    assert data["not_evaluated"][0]["rule"] == "SIGN-DEADLINE"
    assert data["coverage"]["not_evaluated"] == 1
    sarif = json.loads(render([report], "sarif"))
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(n["descriptor"]["id"] == "SIGN-DEADLINE" for n in notes)
    assert "未能核对" in render([report], "html")


def test_a_fully_evaluated_clean_result_says_so():
    report = check_text("生态环境损害赔偿协议\n甲乙双方于2025年4月10日签订本协议。\n", kind="agreement",
                        jurisdiction="guangxi", only={"AMT-WORDS"})
    assert report.not_evaluated == [] and report.verdict == "未发现问题（适用的规则均已核对）"
