"""Markdown (CommonMark + GFM tables): for review, diffs and pasting; layout reduced to structure.

- title ``#``, headings h1–h4 ``##``–``#####``; bold ``**…**``; underline has no Markdown form (dropped);
- a blank for handwriting is ``＿＿＿＿`` (one full-width low line per character);
- tables are GFM pipe tables (the first row is the header row, as GFM requires); a cell merged
  across columns shows its text in its first column and ``←`` in the others, one merged down shows
  ``↑`` in the rows below — the grid stays rectangular and no text is repeated;
- every character Markdown would read as syntax is backslash-escaped, so case data such as
  ``*`` ``_`` ``[`` ``<`` ``|`` ``&`` stays literal text.
"""

from __future__ import annotations

import re

from ecodoc.tree import Document, PageBreak, Paragraph, Run, Table

from .common import check_text, table_grid

MARKDOWN_MIME = "text/markdown; charset=utf-8"
BLANK = "＿"
_INLINE = re.compile(r"([\\`*_\[\]<>|&~!])")
_LINE_START = re.compile(r"^([ \t]*)([#>+=-]|\d+[.)])", re.MULTILINE)
_HEADING = {"title": "# ", "h1": "## ", "h2": "### ", "h3": "#### ", "h4": "##### "}


def escape(text: str) -> str:
    """Markdown-escape inline syntax."""
    check_text(text)
    return _INLINE.sub(r"\\\1", text)


def _escape_line_starts(text: str) -> str:
    """Escape what would start a block (heading, quote, list, setext line) at the start of a line."""
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _run(run: Run, newline: str) -> str:
    if run.br:
        return newline
    if run.blank:
        return BLANK * run.blank
    lines = [escape(line) for line in run.text.split("\n")]
    text = newline.join(lines)
    if run.bold and text.strip():
        text = f"**{text}**"
    return text


def _inline(p: Paragraph, newline: str) -> str:
    return "".join(_run(r, newline) for r in p.runs)


def _paragraph(p: Paragraph) -> str:
    text = _escape_line_starts(_inline(p, "\\\n"))
    return _HEADING.get(p.role, "") + text if text else ""


def _table(t: Table) -> str:
    columns, grid = table_grid(t)
    lines: list[str] = []
    for r, slots in enumerate(grid):
        cells: list[str] = []
        for slot in slots:
            if slot.continued:
                content = "↑"
            else:
                content = "<br>".join(_inline(p, "<br>") for p in slot.cell.blocks).strip()
            cells.append(content)
            cells += ["←"] * (slot.colspan - 1)
        lines.append("| " + " | ".join(cells) + " |")
        if r == 0:
            lines.append("|" + "|".join(" --- " for _ in range(columns)) + "|")
    return "\n".join(lines)


def markdown_text(doc: Document) -> str:
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = _paragraph(block)
            if text:
                out.append(text)
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, PageBreak):
            out.append("---")
    return "\n\n".join(out) + "\n"


def markdown_bytes(doc: Document) -> bytes:
    return markdown_text(doc).encode("utf-8")
