"""The block tree: the one intermediate form every output format is written from.

Templates produce it (through the XML dialect of ``templates.py``); writers consume it. It knows
about layout intent (a title, a level-2 heading, a table with merged cells, a right-aligned
signature, a blank for handwriting), never about a particular format.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Align = Literal["left", "center", "right", "justify"]
Font = Literal["fangsong", "heiti", "kaiti", "songti", "xiaobiaosong"]


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


class Paragraph(_Node):
    """A paragraph. ``role`` tells writers which GB/T 9704 element it is."""

    type: Literal["paragraph"] = "paragraph"
    runs: list[Run]
    role: Literal["body", "title", "subtitle", "h1", "h2", "h3", "h4", "label", "signature", "date", "note",
                  "addressee", "docnumber"] = "body"
    align: Align | None = None  # None: the role's default
    indent: int | None = None  # first-line indent in characters; None: the role's default
    keep_with_next: bool = False

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


class Row(_Node):
    cells: list[Cell]


class Table(_Node):
    """A table; ``widths`` are relative column widths (any positive numbers)."""

    type: Literal["table"] = "table"
    rows: list[Row]
    widths: list[int]
    borders: bool = True
    header_rows: int = Field(0, ge=0, description="leading rows repeated at the top of each page")


class PageBreak(_Node):
    type: Literal["pagebreak"] = "pagebreak"


Block = Annotated[Paragraph | Table | PageBreak, Field(discriminator="type")]


class Document(_Node):
    """A rendered form: its blocks plus what identifies it."""

    kind: str
    variant: str
    title: str
    blocks: list[Block]
    jurisdiction: str = ""
    model_text: str | None = Field(None, description="corpus address of the model text it follows")
    note: str | None = Field(None, description="e.g. which model text was borrowed")
    cover: bool = Field(False, description="the first page is a cover: no page number, numbering starts after it")

    def plain_text(self) -> str:
        """All text in reading order (for checks, search and tests)."""
        out: list[str] = []

        def walk(blocks: list) -> None:
            for b in blocks:
                if isinstance(b, Paragraph):
                    out.append(b.text)
                elif isinstance(b, Table):
                    for row in b.rows:
                        for cell in row.cells:
                            walk(cell.blocks)

        walk(self.blocks)
        return "\n".join(out)
