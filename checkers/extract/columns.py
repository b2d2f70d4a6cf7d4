"""A table whose cells came out one per line: rebuilt as a table of the tree.

Text copied out of a Word table, a PDF's table read line by line, or an office system's export gives
each cell its own line, row after row::

    序号 / 被告知人 / 法定代表人 / 统一社会信用代码 / 地址 / 1 / 柳州市华鑫电镀有限公司 / 覃小军 / 9145… / 柳州市… / 2 / …

The column count is known only where the rows are told apart: a header starting with 序号 (or
编号) and rows starting with 1, 2, 3… in turn, or a parties table under 当事人 whose rows each open
with a role (赔偿权利人, 赔偿义务人（乙方）…). Such a run of short body paragraphs becomes a table
(header row, one row per number or role, and a 合计 row with its amount if one follows), so that the
party and cost-table readers read it as they read the DOCX table it came from. Anything else stays prose.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from checkers.extract.labels import role_labels
from ecodoc.tree import Block, Cell, Location, Paragraph, Row, Table

#: the first header cell of a numbered table
_NUMBER_HEADER = re.compile(r"序[ \t　]*号|编[ \t　]*号")
#: the first header cell of a parties table whose rows each open with a party's role
_ROLE_HEADER = re.compile(r"当事人(?:身份|类别|类型)?|主体|身份")
#: a header cell: a short label, no sentence
_HEADER_CELL = re.compile(r"[^。；;，,：:]{1,24}")
#: a total row's label, and the amount after it
_TOTAL = re.compile(r"合[ \t　]*计|总[ \t　]*计|小[ \t　]*计")
_AMOUNT = re.compile(r"[（(]?[¥￥]?[0-9][0-9,，.]*(?:万?元)?[）)]?")
#: how many columns a rebuilt table may have, and how long a cell may be
_MAX_COLUMNS = 8
_MAX_CELL = 120
#: a total row's cells are short and no sentence (the prose after a table is)
_MAX_TOTAL_CELL = 40
_SENTENCE = re.compile(r"[。；;]")


@functools.cache
def _role_cell() -> re.Pattern[str]:
    """A party's role opening a row ("赔偿权利人指定的部门（甲方）", "赔偿义务人（乙方）", "申请人二")."""
    return re.compile(rf"(?:{role_labels()})[^\s，,。；;：:]{{0,16}}")


def _text(block: Block) -> str | None:
    """A body paragraph's text on one line; None for anything else."""
    if not isinstance(block, Paragraph) or block.part != "body" or block.role not in ("body", "label"):
        return None
    return " ".join(block.text.split())


def _lead(kind: str, number: int, text: str | None) -> bool:
    """Whether ``text`` opens row ``number`` of a table of ``kind``."""
    if text is None:
        return False
    if kind == "numbered":
        return text == str(number)
    return bool(_role_cell().fullmatch(text))


def _header(blocks: Sequence[Block], at: int) -> tuple[int, str]:
    """How many header cells a table starting at ``blocks[at]`` has (0: none starts there), and the kind
    of its rows: numbered (under 序号) or each led by a party's role (under 当事人)."""
    first = _text(blocks[at])
    if first is None:
        return 0, ""
    kind = "numbered" if _NUMBER_HEADER.fullmatch(first) else "roles" if _ROLE_HEADER.fullmatch(first) else ""
    if not kind:
        return 0, ""
    k = at + 1
    while k < len(blocks) and k - at <= _MAX_COLUMNS:
        text = _text(blocks[k])
        if text is None:
            return 0, ""
        if _lead(kind, 1, text):
            return (k - at, kind) if k - at >= 3 else (0, "")  # the lead column and at least two more
        if not _HEADER_CELL.fullmatch(text) or text.isdigit():
            return 0, ""
        k += 1
    return 0, ""


def _cell(block: Block, table: int, row: int, cell: int, colspan: int = 1) -> Cell:
    assert isinstance(block, Paragraph)
    where = block.location or Location()
    return Cell(blocks=[block.model_copy(update={"location": None})], colspan=colspan,
                location=where.model_copy(update={"table": table, "row": row, "cell": cell}))


def _row(cells: list[Block], table: int, row: int, amounts: int | None) -> Row:
    """A row of the rebuilt table; a 合计 row (two cells) has its label span the columns before the
    amounts' column and its amount in that column, as the merged cells of the table it came from."""
    if len(cells) == 2 and amounts is not None and amounts > 1:
        return Row(cells=[_cell(cells[0], table, row, 1, colspan=amounts - 1),
                          _cell(cells[1], table, row, amounts)])
    return Row(cells=[_cell(b, table, row, c) for c, b in enumerate(cells, start=1)])


def _amount_column(rows: list[list[Block]]) -> int | None:
    """The column (1-based) whose every numbered row holds an amount, if one does."""
    numbered = [r for r in rows[1:] if len(r) == len(rows[0])]
    for c in range(1, len(rows[0])):
        if numbered and all(_AMOUNT.fullmatch(_text(r[c]) or "") for r in numbered):
            return c + 1
    return None


def _rows(blocks: Sequence[Block], at: int, width: int, kind: str) -> tuple[list[list[Block]], int]:
    """The rows of the table whose header (``width`` cells) starts at ``blocks[at]``, and the index
    after them."""
    rows: list[list[Block]] = [list(blocks[at:at + width])]
    k, number = at + width, 1
    while k + width <= len(blocks) and _lead(kind, number, _text(blocks[k])):
        cells = list(blocks[k:k + width])
        texts = [_text(b) for b in cells]
        if any(t is None or not t or len(t) > _MAX_CELL for t in texts[1:]) \
                or any(_lead(kind, number + 1, t) for t in texts[1:]):
            break  # a short row: the next row's lead comes inside it, or prose follows
        rows.append(cells)
        k += width
        number += 1
    if len(rows) > 1 and k + 1 < len(blocks) and _TOTAL.fullmatch(_text(blocks[k]) or ""):
        rest = [_text(b) for b in blocks[k + 1:k + width]]
        if len(rest) == width - 1 and all(t and len(t) <= _MAX_TOTAL_CELL and not _SENTENCE.search(t) for t in rest) \
                and any(_AMOUNT.fullmatch(t or "") for t in rest):
            rows.append(list(blocks[k:k + width]))  # "合计 / 人民币贰拾伍万…元整 / 257,650.00": a full row
            k += width
        elif _AMOUNT.fullmatch(rest[0] or ""):
            rows.append(list(blocks[k:k + 2]))  # "合计 / 1,434,500.00": the label over merged cells
            k += 2
    return rows, k


def tables_from_columns(blocks: Sequence[Block], first_table: int) -> list[Block]:
    """``blocks`` with each numbered table laid out one cell per paragraph rebuilt as a table (numbered
    from ``first_table`` on)."""
    out: list[Block] = []
    table, k = first_table, 0
    while k < len(blocks):
        width, kind = _header(blocks, k)
        rows, end = _rows(blocks, k, width, kind) if width else ([], k)
        if len(rows) < 2:
            out.append(blocks[k])
            k += 1
            continue
        amounts = _amount_column(rows)
        out.append(Table(rows=[_row(cells, table, r, amounts) for r, cells in enumerate(rows, start=1)],
                         location=Location(table=table)))
        table += 1
        k = end
    return out
