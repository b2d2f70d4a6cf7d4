"""Recurring duties of a jurisdiction (e.g. zhangye:12 quarterly clue lists, zhangye:28 annual report).

These are not tied to a case: each occurrence within the next twelve months from ``on`` is
listed. The regulations say "之前" (by that day), so a date on a rest day is flagged, not moved.
"""

from __future__ import annotations

from datetime import date

from corpus.profiles import Profile, period_end_months
from ecokernel.calendar import WorkCalendar
from procedure.timeline.basis import Citer
from procedure.timeline.result import RecurringDuty
from procedure.timeline.rules import RecurringRule


def _occurrences(months: list[int], value: object, on: date) -> list[date]:
    years = (on.year, on.year + 1)
    if months:
        day = int(value)  # type: ignore[call-overload]
        found = [date(y, m, day) for y in years for m in months]
    else:
        month, day = (int(x) for x in str(value).split("-"))
        found = [date(y, month, day) for y in years]
    horizon = date(on.year + 1, on.month, min(on.day, 28))
    return sorted(d for d in found if on <= d <= horizon)


def recurring_duties(rules: list[RecurringRule], profile: Profile, calendar: WorkCalendar, on: date,
                     citer: Citer) -> list[RecurringDuty]:
    out: list[RecurringDuty] = []
    for rule in rules:
        p = profile.param(rule.param)
        period = profile.param(rule.period) if rule.period else None
        if p is None or (rule.period and period is None):
            continue
        months = period_end_months(period.value) if period is not None else []
        for d in _occurrences(months, p.value, on):
            out.append(RecurringDuty(
                code=rule.code, title=rule.title, due=d, rest_day=calendar.is_rest_day(d),
                days=(d - on).days, basis=citer.make(p.basis), warnings=calendar.year_warnings([d.year]),
            ))
    return sorted(out, key=lambda r: r.due)
