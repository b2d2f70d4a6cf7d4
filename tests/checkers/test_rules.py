"""Rule keeping (ruff/Vale style): every rule has a stable code, a doc, a passing and a failing
fixture, and a basis that resolves in the corpus; a rule that can never fire fails here."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from casefile.validation import load_case
from checkers.check import check_document, check_text
from checkers.document import from_text
from checkers.findings import CATEGORIES
from checkers.rules import computed, engine, load_rules
from checkers.rules.explain import DOCS, explain_rule, rule_markdown

ROOT = Path(__file__).parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"
RULES = load_rules()
ON = dt.date(2026, 11, 23)
SPEC_ELEMENTS = {
    "agreement": ["parties.claimant", "parties.obligor", "facts", "evidence", "legal_basis", "assessment_opinions",
                  "liability", "performance", "restoration_target", "restoration_schedule", "breach",
                  "effect_assessment", "dispute_resolution", "force_majeure", "signatures", "date_place",
                  "payment_destination", "installment_security"],
    "judicial_confirmation": ["title", "applicant.claimant", "applicant.obligor", "request", "agreement_content",
                              "legal_basis", "voluntariness", "court", "attachments", "signature_date"],
    "enforcement": ["applicant", "agent", "respondent", "investigation", "consultation", "confirmation",
                    "ruling_number", "non_performance", "request", "court", "attachments", "seal_date",
                    "subject_matter", "assets"],
    "consultation_notice": ["notifier", "notified", "cause", "investigation", "panel", "meeting",
                            "reply_deadline", "seal_date"],
}


def _fixture(code: str) -> dict:
    return yaml.safe_load((FIXTURES / f"{code}.yaml").read_text(encoding="utf-8"))


def _report(code: str, text: str, fx: dict):
    case = load_case(ROOT / fx["case"]) if fx.get("case") else None  # rules that compare with the case data
    return check_document(from_text(text, f"{code}.txt"), kind=fx["type"], jurisdiction=fx["jurisdiction"],
                          on=ON, only={code}, case=case)


def _fires(code: str, text: str, fx: dict) -> list:
    return [f for f in _report(code, text, fx).findings if f.rule == code]


def test_every_spec_element_has_a_rule():
    elements = {r.element for r in RULES.values() if r.element}
    for kind, names in SPEC_ELEMENTS.items():
        for name in names:
            assert f"{kind}.{name}" in elements, f"no rule for {kind}.{name}"


def test_every_spec3_category_in_scope_has_a_rule():
    wanted = {"missing_element", "amount_words_mismatch", "sum_mismatch", "invalid_uscc", "invalid_id",
              "name_inconsistent", "date_invalid", "date_order", "date_mismatch", "doc_number_format",
              "installment_too_long", "installment_no_security", "tech_offset_over_limit",
              "alternative_restoration_value", "payment_destination", "restoration_by_plan_author",
              "deadline_missed", "meetings_over_limit", "regulation_status"}
    assert wanted <= {r.category for r in RULES.values()}
    assert all(r.category in CATEGORIES for r in RULES.values())


@pytest.mark.parametrize("code", list(RULES))
def test_rule_has_basis_that_resolves(code):
    from corpus import load_corpus

    corpus = load_corpus()
    rule = RULES[code]
    refs = list(rule.basis) + [r for refs in rule.basis_by_jurisdiction.values() for r in refs]
    assert refs, f"{code} has no basis"
    for ref in refs:
        unit = corpus.get(ref.address)  # raises if it does not resolve
        if ref.quote:
            squash = re.sub(r"\s+", "", unit.text)
            assert re.sub(r"\s+", "", ref.quote) in squash, f"{code}: quote not in {ref.address}"
    if rule.param:
        from corpus.profiles import load_profiles

        assert any(p.param(rule.param) for p in load_profiles().values()), f"{code}: no profile sets {rule.param}"


@pytest.mark.parametrize("code", list(RULES))
def test_rule_has_fixtures(code):
    fx = _fixture(code)
    assert fx["pass"] and fx["fail"], f"{code} needs a passing and a failing fixture"


@pytest.mark.parametrize("code", list(RULES))
def test_rule_fires_on_failing_fixtures(code):
    fx = _fixture(code)
    for text in fx["fail"]:
        assert _fires(code, text, fx), f"{code} did not fire on: {text!r}"


@pytest.mark.parametrize("code", list(RULES))
def test_rule_silent_on_passing_fixtures(code):
    fx = _fixture(code)
    for text in fx["pass"]:
        report = _report(code, text, fx)
        found = [f for f in report.findings if f.rule == code]
        assert not found, f"{code} fired on passing fixture {text!r}: {[f.message for f in found]}"
        # a pass is a result: a rule that could not evaluate the text (未能核对) has not passed it
        assert not report.not_evaluated, f"{code} could not evaluate passing fixture {text!r}: {report.not_evaluated}"


@pytest.mark.parametrize("code", list(RULES))
def test_rule_doc_is_current(code):
    path = DOCS / f"{code}.md"
    assert path.exists(), f"run: python -m checkers.rules.explain  ({code} has no doc)"
    assert path.read_text(encoding="utf-8") == rule_markdown(RULES[code]), f"docs/rules/{code}.md is stale"


@pytest.mark.parametrize("code", list(RULES))
def test_explain_prints_rule_and_law(code):
    text = explain_rule(code)
    assert code in text and "依据" in text and "示例" in text


def test_no_word_boundary_in_patterns():
    for rule in RULES.values():
        for rx in rule.regexes():
            assert r"\b" not in rx, f"{rule.code}: \\b never matches between Chinese characters"


def test_every_builtin_pattern_compiles():
    """Built-in rules are not compiled at load (start-up time); this is where a broken one fails."""
    broken = []
    for rule in RULES.values():
        for rx in rule.regexes():
            try:
                re.compile(rx)
            except re.error as exc:
                broken.append(f"{rule.code}: {rx}: {exc}")
    assert not broken


def test_a_playbook_rule_with_a_broken_pattern_fails_at_load():
    from pydantic import ValidationError

    from checkers.rules.registry import Rule

    raw = next(r for r in RULES.values() if r.type == "element" and r.patterns).model_dump()
    Rule.model_validate(raw)  # as loaded by a playbook: valid
    with pytest.raises(ValidationError, match="不是有效的正则表达式"):
        Rule.model_validate({**raw, "patterns": ["(未闭合"]})


def test_codes_are_stable_and_unique():
    assert len(RULES) == len(set(RULES))
    for code, rule in RULES.items():
        assert re.fullmatch(r"[A-Z]+(?:-[A-Z0-9]+)+", code)
        assert rule.doc and rule.message


def test_draft_only_basis_says_so():
    fx = _fixture("PLAN-AUTHOR")
    [finding] = _fires("PLAN-AUTHOR", fx["fail"][0], fx)
    assert finding.basis[0].status == "draft"
    assert "征求意见稿" in finding.message


def test_expired_zhangye_basis_reported():
    text = "告知人：张掖市生态环境局\n请被告知人按时参加磋商。"
    report = check_document(from_text(text), kind="consultation_notice", jurisdiction="zhangye", on=ON,
                            only={"CN-REPLY-DEADLINE"})
    [finding] = report.findings
    assert finding.basis[0].status == "expired"
    assert "届满" in finding.message or "有效期" in finding.message
    before = check_document(from_text(text), kind="consultation_notice", jurisdiction="zhangye",
                            on=dt.date(2025, 1, 1), only={"CN-REPLY-DEADLINE"})
    assert before.findings[0].basis[0].status is None


def test_jurisdiction_decides_parameter_rules():
    text = "乙方分期支付赔偿金，分期期限为4年。"
    for jur, expected in (("guangxi", True), ("hengshui", False), ("national", False)):
        report = check_document(from_text(text), kind="agreement", jurisdiction=jur, on=ON, only={"INST-LENGTH"})
        assert bool(report.findings) is expected, jur


def test_installment_over_one_year_is_a_warning_over_three_an_error():
    fx = _fixture("INST-LENGTH")
    [long] = _fires("INST-LENGTH", "乙方分期支付赔偿金，分期期限为4年。", fx)
    [medium] = _fires("INST-LENGTH", "乙方分期支付赔偿金，分期期限为18个月。", fx)
    assert long.severity == "error" and medium.severity == "warning"


def test_instalments_quoted_in_a_judicial_confirmation_are_checked():
    """The agreement the court is asked to confirm, told in the application (blind batch 12, dev)."""
    text = ("请求事项：确认申请人与被申请人于2025年7月15日达成的赔偿协议有效。\n事实和理由：\n"
            "三、赔偿金缴纳。期间损失赔偿金680,000元分8期缴纳，自2025年9月起每半年缴纳一期，每期85,000元，"
            "至2029年3月31日前缴清。")
    report = check_document(from_text(text), kind="judicial_confirmation", jurisdiction="guangxi", on=ON,
                            only={"INST-LENGTH"})
    assert [f.severity for f in report.findings] == ["error"]
    shorter = text.replace("分8期", "分4期").replace("2029年3月31日", "2027年3月31日")
    assert [f.severity for f in check_document(from_text(shorter), kind="judicial_confirmation",
                                               jurisdiction="guangxi", on=ON, only={"INST-LENGTH"}).findings] == ["warning"]


def test_every_statutory_basis_shows_the_words_it_rests_on():
    """A finding shows at most 300 characters of its basis: an article longer than that must be cited
    by the paragraph that matters (``guangxi:26¶2``) or with a quote, or the relevant sentence may be
    cut off. Model forms (whole templates) are exempt: they are cited as a whole."""
    from corpus import load_corpus
    from corpus.profiles import load_profiles

    corpus = load_corpus()
    too_long = []
    for code, rule in load_rules().items():
        refs = list(rule.basis) + [r for refs in (rule.basis_by_jurisdiction or {}).values() for r in refs]
        for name in filter(None, (rule.param, rule.basis_param)):  # bases that come from the profiles
            refs += [a for p in load_profiles().values() if p.param(name) for a in p.param(name).basis]
        for ref in refs:
            address = getattr(ref, "address", ref)
            unit = corpus.get(address)
            if unit.kind != "form" and not getattr(ref, "quote", None) and len(unit.text) > 300:
                too_long.append(f"{code}: {address} ({len(unit.text)} chars)")
    assert too_long == []


def test_computed_rules_and_their_functions_match_one_to_one(monkeypatch):
    from checkers.rules.registry import _bind_computed

    rules = dict(RULES)
    assert all(r.check for r in rules.values() if r.type == "computed")
    orphan_rule = rules["DATE-ORDER"].model_copy(update={"code": "DATE-NEW", "check": None})
    with pytest.raises(ValueError, match=r"without a function.*DATE-NEW"):
        _bind_computed({**rules, "DATE-NEW": orphan_rule})
    monkeypatch.setitem(computed.COMPUTED, "NOT-A-RULE", computed.COMPUTED["DATE-ORDER"])
    with pytest.raises(ValueError, match=r"without a computed rule.*NOT-A-RULE"):
        _bind_computed(rules)
    with pytest.raises(ValueError, match="computed twice"):
        computed.rule("DATE-ORDER")(computed.COMPUTED["DATE-ORDER"])


def test_rule_texts_take_their_numbers_from_the_profile():
    """No message or suggestion hard-codes a legal period, share or count: they name the profile
    parameter (``{agreement_after_meeting}``) and each jurisdiction fills in its own value."""
    hard_coded = re.compile(r"\d+\s*(?:个工作日|个月|日内|次|%|％)|[一二三]年")
    offenders = [f"{r.code}: {text}" for r in RULES.values() for text in (r.message, r.suggestion or "", r.doc)
                 if hard_coded.search(re.sub(r"(?:如|写明)“[^”]*”", "", text))]  # a drafting example may show one
    assert offenders == []


def test_findings_name_no_internal_identifier():
    """What a finding shows the reader (title, message, suggestion) carries no code identifier such as
    a function or field name (``rmb_upper``); ``{parameter}`` placeholders are filled from the profile
    and corpus addresses (``spc_eco:2``) are citations, so both may stay. (A rule's ``doc`` is the
    reference page and may name the profile parameter a department configures.)"""
    identifier = re.compile(r"(?<![{A-Za-z_])[a-z]+(?:_[a-z]+)+(?![A-Za-z_}:])")
    offenders = [f"{r.code}: {m[0]}" for r in RULES.values()
                 for text in (r.title, r.message, r.message_hollow or "", r.message_incomplete or "",
                              r.suggestion or "")
                 for m in identifier.finditer(text)]
    assert offenders == []


def test_signing_deadline_counts_in_the_unit_the_profile_gives(monkeypatch):
    """One period arithmetic (WorkCalendar.add_period) for the checker and the timeline: the same
    text is late by 15 working days but in time by 30 calendar days."""
    import corpus.profiles as profiles

    text = ("生态环境损害赔偿协议\n2025年3月3日召开磋商会议。\n甲乙双方于2025年3月26日签订本协议。\n")
    late = check_text(text, kind="agreement", jurisdiction="guangxi", only={"SIGN-DEADLINE"})
    assert [f.rule for f in late.findings] == ["SIGN-DEADLINE"]
    assert "超过15个工作日" in late.findings[0].message and "15个工作日" in late.findings[0].suggestion

    real = profiles.get_profile("guangxi")
    p = real.param("agreement_after_meeting")
    calendar_days = real.model_copy(update={"parameters": {
        **real.parameters, "agreement_after_meeting": p.model_copy(update={"value": 30, "unit": "日"})}})
    patched = lambda key: calendar_days if key == "guangxi" else profiles.get_profile(key)  # noqa: E731
    monkeypatch.setattr(engine, "get_profile", patched)
    assert check_text(text, kind="agreement", jurisdiction="guangxi", only={"SIGN-DEADLINE"}).findings == []


def test_the_form_catalogue_lists_exactly_the_spec_elements():
    """corpus/forms.yaml is the one declaration of the elements; here it is held to SPEC §2."""
    from corpus.forms import checkable_kinds, form_kinds

    assert set(checkable_kinds()) == set(SPEC_ELEMENTS)
    for kind, names in SPEC_ELEMENTS.items():
        assert [e.id for e in form_kinds()[kind].elements] == names


def test_related_text_counts_in_a_letter_and_asks_for_review_under_another_heading():
    """The precision policy: text about an element in other words is the element in a letter without
    sections, and a warning '需人工确认' (not an error) when it sits under another element's heading."""
    letter = ("生态环境损害赔偿磋商告知书\n南通恒源化工有限公司：\n2024年8月12日至8月19日，你公司将未经处理的生产废水排入东灶港河，"
              "造成河段水体污染。\n特此告知。\n")
    assert [f for f in check_text(letter, kind="consultation_notice", jurisdiction="national",
                                  only={"CN-CAUSE"}).findings] == []
    sectioned = ("生态环境损害赔偿磋商告知书\n被告知人：南通恒源化工有限公司\n一、生态环境损害调查情况\n"
                 "2024年8月12日至8月19日，你公司将未经处理的生产废水排入东灶港河，造成河段水体污染。\n二、磋商小组\n")
    [finding] = check_text(sectioned, kind="consultation_notice", jurisdiction="national", only={"CN-CAUSE"}).findings
    assert finding.severity == "warning" and "需人工确认" in finding.message


