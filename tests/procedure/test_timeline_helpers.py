"""Helpers for the timeline tests: example cases as dicts, mutated and validated into ``Case``."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import yaml

from casefile.model import Case
from ecokernel.calendar import WorkCalendar, load_schedule
from procedure.timeline import Step, Timeline, build_timeline

from ..conftest import ROOT

#: The example each test starts from (exact names: other examples may share a prefix).
EXAMPLE_FILES = {
    "guangxi": ROOT / "examples" / "guangxi-cadmium-unit-installments.yaml",
    "zhangye": ROOT / "examples" / "zhangye-sand-mining-person.yaml",
    "hengshui": ROOT / "examples" / "hengshui-air-irreparable-alternative.yaml",
}

_BASE: dict[str, dict[str, Any]] = {}

SCHEDULE_2027 = ROOT / "examples" / "schedules" / "2027-example.yaml"


def unperformed(d: dict[str, Any]) -> dict[str, Any]:
    """Drop the performance record (payments made, restoration done) so deadlines are open."""
    agreement = d.get("agreement") or {}
    for key in ("payments", "installments"):
        for item in (agreement.get("performance") or {}).get(key, []):
            item.pop("paid", None)
    for key in ("completed", "effect_assessed"):
        (d.get("restoration") or {}).pop(key, None)
    return d


def data(prefix: str) -> dict[str, Any]:
    """An example's data; the guangxi one before any performance (the tests measure open deadlines)."""
    if prefix not in _BASE:
        loaded = yaml.safe_load(EXAMPLE_FILES[prefix].read_text("utf-8"))
        _BASE[prefix] = unperformed(loaded) if prefix == "guangxi" else loaded
    return copy.deepcopy(_BASE[prefix])


def case(prefix: str, mutate: Callable[[dict[str, Any]], None] | None = None, **top: Any) -> Case:
    d = data(prefix)
    d.update(top)
    if mutate is not None:
        mutate(d)
    return Case.model_validate(d)


def timeline(c: Case, on: str = "2026-11-23", *, holidays: bool = False, **kw: Any) -> Timeline:
    cal = WorkCalendar(load_schedule(SCHEDULE_2027)) if holidays else WorkCalendar()
    return build_timeline(c, date.fromisoformat(on), cal, **kw)


def step(tl: Timeline, code: str, index: int = 0) -> Step:
    found = [s for s in tl.steps if s.code == code]
    return found[index]


def addresses(s: Step) -> list[str]:
    return [b.address for b in s.basis]


def d(text: str) -> date:
    return date.fromisoformat(text)


def only_clue(d_: dict[str, Any], received: str, checked: str | None) -> None:
    """Strip a case down to its clue (and claim start when checked) with the given dates."""
    for key in ("investigation", "assessment", "restoration", "consultation", "agreement",
                "judicial_confirmation", "enforcement", "transfer", "claim_start", "closure", "termination"):
        d_.pop(key, None)
    d_["clue"]["received"] = received
    d_["clue"]["checked"] = checked
