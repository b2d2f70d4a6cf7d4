"""What each obligor owes under the agreement, and what is overdue on a given day.

The court filings after an agreement (the 强制执行申请书 above all) must follow the facts recorded in
the case — who owes which payment, whether restoration was done — not the agreement's structure: a
respondent who performed is not a 被执行人, and a restoration recorded as completed is not claimed
(执行工作规定 16, 18; 民诉法解释 461). This module is the one place that derives those facts; the
templates, ``validate`` and ``check --case`` read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from casefile.model import Case, LiabilityKind, Obligor, Payment
from ecokernel import clock


@dataclass(frozen=True)
class Duty:
    """One duty of the agreement: a payment or the restoration, owed by one or more obligors."""

    kind: Literal["payment", "restoration"]
    label: str
    obligors: tuple[str, ...]
    due: date | None
    done: date | None
    path: str
    amount: Decimal | None = None

    def overdue(self, on: date) -> bool:
        """Not performed and its time limit passed before ``on``."""
        return self.done is None and self.due is not None and self.due < on


@dataclass(frozen=True)
class PaymentGroup:
    """Overdue payments owed by the same obligor(s): one 申请执行事项."""

    obligors: tuple[str, ...]
    duties: tuple[Duty, ...]
    joint: bool

    @property
    def amount(self) -> Decimal:
        return sum((d.amount or Decimal(0) for d in self.duties), start=Decimal(0))


@dataclass(frozen=True)
class Defaults:
    """The duties overdue on ``on`` and the obligors who owe them (the 被执行人)."""

    on: date
    payments: tuple[Duty, ...]
    restoration: Duty | None
    respondents: tuple[Obligor, ...]
    joint: bool

    @property
    def unpaid(self) -> Decimal:
        """The overdue money, in total."""
        return sum((d.amount or Decimal(0) for d in self.payments), start=Decimal(0))

    def unpaid_by(self, name: str) -> Decimal:
        """The overdue money owed by one obligor (for joint liability: the whole of it)."""
        return sum((d.amount or Decimal(0) for d in self.payments if name in d.obligors), start=Decimal(0))

    def payment_groups(self) -> list[PaymentGroup]:
        """The overdue payments grouped by who owes them, in the agreement's order: one claim each."""
        groups: dict[tuple[str, ...], list[Duty]] = {}
        for duty in self.payments:
            groups.setdefault(duty.obligors, []).append(duty)
        return [PaymentGroup(names, tuple(ds), self.joint and len(names) > 1) for names, ds in groups.items()]

    def __bool__(self) -> bool:
        return bool(self.payments or self.restoration)


def liability(case: Case) -> LiabilityKind | None:
    """连带 or 按份 as agreed; None when the agreement does not say (or there is one obligor)."""
    alloc = case.agreement.allocation if case.agreement else None
    return alloc.kind if alloc else None


def _payers(case: Case, pay: Payment) -> tuple[str, ...]:
    names = tuple(o.name for o in case.obligors)
    if pay.obligor:
        return (pay.obligor,)
    alloc = case.agreement.allocation if case.agreement else None
    if alloc and alloc.kind is LiabilityKind.SEVERAL:
        owing = [s.obligor for s in alloc.shares if s.amount]
        if len(owing) == 1:
            return (owing[0],)
    return names


def _instalment_label(pay: Payment, index: int, count: int) -> str:
    if pay.description:
        return pay.description
    return f"第{index + 1}期" if count > 1 else "赔偿款"


def duties(case: Case) -> list[Duty]:
    """Every duty of the agreement, in the order the agreement states them."""
    if not case.agreement:
        return []
    perf = case.agreement.performance
    found: list[Duty] = []
    for field, pays in (("payments", perf.payments), ("installments", perf.installments)):
        for i, pay in enumerate(pays):
            found.append(Duty("payment", _instalment_label(pay, i, len(pays)), _payers(case, pay), pay.due,
                              pay.paid, f"agreement.performance.{field}[{i}]", pay.amount))
    r = case.restoration
    if perf.restoration_by_obligor and r is not None:
        alloc = case.agreement.allocation
        restorers = tuple(s.obligor for s in alloc.shares if s.restoration) if alloc else ()
        done = r.completed if r.effect_passed is not False else None
        found.append(Duty("restoration", "生态环境修复", restorers or tuple(o.name for o in case.obligors),
                          r.deadline, done, "restoration"))
    return found


def defaults(case: Case, on: date | None = None) -> Defaults:
    """What is overdue on ``on`` (default: the enforcement application's date, else today)."""
    day = on or (case.enforcement.applied if case.enforcement and case.enforcement.applied else None) \
        or clock.today()
    overdue = [d for d in duties(case) if d.overdue(day)]
    owing = {name for d in overdue for name in d.obligors}
    return Defaults(
        on=day,
        payments=tuple(d for d in overdue if d.kind == "payment"),
        restoration=next((d for d in overdue if d.kind == "restoration"), None),
        respondents=tuple(o for o in case.obligors if o.name in owing),
        joint=liability(case) is LiabilityKind.JOINT,
    )
