"""The deadline rule data (``procedure/data/deadlines.yaml``) as typed, validated objects."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ecokernel.sourcefile import parse_yaml
from procedure.timeline.paths import Condition, PathList


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventRef(_Strict):
    """A candidate event: the date(s) a path reaches, reduced by ``pick``."""

    path: PathList
    label: str
    pick: Literal["first", "last", "min", "max"] = "last"
    when: str | None = None


class Extension(_Strict):
    """What lengthens a period: set ``when``; ``days`` read from the case, capped by ``max_param``."""

    when: str
    days: str
    max_param: str
    label: str


class Exclusion(_Strict):
    """A span of time not counted in a period (enabled by the bool parameter ``switch``)."""

    start: str
    end: str
    switch: str
    label: str


class Rule(_Strict):
    code: str
    title: str
    kind: Literal["period", "fixed", "count", "min_span"]
    param: str | None = None
    each: str | None = None
    start: list[EventRef] = Field(default_factory=list)
    done: list[EventRef] = Field(default_factory=list)
    due: list[EventRef] = Field(default_factory=list)
    then: EventRef | None = None
    count: str | None = None
    extends: list[Extension] = Field(default_factory=list)
    excludes: list[Exclusion] = Field(default_factory=list)
    applies_if: list[Condition] = Field(default_factory=list)
    closed_by: list[Condition] = Field(default_factory=list)
    waived_by: Condition | None = None
    window: str | None = None  # kind period: a time to act in, not a duty; the label once it has passed
    cite: list[str] = Field(default_factory=list)
    category: str = "deadline_missed"

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        needs_param = self.kind in ("period", "count", "min_span")
        if needs_param and not self.param:
            raise ValueError(f"{self.code}: kind {self.kind} needs param")
        if self.kind in ("period", "min_span") and not self.start:
            raise ValueError(f"{self.code}: kind {self.kind} needs start")
        if self.kind == "fixed" and not self.due:
            raise ValueError(f"{self.code}: kind fixed needs due")
        if self.window and self.kind != "period":
            raise ValueError(f"{self.code}: only a period can be a window")
        if self.kind == "count" and not self.count:
            raise ValueError(f"{self.code}: kind count needs count")
        return self


class RecurringRule(_Strict):
    """A duty due every period: on day ``param`` of the last month of each period the profile's
    ``period`` parameter names (``季度``), or, without ``period``, once a year on the month-day ``param``."""

    code: str
    title: str
    param: str
    period: str | None = None


class RuleSet(_Strict):
    rules: list[Rule]
    recurring: list[RecurringRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> RuleSet:
        codes = [r.code for r in self.rules] + [r.code for r in self.recurring]
        dupes = {c for c in codes if codes.count(c) > 1}
        if dupes:
            raise ValueError(f"duplicate rule codes: {sorted(dupes)}")
        return self


def parse_rules(text: str) -> RuleSet:
    """Parse rule data (YAML text). Raises ValueError naming the problem."""
    data, _ = parse_yaml(text)
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise ValueError(f"deadlines.yaml: {where}: {err['msg']}") from None


def rules_file() -> Path:
    """The bundled rule data file."""
    return Path(str(resources.files("procedure.data") / "deadlines.yaml"))


@functools.cache
def load_rules() -> RuleSet:
    """The bundled rule data (cached)."""
    return parse_rules(rules_file().read_text("utf-8"))
