"""SARIF 2.1.0 (OASIS) for CI systems and editors."""

from __future__ import annotations

import json
from typing import Any

from checkers.findings import Report
from checkers.rules import load_rules

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def sarif_log(reports: list[Report], problems: list[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    rules = load_rules()
    used = sorted({f.rule for r in reports for f in [*r.findings, *(a.finding for a in r.accepted)]},
                  key=list(rules).index)
    index = {code: i for i, code in enumerate(used)}
    descriptors = []
    for code in used:
        rule = rules[code]
        descriptors.append({
            "id": code, "name": rule.title,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.doc},
            "help": {"text": rule.suggestion or rule.doc},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {"category": rule.category, "element": rule.element,
                           "tags": [rule.category] + ([rule.element] if rule.element else [])},
        })
    results = []
    artifacts = []
    for ai, report in enumerate(reports):
        artifacts.append({"location": {"uri": report.file}})
        # accepted findings are results with a suppression (SARIF §3.35), so tools show them as such
        reasons = {id(a.finding): a for a in report.accepted}
        for f in [*report.findings, *(a.finding for a in report.accepted)]:
            physical: dict[str, Any] = {"artifactLocation": {"uri": report.file, "index": ai}}
            loc = f.location
            if loc is not None:
                region: dict[str, Any] = {"startLine": loc.line or loc.paragraph or 1}
                if loc.text:
                    region["snippet"] = {"text": loc.text}
                physical["region"] = region
            accepted = reasons.get(id(f))
            suppression = {"suppressions": [{"kind": "external", "status": "accepted",
                                             "justification": accepted.reason}]} if accepted else {}
            results.append({
                **suppression,
                "ruleId": f.rule, "ruleIndex": index[f.rule], "level": _LEVEL[f.severity],
                "message": {"text": f.message + (f"\n建议：{f.suggestion}" if f.suggestion else "")},
                "locations": [{"physicalLocation": physical}],
                "properties": {"category": f.category, "element": f.element, "severity": f.severity,
                               "basis": [b.model_dump(exclude_none=True) for b in f.basis],
                               "docType": report.doc_type, "jurisdiction": report.jurisdiction},
            })
    return {
        "$schema": SARIF_SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "ecoclaim", "version": "0.1.0", "semanticVersion": "0.1.0",
                                "informationUri": "https://example.invalid/ecoclaim",
                                "language": "zh-CN", "rules": descriptors}},
            "artifacts": artifacts, "results": results, "columnKind": "unicodeCodePoints",
            # rules that applied but could not be evaluated (未能核对) are tool notifications, not results
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
                {"level": "note", "descriptor": {"id": u.rule},
                 "message": {"text": f"未能核对：{u.title}：{u.reason}"},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": report.file, "index": ai}}}]}
                for ai, report in enumerate(reports) for u in report.not_evaluated] + [
                {"level": "warning", "message": {"text": f"读取提示：{w}"},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": report.file, "index": ai}}}]}
                for ai, report in enumerate(reports) for w in report.reading] + [
                {"level": "error" if kind == "unreadable" else "note",
                 "message": {"text": ("无法读取：" if kind == "unreadable" else "跳过：") + reason},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": file}}}]}
                for kind, file, reason in problems or []]}],
        }],
    }


def render_sarif(reports: list[Report], *, color: bool = False, problems: list[tuple[str, str, str]] | None = None) -> str:
    """A SARIF 2.1.0 log (``color`` is a terminal's)."""
    return json.dumps(sarif_log(reports, problems), ensure_ascii=False, indent=2)
