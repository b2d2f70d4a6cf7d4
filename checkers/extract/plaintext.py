"""Plain text: decoded by :func:`decode_text`, lines grouped into paragraphs, line numbers kept.

A table drawn with characters ("┃被告知人 ┃某某公司", "| 名称 | 某某局 |"), exported with tabs
between the columns ("申请人名称\t某某局") or laid out with spaces (rows of three or more cells with a
figure; a row's cells placed under the header's columns they stand under) is read as a table of the
tree, one cell per column; the
checker's view reads it as a DOCX table (a label | value row as "label：value"); so is a numbered
table whose cells came one per line (:mod:`checkers.extract.columns`).
"""

from __future__ import annotations

import re
import unicodedata

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


#: what parts a row's cells where a table was laid out with spaces: two or more spaces, or full-width ones
_SPACE_GAP = re.compile(r"[ \t]*　[ \t　]*|[ \t]{2,}")
#: a cell that is a figure ("162,000.00", "0.00", "94,815.00元")
_FIGURE_CELL = re.compile(r"[￥¥]?[\d,，]+(?:[.．]\d+)?(?:万?元)?")


#: a table's total row
_TOTAL_ROW = re.compile(r"[ \t　]*(?:合[ \t　]*计|总[ \t　]*计|小[ \t　]*计)")


def _spaced_cells(line: str) -> list[str]:
    return [c for c in _SPACE_GAP.split(line.strip()) if c]


def _spans(line: str) -> list[tuple[int, int, str]]:
    """The cells of a line laid out with spaces and where each stands, in display columns (a CJK
    character is two wide)."""
    widths = [2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line]
    out, at = [], 0
    for m in [*_SPACE_GAP.finditer(line), None]:
        end = m.start() if m else len(line)
        if line[at:end].strip():
            start = sum(widths[:at])
            out.append((start, start + sum(widths[at:end]), line[at:end].strip()))
        if m:
            at = m.end()
    return out


def _aligned(line: str, header: str) -> list[str]:
    """The cells of ``line`` placed under the columns of ``header`` they overlap most (empty cells kept)."""
    columns = _spans(header)
    cells = [""] * len(columns)
    for a, b, text in _spans(line):
        overlap = [max(0, min(b, cb) - max(a, ca)) for ca, cb, _t in columns]
        best = max(range(len(columns)), key=lambda i: (overlap[i], -abs(columns[i][0] - a)))
        cells[best] = f"{cells[best]} {text}".strip()
    return cells


def _spaced_rows(lines: list[tuple[int, str]]) -> set[int]:
    """The line numbers of a table laid out with spaces ("第三期　　2025年9月30日　    150,000.00　　90,000.00"):
    runs of at least three rows of three or more cells, each with a figure, perhaps rules between them,
    with the line of column names just above and a 合计 row."""
    def row(line: str, least: int = 3) -> bool:
        if re.search(rf"[{_BARS}]|[。；;]", line):
            return False  # (a table drawn with bars is read by its bars; a sentence is no row)
        cells = _spaced_cells(line)
        return len(cells) >= least and any(_FIGURE_CELL.fullmatch(c) for c in cells)

    found: set[int] = set()
    run: list[int] = []
    for k, (_number, line) in enumerate([*lines, (0, "")]):
        if row(line) or (run and _is_border(line)) or (run and _TOTAL_ROW.match(line) and row(line, 2)):
            run.append(k)  # (the 合计 row may leave its first columns empty: two cells)
            continue
        rows = [i for i in run if not _is_border(lines[i][1])]
        if len(rows) >= 3:
            first = run[0]
            while first > 0 and _is_border(lines[first - 1][1]):
                first -= 1
            if first > 0 and len(_spaced_cells(lines[first - 1][1])) >= 3:
                first -= 1  # the column names
            found |= {lines[i][0] for i in range(first, run[-1] + 1) if not _is_border(lines[i][1])}
        run = []
    return found


def _cells(line: str, spaced: bool = False) -> list[str]:
    if spaced:
        return _spaced_cells(line)
    if _TAB_ROW.search(line) and not re.search(rf"[{_BARS}]", line):
        return [part.strip() for part in line.strip().split("\t") if part.strip()]
    parts = re.split(rf"[{_BARS}]", line.strip())
    if parts and not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [part.strip() for part in parts]


