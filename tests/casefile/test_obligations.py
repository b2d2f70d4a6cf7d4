"""Several obligors: the allocation in the case model, what each owes, what is overdue, and the warnings."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest

from casefile.obligations import defaults, duties
from casefile.validation import validate_data, validate_file

from ..conftest import ROOT, example_data

SEVERAL = ROOT / "examples" / "guangxi-two-obligors-several.yaml"
COMPANY, CHAIRMAN = "广西桂南冶炼有限公司", "陈国强"


@pytest.fixture
def several() -> dict:
    import yaml

    return yaml.safe_load(SEVERAL.read_text("utf-8"))


def _valid(data: dict):
    case, problems = validate_data(data)
    assert case is not None, [str(p) for p in problems]
    return case, problems


def _errors(data: dict) -> list[str]:
    case, problems = validate_data(data)
    assert case is None
    return [str(p) for p in problems if p.severity == "error"]


def _unallocated(data: dict) -> dict:
    data = copy.deepcopy(data)
    del data["agreement"]["allocation"]
    for inst in data["agreement"]["performance"]["installments"]:
        inst.pop("obligor")
    return data


def test_the_several_example_validates_without_warnings(several):
    _case, problems = _valid(several)
    assert problems == []


def test_several_obligors_without_an_allocation_are_warned_with_the_basis(several, write_case):
    _case, problems = validate_file(write_case(_unallocated(several)))
    warnings = [p for p in problems if p.severity == "warning"]
    assert len(warnings) == 1 and warnings[0].path == "agreement"
    assert "连带责任还是按份责任" in warnings[0].message and "第三百五十八条" in warnings[0].message
    assert warnings[0].line is not None


def test_one_obligor_needs_no_allocation():
    _case, problems = _valid(example_data("guangxi"))
    assert not [p for p in problems if "按份" in p.message]


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: d["agreement"]["allocation"]["shares"].pop(), "缺少：陈国强"),
    (lambda d: d["agreement"]["performance"]["installments"][1].pop("obligor"), "installments[1].obligor"),
    (lambda d: d["agreement"]["allocation"]["shares"][0].update(amount=400000), "合计 426400.00 元"),
    (lambda d: d["agreement"]["allocation"]["shares"][1].update(restoration=False), "restoration: true"),
    (lambda d: d["agreement"]["allocation"]["shares"][1].update(obligor="陈国庆"), "不是已列明的赔偿义务人"),
    (lambda d: d["agreement"]["performance"]["installments"][0].update(obligor="某公司"), "不是已列明的赔偿义务人"),
    (lambda d: d["agreement"]["allocation"]["shares"].append({"obligor": COMPANY}), "列了两次"),
])
def test_an_ambiguous_several_allocation_is_an_error(several, edit, expected):
    edit(several)
    errors = _errors(several)
    assert any(expected in e for e in errors), errors


def test_joint_liability_needs_no_shares(several):
    several["agreement"]["allocation"] = {"kind": "连带责任"}
    for inst in several["agreement"]["performance"]["installments"]:
        inst.pop("obligor")
    case, problems = _valid(several)
    assert problems == []
    owed = defaults(case)
    assert [o.name for o in owed.respondents] == [COMPANY, CHAIRMAN] and owed.joint


def test_duties_follow_the_allocation(several):
    case, _ = _valid(several)
    found = duties(case)
    assert [(d.kind, d.label, d.obligors) for d in found] == [
        ("payment", "第一期", (COMPANY,)), ("payment", "第二期", (COMPANY,)), ("payment", "第三期", (COMPANY,)),
        ("restoration", "生态环境修复", (CHAIRMAN,))]
    assert found[0].done == date(2025, 9, 26) and found[3].done == date(2026, 6, 18)


def test_only_the_defaulter_owes_on_the_enforcement_date(several):
    case, _ = _valid(several)
    owed = defaults(case)
    assert owed.on == date(2026, 8, 10)
    assert [o.name for o in owed.respondents] == [COMPANY]
    assert owed.unpaid == Decimal("142000.00") and owed.restoration is None
    groups = owed.payment_groups()
    assert [(g.obligors, g.amount, g.joint) for g in groups] == [((COMPANY,), Decimal("142000.00"), False)]


def test_nothing_is_overdue_before_its_due_date(several):
    case, _ = _valid(several)
    assert not defaults(case, date(2026, 6, 30))  # the third instalment is due that day, not before
    assert defaults(case, date(2026, 7, 1)).unpaid == Decimal("142000.00")


def test_restoration_not_done_or_failed_is_owed_by_the_restorer(several):
    del several["restoration"]["completed"]
    several["restoration"].pop("effect_assessed")
    several["restoration"].pop("effect_passed")
    case, _ = _valid(several)
    owed = defaults(case)
    assert owed.restoration is not None and owed.restoration.obligors == (CHAIRMAN,)
    assert [o.name for o in owed.respondents] == [COMPANY, CHAIRMAN]

    failed = copy.deepcopy(several)
    failed["restoration"].update(completed="2026-06-18", effect_assessed="2026-07-20", effect_passed=False)
    case, _ = _valid(failed)
    assert defaults(case).restoration is not None  # an effect assessment that failed: not done


def test_enforcement_with_nothing_overdue_is_warned(several):
    for inst in several["agreement"]["performance"]["installments"]:
        inst["paid"] = str(inst["due"])
    _case, problems = _valid(several)
    assert [p.path for p in problems if p.severity == "warning"] == ["enforcement"]
    assert "没有到期未履行" in problems[0].message


def test_sex_and_birth_date_come_from_the_id_number():
    case, _ = _valid(example_data("zhangye"))
    person = case.obligors[0]
    assert (person.sex, person.birth_date) == ("男", date(1978, 5, 12))
