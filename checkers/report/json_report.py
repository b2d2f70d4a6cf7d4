"""SPEC §4 JSON: one object for one file, a list for several."""

from __future__ import annotations

import json

from checkers.findings import Report


def render_json(reports: list[Report]) -> str:
    data = [r.to_dict() for r in reports]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)
