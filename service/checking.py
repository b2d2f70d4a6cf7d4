"""Adapters for the reviewing flow: rule registry, checking uploaded documents, reports.

Thin: reading is ``checkers.extract.read_document``, checking is ``checkers.check``, SARIF/HTML are
``checkers.report``; this module only maps their objects onto the API models.
"""

from __future__ import annotations

from typing import Any

from service import adapters
from service.models import (
    BasisOut,
    CheckResult,
    CheckSummary,
    FindingOut,
    LocationOut,
    ReportOut,
    RuleDetail,
    RuleOut,
)
from service.problems import ApiError

# -- rules -----------------------------------------------------------------------------------------

def _registry() -> dict[str, Any]:
    return adapters.require("checkers.rules").load_rules()


def _rule_out(rule: Any, cls: type[RuleOut] = RuleOut, **extra: Any) -> RuleOut:
    basis = [b.address for b in getattr(rule, "basis", [])]
    for refs in getattr(rule, "basis_by_jurisdiction", {}).values():
        basis += [b.address for b in refs if b.address not in basis]
    return cls(code=rule.code, severity=rule.severity, category=rule.category, element=rule.element,
               title=rule.title, message=rule.message, doc_types=list(rule.doc_types), basis=basis, **extra)


def rule_list() -> list[RuleOut]:
    return [_rule_out(r) for r in _registry().values()]


def rule_detail(code: str) -> RuleDetail:
    from service.routers.meta import unit_out

    rules = _registry()
    rule = rules.get(code) or rules.get(code.upper())
    if rule is None:
        raise ApiError(404, "not-found", "未找到规则", f"没有规则“{code}”",
                       errors=[{"path": "code", "message": "规则代码不存在"}])
    out = _rule_out(rule, RuleDetail, doc=rule.doc, suggestion=rule.suggestion)
    law = []
    for address in out.basis:
        try:
            law.append(unit_out(address))
        except ApiError:
            continue
    out.law = law
    return out  # type: ignore[return-value]


# -- checking ----

def require_checker() -> None:
    """501 before reading uploads when the checker is not installed yet."""
    adapters.require("checkers.check")


# -- checking --------------------------------------------------------------------------------------

def check_one(name: str, data: bytes, doc_type: str | None, jurisdiction: str | None,
              max_bytes: int) -> Any:
    """Read and check one uploaded document; returns the checker's Report."""
    check = adapters.require("checkers.check")
    from checkers.extract import read_document

    document = read_document(data, filename=name, max_bytes=max_bytes)
    document.file = name
    return check.check_document(document, kind=doc_type, jurisdiction=jurisdiction)


def cross_document(reports: list[Any]) -> None:
    """Names and identifiers that disagree between the uploaded documents (SPEC §3)."""
    adapters.require("checkers.check").cross_document(reports)


def report_out(report: Any, include_text: bool) -> ReportOut:
    findings = []
    for f in report.findings:
        d = f.to_dict()
        basis = []
        for b, raw in zip(d.get("basis") or [], f.basis, strict=False):
            basis.append(BasisOut(**b, citation=getattr(raw, "citation", None), address=getattr(raw, "address", None)))
        findings.append(FindingOut(
            rule=d["rule"], element=d.get("element"), severity=d["severity"], category=d["category"],
            message=d["message"], location=LocationOut(**d["location"]) if d.get("location") else None,
            basis=basis, suggestion=d.get("suggestion"), span=list(f.span) if f.span else None))
    return ReportOut(file=report.file, doc_type=report.doc_type, jurisdiction=report.jurisdiction,
                     findings=findings, notes=list(getattr(report, "notes", [])),
                     text=report.text if include_text else None)


def summarize(reports: list[ReportOut]) -> CheckResult:
    count = {"error": 0, "warning": 0, "info": 0}
    for r in reports:
        for f in r.findings:
            count[f.severity] += 1
    return CheckResult(reports=reports, summary=CheckSummary(
        files=len(reports), errors=count["error"], warnings=count["warning"], infos=count["info"],
        unreadable=sum(1 for r in reports if r.error)))


def render_report(reports: list[Any], fmt: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of a SARIF or HTML report of the checker's reports."""
    report = adapters.require("checkers.report")
    data = report.render(reports, fmt).encode("utf-8")
    if fmt == "sarif":
        return data, "application/sarif+json", "report.sarif"
    return data, "text/html; charset=utf-8", "report.html"