SIGNED_BEFORE = {
    # the date under a filing's signature is its application date (a role from its place, not its
    # wording): a 司法确认申请书 signed before the agreement was concluded is a date-order error
    "filing before its agreement": (
        "judicial_confirmation", "nantong",
        "司法确认申请书\n申请人：南通市生态环境局\n请求事项\n请求确认双方于2025年9月12日签订的《生态环境损害赔偿协议》有效。\n"
        "此致\n南通市中级人民法院\n申请人（盖章）：南通市生态环境局\n{date}\n", "2025年9月5日", "2025年9月15日"),
    "notice before its assessment": (
        "consultation_notice", "zhangye",
        "生态环境损害赔偿磋商告知书\n经鉴定评估，《生态环境损害鉴定评估报告》（2025年4月25日）认定损害数额为10万元。\n"
        "特此告知。\n张掖市生态环境局（印章）\n{date}\n", "2025年4月18日", "2025年4月28日"),
}


@pytest.mark.parametrize(("kind", "jurisdiction", "text", "early", "late"), SIGNED_BEFORE.values(),
                         ids=SIGNED_BEFORE.keys())
def test_a_document_signed_before_what_it_relies_on_is_out_of_order(kind, jurisdiction, text, early, late):
    early_report = check_text(text.format(date=early), kind=kind, jurisdiction=jurisdiction, only={"DATE-ORDER"})
    assert [f.rule for f in early_report.findings] == ["DATE-ORDER"]
    assert check_text(text.format(date=late), kind=kind, jurisdiction=jurisdiction,
                      only={"DATE-ORDER"}).findings == []


