"""A case's steps apart from the day (``standing_steps``) and what a day makes of them (``status_on``,
``paused_due``) are the timeline: on every day from before the first deadline to after the last one
(every ninth day, and every day around the 2025 and 2026 National Day and Spring Festival holidays,
where a paused step's moving due date meets rest days), for cases with duties open and overdue (in
calendar and in working days), an open window, an open minimum span and a paused investigation,
every step is open exactly when the timeline says so, with its due date, status, label and days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import yaml

from casefile.model import Case
from ecokernel.calendar import BASIS_REST_DAY_EXTENSION, WorkCalendar
from procedure.timeline import build_timeline
from procedure.timeline.daily import LAPSING, paused_due, status_on
from procedure.timeline.engine import standing_steps

from ..conftest import EXAMPLES
from .test_timeline_helpers import data


def _running(x: dict[str, Any]) -> None:  # the assessment commissioned, not delivered: investigation paused
    x["investigation"]["end"] = None
    x["assessment"]["delivered"] = None


def _running_late(x: dict[str, Any]) -> None:  # commissioned with 12 of the 60 days left: due within 30 days
    _running(x)
    x["assessment"]["commissioned"] = date(2025, 5, 15)


def _no_ruling(x: dict[str, Any]) -> None:  # notice running, no ruling: the notice span and the decision open
    for key in ("notice_to", "ruling_number", "ruling_date", "confirmed"):
        x["judicial_confirmation"].pop(key, None)


def _no_reply(x: dict[str, Any]) -> None:  # no reply to the consultation notice: 5 working days, then overdue
    x["consultation"]["notice"].pop("replied")


def variants() -> dict[str, dict[str, Any]]:
    """Case data (as loaded from YAML) whose steps between them are open in every way a step can be."""
    out = {path.stem: yaml.safe_load(path.read_text("utf-8")) for path in EXAMPLES}
    out["guangxi-unperformed"] = data("guangxi")
    for name, prefix, mutate in (("guangxi-paused", "guangxi", _running), ("guangxi-paused-late", "guangxi", _running_late),
                                 ("guangxi-no-ruling", "guangxi", _no_ruling), ("zhangye-no-reply", "zhangye", _no_reply)):
        d = data(prefix)
        mutate(d)
        out[name] = d
    return out


def days() -> list[date]:
    every = [date(2024, 12, 1) + timedelta(days=9 * i) for i in range(170)]
    holidays = [start + timedelta(days=i) for start in (date(2025, 1, 20), date(2025, 9, 20), date(2026, 2, 5),
                                                        date(2026, 9, 20)) for i in range(25)]
    return sorted(set(every + holidays))


@pytest.mark.parametrize("name", sorted(variants()))
def test_the_standing_steps_and_the_day_are_the_timeline(name: str):
    case = Case.model_validate(variants()[name])
    calendar = WorkCalendar()
    standing = standing_steps(case, calendar)
    kinds = set()
    for on in days():
        steps = build_timeline(case, on, calendar).steps
        assert [(s.code, s.title) for s in steps] == [(s.code, s.title) for s in standing]
        for real, kept in zip(steps, standing, strict=True):
            assert kept.done == (real.done.date if real.done else None)
            basis, stored = [b.address for b in real.basis], kept.basis
            if kept.open == "paused":  # moved off a rest day on some days, not on others
                basis, stored = ([a for a in x if a != BASIS_REST_DAY_EXTENSION] for x in (basis, stored))
            assert stored == basis
            is_open = kept.open is not None and (kept.open not in LAPSING or on <= (kept.due or date.min))
            assert is_open == real.is_open, (on, real)
            if kept.open is None:
                assert kept.due == real.due
                continue
            kinds.add(kept.open)
            assert kept.due is not None
            due = kept.due
            if kept.open == "paused":
                assert kept.paused_since is not None and kept.remaining is not None
                due = paused_due(kept.due, kept.paused_since, kept.remaining, on, calendar)
            assert due == real.due, (on, real)
            if not is_open:
                continue
            day = status_on(kept.open, due, on, calendar, working=kept.working)
            assert (day.status, day.label, day.days, day.day_unit) == (
                real.status, real.status_label, real.days, real.day_unit), (on, real)
    expected = {"guangxi-paused": {"paused"}, "guangxi-paused-late": {"paused"}, "guangxi-no-ruling": {"span", "duty"},
                "zhangye-no-reply": {"duty", "window"}}.get(name)
    if expected:
        assert expected <= kinds
