"""Markdown via markdown-it-py: headings, paragraphs, list items and table cells, syntax stripped."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from checkers.extract.encoding import decode_text
from checkers.extract.text import is_cjk
from ecodoc.tree import Cell, Document, Location, Paragraph, Role, Row, Source, Table, heading_role, runs_of

_TAG = re.compile(r"<[^>]*>")


def read_markdown(data: bytes, file: str) -> Document:
    """Read Markdown: ``#``/setext headings → heading roles (style ``Heading N``), tables → cells."""
    source, encoding = decode_text(data, what="Markdown 文件")
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    blocks: list[Paragraph | Table] = []
    rows: list[list[Cell]] = []
    table = cell = 0
    in_table = False
    role: Role = "body"
    style: str | None = None
    prefix = ""
    for token in parser.parse(source):
        line = token.map[0] + 1 if token.map else None
        match token.type:
            case "heading_open":
                role, style = heading_role(int(token.tag[1:])), f"Heading {token.tag[1:]}"
            case "heading_close":
                role, style = "body", None
            case "list_item_open":
                # Ordered items keep their number ("1."), which segmentation relies on.
                prefix = f"{token.info}{token.markup} " if token.info else ""
            case "table_open":
                table, in_table = table + 1, True
            case "tr_open":
                rows.append([])
                cell = 0
            case "th_open" | "td_open":
                cell += 1
            case "inline":
                text = prefix + _inline_text(token)
                prefix = ""
                if in_table:
                    where = Location(table=table, row=len(rows), cell=cell, line=line)
                    rows[-1].append(Cell(blocks=[Paragraph(runs=runs_of(text))], location=where))
                else:
                    blocks.append(Paragraph(runs=runs_of(text), role=role, style=style, location=Location(line=line)))
            case "table_close":
                blocks.append(Table(rows=[Row(cells=cells) for cells in rows], location=Location(table=table)))
                rows, in_table = [], False
            case "fence" | "code_block" | "html_block":
                content = _TAG.sub("", token.content) if token.type == "html_block" else token.content
                blocks.append(Paragraph(runs=runs_of(content), location=Location(line=line)))
    return Document(blocks=blocks, source=Source(file=file, format="md", encoding=encoding))


def _inline_text(token: Token) -> str:
    """The visible text of an inline token: emphasis, links and code marks dropped."""
    parts: list[str] = []
    for child in token.children or []:
        match child.type:
            case "text" | "code_inline":
                parts.append(child.content)
            case "image":
                parts.append(child.content)  # the alt text
            case "softbreak":
                parts.append(_SOFT_BREAK)
            case "hardbreak":
                parts.append("\n")
            case "html_inline" if _LINE_BREAK_TAG.fullmatch(child.content.strip()):
                parts.append("\n")  # "<br>" in a table cell: a line of the cell, as a DOCX cell has
            case "html_inline":
                pass
    return _join_lines("".join(parts))


_SOFT_BREAK = "\x01"
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


#: a source line that stands alone in a Chinese document: a short line ("此致", a label, a name), or one
#: that ends a sentence or a field, or a next line that starts a field or an item
_LINE_END = re.compile(r"(?:[。；;：:！？!?）)]|^.{1,14})$")
_LINE_START = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]|第[一二三四五六七八九十\d]+[条章]|附|此致|[\u4e00-\u9fff]{2,8}[：:])")


def _join_lines(text: str) -> str:
    """Soft breaks: a wrapped source line joins its paragraph (Chinese without a space); a line that
    stands alone in a Chinese document ("此致" / "郴州市中级人民法院") stays a line."""
    if _SOFT_BREAK not in text:
        return text
    lines = text.split(_SOFT_BREAK)
    out = lines[0]
    for line in lines[1:]:
        last = out.rsplit("\n", 1)[-1]
        cjk = is_cjk(last[-1:] or " ") or is_cjk(line[:1] or " ")
        if cjk and (_LINE_END.search(last) or _LINE_START.match(line)):
            out += "\n" + line
        else:
            out += ("" if cjk else " ") + line
    return out

