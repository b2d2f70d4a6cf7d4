"""HTML via lxml.html with a hardened parser: block elements in document order, scripts skipped."""

from __future__ import annotations

import re
from typing import get_args

from lxml import etree, html

from checkers.extract.encoding import decode_text
from checkers.extract.errors import InputError
from checkers.extract.text import clean
from ecodoc.tree import (
    HEADING_ROLES,
    Cell,
    Document,
    Location,
    Paragraph,
    Role,
    Row,
    Source,
    Table,
    heading_role,
    runs_of,
)

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link",
                   "iframe", "object", "embed", "svg", "math", "button", "select", "textarea"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset({"p", "li", "div", "blockquote", "pre", "dt", "dd", "caption", "address",
                     "section", "article", "header", "footer", "main", "aside", "nav", "figure",
                     "figcaption", "form", "fieldset", "ul", "ol", "dl", "table", "tr", "tbody",
                     "thead", "tfoot", "center", "body", "html", "hr", *_HEADINGS})
_ROLES = frozenset(get_args(Role))
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parser() -> html.HTMLParser:
    return html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                           default_doctype=False, collect_ids=False)


def read_html(data: bytes, file: str) -> Document:
    """Read HTML: p/li/div → paragraphs, h1–h6 → heading roles, tables → cells with their spans (line kept)."""
    source, encoding = decode_text(data, what="HTML 文件")
    source = _XML_DECLARATION.sub("", source)
    try:
        root = html.document_fromstring(source, parser=_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise InputError("HTML 文件无法解析，可能已损坏或内容为空") from None
    walker = _Walker()
    walker.walk(root)
    walker.flush(root)
    return Document(blocks=walker.blocks, source=Source(file=file, format="html", encoding=encoding))


class _Walker:
    """Depth-first walk collecting inline text into the innermost open block."""

    def __init__(self) -> None:
        self.blocks: list[Paragraph | Table] = []
        self.buffer: list[str] = []
        self.line: int | None = None
        self.table = 0
        self.cell = False  # inside a td/th

    def flush(self, element: etree._Element, role: Role = "body", style: str | None = None) -> Paragraph:
        """The buffered text as a paragraph, added to the body unless inside a table cell or empty
        (a block element's start and end both flush)."""
        text = "".join(self.buffer)
        paragraph = Paragraph(runs=runs_of(text), role=role, style=style, location=Location(line=self.line))
        self.buffer.clear()
        self.line = None
        if not self.cell and clean(text):
            self.blocks.append(paragraph)
        return paragraph

    def text(self, value: str | None, element: etree._Element) -> None:
        if value:
            if self.line is None and value.strip():
                self.line = element.sourceline
            self.buffer.append(value)

    def walk(self, element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP or not tag:
            return
        if tag == "table":
            self._table(element)
            return
        block = tag in _BLOCKS and not self.cell
        if block:
            self.flush(element)
        if tag == "br":
            self.buffer.append("\n")
        self.text(element.text, element)
        for child in element:
            self.walk(child)
            self.text(child.tail, element)
        if tag in _HEADINGS and not self.cell:
            role = _class_role(element, heading=True) or heading_role(_HEADINGS[tag])
            self.flush(element, role, f"Heading {_HEADINGS[tag]}")
        elif block:
            self.flush(element, _class_role(element, heading=False) or "body")
        elif tag in _BLOCKS:
            self.buffer.append("\n")  # a paragraph inside a table cell: a line of the cell

    def _table(self, table: etree._Element) -> None:
        if self.cell:  # a nested table: each of its rows is a line of the enclosing cell, tabs between the cells
            for row in table.iter("tr"):
                if _owner_table(row) is not table:
                    continue  # (a row of a table nested deeper is read as text of its cell)
                cells = [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
                self.text("\t".join(" ".join(c.text_content().split()) for c in cells), row)
                self.buffer.append("\n")
            return
        self.flush(table)
        self.table += 1
        rows: list[Row] = []
        for row in table.iter("tr"):
            if row.getparent() is not None and _owner_table(row) is not table:
                continue
            cells: list[Cell] = []
            column = 0
            for cell in row:
                if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                    continue
                column += 1
                self.cell = True
                self.text(cell.text, cell)
                for child in cell:
                    self.walk(child)
                    self.text(child.tail, cell)
                where = Location(table=self.table, row=len(rows) + 1, cell=column, line=self.line)
                colspan, rowspan = _int(cell.get("colspan"), 1), _int(cell.get("rowspan"), 1)
                cells.append(Cell(blocks=[self.flush(cell)], colspan=colspan, rowspan=rowspan, location=where))
                self.cell = False
                column += colspan - 1
            rows.append(Row(cells=cells))
        self.blocks.append(Table(rows=rows, location=Location(table=self.table)))


def _class_role(element: etree._Element, *, heading: bool) -> Role | None:
    """The role a class names (``<h1 class="title">``, ``<p class="signature">``, as the HTML writer
    marks them), if it is a heading role for a heading element and another role for any other."""
    for name in (element.get("class") or "").split():
        if name in _ROLES and (name in HEADING_ROLES) == heading:
            return name  # type: ignore[return-value]
    return None


def _owner_table(row: etree._Element) -> etree._Element | None:
    parent = row.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or default), 1000))
    except ValueError:
        return default