@pytest.mark.parametrize(("code", "text"), [
    # a total that covers only the items just before it ("其中A由乙方修复；B、C、D合计S")
    ("AMT-SUM", "乙方承担赔偿责任共计128.64万元，其中修复费用86.50万元由乙方自行修复；应急处置费用18.36万元、"
                "期间服务功能损失15.28万元、鉴定评估费用8.50万元，合计42.14万元，由乙方缴纳。"),
    # an appraisal report's number, where 第 is customary
    ("NUM-DOC", "依据甘肃中地环境损害鉴定评估中心《鉴定评估报告》（中地鉴评〔2024〕第26号）。"),
    # a table row read as "甲方：名称" does not make "名称" a party
    ("NAME-CONSISTENT", "甲方：名称\n南通市生态环境局\n统一社会信用代码：11320600014100328G\n"
                        "乙方：名称\n南通恒源化工有限公司\n统一社会信用代码：91320612MA1P3K7QXT\n"),
])
def test_layouts_that_used_to_raise_false_findings(code, text):
    assert check_text(text, kind="agreement", jurisdiction="nantong", only={code}).findings == []


def test_a_hollow_word_in_another_clause_does_not_empty_a_full_dispute_clause():
    text = ("生态环境损害赔偿协议\n十二、争议解决：双方共同向湖州市中级人民法院申请司法确认，因履行本协议发生争议的，"
            "向湖州市中级人民法院提起诉讼。\n")
    assert check_text(text, kind="agreement", jurisdiction="national", only={"AGR-DISPUTE"}).findings == []
    hollow = "生态环境损害赔偿协议\n十二、争议解决：发生争议的，双方共同向湖州市中级人民法院申请司法确认。\n"
    assert [f.rule for f in check_text(hollow, kind="agreement", jurisdiction="national",
                                       only={"AGR-DISPUTE"}).findings] == ["AGR-DISPUTE"]


