"""Where a finding rests: a rule's reference to a corpus article (``BasisRef``, as rule data
writes it) made into the finding's ``Basis`` as of the checked day, with the note a finding carries
when none of its bases is in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from checkers.findings import Basis


class BasisRef(BaseModel):
    """A corpus address, optionally with the passage of it that the rule relies on, and, where the
    research marks the point unverified ([U] in FILING.md: an inference, an analogy, a search that
    found nothing), what is unverified about resting the rule on it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    address: str
    quote: str | None = None
    unverified: str | None = Field(None, description=(
        "why resting the rule on this article is not verified (Chinese, shown to the user); a finding "
        "resting on it is at most a warning and says so"))

    @model_validator(mode="before")
    @classmethod
    def _from_str(cls, value: Any) -> Any:
        return {"address": value} if isinstance(value, str) else value


_STATUS_WORDS = {"draft": "为征求意见稿，尚未生效", "expired": "已过有效期（试行期届满）",
                 "not_yet_effective": "尚未施行", "plan": "为改革实施方案"}


def make_basis(corpus: Any, ref: BasisRef, on: dt.date) -> Basis:
    unit = corpus.get(ref.address)
    code, _explain = corpus.source_status(unit.source, on)
    text = ref.quote or unit.text
    if len(text) > 300:
        text = text[:297] + "……"
    article = unit.address.split(":", 1)[1]
    return Basis(source=unit.source, article=article, text=text,
                 status=None if code == "in_force" else code, address=unit.address,
                 citation=corpus.cite(unit.address), unverified=ref.unverified)


UNVERIFIED_MARK = "（依据未经核实"


def unverified_note(basis: list[Basis]) -> str:
    """The note a finding carries when its rule rests on an unverified point (say which and why)."""
    notes = [f"{b.label}：{b.unverified}" for b in basis if b.unverified]
    return f"{UNVERIFIED_MARK}，仅供参考：" + "；".join(notes) + "）" if notes else ""


def capped_severity(severity: str, basis: list[Basis]) -> str:
    """An unverified basis never makes an error: such a finding is a warning at most."""
    return "warning" if severity == "error" and any(b.unverified for b in basis) else severity


def status_note(basis: list[Basis]) -> str:
    """The note a finding carries when none of its bases is in force (draft / expired)."""
    if not basis or any(b.status in (None, "plan") for b in basis):
        return ""
    parts = []
    for b in basis:
        word = _STATUS_WORDS.get(b.status or "", b.status or "")
        name = (b.citation or b.source).split("》")[0] + "》"
        if f"{name}{word}" not in parts:
            parts.append(f"{name}{word}")
    return "（注意：依据" + "；".join(parts) + "）"
