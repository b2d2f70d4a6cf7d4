"""What a court filing desk checks, per filing step (``corpus/filing.yaml``): the items of a court
pack in their order, each with its basis and the status of that basis (FILING.md's V/S/U marks)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corpus.forms import all_kinds
from ecokernel.sourcefile import packaged_data

Per = Literal["once", "applicant", "applicant_unit", "claimant", "obligor_unit", "obligor_person", "agent"]

#: what the status marks mean, as the 材料清单 and the report print them
STATUS_TEXT = {"V": "依据已核实", "S": "依据为二手资料", "U": "依据未经核实"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FilingItem(_Strict):
    """One item of a pack: a form the tool writes or a material the case file supplies."""

    id: str
    form: str | None = None
    material: str | None = None
    title: str | None = Field(None, description="the name the lists print; default: the form's title or "
                                                "the material kind's label")
    per: Per = "once"
    when: str | None = Field(None, description="a dotted case field that must be present")
    section: str
    required: bool = True
    evidence: bool = False
    proves: str | None = None
    original: bool = False
    copies: int = Field(1, ge=1)
    basis: str
    status: Literal["V", "S", "U"]
    note: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> FilingItem:
        if (self.form is None) == (self.material is None):
            raise ValueError(f"{self.id}: an item is either a form or a material")
        if self.form is not None and self.form not in all_kinds():
            raise ValueError(f"{self.id}: unknown form {self.form}")
        if self.evidence and not self.proves:
            raise ValueError(f"{self.id}: an evidence item says what it proves")
        return self


class FilingStep(_Strict):
    code: str
    title: str
    form: str = Field(description="the application form of the step")
    applicants: list[Literal["claimant", "obligors"]]
    respondents: bool = Field(description="whether the step has respondents (the defaulting obligors)")
    items: list[FilingItem]

    @model_validator(mode="after")
    def _unique(self) -> FilingStep:
        ids = [i.id for i in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.code}: an item id appears twice")
        if not any(i.form == self.form for i in self.items):
            raise ValueError(f"{self.code}: the application form is not among the items")
        return self


class FilingLimits(_Strict):
    file_bytes: int
    pack_bytes: int
    pdf_pages: int
    image_pixels: int


class Filing(_Strict):
    steps: dict[str, FilingStep]
    notice_basis: str
    evidence_copies_basis: str
    limits: FilingLimits


@functools.cache
def filing() -> Filing:
    data = dict(packaged_data("corpus", "filing.yaml"))
    steps = {code: {"code": code, **entry} for code, entry in data.pop("steps").items()}
    return Filing(steps=steps, **data)


def filing_steps() -> dict[str, FilingStep]:
    """The filing steps (``judicial_confirmation``, ``enforcement``) with their items."""
    return filing().steps


#: the ``kind`` of the manifest.json a court pack folder carries (docgen.pack writes it, check reads it)
PACK_KIND = "court_pack"


def item_line(name: str, basis: str, status: str) -> str:
    """One item as the filing desk's notice lists it: its name, its basis and how sure that basis is."""
    note = "" if status == "V" else f"（{STATUS_TEXT[status]}）"
    return f"{name}——依据：{basis}{note}"


def missing_lines(missing: Sequence[tuple[str, str, str]]) -> list[str]:
    """The one-time written notice of everything to supplement (``notice_basis``): a heading and one
    numbered line per missing item (name, basis, basis status V/S/U); one line when nothing is missing."""
    if not missing:
        return ["必需的材料已齐全。"]
    return [f"待补材料（共{len(missing)}项，请一次补齐；{filing().notice_basis}）：",
            *(f"  {n}. {item_line(*m)}" for n, m in enumerate(missing, 1))]