def test_attachments_listed_under_a_bare_fu_line():
    text = "司法确认申请书\n此致\n南宁市中级人民法院\n附：\n1. 《生态环境损害赔偿协议》原件一份；\n2. 鉴定评估报告复印件一份。\n"
    assert check_text(text, kind="judicial_confirmation", jurisdiction="guangxi",
                      only={"JC-ATTACHMENTS"}).findings == []


def _events(text: str, kind: str = "agreement") -> list[tuple[str, str | None]]:
    import datetime as dt

    from checkers.rules.engine import Context

    ctx = Context(from_text(text), kind, "guangxi", dt.date(2026, 1, 1))
    return [(d.text, d.event) for d in ctx.values.dates]


def test_dates_without_a_year_take_the_year_before_them_and_their_own_verb():
    events = _events("甲方于2025年2月10日送达磋商告知书，于2025年3月6日、3月27日组织两次磋商，同年4月10日签订本协议。\n")
    assert events == [("2025年2月10日", "notice"), ("2025年3月6日", "meeting"), ("3月27日", "meeting"),
                      ("同年4月10日", "agreement")]


def test_a_date_is_given_its_role_by_its_own_clause_and_not_by_a_title():
    assert _events("甲方于2025年4月7日向乙方送达磋商告知书，双方于2025年4月28日召开磋商会议。\n") == [
        ("2025年4月7日", "notice"), ("2025年4月28日", "meeting")]
    assert _events("请求确认双方于\n2025年8月12日达成的《李德明非法采挖砂石赔偿协议》有效。\n")[0][1] == "agreement"


def test_a_time_limit_in_an_annex_after_the_signatures_is_not_the_signing_date():
    """A lawyer's agreement puts its schedule after the signatures: "2026年5月30日前" on a line of its own
    is a time limit, not another signing date (blind batch 14, dev: wAP02)."""
    text = ("生态环境损害赔偿协议\n双方于2025年3月18日召开磋商会议。\n甲方（盖章）：\n签订时间：2025年4月2日\n"
            "附件：履行计划表\n提交修复效果评估报告\n2026年5月30日前\n乙方\n")
    assert _events(text)[1:] == [("2025年4月2日", "agreement"), ("2026年5月30日", None)]


def test_a_notice_is_dated_by_the_date_under_its_seal_mark():
    """"（赔偿权利人指定的部门印章）" opens the closing lines as "（印章）" does: the date under it is the
    notice's, and an assessment report it cites dated later contradicts it (blind batch 14, dev: wAO01)."""
    text = ("生态环境损害赔偿磋商告知书\n二、生态环境损害调查情况\n我局委托河北衡准环境损害鉴定评估有限公司开展鉴定评估，"
            "该公司于2025年7月22日出具《鉴定评估报告》。\n"
            "（赔偿权利人指定的部门印章）\n衡水市生态环境局\n2025年7月15日\n")
    report = check_text(text, kind="consultation_notice", jurisdiction="hengshui", only={"DATE-ORDER"})
    assert [f.rule for f in report.findings] == ["DATE-ORDER"] and "2025年7月15日" in report.findings[0].message
    assert check_text(text.replace("7月22日", "7月2日"), kind="consultation_notice", jurisdiction="hengshui",
                      only={"DATE-ORDER"}).findings == []


def test_a_date_leading_a_meeting_sentence_is_the_meeting_not_the_harm_it_names():
    """"2026年4月8日，双方在…参加下进行磋商，就乙方非法收集…造成土壤污染的…达成一致": the day of the
    consultation, not of the illegal act the sentence names (blind batch 19, dev: wBC10)."""
    text = ("甲方于2026年3月16日向乙方送达《生态环境损害赔偿磋商告知书》。2026年4月8日，双方在山丹县人民检察院派员参加下"
            "进行磋商，就乙方非法收集、贮存废矿物油造成土壤污染的生态环境损害赔偿事宜达成一致，订立本协议。\n")
    assert _events(text) == [("2026年3月16日", "notice"), ("2026年4月8日", "meeting")]


