"""The template dialect: a small XML vocabulary that templates emit and that becomes the block tree.

Templates are Jinja2 with autoescaping on, so case data is XML-escaped on the way in; the result
is parsed here with a hardened lxml parser (no DTD, no entities, no network). Whitespace that
contains a newline is template formatting and is dropped (Chinese text has no spaces between
words); other spaces are kept.

Paragraph elements (attributes ``align``, ``indent``, ``keep="next"``)::

    <title> <subtitle> <h1>…<h4> <p> <label> <sign> <date> <note> <addressee> <docnumber>

Inline: ``<b>``, ``<u>``, ``<font f="heiti">``, ``<blank w="8"/>`` (a fill-in line), ``<br/>``.
Tables: ``<table widths="1,2,1,2" borders="1" header="1">`` (header: rows repeated on each page) of ``<tr>`` of ``<td colspan rowspan align valign h>``
holding inline content or ``<p>`` children. ``<pagebreak/>``. ``<doc cover="1">``: the first page is a
cover (no page number; numbering starts on the next page). Closings are kept with their text
(pagination.py).
"""

from __future__ import annotations

import re

from lxml import etree

from ecodoc.tree import Block, Cell, Document, PageBreak, Paragraph, Row, Run, Table
from ecokernel.safexml import thread_parser

from .pagination import keep_closings_together

_PARAGRAPH_ROLES = {"title", "subtitle", "h1", "h2", "h3", "h4", "p", "label", "sign", "date", "note",
                    "addressee", "docnumber"}
_ROLE = {"p": "body", "sign": "signature"}
_LAYOUT_SPACE = re.compile(r"[ \t\r]*\n\s*")


class MarkupError(ValueError):
    """The XML a template produced is not valid dialect (a template bug, not a data problem)."""


def _text(value: str | None) -> str:
    return _LAYOUT_SPACE.sub("", value or "")


def _runs(element: etree._Element, *, bold: bool = False, underline: bool = False,
          font: str | None = None) -> list[Run]:
    runs: list[Run] = []

    def add(text: str | None) -> None:
        text = _text(text)
        if text:
            runs.append(Run(text=text, bold=bold, underline=underline, font=font))  # type: ignore[arg-type]

    add(element.text)
    for child in element:
        tag = child.tag
        if tag == "b":
            runs += _runs(child, bold=True, underline=underline, font=font)
        elif tag == "u":
            runs += _runs(child, bold=bold, underline=True, font=font)
        elif tag == "font":
            runs += _runs(child, bold=bold, underline=underline, font=child.get("f"))
        elif tag == "blank":
            runs.append(Run(blank=int(child.get("w", "8")), underline=True))
        elif tag == "br":
            runs.append(Run(br=True))
        else:
            raise MarkupError(f"段落中不允许的元素 <{tag}>（第{child.sourceline}行）")
        add(child.tail)
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same style (fewer runs, same text)."""
    out: list[Run] = []
    for run in runs:
        if out and not run.blank and not run.br and not out[-1].blank and not out[-1].br and \
                (out[-1].bold, out[-1].underline, out[-1].font) == (run.bold, run.underline, run.font):
            out[-1] = out[-1].model_copy(update={"text": out[-1].text + run.text})
        else:
            out.append(run)
    return out


def _paragraph(element: etree._Element) -> Paragraph:
    role = _ROLE.get(element.tag, element.tag)
    indent = element.get("indent")
    return Paragraph(runs=_runs(element), role=role, align=element.get("align"),  # type: ignore[arg-type]
                     indent=int(indent) if indent is not None else None,
                     keep_with_next=element.get("keep") == "next")


def _cell(element: etree._Element) -> Cell:
    children = [c for c in element if c.tag in _PARAGRAPH_ROLES]
    if children:
        if _text(element.text) or any(c.tag not in _PARAGRAPH_ROLES for c in element):
            raise MarkupError(f"单元格内段落与行内文字混用（第{element.sourceline}行）")
        blocks = [_paragraph(c) for c in children]
    else:
        blocks = [Paragraph(runs=_runs(element), role="body", indent=0, align=element.get("align"))]  # type: ignore[arg-type]
    return Cell(blocks=blocks, colspan=int(element.get("colspan", "1")), rowspan=int(element.get("rowspan", "1")),
                align=element.get("align", "left"), valign=element.get("valign", "center"),  # type: ignore[arg-type]
                min_height=int(element.get("h", "0")))


def _table(element: etree._Element) -> Table:
    rows = [Row(cells=[_cell(td) for td in tr if td.tag == "td"]) for tr in element if tr.tag == "tr"]
    widths = [int(w) for w in element.get("widths", "").split(",") if w.strip()]
    columns = max((sum(c.colspan for c in r.cells) for r in rows), default=0)
    if not widths:
        widths = [1] * columns
    return Table(rows=rows, widths=widths, borders=element.get("borders", "1") != "0",
                 header_rows=int(element.get("header", "0")))


def parse_markup(xml: str, *, kind: str, variant: str, jurisdiction: str = "", model_text: str | None = None,
                 note: str | None = None) -> Document:
    """Parse the XML a template produced into a block tree."""
    try:
        root = etree.fromstring(xml.encode("utf-8"), thread_parser())
    except etree.XMLSyntaxError as exc:
        line = xml.splitlines()[exc.lineno - 1] if 0 < exc.lineno <= len(xml.splitlines()) else ""
        raise MarkupError(f"模板输出不是合法的 XML：{exc.msg}（第{exc.lineno}行：{line.strip()[:60]}）") from None
    if root.tag != "doc":
        raise MarkupError("模板输出的根元素应为 <doc>")
    blocks: list[Block] = []
    for element in root:
        if element.tag in _PARAGRAPH_ROLES:
            blocks.append(_paragraph(element))
        elif element.tag == "table":
            blocks.append(_table(element))
        elif element.tag == "pagebreak":
            blocks.append(PageBreak())
        else:
            raise MarkupError(f"不认识的元素 <{element.tag}>（第{element.sourceline}行）")
    title = root.get("title") or next((b.text for b in blocks if isinstance(b, Paragraph) and b.role == "title"),
                                      kind)
    return Document(kind=kind, variant=variant, title=title, blocks=keep_closings_together(blocks),
                    jurisdiction=jurisdiction, model_text=model_text, note=note, cover=root.get("cover") == "1")
