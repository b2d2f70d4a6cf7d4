"""The document tree: the one form a document takes between a file and the code that works on it.

Templates produce it (through the XML dialect of ``docgen.render.markup``) and writers consume it;
readers (``checkers.extract``) produce it from a DOCX, PDF, text, Markdown or HTML file and the
checker reads it through a flat text view (``checkers.extract.view``). It knows about layout intent
and structure — a title, a level-2 heading, a table with merged cells, a right-aligned signature, a
header line, a footnote — never about a particular format.

What each side fills in:

- ``Paragraph.role``: templates always; readers where the source says it (a DOCX heading style or
  outline level, a Word title/subtitle/signature/date style, an HTML ``<h2>``, a Markdown ``##``).
  A heading deeper than ``h4`` is read as ``h4`` (its exact level stays in ``style``).
- ``location``, ``style``, ``number``, ``part``, ``Document.source``: readers only; writers ignore them.
- ``Table.widths``: templates; a reader leaves it empty (every column counts 1).

Read text is kept as the source has it (layout spaces, tabs, line breaks); the checker's view
normalises whitespace, so that one function decides how the rules read text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Align = Literal["left", "center", "right", "justify"]
Font = Literal["fangsong", "heiti", "kaiti", "songti", "xiaobiaosong"]
Role = Literal["body", "title", "subtitle", "h1", "h2", "h3", "h4", "label", "signature", "date", "note",
               "addressee", "docnumber"]
#: the roles that are headings (the checker's view gives them the kind "heading")
HEADING_ROLES: frozenset[str] = frozenset({"title", "subtitle", "h1", "h2", "h3", "h4"})
#: where a read paragraph sits in its source: the body (with tables), a text box anchored in it, a
#: footnote or endnote, a page header or footer
Part = Literal["body", "textbox", "footnote", "header", "footer"]
DocFormat = Literal["docx", "pdf", "txt", "md", "html"]


def heading_role(level: int) -> Role:
    """The role of a heading of ``level`` (0 the title, 1 → h1 … 4 and deeper → h4)."""
    return "title" if level <= 0 else f"h{min(level, 4)}"  # type: ignore[return-value]


class Location(BaseModel):
    """Where a node is in its source file. ``paragraph`` counts the checker's body blocks, 1-based."""

    model_config = ConfigDict(frozen=True)

    paragraph: int | None = None
    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Run(_Node):
    """A piece of text with one style. ``blank`` > 0 makes it a fill-in line of that many characters."""

    type: Literal["run"] = "run"
    text: str = ""
    bold: bool = False
    underline: bool = False
    font: Font | None = None
    blank: int = 0
    br: bool = False  # a line break (text is empty)


def runs_of(text: str) -> list[Run]:
    """Plain text as runs, each newline a line break (``Paragraph.text`` gives ``text`` back)."""
    runs: list[Run] = []
    for k, line in enumerate(text.split("\n")):
        if k:
            runs.append(Run(br=True))
        if line:
            runs.append(Run(text=line))
    return runs


class Paragraph(_Node):
    """A paragraph. ``role`` tells writers which GB/T 9704 element it is."""

    type: Literal["paragraph"] = "paragraph"
    runs: list[Run]
    role: Role = "body"
    align: Align | None = None  # None: the role's default
    indent: int | None = None  # first-line indent in characters; None: the role's default
    keep_with_next: bool = False
    part: Part = "body"
    number: str | None = Field(None, description="the label Word's automatic numbering shows before the text (一、, 1.)")
    style: str | None = Field(None, description="source style name if any, e.g. Heading 1")
    location: Location | None = None

    @property
    def text(self) -> str:
        return "".join("\n" if r.br else (r.text or "＿" * r.blank) for r in self.runs)


class Cell(_Node):
    type: Literal["cell"] = "cell"
    blocks: list[Paragraph]
    colspan: int = Field(1, ge=1)
    rowspan: int = Field(1, ge=1)
    align: Align = "left"
    valign: Literal["top", "center", "bottom"] = "center"
    min_height: int = Field(0, ge=0, description="minimum height in lines of table text (space for writing)")
    location: Location | None = Field(None, description="table, row, first grid column, page")


class Row(_Node):
    cells: list[Cell]


class Table(_Node):
    """A table; ``widths`` are relative column widths (any positive numbers; missing ones count 1)."""

    type: Literal["table"] = "table"
    rows: list[Row]
    widths: list[int] = Field(default_factory=list)
    borders: bool = True
    header_rows: int = Field(0, ge=0, description="leading rows repeated at the top of each page")
    location: Location | None = None


class PageBreak(_Node):
    type: Literal["pagebreak"] = "pagebreak"


Block = Annotated[Paragraph | Table | PageBreak, Field(discriminator="type")]


class Source(_Node):
    """What a reader knew of the file a tree was read from."""

    file: str
    format: DocFormat
    encoding: str | None = None
    pages: int | None = None
    warnings: list[str] = Field(default_factory=list, description="reader notes in Chinese")


class Document(_Node):
    """A document tree: its blocks in reading order, and what identifies it — a rendered form (kind,
    variant, title…) or a read file (``source``)."""

    blocks: list[Block]
    kind: str = ""
    variant: str = ""
    title: str = ""
    jurisdiction: str = ""
    model_text: str | None = Field(None, description="corpus address of the model text it follows")
    note: str | None = Field(None, description="e.g. which model text was borrowed")
    cover: bool = Field(False, description="the first page is a cover: no page number, numbering starts after it")
    source: Source | None = None

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph in reading order, those in table cells included."""

        def walk(blocks: list) -> Iterator[Paragraph]:
            for b in blocks:
                if isinstance(b, Paragraph):
                    yield b
                elif isinstance(b, Table):
                    for row in b.rows:
                        for cell in row.cells:
                            yield from walk(cell.blocks)

        return walk(self.blocks)

    def plain_text(self) -> str:
        """All text in reading order (for checks, search and tests)."""
        return "\n".join(p.text for p in self.paragraphs())
