"""The 执行申请费 from the fee schedule (诉讼费用交纳办法第十四条(一), 第二十条, 第三十八条)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.validation import load_case
from procedure.timeline import build_timeline
from procedure.timeline.fees import enforcement_application_fee

from ..conftest import ROOT, example_path


@pytest.mark.parametrize(("amount", "fee"), [
    ("5000", "50.00"), ("10000", "50.00"), ("10001", "50.02"),
    ("533700", "7737.00"),  # FILING.md's worked example: 50 + 490,000 × 1.5 % + 33,700 × 1 %
    ("186500", "2697.50"), ("5000000", "52400.00"), ("12000000", "79400.00"),
])
def test_brackets_are_cumulative(amount, fee):
    assert enforcement_application_fee(Decimal(amount)) == Decimal(fee)


def test_without_an_amount_the_fee_is_a_range():
    assert enforcement_application_fee(None) == (Decimal(50), Decimal(500))


def test_the_timeline_lists_the_fee_on_the_unpaid_amount_with_its_basis():
    tl = build_timeline(load_case(example_path("zhangye")), date(2026, 1, 10))
    [fee] = tl.fees
    assert (fee.base, fee.amount) == (Decimal("186500.00"), Decimal("2697.50"))
    assert [b.address for b in fee.basis] == ["susong_fee:14(一)", "susong_fee:20", "susong_fee:38"]
    assert "由被执行人负担" in fee.note
    several = build_timeline(load_case(ROOT / "examples" / "guangxi-two-obligors-several.yaml"), date(2026, 9, 1))
    assert several.fees[0].base == Decimal("142000.00")  # only the defaulter's unpaid instalment


def test_no_fee_before_a_confirmation_ruling():
    assert build_timeline(load_case(example_path("hengshui")), date(2026, 1, 10)).fees == []
