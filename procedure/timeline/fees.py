"""Court fees computed from the fee schedule (procedure/data/fees.yaml): the 执行申请费 of an
enforcement application for the amount still unpaid."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from casefile.model import Case
from casefile.obligations import defaults
from ecokernel.sourcefile import packaged_data
from procedure.timeline.result import Basis, Fee


@functools.cache
def _schedule() -> dict[str, Any]:
    return packaged_data("procedure.data", "fees.yaml")


def enforcement_application_fee(amount: Decimal | None) -> Decimal | tuple[Decimal, Decimal]:
    """The 执行申请费 for ``amount`` yuan (cumulative brackets); a (from, to) range with no amount."""
    s = _schedule()["enforcement_application"]
    if not amount:
        return Decimal(s["without_amount"]["from"]), Decimal(s["without_amount"]["to"])
    fee, lower = Decimal(s["first"]["fixed"]), Decimal(s["first"]["up_to"])
    for bracket in s["brackets"]:
        upper = Decimal(bracket["up_to"]) if bracket["up_to"] is not None else None
        if amount <= lower:
            break
        part = (min(amount, upper) if upper is not None else amount) - lower
        fee += part * Decimal(bracket["rate"])
        if upper is None:
            break
        lower = upper
    return fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def case_fees(case: Case, on: date, cite: Callable[[Iterable[str]], list[Basis]]) -> list[Fee]:
    """The fees of the case as it stands on ``on``: the 执行申请费 once enforcement is applied for
    or due (the money overdue on the application date, else on ``on``), with its basis."""
    if not (case.judicial_confirmation and case.judicial_confirmation.ruling_number):
        return []
    owed = defaults(case, case.enforcement.applied if case.enforcement and case.enforcement.applied else on)
    if not owed and not case.enforcement:
        return []
    s = _schedule()["enforcement_application"]
    computed = enforcement_application_fee(owed.unpaid or None)
    single = isinstance(computed, Decimal)
    return [Fee(code="ENFORCEMENT-APPLICATION-FEE", title=s["title"], base=owed.unpaid or None,
                amount=computed if single else None, amount_range=None if single else computed,
                note=s["note"], basis=cite(s["basis"]))]