def test_meeting_days_listed_in_brackets_are_meetings_not_the_agreement():
    """"经过5次磋商（…，2025年1月15日、2月26日、3月20日），双方协商一致达成《…协议》": the days in the
    bracket are the meetings' (blind batch 19, dev: wBE15 reported two agreement dates)."""
    text = ("2024年11月20日至2025年3月20日经过5次磋商（2024年11月20日、12月18日，2025年1月15日、2月26日、3月20日），"
            "双方协商一致达成《生态环境损害赔偿协议》（2025年3月28日签订）。\n")
    events = dict(_events(text))
    assert {events[d] for d in ("2025年1月15日", "2月26日", "3月20日")} == {"meeting"}
    assert events["2025年3月28日"] == "agreement"


def test_a_case_name_between_a_date_and_its_verb_is_a_name_not_an_act():
    """"已于@@就…淀粉废水违法排放生态环境损害赔偿案（立案号…）召开第一次磋商会议": the meeting's day; the
    discharge is in the case's name (blind batch 20, dev: wBH01, a second consultation notice)."""
    text = ("我分局已于2025年4月22日就临泽县丰禾玉米淀粉有限公司淀粉废水违法排放生态环境损害赔偿案（立案号：甘G环赔〔2025〕4号）"
            "召开第一次磋商会议。2024年12月17日，你公司违法排放淀粉废水。\n")
    assert _events(text) == [("2025年4月22日", "meeting"), ("2024年12月17日", "violation")]


def test_dates_in_an_annex_after_the_signatures_are_the_annex_own():
    """An instalment schedule annexed after the signatures, its cells read as lines ("第8期 / 2029.6.30"):
    those dates are the schedule's, not more signing dates (bench/robustness.py: wAZ02 hard-wrapped)."""
    text = ("生态环境损害赔偿协议\n双方于2025年7月29日召开磋商会议。\n甲方（盖章）：\n2025年8月12日\n"
            "附表2 分期缴纳计划表\n期次\n缴纳期限\n金额（元）\n第8期\n2029.6.30\n33,075.00\n")
    assert _events(text)[1:] == [("2025年8月12日", "agreement"), ("2029.6.30", None)]


def test_a_seal_note_under_the_signer_and_date_still_dates_the_notice():
    """"崇左市林业局 / 2025年3月5日 / （…部门印章）": the seal's note under the date closes the same
    block, so the date above it is the notice's own; a meeting 125 days later is beyond the 90 days
    counted from the service, which is no earlier (blind batch 18, dev: wAZ13)."""
    text = ("生态环境损害赔偿磋商告知书\n四、磋商会议时间和地点\n时间：2025年7月8日（星期二）上午9时30分\n"
            "附件：《司法鉴定意见书》复印件\n崇左市林业局\n2025年3月5日\n（赔偿权利人指定的部门印章）\n")
    assert _events(text, kind="consultation_notice")[-1] == ("2025年3月5日", "notice")
    report = check_text(text, kind="consultation_notice", jurisdiction="guangxi", only={"CONSULT-PERIOD"})
    assert [(f.rule, f.severity) for f in report.findings] == [("CONSULT-PERIOD", "warning")]
    assert check_text(text.replace("7月8日", "5月8日"), kind="consultation_notice", jurisdiction="guangxi",
                      only={"CONSULT-PERIOD"}).findings == []


def test_a_place_without_its_own_model_text_is_judged_by_the_one_its_profile_adopts():
    """nantong's profile adopts zhangye's model texts (forms.variant): a notice there is held to
    zhangye 附件[4], not to guangxi's draft."""
    report = check_text("生态环境损害赔偿磋商告知书\n", kind="consultation_notice", jurisdiction="nantong",
                        only={"CN-PANEL"})
    [finding] = report.findings
    assert {b.source for b in finding.basis} == {"zhangye"}


def test_a_cost_table_read_as_lines_is_summed():
    table = ("赔偿费用明细如下：\n序号 费用名称 金额（元）\n1河床回填及岸坡防护修复费用86,400.00\n2期间生态服务功能损失42,600.00\n"
             "3专家评估费用18,000.00\n4河道断面测量费用12,500.00\n合计{total}\n")
    wrong = check_text(table.format(total="169,500.00"), kind="agreement", jurisdiction="guangxi", only={"AMT-SUM"})
    assert [f.rule for f in wrong.findings] == ["AMT-SUM"] and "159,500" in wrong.findings[0].message
    assert check_text(table.format(total="159,500.00"), kind="agreement", jurisdiction="guangxi",
                      only={"AMT-SUM"}).findings == []


def test_years_in_chinese_numerals_count_wherever_a_rule_wants_a_date():
    text = ("司法确认申请书\n请求事项\n请求贵院确认申请人南通市生态环境局与申请人张德胜于二〇二五年九月十二日签订的"
            "《生态环境损害赔偿协议》有效。\n")
    assert check_text(text, kind="judicial_confirmation", jurisdiction="nantong", only={"JC-REQUEST"}).findings == []


@pytest.mark.parametrize("line", [
    "磋商会议定于2025年3月4日上午9时30分在南通市生态环境局三楼第一会议室（南通市崇川区工农南路150号）召开。",
    "磋商会议定于2025年9月1日下午，同年9月16日上午9时，在衡水市生态环境局武强县分局一楼会议室召开。",
])
def test_meeting_time_and_place_in_a_letters_prose(line):
    text = f"生态环境损害赔偿磋商告知书\n{line}\n"
    assert check_text(text, kind="consultation_notice", jurisdiction="nantong", only={"CN-MEETING"}).findings == []


