"""What the day does to a case's steps, and what of them does not depend on the day.

A step's status depends on the day it is looked at only while the step is open (not done, not
closed, not pending). An open step is due until its due date; once the date has passed it is,
by its nature (:data:`OpenKind`), overdue (a ``duty``), closed (a ``window``: a time a party may
act in) or satisfied (a minimum ``span``). A ``paused`` step — the investigation clock stopped
while an assessment runs — stays open, and its due date moves on with the day: on day ``on`` it is
``on`` plus the days that were left when the clock stopped, moved off a rest day. Everything else
about a step — whether it can be open at all, its due date, its done date, its basis — follows
from the case alone.

:class:`StandingStep` is that day-independent part (``procedure.timeline.engine.standing_steps``
computes it; the case register stores it when a version is saved); :func:`status_on` and
:func:`paused_due` say what a day makes of an open step. The timeline's own step evaluation
(:mod:`procedure.timeline.steps`) settles open steps with :func:`status_on`, so the timeline and a
stored step cannot disagree about a status or its label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from ecokernel.calendar import CalendarWarning, WorkCalendar
from procedure.timeline.result import StatusCode

#: what an open step is: what passing its due date makes of it (``paused``: its due date moves)
OpenKind = Literal["duty", "window", "span", "paused"]
OPEN_KINDS: tuple[OpenKind, ...] = ("duty", "window", "span", "paused")
#: open kinds that stop being open once the due date has passed
LAPSING: tuple[OpenKind, ...] = ("window", "span")
PAUSED_LABEL = "暂停计算（鉴定评估进行中）"


@dataclass(frozen=True)
class DayStatus:
    """An open step's status on one day."""

    status: StatusCode
    label: str
    days: int | None = None
    day_unit: Literal["日", "工作日"] | None = None
    warnings: list[CalendarWarning] = field(default_factory=list)


@dataclass(frozen=True)
class StandingStep:
    """A step as far as it does not depend on the day.

    ``open`` is ``None`` for a step that is not open on any day (done, closed, pending, a count or
    span found complying or not). ``due`` is the due date no day has moved: for a paused step, the
    due date had the assessment been delivered the day it was commissioned (``paused_since``), with
    ``remaining`` calendar days left then. ``working``: lateness is counted in working days.
    ``basis``: the addresses of the step's basis (a paused step's due date, moving on, may fall on a
    rest day and so add the rest-day rule, ``BASIS_REST_DAY_EXTENSION``, on some days).
    """

    code: str
    title: str
    due: date | None
    done: date | None
    open: OpenKind | None
    working: bool
    paused_since: date | None
    remaining: int | None
    basis: list[str]


def late_label(n: int, working: bool, prefix: str) -> str:
    return f"{prefix}{n}个工作日" if working else f"{prefix}{n}日"


def status_on(kind: OpenKind, due: date, on: date, calendar: WorkCalendar, *, working: bool = False,
              window: str = "") -> DayStatus:
    """The status on ``on`` of an open step of ``kind`` due on ``due`` (for a paused step, the due
    date of that day: :func:`paused_due`). ``window`` is a window's label once it has passed."""
    if kind == "paused":
        return DayStatus("paused", PAUSED_LABEL)
    if on <= due:
        n = (due - on).days
        if kind == "span":
            return DayStatus("due", f"还有{n}日届满", n, "日")
        word = "届满" if kind == "window" else "到期"
        return DayStatus("due", f"今日{word}" if n == 0 else f"还有{n}日{word}", n, "日")
    if kind == "window":  # a time to act in, not a duty: passing it is no lateness
        return DayStatus("closed", window)
    if kind == "span":
        return DayStatus("ok", "已满期限")
    late, warnings = calendar.days_late(due, on, working)
    return DayStatus("overdue", late_label(late, working, "已逾期"), late, "工作日" if working else "日", warnings)


def resumed_due(on: date, remaining: int, calendar: WorkCalendar) -> date:
    """The due date on ``on`` of a step paused on or before ``on`` with ``remaining`` days left then:
    ``on`` + ``remaining`` days, moved off a rest day (the period arithmetic of the timeline, which
    counts the days since the pause as excluded)."""
    return calendar.add_days(on - timedelta(days=1), remaining + 1).end


def paused_due(due: date, since: date, remaining: int, on: date, calendar: WorkCalendar) -> date:
    """The due date on ``on`` of a step paused since ``since`` (its standing due date ``due``)."""
    return due if on <= since else resumed_due(on, remaining, calendar)
