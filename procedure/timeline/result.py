"""What a timeline is made of: steps, checks, recurring duties — the stable JSON contract.

``Timeline.to_dict()`` is the JSON printed by ``ecoclaim timeline --format json`` (see
``procedure/timeline/README.md`` for the shape). Dates are ISO strings; codes are stable; labels
and messages are Chinese.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ecokernel.calendar import CalendarWarning

StatusCode = Literal["in_time", "late", "due", "overdue", "pending", "closed", "paused", "ok", "violated"]
Severity = Literal["error", "warning", "info"]

#: Statuses of a step that is still open (a deadline the user must act on).
OPEN_STATUSES: frozenset[str] = frozenset({"due", "overdue", "paused"})
#: Statuses that report a breach of a rule.
BREACH_STATUSES: frozenset[str] = frozenset({"late", "overdue", "violated"})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Basis(_Frozen):
    """One article a result rests on: its address, its citation and (on request) its text."""

    address: str
    citation: str
    text: str | None = None


class Event(_Frozen):
    """A dated event of the case that starts or completes a step."""

    label: str
    date: date
    path: str


class Limit(_Frozen):
    """The time limit applied: a jurisdiction parameter, with its unit."""

    param: str
    value: int
    unit: str
    text: str


class Step(_Frozen):
    """One procedural step with its due date, done date and status."""

    code: str
    title: str
    kind: str
    start: Event | None = None
    limit: Limit | None = None
    due: date | None = None
    moved_from: date | None = None
    done: Event | None = None
    status: StatusCode
    status_label: str
    days: int | None = Field(None, description="逾期/剩余/不足的天数，单位见 day_unit")
    day_unit: Literal["日", "工作日"] | None = None
    category: str
    notes: list[str] = Field(default_factory=list)
    basis: list[Basis] = Field(default_factory=list)
    warnings: list[CalendarWarning] = Field(default_factory=list)
    estimated: bool = Field(False, description="到期日的计算用到了节假日安排未知（估算）的年份")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_breach(self) -> bool:
        return self.status in BREACH_STATUSES


class Check(_Frozen):
    """A scope/route/precondition finding about the case."""

    code: str
    severity: Severity
    category: str
    message: str
    basis: list[Basis] = Field(default_factory=list)


class RecurringDuty(_Frozen):
    """One occurrence of a recurring duty of the jurisdiction (not tied to the case)."""

    code: str
    title: str
    due: date
    rest_day: bool
    days: int
    basis: list[Basis] = Field(default_factory=list)
    warnings: list[CalendarWarning] = Field(default_factory=list)


class Fee(_Frozen):
    """A court fee the case will meet: what for, on what amount, how much (or a range), and why."""

    code: str
    title: str
    base: Decimal | None = Field(None, description="执行金额（到期未付的赔偿款）")
    amount: Decimal | None = None
    amount_range: tuple[Decimal, Decimal] | None = Field(None, description="没有执行金额时的幅度")
    note: str
    basis: list[Basis] = Field(default_factory=list)


class NextItem(_Frozen):
    """What comes next: an open step (with its due date) or a general hint of the stage."""

    text: str
    due: date | None = None
    step: str | None = None


class StageInfo(_Frozen):
    code: str
    label: str
    since: date | None = None


class SourceInfo(_Frozen):
    source: str
    status: str
    message: str


class Timeline(_Frozen):
    schema_version: Literal[1] = 1
    case_name: str
    case_number: str | None
    jurisdiction: str
    jurisdiction_name: str
    on: date
    stage: StageInfo
    next: list[NextItem]
    steps: list[Step]
    checks: list[Check]
    recurring: list[RecurringDuty] = Field(default_factory=list)
    calendar_warnings: list[CalendarWarning] = Field(default_factory=list)
    sources: list[SourceInfo] = Field(default_factory=list)
    fees: list[Fee] = Field(default_factory=list, description="court fees the case will meet (added last: the keys "
                                                                "before it keep their order)")

    @property
    def breaches(self) -> list[Step]:
        return [s for s in self.steps if s.is_breach]

    def step(self, code: str) -> Step:
        """The first step with this code (KeyError if none)."""
        for s in self.steps:
            if s.code == code:
                return s
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
