"""The document model every rule consumes: a flat view of the document tree a reader produced.

A reader (``checkers.extract``) turns a DOCX, PDF, text, Markdown or HTML file into a document tree
(``ecodoc.tree``: paragraphs with roles, tables with cells, header and footer lines…);
``checkers.extract.view.flat_view`` derives from it a flat list of text blocks in reading order,
each with its location in the source, so that a finding can say "paragraph 12, page 2" and quote
the passage. The tree stays reachable as ``Document.tree``.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

from ecodoc import tree as doctree
from ecodoc.tree import DocFormat, Location

__all__ = ["Block", "BlockKind", "DocFormat", "Document", "Location", "from_text"]

BlockKind = Literal["paragraph", "heading", "table_cell", "header", "footer", "textbox", "footnote"]


class Block(BaseModel):
    """A unit of text in reading order (a paragraph, a table cell, a header line…)."""

    index: int = Field(description="0-based position in Document.blocks")
    kind: BlockKind = "paragraph"
    text: str
    location: Location
    style: str | None = Field(None, description="source style name if any, e.g. Heading 1")


class Document(BaseModel):
    """A read document: its blocks and what the reader noticed."""

    file: str
    format: DocFormat
    blocks: list[Block]
    encoding: str | None = None
    pages: int | None = None
    warnings: list[str] = Field(default_factory=list, description="reader notes in Chinese")

    # (identity and length of ``blocks`` it was built for, text, start offset of each block)
    _index: tuple[int, int, str, list[int]] | None = PrivateAttr(default=None)
    _tree: doctree.Document | None = PrivateAttr(default=None)

    @property
    def tree(self) -> doctree.Document | None:
        """The document tree these blocks were derived from (None for ``from_text``)."""
        return self._tree

    def _offsets(self) -> tuple[str, list[int]]:
        """The joined text and each block's start offset, built once per list of blocks (so that
        ``text``, ``block_at`` and ``offset_of`` cost O(1) / O(log n), not a pass over the text)."""
        # (read through __pydantic_private__: ``self._index`` goes through pydantic's __getattr__, about
        # 2 µs, and this is asked some 60 times per check)
        blocks = self.blocks
        index = self.__pydantic_private__["_index"]
        if index is None or index[0] != id(blocks) or index[1] != len(blocks):
            starts, position = [], 0
            for block in blocks:
                starts.append(position)
                position += len(block.text) + 1
            index = (id(blocks), len(blocks), "\n".join(b.text for b in blocks), starts)
            self._index = index
        return index[2], index[3]

    @property
    def text(self) -> str:
        """The whole text, blocks joined by newlines (offsets map back through ``block_at``)."""
        return self._offsets()[0]

    def block_at(self, offset: int) -> Block:
        """The block containing character ``offset`` of ``text`` (the newline after a block
        belongs to that block)."""
        _text, starts = self._offsets()
        if not starts:
            raise IndexError("document has no blocks")
        return self.blocks[max(0, bisect_right(starts, offset) - 1)]

    def offset_of(self, block: Block) -> int:
        """The offset in ``text`` where ``block`` starts."""
        return self._offsets()[1][block.index]

    def tables(self) -> dict[int, list[Block]]:
        """The cells of each table (by its number in the source), in reading order; rows and columns
        are in each cell's ``location``."""
        out: dict[int, list[Block]] = {}
        for block in self.blocks:
            if block.kind == "table_cell" and block.location.table is not None:
                out.setdefault(block.location.table, []).append(block)
        return out


def from_text(text: str, file: str = "<text>") -> Document:
    """A Document from plain text: one block per non-empty line (tests, stdin, the API)."""
    blocks = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            blocks.append(Block(index=len(blocks), text=line.strip(),
                                location=Location(paragraph=len(blocks) + 1, line=number)))
    return Document(file=file, format="txt", blocks=blocks)
