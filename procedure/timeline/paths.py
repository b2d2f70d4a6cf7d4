"""Paths into a case and conditions on them — the small vocabulary the rule data is written in.

A path is dotted field access with list selectors::

    consultation.notice.served               one value (None when any step is missing)
    consultation.meetings[*].date            every meeting's date
    consultation.meetings[-1].date           the last meeting's date
    consultation.meetings[?agreed].date      the dates of the meetings where ``agreed`` is true

:func:`values` returns every value reached (``None`` kept, so "all paid" can be tested);
:class:`Condition` tests them: ``any`` (default: some value is set), ``all`` (there are values
and all are set), ``none`` (no value is set), ``equals`` (some value equals ``value``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

_SEGMENT = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)(?:\[(?P<sel>\*|-?\d+|\?[a-z_][a-z0-9_]*)\])?$")


def _split(path: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for part in path.split("."):
        m = _SEGMENT.match(part)
        if m is None:
            raise ValueError(f"invalid path segment {part!r} in {path!r}")
        out.append((m["name"], m["sel"]))
    return out


def check_path(path: str) -> str:
    """Validate the syntax of a path (for the rule-data loader); returns it unchanged."""
    _split(path)
    return path


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _check_all(paths: list[str]) -> list[str]:
    for path in paths:
        check_path(path)
    return paths


PathList = Annotated[list[str], BeforeValidator(_listify), AfterValidator(_check_all)]
"""One path or a list of paths in rule data, each checked for syntax when the data loads."""


def _select(items: list[Any], sel: str) -> list[Any]:
    if sel == "*":
        return list(items)
    if sel.startswith("?"):
        name = sel[1:]
        return [i for i in items if getattr(i, name, None)]
    index = int(sel)
    try:
        return [items[index]]
    except IndexError:
        return []


def values(root: Any, path: str) -> list[Any]:
    """Every value the path reaches from ``root`` (``None`` where a step is missing)."""
    current: list[Any] = [root]
    for name, sel in _split(path):
        nxt: list[Any] = []
        for obj in current:
            value = None if obj is None else getattr(obj, name, None)
            if sel is None:
                nxt.append(value)
            else:
                nxt.extend(_select(list(value or []), sel))
        current = nxt
    return current


def _is_set(value: Any) -> bool:
    if value is None or value is False:
        return False
    return not (isinstance(value, (list, tuple, str)) and not value)


def dates(root: Any, path: str) -> list[date]:
    """The dates the path reaches (unset values dropped)."""
    return [v for v in values(root, path) if isinstance(v, date)]


def pick(found: Iterable[date], how: Literal["first", "last", "min", "max"]) -> date | None:
    items = list(found)
    if not items:
        return None
    if how == "first":
        return items[0]
    if how == "last":
        return items[-1]
    return min(items) if how == "min" else max(items)


class Condition(BaseModel):
    """A test on one or more paths (their values are taken together)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: PathList
    test: Literal["any", "all", "none", "equals", "not_equals"] = "any"
    value: Any = None
    label: str | None = None
    also: list[Condition] = []  # conditions that must hold as well (all of them)

    def holds(self, root: Any) -> bool:
        return self._holds(root) and all(c.holds(root) for c in self.also)

    def _holds(self, root: Any) -> bool:
        found = [x for p in self.path for x in values(root, p)]
        if self.test == "any":
            return any(_is_set(x) for x in found)
        if self.test == "all":
            return bool(found) and all(_is_set(x) for x in found)
        if self.test == "none":
            return not any(_is_set(x) for x in found)
        hits = [(x.value if isinstance(x, Enum) else x) == self.value for x in found]
        return any(hits) if self.test == "equals" else bool(found) and not any(hits)


def all_hold(conditions: Iterable[Condition], root: Any) -> bool:
    return all(c.holds(root) for c in conditions)


def first_holding(conditions: Iterable[Condition], root: Any) -> Condition | None:
    for c in conditions:
        if c.holds(root):
            return c
    return None
