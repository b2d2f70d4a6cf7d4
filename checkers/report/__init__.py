"""Reporters: one finding schema, four renderings (text, json, sarif, html)."""

from __future__ import annotations

from checkers.findings import Report

FORMATS = ("text", "json", "sarif", "html")


def render(reports: list[Report], fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        from checkers.report.json_report import render_json

        return render_json(reports)
    if fmt == "sarif":
        from checkers.report.sarif import render_sarif

        return render_sarif(reports)
    if fmt == "html":
        from checkers.report.html_report import render_html

        return render_html(reports)
    if fmt == "text":
        from checkers.report.text import render_text

        return render_text(reports, color=color)
    raise ValueError(fmt)
