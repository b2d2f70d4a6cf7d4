"""The corpus data models: sources (with their layout rules) and addressable units."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SourceStatusCode = Literal["in_force", "draft", "expired", "not_yet_effective", "plan"]
UnitKind = Literal[
    "chapter", "article", "part", "item", "subitem", "paragraph", "annex", "form", "named", "clause"
]

# --------------------------------------------------------------------------- data models


class Fix(BaseModel):
    """A literal correction applied to a raw text before parsing (must match exactly once)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    find: str
    replace: str
    note: str | None = None


class Region(BaseModel):
    """A consecutive region of a raw text and how to parse it (see sources.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["skip", "named", "body", "annex", "forms"]
    start: str | None = None
    name: str | None = None
    label: str | None = None
    structure: Literal["sections", "table"] = "sections"
    toc: str | None = None
    heading: str | None = None
    blank_lines: Literal["keep", "drop"] = "drop"
    join_wrapped: bool = False


class Layout(BaseModel):
    """Per-source parsing settings (the ``layout`` block of a sources.yaml entry)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    numbering: Literal["articles", "sections", "clauses", "named"] = "articles"
    items_unique: bool = False
    part_label: str = "第{n}部分"
    join_split_lines: bool = False
    drop_lines: list[str] = Field(default_factory=list)
    fixes: list[Fix] = Field(default_factory=list)
    missing: dict[str, str] = Field(default_factory=dict)
    regions: list[Region] = Field(default_factory=list)


class Source(BaseModel):
    """One regulation source, as declared in ``corpus/sources.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    file: str
    title: str
    short: str
    doc_number: str | None = None
    issuer: str | None = None
    issued: dt.date | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    status: Literal["draft", "trial", "in_force", "plan"]
    term: str | None = None
    status_basis: str | None = None
    amended: dt.date | None = None
    verbatim: bool = True
    note: str | None = None
    layout: Layout = Field(default_factory=Layout)

    @property
    def is_national(self) -> bool:
        """True for sources whose units come from ``national.yaml``."""
        return self.file.endswith(".yaml")


class Repealed(BaseModel):
    """A law the corpus does not hold but documents still cite after it was repealed
    (``repealed:`` in ``corpus/sources.yaml``), with the article that repealed it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    repealed_on: dt.date
    basis: str
    replaced_by: str


class Unit(BaseModel):
    """One addressable unit of a regulation (article, item, part, annex, form …)."""

    model_config = ConfigDict(frozen=True)
    address: str
    source: str
    kind: UnitKind
    label: str
    title: str | None = None
    text: str
    parent: str | None = None
    children: list[str] = Field(default_factory=list)
    verbatim: bool = True
    status: Literal["V", "S"] | None = None
    """National units only: LEGAL-FACTS mark, V = verified in the full text, S = secondary."""
    read_at: str | None = None
    """National units only: where LEGAL-FACTS says the fact was read."""

    @property
    def path(self) -> str:
        """The address without its ``source:`` prefix (``26(三)``)."""
        return self.address.split(":", 1)[1]


class Hit(BaseModel):
    """A search result: the smallest unit containing the term and a snippet around it."""

    model_config = ConfigDict(frozen=True)
    unit: Unit
    snippet: str