def test_a_missing_element_whose_subject_is_mentioned_asks_for_review():
    """The precision policy: where no clause satisfies the rule but the text talks about its subject,
    the finding is a warning '需人工确认', not an error."""
    text = "生态环境损害赔偿协议\n乙方按期支付赔偿金；逾期支付的，按有关规定处理。本协议所称违约，以甲方认定为准。\n"
    [finding] = check_text(text, kind="agreement", jurisdiction="national", only={"AGR-BREACH"}).findings
    assert finding.severity == "warning" and "需人工确认" in finding.message
    [bare] = check_text("生态环境损害赔偿协议\n乙方按期支付赔偿金。\n", kind="agreement", jurisdiction="national",
                        only={"AGR-BREACH"}).findings
    assert bare.severity == "error"


def test_an_assessment_dated_in_brackets_after_its_title_is_an_assessment():
    events = _events("依据《生态环境损害鉴定评估报告》（2025年1月20日），甲乙双方于2024年12月27日签订本协议。\n")
    assert ("2025年1月20日", "assessment") in events


def test_a_hollow_consequence_after_the_clause_still_empties_it():
    text = "生态环境损害赔偿协议\n七、违约责任\n任何一方违反本协议约定的，按照国家有关法律法规的规定处理。\n"
    findings = check_text(text, kind="agreement", jurisdiction="nantong", only={"AGR-BREACH"}).findings
    assert [f.rule for f in findings] == ["AGR-BREACH"]


def test_a_prose_filing_states_two_agreement_dates():
    text = ("司法确认申请书\n申请人南通市生态环境局与南通金帆船舶修造有限公司请求贵院确认双方于2025年7月8日达成的"
            "《赔偿协议》有效。\n2025年7月18日，两申请人经磋商达成如下协议：……\n")
    [finding] = check_text(text, kind="judicial_confirmation", jurisdiction="nantong",
                           only={"JC-DATE-MISMATCH"}).findings
    assert "2025年7月8日" in finding.message and "2025年7月18日" in finding.message


def test_a_heading_known_from_its_style_opens_a_section_without_numbering():
    """A DOCX heading style (Word numbering not in the text) is a heading: its role decides."""
    from checkers.document import Block, Document, Location
    from checkers.segment import segment

    texts = [("生态环境损害赔偿协议", "paragraph", None), ("违约处理", "heading", "Heading 2"),
             ("由双方另行协商确定。", "paragraph", None)]
    doc = Document(file="x.docx", format="docx", blocks=[
        Block(index=i, kind=kind, text=t, style=style, location=Location(paragraph=i + 1))
        for i, (t, kind, style) in enumerate(texts)])
    [section] = segment(doc).sections
    assert (section.title, section.level) == ("违约处理", 2)
    [finding] = check_document(doc, kind="agreement", jurisdiction="national", only={"AGR-BREACH"}).findings
    assert "空泛" in finding.message or "没有实际约定" in finding.message


def test_a_section_sits_between_its_chapter_and_the_numbered_items():
    """"第一章 / 第一节 事实情况 / 一、… 二、…": the 节 holds the items below it (blind batch 10, dev)."""
    from checkers.document import from_text
    from checkers.segment import segment

    text = ("第一章 生态环境损害事实和法律依据\n第一节 事实情况\n一、2025年4月2日，乙方超标排放废水。\n"
            "二、2025年4月17日，监测站报警。\n第二节 法律依据\n《中华人民共和国民法典》。")
    chapter, facts, one, two, law = segment(from_text(text)).sections
    assert (facts.title, law.title) == ("事实情况", "法律依据")
    assert chapter.level < facts.level < one.level
    assert facts.children == [one, two] and facts.end == law.start


def test_money_transferred_to_a_departments_account_needs_the_treasury():
    text = "生态环境损害赔偿协议\n乙方应将上述18.76万元转入甲方账户：户名：南通市水利局；账号：1111 0240 0920 0058 716。\n"
    assert [f.rule for f in check_text(text, kind="agreement", jurisdiction="nantong",
                                       only={"AGR-PAYMENT-DEST"}).findings] == ["AGR-PAYMENT-DEST"]


def test_a_confirmation_applied_for_on_a_year_less_date():
    text = ("强制执行申请书\n同年3月10日送达磋商告知书；于4月22日签订协议，并于4月28日共同向衡水市中级人民法院申请司法确认，"
            "衡水市中级人民法院作出民事裁定予以确认。\n")
    findings = check_text(text, kind="enforcement", jurisdiction="hengshui", only={"ENF-CONFIRMATION"}).findings
    assert findings == []


def test_agreement_content_stated_as_signed_then_agreed():
    text = ("司法确认申请书\n2025年6月13日，两申请人签订上述协议，约定：乙方在下游补植国槐1500株，2025年11月30日前完成。\n")
    assert check_text(text, kind="judicial_confirmation", jurisdiction="hengshui",
                      only={"JC-AGREEMENT-CONTENT"}).findings == []


def test_an_investigation_heading_in_other_words():
    text = ("生态环境损害赔偿磋商通知书\n二、调查与鉴定评估结论\n经调查和鉴定评估，排洪沟底泥和两侧约0.55公顷土壤总铬超标，"
            "生态环境损害赔偿费用合计2,000,000元。\n三、磋商小组\n")
    assert check_text(text, kind="consultation_notice", jurisdiction="national",
                      only={"CN-INVESTIGATION"}).findings == []


