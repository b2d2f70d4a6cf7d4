"""SPEC §4 JSON: one object for one file, a list for several."""

from __future__ import annotations

import json

from checkers.findings import Report


def render_json(reports: list[Report], *, color: bool = False, problems: list[tuple[str, str, str]] | None = None) -> str:
    """SPEC §4's shape, unchanged: the files that gave no report are not in it (``color`` is a terminal's)."""
    data = [r.to_dict() for r in reports]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)
