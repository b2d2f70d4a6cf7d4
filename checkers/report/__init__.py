"""Reporters: one finding schema, four renderings (text, json, sarif, html)."""

from __future__ import annotations

from checkers.findings import Report
from ecokernel.lazy import LazyTable

#: format → renderer of a list of reports (imported on first use)
REPORTERS = LazyTable("report format", {
    "text": "checkers.report.text:render_text",
    "json": "checkers.report.json_report:render_json",
    "sarif": "checkers.report.sarif:render_sarif",
    "html": "checkers.report.html_report:render_html",
})
FORMATS = tuple(REPORTERS)


def render(reports: list[Report], fmt: str, *, color: bool = False) -> str:
    if fmt == "text":
        return REPORTERS["text"](reports, color=color)
    return REPORTERS[fmt](reports)