@pytest.mark.parametrize(("code", "kind", "text"), [
    ("AGR-DISPUTE", "agreement", "生态环境损害赔偿协议\n争议解决 本协议可由双方共同向保德县人民法院申请司法确认；履行中发生争议的，向该院起诉。\n"),
    ("AGR-EFFECT-ASSESSMENT", "agreement", "生态环境损害赔偿协议\n修复效果由甲方于2025年10月31日前委托第三方评估，评估报告向社会公开。\n"),
    ("AGR-ASSESSMENT-OPINIONS", "agreement", "生态环境损害赔偿协议\n第四条 对鉴定评估报告的意见 双方认可鉴定评估报告及所附修复方案。\n"),
    ("CN-SEAL-DATE", "consultation_notice", "生态环境损害赔偿磋商告知书\n特此告知。\n梧州市水利局\n2025年9月8日\n"),
    ("JC-APPLICANT-OBLIGOR", "judicial_confirmation",
     "司法确认申请书\n申请人王春来，男，公民身份号码131127198111220750，无固定职业，住景县王瞳镇西王村南街8号。\n"),
])
def test_wordings_of_other_offices_that_satisfy_the_element(code, kind, text):
    findings = check_text(text, kind=kind, jurisdiction="national", only={code}).findings
    assert [f for f in findings if f.severity == "error"] == []


@pytest.mark.parametrize(("code", "line"), [
    ("AGR-FACTS", "损害事实 乙方井田内2号、3号采区采煤造成地表塌陷、裂缝，致使有林地12.6公顷林木倒伏、枯死。"),
    ("AGR-EVIDENCE", "主要证据 甲方现场勘查笔录、塌陷区测绘图、林木损失清点表、询问笔录、鉴定评估报告。"),
])
def test_a_table_row_read_as_one_line_is_its_element(code, line):
    text = f"生态环境损害赔偿协议\n{line}\n"
    findings = check_text(text, kind="agreement", jurisdiction="xinzhou", only={code}).findings
    assert findings == []


def test_signing_date_and_listed_rounds_take_their_roles():
    events = _events("签订时间、地点：2025年4月10日于南宁市生态环境局\n甲乙双方经2025年3月6日、3月27日两轮磋商，达成如下协议：\n")
    assert events == [("2025年4月10日", "agreement"), ("2025年3月6日", "meeting"), ("3月27日", "meeting")]


def test_a_citation_that_states_its_draft_status_is_not_reported():
    cited = "磋商程序参照《广西壮族自治区生态环境损害赔偿工作细则（征求意见稿）》办理（该细则尚处征求意见阶段，仅作工作参考）。"
    silent = check_text(f"生态环境损害赔偿协议\n{cited}\n", kind="agreement", jurisdiction="guangxi",
                        only={"REG-STATUS"})
    assert silent.findings == []
    bare = "依据《广西壮族自治区生态环境损害赔偿工作细则》第二十一条签订本协议。"
    assert [f.rule for f in check_text(f"生态环境损害赔偿协议\n{bare}\n", kind="agreement", jurisdiction="guangxi",
                                       only={"REG-STATUS"}).findings] == ["REG-STATUS"]


def test_a_bank_guarantee_letter_secures_instalments():
    text = ("生态环境损害赔偿协议\n上述1,080,000元分8期按季度缴纳，最后一期于2026年6月30日前缴纳。"
            "乙方于首期缴纳前提交银行出具的履约保函，担保金额945,000元。\n")
    assert check_text(text, kind="agreement", jurisdiction="guangxi", only={"AGR-INSTALLMENT-SECURITY"}).findings == []


def test_a_bracketed_title_and_a_label_line_above_its_text_open_their_parts():
    from checkers.segment import segment

    [section] = segment(from_text("【事实和理由】\n2025年6月13日，两申请人签订上述协议。\n")).sections
    assert section.title == "事实和理由"
    text = "生态环境损害赔偿协议\n证据\n河道巡查记录及现场勘验笔录、采砂范围测量报告、鉴定评估报告。\n"
    assert check_text(text, kind="agreement", jurisdiction="zhangye", only={"AGR-EVIDENCE"}).findings == []


