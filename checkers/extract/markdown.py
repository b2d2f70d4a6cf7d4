"""Markdown via markdown-it-py: headings, paragraphs, list items and table cells, syntax stripped."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from checkers.document import BlockKind, Document
from checkers.extract.encoding import decode_text
from checkers.extract.text import BlockList, is_cjk

_TAG = re.compile(r"<[^>]*>")


def read_markdown(data: bytes, file: str) -> Document:
    """Read Markdown: ``#``/setext headings → heading blocks (style ``Heading N``), tables → cells."""
    source, encoding = decode_text(data, what="Markdown 文件")
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    blocks = BlockList()
    table = row = cell = 0
    in_table = False
    kind: BlockKind = "paragraph"
    style: str | None = None
    prefix = ""
    for token in parser.parse(source):
        line = token.map[0] + 1 if token.map else None
        match token.type:
            case "heading_open":
                kind, style = "heading", f"Heading {token.tag[1:]}"
            case "heading_close":
                kind, style = "paragraph", None
            case "list_item_open":
                # Ordered items keep their number ("1."), which segmentation relies on.
                prefix = f"{token.info}{token.markup} " if token.info else ""
            case "table_open":
                table, row, in_table = table + 1, 0, True
            case "tr_open":
                row, cell = row + 1, 0
            case "th_open" | "td_open":
                cell += 1
            case "inline":
                text = prefix + _inline_text(token)
                prefix = ""
                if in_table:
                    blocks.add(text, "table_cell", table=table, row=row, cell=cell, line=line)
                else:
                    blocks.add(text, kind, style=style, line=line)
            case "table_close":
                in_table = False
            case "fence" | "code_block" | "html_block":
                content = _TAG.sub("", token.content) if token.type == "html_block" else token.content
                blocks.add(content, line=line)
    return Document(file=file, format="md", blocks=blocks.blocks, encoding=encoding)


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
    return _SOFT_BREAK_RX.sub(_glue, "".join(parts))


_SOFT_BREAK = "\x01"
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SOFT_BREAK_RX = re.compile("(.?)\x01(.?)", re.DOTALL)


def _glue(match: re.Match[str]) -> str:
    """A wrapped source line: Chinese joins without a space, other text with one."""
    before, after = match.group(1), match.group(2)
    return before + ("" if is_cjk(before or " ") or is_cjk(after or " ") else " ") + after
