"""The form and element catalogue (``corpus/forms.yaml``): every kind of form declared once.

Everything else asks here: the jurisdiction profiles (which kinds exist), the generator (titles,
model texts per variant), the checker (which kinds it reviews, their labels, which element each
rule checks) and the tests (the SPEC §2 element lists are checked against this file)."""

from __future__ import annotations

import functools

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecokernel.sourcefile import packaged_data


class Element(BaseModel):
    """An element a checkable form must contain (SPEC §2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="relative to the kind: `breach` is the element `agreement.breach`")
    rule: str = Field(description="the code of the rule that checks it")
    heading: str | None = Field(None, description="the canonical heading the generated form prints")
    field: str | None = Field(None, description="the case-model path the form prints it from (`agreement.breach`)")
    model_text: bool = Field(False, description="printed from the model text's own words, not from case data")

    @model_validator(mode="after")
    def _one_source(self) -> Element:
        if (self.field is None) != self.model_text:
            raise ValueError(f"element {self.id}: give either `field` or `model_text: true`")
        return self


class FormKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    title: str
    titles: dict[str, str] = {}
    subtitle: str | None = None
    stage: str | None = Field(None, description="the case part whose presence allows the form (model forms)")
    filing: bool = Field(False, description="a court-filing form of `ecoclaim pack`, not a model text")
    guangxi: str | None = None
    zhangye: str | None = None
    checkable: bool = False
    short: str | None = Field(None, description="the short name messages use (赔偿协议)")
    elements: tuple[Element, ...] = ()

    @model_validator(mode="after")
    def _elements_only_when_checkable(self) -> FormKind:
        if (self.stage is None) != self.filing:
            raise ValueError(f"{self.code}: a model form names its stage, a filing form has none")
        if (self.elements or self.short) and not self.checkable:
            raise ValueError(f"{self.code}: only a checkable kind lists elements and a short name")
        if self.checkable and not (self.elements and self.short):
            raise ValueError(f"{self.code}: a checkable kind needs its elements and a short name")
        ids = [e.id for e in self.elements]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.code}: an element id appears twice")
        return self

    def title_for(self, variant: str) -> str:
        return self.titles.get(variant, self.title)

    def element_ids(self) -> tuple[str, ...]:
        """The full element ids (``agreement.breach``)."""
        return tuple(f"{self.code}.{e.id}" for e in self.elements)


@functools.cache
def all_kinds() -> dict[str, FormKind]:
    """Every form the tool writes: the eleven model forms, then the court-filing forms."""
    data = packaged_data("corpus", "forms.yaml")
    return {code: FormKind(code=code, **entry) for code, entry in data.items()}


@functools.cache
def form_kinds() -> dict[str, FormKind]:
    """The eleven model forms, in the order of SPEC §1."""
    return {code: kind for code, kind in all_kinds().items() if not kind.filing}


@functools.cache
def filing_kinds() -> dict[str, FormKind]:
    """The forms ``ecoclaim pack`` adds for a court filing (no model text; variant ``court``)."""
    return {code: kind for code, kind in all_kinds().items() if kind.filing}


def form_codes() -> tuple[str, ...]:
    """The codes of the eleven kinds, in the order of SPEC §1."""
    return tuple(form_kinds())


def checkable_kinds() -> tuple[str, ...]:
    """The kinds the checker reviews, in catalogue order."""
    return tuple(code for code, kind in form_kinds().items() if kind.checkable)


def elements() -> dict[str, Element]:
    """Every element of every checkable kind, by full id (``agreement.breach``)."""
    return {f"{k.code}.{e.id}": e for k in form_kinds().values() for e in k.elements}


def kind_code(text: str, kinds: tuple[str, ...] | None = None) -> str | None:
    """The kind code ``text`` names among ``kinds`` (default: every kind): its code, or its title or a
    variant's title, or a unique part of one ("赔偿协议", "告知书"); None when none or several match."""
    catalogue = form_kinds()
    candidates = kinds if kinds is not None else tuple(catalogue)
    if text in candidates:
        return text
    names = {code: {catalogue[code].title, *catalogue[code].titles.values()} for code in candidates}
    exact = [code for code, titles in names.items() if text in titles]
    if len(exact) == 1:
        return exact[0]
    partial = [code for code, titles in names.items() if text and any(text in title for title in titles)]
    return partial[0] if len(partial) == 1 else None

