"""Reporters: one finding schema, four renderings (text, json, sarif, html)."""

from __future__ import annotations

from checkers.findings import Report
from ecokernel.lazy import LazyTable

#: format → renderer of a list of reports (imported on first use); each takes ``(reports, *, color,
#: problems)`` and ignores what its format has no use for
REPORTERS = LazyTable("report format", {
    "text": "checkers.report.text:render_text",
    "json": "checkers.report.json_report:render_json",
    "sarif": "checkers.report.sarif:render_sarif",
    "html": "checkers.report.html_report:render_html",
})
FORMATS = tuple(REPORTERS)


#: a file of a batch that gave no report: ("unreadable" | "skipped", file, the reason in Chinese)
Problem = tuple[str, str, str]


def render(reports: list[Report], fmt: str, *, color: bool = False, problems: list[Problem] | None = None) -> str:
    """``reports`` in ``fmt``. SARIF and HTML also carry the files that gave no report (unreadable as
    errors, skipped as notes); JSON keeps SPEC §4's shape and text lists them on standard error."""
    return REPORTERS[fmt](reports, color=color, problems=problems or [])
