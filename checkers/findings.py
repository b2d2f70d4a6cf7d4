"""The finding model (SPEC §4): what every rule produces and every reporter consumes.

``Finding.to_dict()`` gives exactly the JSON shape of SPEC §4; the character span of the quoted
passage (``span``) is kept for the HTML reporter but never serialised.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from checkers.document import Location

Severity = Literal["error", "warning", "info"]
Category = Literal[
    "missing_element", "amount_words_mismatch", "sum_mismatch", "invalid_uscc", "invalid_id",
    "name_inconsistent", "date_invalid", "date_order", "date_mismatch", "doc_number_format",
    "installment_too_long", "installment_no_security", "tech_offset_over_limit",
    "alternative_restoration_value", "payment_destination", "restoration_by_plan_author",
    "deadline_missed", "meetings_over_limit", "out_of_scope", "regulation_status", "other",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class FindingLocation(Location):
    """Where the finding is: the block's location in the source plus the quoted passage."""

    model_config = ConfigDict(extra="forbid", frozen=False)

    text: str | None = None


class Basis(BaseModel):
    """One legal basis: the corpus source key, the article label and the text relied on."""

    model_config = ConfigDict(extra="forbid")

    source: str
    article: str
    text: str
    status: str | None = Field(None, description="draft / expired / plan … when not simply in force")
    address: str | None = Field(None, exclude=True)
    citation: str | None = Field(None, exclude=True, description="《…》第X条, for human formats")
    unverified: str | None = Field(None, exclude=True, description=(
        "why resting the rule on this article is unverified ([U] research); the message says so"))

    @property
    def label(self) -> str:
        """How a human report names it: the citation, else ``source:article``."""
        return self.citation or f"{self.source}:{self.article}"


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    element: str | None = None
    severity: Severity
    category: Category
    message: str
    location: FindingLocation | None = None
    basis: list[Basis] = Field(default_factory=list)
    suggestion: str | None = None
    span: tuple[int, int] | None = Field(None, exclude=True, description="offsets in Document.text")
    fix: tuple[str, str] | None = Field(None, exclude=True, description=(
        "a concrete correction (the text as written, the text it should be), offered as a tracked change"))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule, "element": self.element, "severity": self.severity,
            "category": self.category, "message": self.message,
            "location": self.location.model_dump(exclude_none=True) if self.location else None,
            "basis": [b.model_dump(exclude_none=True) for b in self.basis],
            "suggestion": self.suggestion,
        }
        return data

    def sort_key(self) -> tuple[int, int, str]:
        start = self.span[0] if self.span else 10**9
        return (start, SEVERITY_ORDER[self.severity], self.rule)


class CannotEvaluate(Exception):
    """Raised by a computed rule that applies but lacks what it needs (a date, an amount, the unit
    that wrote the plan): the rule ends as 未能核对 with this reason, never as a pass."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unchecked(BaseModel):
    """A rule that applied to the document but could not be evaluated (未能核对), and why."""

    rule: str
    title: str
    reason: str


class Coverage(BaseModel):
    """How the rules ended on one document: 通过, 发现问题, 未能核对, 不适用."""

    passed: int = 0
    failed: int = 0
    not_evaluated: int = 0
    not_applicable: int = 0
    accepted: int = Field(0, description="rules whose every finding was accepted with a reason (已接受)")

    @property
    def line(self) -> str:
        accepted = f"，已接受 {self.accepted}" if self.accepted else ""
        return (f"规则：通过 {self.passed}，发现问题 {self.failed}{accepted}，未能核对 {self.not_evaluated}，"
                f"不适用 {self.not_applicable}")


class AcceptedFinding(BaseModel):
    """A finding the department accepted with a reason: reported as 已接受, not as a problem."""

    finding: Finding
    reason: str
    by: str | None = None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.finding.to_dict(), "accepted": {"reason": self.reason, "by": self.by, "date": self.date}}


class Report(BaseModel):
    """The result of checking one file."""

    file: str
    doc_type: str | None
    jurisdiction: str | None
    findings: list[Finding] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="reader/detection notes (not in JSON)")
    reading: list[str] = Field(default_factory=list, exclude=True, description=(
        "what the reader warns about the file itself (e.g. unaccepted tracked changes): in text, HTML, SARIF"))
    text: str | None = Field(None, exclude=True, description="the document text, for the HTML report")
    parties: dict[str, list[str]] = Field(default_factory=dict, exclude=True,
                                          description="party name → identifiers, for cross-document checks")
    not_evaluated: list[Unchecked] = Field(default_factory=list, description="rules that could not be evaluated")
    accepted: list[AcceptedFinding] = Field(default_factory=list, description="findings accepted with a reason")
    coverage: Coverage = Field(default_factory=Coverage)

    @property
    def verdict(self) -> str:
        """The one-line conclusion: "未发现问题" only when every rule that applies was evaluated."""
        if self.findings:
            infos = len(self.findings) - self.errors - self.warnings
            found = f"{self.errors}处错误，{self.warnings}处警告，{infos}处提示"
            return found + (f"；另有{len(self.not_evaluated)}条规则未能核对" if self.not_evaluated else "")
        accepted = f"；另有{len(self.accepted)}处问题已接受" if self.accepted else ""
        if self.not_evaluated:
            return f"未发现问题{accepted}，但有{len(self.not_evaluated)}条规则未能核对（见上），不能据此认为没有问题"
        return f"未发现问题（适用的规则均已核对）{accepted}"

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "doc_type": self.doc_type, "jurisdiction": self.jurisdiction,
                "findings": [f.to_dict() for f in self.findings],
                "not_evaluated": [u.model_dump() for u in self.not_evaluated],
                **({"accepted": [a.to_dict() for a in self.accepted]} if self.accepted else {}),
                "coverage": self.coverage.model_dump(exclude={"accepted"} if not self.coverage.accepted else set())}

    def rules_fired(self) -> set[str]:
        return {f.rule for f in self.findings}