def test_pattern_fragments_are_used_and_known(tmp_path, monkeypatch):
    """Every named fragment (data/_fragments.yaml) is used by some rule, and a rule naming an
    unknown one fails loading with the file's name."""
    from checkers.rules import registry

    texts = "".join(p.read_text("utf-8") for p in registry.DATA_DIR.glob("[0-9]*.yaml"))
    assert all(f"«{name}»" in texts for name in registry.fragments())
    bad = tmp_path / "99-bad.yaml"
    bad.write_text("rules:\n  - {code: X-Y, title: t, type: computed, message: m, doc: d, patterns: ['«nope»']}\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match="«nope»"):
        registry._load_file(bad)


def test_unverified_basis_makes_a_warning_that_says_so():
    """A rule resting on a point the research marks unverified ([U]) reports a warning, never an
    error, and its message says the basis is unverified (issue 11 §6)."""
    from checkers.rules.basis import BasisRef

    fx = _fixture("AGR-RESTORATION-FALLBACK")
    [finding] = _fires("AGR-RESTORATION-FALLBACK", fx["fail"][0], fx)
    assert finding.severity == "warning" and "依据未经核实" in finding.message
    assert "unverified" not in finding.to_dict()["basis"][0]  # SPEC §4 shape unchanged
    # the same mechanism caps an error rule: a verified basis keeps the error, an unverified one does not
    ctx = engine.Context(from_text("乙方应于2025年6月30日前支付赔偿金。"), "agreement", "guangxi", ON)
    strict = RULES["AGR-INSTALLMENT-DATES"]
    assert ctx.finding(strict).severity == "error"
    doubtful = strict.model_copy(update={"code": "AGR-TEST-UNVERIFIED", "basis": [
        BasisRef(address="minsufa:250", unverified="测试：适用于磋商协议未经核实")]})
    finding = ctx.finding(doubtful)
    assert finding.severity == "warning"
    assert finding.message.endswith("（依据未经核实，仅供参考：《中华人民共和国民事诉讼法》第二百五十条：测试：适用于磋商协议未经核实）")
    assert "未经核实" in explain_rule("AGR-RESTORATION-FALLBACK")


def test_a_title_styled_as_a_heading_is_never_hollow():
    """A DOCX whose title and subtitle are both Heading 1: the title's 'section' ends at the subtitle,
    yet the title is there (JC-TITLE is a document_title rule; blind batch 6, dev)."""
    from checkers.check import check_document
    from checkers.document import Block, Document, Location

    lines = [("heading", "司法确认申请书"), ("heading", "（确认生态环境损害赔偿协议效力）"),
             ("paragraph", "申请人：南通市生态环境局"), ("paragraph", "请求事项：确认双方签订的生态环境损害赔偿协议有效。")]
    doc = Document(file="t.docx", format="docx", blocks=[
        Block(index=i, kind=kind, text=text, style="Heading 1" if kind == "heading" else None,
              location=Location(paragraph=i + 1)) for i, (kind, text) in enumerate(lines)])
    report = check_document(doc, "judicial_confirmation", "nantong", only={"JC-TITLE"})
    assert [f.rule for f in report.findings] == []


def test_consult_period_on_a_notice_compares_the_scheduled_meeting_with_service():
    """A guangxi notice whose 送达回证 gives the service date: the meeting it schedules must fall within
    the 90 days (guangxi:20); without a service date the notice's own date is the earliest service: a
    meeting within the period from it passes, one beyond it is a warning to check the 送达回证; with no
    date at all the rule cannot be evaluated (never a pass)."""
    fx = {"type": "consultation_notice", "jurisdiction": "guangxi"}
    notice = ("生态环境损害赔偿磋商告知书\n四、磋商会议时间和地点\n时间：2025年{meeting}（星期四）上午9时\n地点：贵港市林业局三楼会议室\n"
              "（贵港市林业局印章）\n2025年3月14日\n送达回证：本告知书于2025年3月17日直接送达被告知人，签收人：蒙汉昌")
    [late] = _fires("CONSULT-PERIOD", notice.format(meeting="6月26日"), fx)
    assert "第101日" in late.message and "磋商会议日" in late.message
    assert not _fires("CONSULT-PERIOD", notice.format(meeting="5月26日"), fx)
    unserved = notice.format(meeting="6月26日").rsplit("\n", 1)[0]
    [unsure] = _fires("CONSULT-PERIOD", unserved, fx)
    assert unsure.severity == "warning" and "送达回证" in unsure.message and "2025年3月14日" in unsure.message
    assert not _fires("CONSULT-PERIOD", notice.format(meeting="5月26日").rsplit("\n", 1)[0], fx)
    undated = unserved.replace("（贵港市林业局印章）\n2025年3月14日", "（贵港市林业局印章）")
    report = check_document(from_text(undated, "n.txt"), kind="consultation_notice", jurisdiction="guangxi",
                            on=ON, only={"CONSULT-PERIOD"})
    assert not report.findings and [u.rule for u in report.not_evaluated] == ["CONSULT-PERIOD"]


def _table_document(rows: list[list[str]]):
    from checkers.document import Block, Document, Location

    blocks = []
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            blocks.append(Block(index=len(blocks), kind="table_cell", text=text,
                                location=Location(table=1, row=r, cell=c)))
    return Document(file="t.docx", format="docx", blocks=blocks)


def test_cost_table_total_leaves_out_the_deposit_row():
    """An instalment table whose 合计 row says 不含履约保证金 (and a deposit is held, not paid): the
    deposit's row is not an item of the total; a wrong total is still found (blind batch 7, dev)."""
    def rows(total: str) -> list[list[str]]:
        return [["期次", "缴纳截止日期", "缴纳金额（元）", "备注"],
                ["履约保证金", "2025-05-23", "50,000.00", "存入保证金专户，履约后退还"],
                ["第一期", "2025-05-28", "87,300.00", "缴入国库"],
                ["第二期", "2025-11-13", "130,000.00", "缴入国库"],
                ["合计", "", total, "不含履约保证金"]]
    for total, fires in (("217,300.00", False), ("227,300.00", True)):
        report = check_document(_table_document(rows(total)), kind="agreement", jurisdiction="guangxi", on=ON,
                                only={"AMT-SUM"})
        assert bool([f for f in report.findings if f.rule == "AMT-SUM"]) == fires, total


def test_a_court_number_repeated_is_reported_once():
    """The same malformed 案号 written three times is one finding, as NUM-DOC does for 发文字号 (blind dev)."""
    text = ("南通市中级人民法院作出〔2025〕苏06民特31号民事裁定。申请执行〔2025〕苏06民特31号民事裁定书。"
            "附：〔2025〕苏06民特31号民事裁定书复印件")
    found = _fires("NUM-COURT", text, {"type": "enforcement", "jurisdiction": "nantong"})
    assert len(found) == 1 and "〔2025〕苏06民特31号" in found[0].message


def test_a_recital_reports_only_a_term_it_empties():
    """AGR-INSTALLMENT-SECURITY is recited_in judicial_confirmation: a 司法确认申请书 that recites the
    instalments with the security waived is reported; one that recites them without naming the
    security is not (the recital need not repeat every term)."""
    fx = {"type": "judicial_confirmation", "jurisdiction": "nantong"}
    waived = ("三、赔偿金25.15万元，经申请人同意分三期缴纳，无需另行提供担保：2025年12月31日前缴纳8.38万元，"
              "2026年3月31日前缴纳8.38万元，2026年6月30日前缴纳8.39万元。")
    silent = waived.replace("，无需另行提供担保", "")
    found = _fires("AGR-INSTALLMENT-SECURITY", waived, fx)
    assert len(found) == 1 and "无需另行提供担保" in found[0].message
    assert _fires("AGR-INSTALLMENT-SECURITY", silent, fx) == []
    assert _fires("AGR-INSTALLMENT-SECURITY", silent, {**fx, "type": "agreement"})  # an agreement must say it
