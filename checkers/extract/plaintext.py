"""Plain text: decoded by :func:`decode_text`, lines grouped into paragraphs, line numbers kept.

A table drawn with characters ("┃被告知人 ┃某某公司", "| 名称 | 某某局 |") or exported with tabs
between the columns ("申请人名称\t某某局") is read as a table of the tree, one cell per column; the
checker's view reads it as a DOCX table (a label | value row as "label：value"); so is a numbered
table whose cells came one per line (:mod:`checkers.extract.columns`).
"""

from __future__ import annotations

import re

from checkers.extract.columns import tables_from_columns
from checkers.extract.encoding import decode_text
from checkers.extract.text import join_lines
from ecodoc.tree import Cell, Document, Location, Paragraph, Row, Source, Table, runs_of

#: the characters that separate the cells of a drawn table row
_BARS = "┃│|｜║"
#: a row of a drawn table: it starts with a bar and has another one after some text
_ROW = re.compile(rf"^[ \t　]*[{_BARS}][^{_BARS}\n]*\S[^{_BARS}\n]*[{_BARS}]?")
#: a border line of a drawn table ("┏━━┳━━┓", "+----+----+", "|---|---|", "├──┼──┤")
_BORDER = re.compile(r"^[ \t　]*[┏┓┗┛┣┫┳┻╋━─┌┐└┘├┤┬┴┼═╔╗╚╝╠╣╦╩╬+\-=:|┃│║｜ ]+$")


#: a row exported with tabs between its columns
_TAB_ROW = re.compile(r"\S[ 　]*\t+[ \t　]*\S")


def _is_border(line: str) -> bool:
    return bool(line.strip()) and bool(_BORDER.match(line)) and not re.search(r"[\w\u4e00-\u9fff]", line)


def _cells(line: str) -> list[str]:
    if _TAB_ROW.search(line) and not re.search(rf"[{_BARS}]", line):
        return [part.strip() for part in line.strip().split("\t") if part.strip()]
    parts = re.split(rf"[{_BARS}]", line.strip())
    if parts and not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [part.strip() for part in parts]


def read_text(data: bytes, file: str) -> Document:
    """Read a plain-text document; each paragraph records the line it starts on."""
    text, encoding = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    blocks: list[Paragraph | Table] = []
    prose: list[tuple[int, str]] = []
    rows: list[Row] = []
    tables = 0

    def flush_prose() -> None:
        for line, paragraph in join_lines(prose, ragged=True):
            blocks.append(Paragraph(runs=runs_of(paragraph), location=Location(line=line)))
        prose.clear()

    def flush_table() -> None:
        nonlocal tables
        if rows:
            tables += 1
            blocks.append(Table(rows=list(rows), location=Location(table=tables)))
            rows.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        if (_ROW.match(line) or _TAB_ROW.search(line)) and not _is_border(line):
            flush_prose()
            rows.append(Row(cells=[
                Cell(blocks=[Paragraph(runs=runs_of(cell))],
                     location=Location(table=tables + 1, row=len(rows) + 1, cell=index + 1, line=number))
                for index, cell in enumerate(_cells(line))]))
        elif rows and _is_border(line):
            continue  # a rule between rows
        else:
            flush_table()
            prose.append((number, line))
    flush_table()
    flush_prose()
    return Document(blocks=tables_from_columns(blocks, tables + 1), source=Source(file=file, format="txt", encoding=encoding))
