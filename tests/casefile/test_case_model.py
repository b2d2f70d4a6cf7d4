"""The case model and case-file validation: every problem, in Chinese, with path and line."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
import yaml
from pydantic import ValidationError

from casefile.model import Case, ObligorKind
from casefile.validation import CaseError, load_case, validate_data, validate_file, validate_text

from ..conftest import EXAMPLES, example_data, example_path


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_valid_without_warnings(path):
    case, problems = validate_file(path)
    assert problems == []
    assert isinstance(case, Case)


def test_example_amounts_are_decimal_and_sum():
    case = load_case(example_path("guangxi"))
    perf = case.agreement.performance
    assert isinstance(perf.total, Decimal)
    assert sum(i.amount for i in perf.items) == perf.total == Decimal("1286400.00")


def _problem(problems, path):
    found = [p for p in problems if p.path == path]
    assert found, f"no problem at {path}: {[str(p) for p in problems]}"
    return found[0]


def test_wrong_uscc_check_character_names_path_line_and_expected_char(write_case):
    text = example_path("guangxi").read_text("utf-8").replace("91450100MA5KQ3RT2R", "91450100MA5KQ3RT2A")
    case, problems = validate_file(write_case(text))
    assert case is None
    p = _problem(problems, "obligors[0].uscc")
    assert "校验位" in p.message and "R" in p.message
    assert p.line == text.splitlines().index("    uscc: 91450100MA5KQ3RT2A") + 1


def test_all_problems_are_listed_at_once(write_case):
    data = example_data("guangxi")
    data["obligors"][0]["uscc"] = "91450100MA5KQ3RT2A"
    data["judicial_confirmation"]["ruling_date"] = "2025-09-01"  # before the application (09-05)
    data["claimant"]["department"]["postcode"] = "5300"
    _, problems = validate_file(write_case(data))
    paths = {p.path for p in problems if p.severity == "error"}
    assert {"obligors[0].uscc", "judicial_confirmation.ruling_date", "claimant.department.postcode"} <= paths
    order = _problem(problems, "judicial_confirmation.ruling_date")
    assert "早于" in order.message and order.line is not None


def test_date_out_of_order_alone(write_case):
    data = example_data("zhangye")
    data["enforcement"]["applied"] = "2025-10-01"  # before the ruling of 2025-10-20
    _, problems = validate_file(write_case(data))
    p = _problem(problems, "enforcement.applied")
    assert p.severity == "error" and "裁定" in p.message


def test_irregular_but_possible_order_is_a_warning(write_case):
    data = example_data("guangxi")
    data["consultation"]["notice"]["served"] = "2025-08-06"  # after the first meeting
    data["consultation"]["notice"]["replied"] = "2025-08-07"
    case, problems = validate_file(write_case(data))
    assert case is not None
    p = _problem(problems, "consultation.meetings[0].date")
    assert p.severity == "warning" and "guangxi:17" in p.message


def test_yaml_syntax_error_is_one_located_problem(write_case):
    text = example_path("hengshui").read_text("utf-8").replace("cause: 持续", "cause: [持续", 1)
    case, problems = validate_file(write_case(text))
    assert case is None and len(problems) == 1
    assert problems[0].line is not None and "语法错误" in problems[0].message


def test_unit_obligor_requires_uscc_and_legal_rep():
    data = example_data("guangxi")
    del data["obligors"][0]["uscc"]
    del data["obligors"][0]["legal_rep"]
    _, problems = validate_data(data)
    p = _problem(problems, "obligors[0]")
    assert "统一社会信用代码" in p.message and "法定代表人" in p.message


def test_person_obligor_requires_valid_id_number():
    data = example_data("zhangye")
    data["obligors"][0]["id_number"] = "620702197805122136"
    _, problems = validate_data(data)
    assert "校验" in _problem(problems, "obligors[0].id_number").message


def test_unknown_field_suggests_the_right_name():
    data = example_data("hengshui")
    data["obligors"][0]["usc"] = data["obligors"][0].pop("uscc")
    _, problems = validate_data(data)
    assert "是否应为“uscc”" in _problem(problems, "obligors[0].usc").message


def test_chinese_labels_dates_and_amounts_are_accepted():
    data = example_data("zhangye")
    data["obligors"][0]["kind"] = "自然人"
    data["assessment"]["kind"] = "专家意见"
    data["assessment"]["damage_amount"] = "17.45万元"
    data["agreement"]["date"] = "2025年8月28日"
    case, problems = validate_data(data)
    assert problems == [], [str(p) for p in problems]
    assert case.obligors[0].kind is ObligorKind.PERSON
    assert case.assessment.damage_amount == Decimal("174500")
    assert str(case.agreement.date) == "2025-08-28"


@pytest.mark.parametrize("source", ["assessment", "agreement"])
def test_a_damage_amount_that_includes_the_investigation_costs_is_warned(source):
    """guangxi:15: the 损害数额 excludes the 调查、鉴定评估等费用 (the cost items of either the assessment or,
    when it lists none, the agreement)."""
    data = example_data("zhangye")
    data["assessment"]["damage_amount"] = "186500.00"
    if source == "agreement":
        del data["assessment"]["cost_items"]
    case, problems = validate_data(data)
    assert case is not None
    [warning] = [p for p in problems if p.path == "assessment.damage_amount"]
    assert warning.severity == "warning" and "12,000.00元" in warning.message and "应为174,500.00元" in warning.message
    data["assessment"]["damage_amount"] = "174500.00"
    assert not [p for p in validate_data(data)[1] if p.path == "assessment.damage_amount"]


def test_a_damage_amount_that_matches_no_cost_breakdown_is_warned():
    """"damage_amount: 12万元" beside cost items of 174,500 passed silently (UX-REVIEW §1.2)."""
    data = example_data("zhangye")
    data["assessment"]["damage_amount"] = "12万元"
    case, problems = validate_data(data)
    assert case is not None
    [warning] = [p for p in problems if p.path == "assessment.damage_amount"]
    assert warning.severity == "warning" and "174,500.00元" in warning.message and "120,000.00元" in warning.message


@pytest.mark.parametrize(("value", "fragment"), [
    ("12.345", "两位小数"),
    ("-5", "不能小于 0"),
    ("abc", "不是有效金额"),
    (float("nan"), "不是有效数字"),
    (True, "布尔"),
])
def test_bad_money_is_explained(value, fragment):
    data = example_data("hengshui")
    data["assessment"]["damage_amount"] = value
    _, problems = validate_data(data)
    assert fragment in _problem(problems, "assessment.damage_amount").message


def test_nonexistent_date_is_explained():
    data = example_data("hengshui")
    data["agreement"]["date"] = "2024-02-30"
    _, problems = validate_data(data)
    assert "日期" in _problem(problems, "agreement.date").message


def test_cost_items_must_add_up_to_total():
    data = example_data("guangxi")
    data["agreement"]["performance"]["total"] = "1286400.01"
    _, problems = validate_data(data)
    assert any("不一致" in p.message for p in problems)


def test_enforcement_needs_a_confirmation_ruling():
    data = example_data("zhangye")
    del data["judicial_confirmation"]["ruling_number"]
    _, problems = validate_data(data)
    assert any("guangxi:24" in p.message for p in problems)


def test_ruling_number_must_use_round_brackets():
    data = example_data("zhangye")
    data["judicial_confirmation"]["ruling_number"] = "〔2025〕甘07民特12号"
    _, problems = validate_data(data)
    assert "（）" in _problem(problems, "judicial_confirmation.ruling_number").message


def test_case_number_must_use_hexagonal_brackets():
    data = example_data("zhangye")
    data["case_number"] = "甘G环赔（2025）3号"
    _, problems = validate_data(data)
    assert "〔〕" in _problem(problems, "case_number").message


def test_unknown_jurisdiction_lists_choices():
    data = example_data("zhangye")
    data["jurisdiction"] = "lanzhou"
    _, problems = validate_data(data)
    assert "zhangye" in _problem(problems, "jurisdiction").message


def test_agent_principal_must_be_a_listed_obligor():
    data = example_data("zhangye")
    data["agents"][0]["principal_obligor"] = "王某"
    _, problems = validate_data(data)
    assert any("不是已列明的赔偿义务人" in p.message for p in problems)


def test_control_characters_are_refused_but_markup_is_kept():
    data = example_data("hengshui")
    data["obligors"][0]["name"] = "A&B <公司> \"{{ x }}\""
    case, problems = validate_data(copy.deepcopy(data))
    assert problems == [] and case.obligors[0].name == "A&B <公司> \"{{ x }}\""
    data["obligors"][0]["name"] = "坏\x07名字"
    _, problems = validate_data(data)
    assert "控制字符" in _problem(problems, "obligors[0].name").message


def test_load_case_raises_with_every_error(write_case):
    data = example_data("guangxi")
    data["obligors"][0]["uscc"] = "123"
    data["cause"] = ""
    with pytest.raises(CaseError) as info:
        load_case(write_case(data))
    paths = {p.path for p in info.value.problems}
    assert {"obligors[0].uscc", "cause"} <= paths
    assert "2处错误" in str(info.value)


def test_plain_pydantic_api_rejects_bad_identifier():
    data = example_data("guangxi")
    data["obligors"][0]["uscc"] = "91450100MA5KQ3RT2A"
    with pytest.raises(ValidationError):
        Case.model_validate(data)


def test_validate_text_accepts_json():
    data = example_data("hengshui")
    text = json.dumps(data, ensure_ascii=False, default=str)
    case, problems = validate_text(text, suffix=".json")
    assert problems == [] and case is not None


def test_schema_is_json_and_has_chinese_titles():
    schema = Case.model_json_schema()
    text = json.dumps(schema, ensure_ascii=False)
    assert "赔偿义务人" in text and "统一社会信用代码" in text
    assert schema["properties"]["obligors"]["minItems"] == 1


def test_a_date_written_without_separators_is_explained_as_yaml_reads_it():
    """"date: 20250520" is an integer to YAML: say so and show the date form, not "不应带时间" (UX-REVIEW §1.2)."""
    text = example_path("zhangye-sand-mining-person.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["claim_start"]["date"] = 20250520
    _case, problems = validate_text(yaml.safe_dump(data, allow_unicode=True))
    [problem] = [p for p in problems if p.path == "claim_start.date"]
    assert "被读作整数" in problem.message and "2025-05-20" in problem.message


@pytest.mark.parametrize(("text", "line"), [("case_name：测试\n", 1),
                                            ("case_name: 测试\nobligors:\n  - name: 王某\n    uscc：91450100MA5KQ3RT2R\n", 4)])
def test_a_full_width_colon_after_a_key_is_located(text, line):
    """"uscc：9145…" is text to YAML (it would fold into the name above it): refused with its line (issue 12 §7)."""
    _case, problems = validate_text(text)
    [problem] = problems
    assert problem.line == line and "全角冒号" in problem.message


def test_a_full_width_colon_inside_a_block_text_is_content():
    text = example_path("zhangye-sand-mining-person.yaml").read_text(encoding="utf-8")
    text += "notes: |\n  note：这是正文中的全角冒号\n"
    _case, problems = validate_text(text)
    assert not [p for p in problems if "全角冒号" in p.message]
