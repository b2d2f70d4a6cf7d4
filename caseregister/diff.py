"""The difference between two versions of a case: field by field (from the parsed data, with the
field paths validation uses) and as a unified text diff of the texts as submitted."""

from __future__ import annotations

import difflib
from typing import Any

from caseregister.schemas import FieldChange
from ecokernel.sourcefile import join_path


def flatten(data: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of ``data`` by its path; an empty list or mapping is a leaf of its own."""
    if isinstance(data, dict) and data:
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, join_path(path, str(key))))
        return out
    if isinstance(data, list) and data:
        out = {}
        for i, value in enumerate(data):
            out.update(flatten(value, join_path(path, i)))
        return out
    return {path: data}


def field_changes(old: Any, new: Any) -> list[FieldChange]:
    """Changed, removed and added leaves, in the order of the new data (removed ones after)."""
    before, after = flatten(old), flatten(new)
    changes: list[FieldChange] = []
    for path, value in after.items():
        if path not in before:
            changes.append(FieldChange(path=path, kind="added", new=value))
        elif before[path] != value or type(before[path]) is not type(value):
            changes.append(FieldChange(path=path, kind="changed", old=before[path], new=value))
    changes += [FieldChange(path=path, kind="removed", old=value) for path, value in before.items()
                if path not in after]
    return changes


def text_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=old_label, tofile=new_label)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def describe(change: FieldChange) -> str:
    """One line in Chinese: ``obligors[0].name：“甲” → “乙”``."""
    if change.kind == "added":
        return f"{change.path}：新增 {_shown(change.new)}"
    if change.kind == "removed":
        return f"{change.path}：删除（原为 {_shown(change.old)}）"
    return f"{change.path}：{_shown(change.old)} → {_shown(change.new)}"


def _shown(value: Any) -> str:
    if value is None:
        return "空"
    if value == {}:
        return "{}"
    if value == []:
        return "[]"
    text = str(value)
    return f"“{text if len(text) <= 60 else text[:59] + '…'}”"