#: a quoted line of an e-mail reply ("> 强制执行申请书", ">> …")
_QUOTED = re.compile(r"^[ \t　]*(?:>[ \t　]?)+")
#: the line that opens a forwarded or replied-to message in a mail client's copy
_MAIL_MARK = re.compile(r"^[ \t　]*(?:-{2,}[ \t　]*(?:原始邮件|转发邮件|转发的邮件|邮件原文|Original Message|Forwarded message)[ \t　]*-{2,}"
                        r"|在[^\n]{4,60}写道[：:]|On [^\n]{4,80} wrote:)[ \t　]*$", re.I)
#: a header line of the message below that mark
_MAIL_HEADER = re.compile(r"^[ \t　]*(?:发件人|收件人|抄送|密送|发送时间|发送日期|时间|日期|主题|From|To|Cc|Sent|Date|Subject)[ \t　]*[：:]", re.I)
#: how many quoted lines make a reply whose quote is the document
_QUOTED_MIN = 8


def _mail_body(lines: list[str]) -> tuple[list[tuple[int, str]], str | None]:
    """An e-mail's copy: the document it carries, as (line number, line), and a note on what was left
    out. A reply that quotes the document ("> …" on most lines) is read as the quoted lines; a forwarded
    message as what follows its "-----原始邮件-----" mark and header lines. Other text: every line."""
    numbered = list(enumerate(lines, start=1))
    filled = [(n, line) for n, line in numbered if line.strip()]
    quoted = [(n, line) for n, line in filled if _QUOTED.match(line)]
    if len(quoted) >= _QUOTED_MIN and len(quoted) >= 0.6 * len(filled):
        first, last = quoted[0][0], quoted[-1][0]
        body = [(n, _QUOTED.sub("", line) if _QUOTED.match(line) else line) for n, line in numbered
                if first <= n <= last]
        return body, f"按邮件中引用的内容（第{first}—{last}行）审查，引用之外的回复文字不作为文书内容"
    for k, (_n, line) in enumerate(numbered[:40]):
        if _MAIL_MARK.match(line):
            j = k + 1
            while j < len(numbered) and (_MAIL_HEADER.match(numbered[j][1]) or not numbered[j][1].strip()):
                j += 1
            if j > k + 1 and j < len(numbered):
                return numbered[j:], f"按转发邮件中的正文（第{numbered[j][0]}行起）审查，邮件的转发说明和信头不作为文书内容"
            break
    return numbered, None


def read_text(data: bytes, file: str) -> Document:
    """Read a plain-text document; each paragraph records the line it starts on. An e-mail's copy is
    read as the document it carries (:func:`_mail_body`)."""
    text, encoding = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines, mail_note = _mail_body(text.split("\n"))
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

    spaced = _spaced_rows(lines)
    header: str | None = None
    for number, line in lines:
        if (_ROW.match(line) or _TAB_ROW.search(line) or number in spaced) and not _is_border(line):
            if number in spaced and rows and rows[-1].cells and (rows[-1].cells[0].location or Location()).line \
                    not in spaced:
                flush_table()  # (a drawn table right above is another table)
            flush_prose()
            cells = _cells(line, spaced=number in spaced)
            if number in spaced and rows and len(cells) < len(rows[0].cells) and header is not None:
                # a row with empty cells ("合计　　　　612,000.00　240,000.00"): each cell under the column it
                # stands under on the line
                cells = _aligned(line, header)
            if number in spaced and not rows:
                header = line
            rows.append(Row(cells=[
                Cell(blocks=[Paragraph(runs=runs_of(cell))],
                     location=Location(table=tables + 1, row=len(rows) + 1, cell=index + 1, line=number))
                for index, cell in enumerate(cells)]))
        elif rows and _is_border(line):
            continue  # a rule between rows
        else:
            flush_table()
            prose.append((number, line))
    flush_table()
    flush_prose()
    return Document(blocks=tables_from_columns(blocks, tables + 1),
                    source=Source(file=file, format="txt", encoding=encoding, warnings=[mail_note] if mail_note else []))
