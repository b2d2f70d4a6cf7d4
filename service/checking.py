"""Adapters for the reviewing flow: rule registry, checking uploaded documents, reports.

Thin: reading is ``checkers.extract.read_document``, checking is ``checkers.check``, SARIF/HTML are
``checkers.report``; this module only maps their objects onto the API models.
"""

from __future__ import annotations

from typing import Any

from checkers import check as checker
from checkers import compare, report
from checkers.report import word
from checkers.rules import load_rules
from service.lawunits import unit_out
from service.models import (
    AcceptedOut,
    BasisOut,
    CheckResult,
    CheckSummary,
    CoverageOut,
    FindingOut,
    LocationOut,
    ReportOut,
    RuleDetail,
    RuleOut,
    UncheckedOut,
)
from service.problems import ApiError

# -- rules -----------------------------------------------------------------------------------------

def _registry() -> dict[str, Any]:
    return load_rules()


def _rule_out(rule: Any, cls: type[RuleOut] = RuleOut, **extra: Any) -> RuleOut:
    basis = [b.address for b in getattr(rule, "basis", [])]
    for refs in getattr(rule, "basis_by_jurisdiction", {}).values():
        basis += [b.address for b in refs if b.address not in basis]
    return cls(code=rule.code, severity=rule.severity, category=rule.category, element=rule.element,
               title=rule.title, message=rule.message, doc_types=list(rule.doc_types), basis=basis, **extra)


def rule_list() -> list[RuleOut]:
    return [_rule_out(r) for r in _registry().values()]


def rule_detail(code: str) -> RuleDetail:
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


# -- checking --------------------------------------------------------------------------------------

def check_one(name: str, data: bytes, doc_type: str | None, jurisdiction: str | None,
              max_bytes: int, accepted: list[Any] | None = None) -> Any:
    """Read and check one uploaded document; returns the checker's Report (with the findings the
    reviewer accepted for this version of the file set apart as 已接受)."""
    import hashlib

    from checkers.extract import read_document

    document = read_document(data, filename=name, max_bytes=max_bytes)
    document.file = name
    result = checker.check_document(document, kind=doc_type, jurisdiction=jurisdiction)
    if accepted:
        from checkers.policy import apply_accepted

        apply_accepted(result, accepted, hashlib.sha256(data).hexdigest())
    return result


def check_uploads(uploads: list[tuple[str, bytes]], doc_type: str | None, jurisdiction: str | None,
                  max_bytes: int, fmt: str, suggest: bool = False, accepted: list[Any] | None = None
                  ) -> tuple[list[Any], tuple[bytes, str, str] | None]:
    """The whole work of one check request; runs in a check worker process (service.checkpool).

    Returns per upload the checker's Report, or a ``Skipped`` (a readable document of a kind the
    checker does not review) or ``Unreadable`` with the Chinese reason, as ``ecoclaim check`` does;
    and for SARIF/HTML/DOCX the rendered report as (content, media type, file name). SARIF and HTML
    carry the files that gave no report (unreadable as errors, skipped as notes), as the CLI's do.
    """
    from checkers.check import NotReviewable, Skipped, Unreadable
    from ecokernel.errors import UserError

    results: list[Any] = []
    for name, data in uploads:
        try:
            results.append(check_one(name, data, doc_type, jurisdiction, max_bytes, accepted))
        except NotReviewable as exc:
            results.append(Skipped(name, exc.message))
        except UserError as exc:
            results.append(Unreadable(name, exc.message))
    reports = [r for r in results if not isinstance(r, Skipped | Unreadable)]
    cross_document(reports)
    rendered = None
    if fmt == "docx" and reports and len(uploads) == 1:
        rendered = commented_docx(uploads[0], results[0], suggest)
    elif fmt in ("sarif", "html") and reports:
        problems = [("skipped" if isinstance(r, Skipped) else "unreadable", r.file, r.reason)
                    for r in results if isinstance(r, Skipped | Unreadable)]
        rendered = render_report(reports, fmt, problems)
    return results, rendered


def warm_up() -> None:
    """Load what every request needs (corpus, profiles, rules, detection data) before serving, so
    that no worker's first request pays for it. A part that is missing is simply skipped."""
    import contextlib

    from corpus import load_corpus
    from corpus.profiles import load_profiles

    load_corpus()
    load_profiles()
    with contextlib.suppress(ImportError):
        from checkers.check import check_text

        check_text("生态环境损害赔偿协议\n甲方：某市生态环境局\n乙方：某公司\n违约责任：按日支付违约金。",
                   kind="agreement", jurisdiction="national")


def cross_document(reports: list[Any]) -> None:
    """Names and identifiers that disagree between the uploaded documents (SPEC §3)."""
    checker.cross_document(reports)


def report_out(report: Any, include_text: bool, sha256: str | None = None) -> ReportOut:
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
                     text=report.text if include_text else None,
                     not_evaluated=[UncheckedOut(**u.model_dump()) for u in report.not_evaluated],
                     coverage=CoverageOut(**report.coverage.model_dump()), verdict=report.verdict, sha256=sha256,
                     accepted=[AcceptedOut(rule=a.finding.rule, message=a.finding.message, reason=a.reason)
                               for a in getattr(report, "accepted", [])])


def summarize(reports: list[ReportOut]) -> CheckResult:
    count = {"error": 0, "warning": 0, "info": 0}
    for r in reports:
        for f in r.findings:
            count[f.severity] += 1
    return CheckResult(reports=reports, summary=CheckSummary(
        files=len(reports), errors=count["error"], warnings=count["warning"], infos=count["info"],
        unreadable=sum(1 for r in reports if r.error and not r.skipped),
        skipped=sum(1 for r in reports if r.skipped)))


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def compare_uploads(old: tuple[str, bytes], new: tuple[str, bytes], doc_type: str | None,
                    jurisdiction: str | None, max_bytes: int, fmt: str) -> tuple[bytes, str] | str:
    """Two uploaded versions compared (runs in a check worker); the Chinese reason when unreadable."""
    from checkers.extract import read_document
    from ecokernel.errors import UserError

    try:
        docs = []
        for name, data in (old, new):
            doc = read_document(data, filename=name, max_bytes=max_bytes)
            doc.file = name
            docs.append(doc)
        result = compare.compare(docs[0], docs[1], doc_type, jurisdiction)
    except UserError as exc:
        return exc.message
    media = "application/json" if fmt == "json" else "text/html; charset=utf-8"
    return compare.render_comparison(result, fmt).encode("utf-8"), media


def commented_docx(upload: tuple[str, bytes], report: Any, suggest: bool = False) -> tuple[bytes, str, str]:
    """The uploaded DOCX with each finding as a Word comment (批注), corrections as tracked changes."""
    name, data = upload
    return word.annotate(data, report, suggest=suggest).data, DOCX_TYPE, name.rsplit(".", 1)[0] + "-审查批注.docx"


def render_report(reports: list[Any], fmt: str, problems: list[tuple[str, str, str]] | None = None
                  ) -> tuple[bytes, str, str]:
    """(content, media type, file name) of a SARIF or HTML report of the checker's reports, with the
    files that gave none (``problems``: kind, file, reason)."""
    data = report.render(reports, fmt, problems=problems).encode("utf-8")
    if fmt == "sarif":
        return data, "application/sarif+json", "report.sarif"
    return data, "text/html; charset=utf-8", "report.html"
