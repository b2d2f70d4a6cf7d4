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


class Report(BaseModel):
    """The result of checking one file."""

    file: str
    doc_type: str | None
    jurisdiction: str | None
    findings: list[Finding] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="reader/detection notes (not in JSON)")
    text: str | None = Field(None, exclude=True, description="the document text, for the HTML report")
    parties: dict[str, list[str]] = Field(default_factory=dict, exclude=True,
                                          description="party name → identifiers, for cross-document checks")

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "doc_type": self.doc_type, "jurisdiction": self.jurisdiction,
                "findings": [f.to_dict() for f in self.findings]}

    def rules_fired(self) -> set[str]:
        return {f.rule for f in self.findings}
