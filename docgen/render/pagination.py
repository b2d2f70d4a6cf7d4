"""Pagination intent a clerk would sign: a signature, seal and date block never stands alone on a page.

A closing block — the 此致/addressee lines, 附 lines, signature and seal lines ("（盖章）", "（签字）"),
dates, 签订时间/地点, and borderless signature tables — is chained with ``keep_with_next`` to the
blocks after it in the same closing, and the last two paragraphs of text before it are chained to it,
so a page break can only fall before that text. Writers turn the flag into ``w:keepNext`` (DOCX and
the PDF made from it); HTML and Markdown have no pages and ignore it.
"""

from __future__ import annotations

import re

from ecodoc.tree import Block, Paragraph, Row, Table

#: a paragraph that belongs to a closing (signature, seal, date, addressee, attachments)
CLOSING_TEXT = re.compile(r"^(?:此致|敬礼|附[：:件]|签订(?:时间|地点)|（以下无正文）|\(以下无正文\))"
                          r"|[（(][^）)]{0,12}(?:签字|签名|盖章|印章|捺印)[^）)]{0,12}[）)]")
CLOSING_ROLES = frozenset({"signature", "date", "addressee"})
#: paragraphs of text before a closing that are kept with it
LEAD = 2


def _closing(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return block.role in CLOSING_ROLES or bool(CLOSING_TEXT.search(block.text))
    return isinstance(block, Table) and not block.borders


def _row_kept(row: Row) -> Row:
    return Row(cells=[c.model_copy(update={"blocks": [p.model_copy(update={"keep_with_next": True})
                                                      for p in c.blocks]}) for c in row.cells])


def _kept(block: Block, *, last_row: bool = True) -> Block:
    """``block`` kept with what follows it; a table's rows kept with the next row (and its last row with
    what follows the table only when ``last_row``)."""
    if isinstance(block, Paragraph):
        return block.model_copy(update={"keep_with_next": True})
    if isinstance(block, Table):  # every paragraph of a row keeps it with what follows
        rows = [r if (i == len(block.rows) - 1 and not last_row) else _row_kept(r) for i, r in enumerate(block.rows)]
        return block.model_copy(update={"rows": rows})
    return block


def _last_rows_together(table: Table) -> Table:
    """A table's last row never stands alone on a page: the row before it is kept with it."""
    if len(table.rows) < 2:
        return table
    rows = list(table.rows)
    rows[-2] = _row_kept(rows[-2])
    return table.model_copy(update={"rows": rows})


def keep_closings_together(blocks: list[Block]) -> list[Block]:
    """The blocks with ``keep_with_next`` set through every closing and the text (or the last table row)
    just before it, and the last two rows of every table kept together."""
    out = [_last_rows_together(b) if isinstance(b, Table) else b for b in blocks]
    i = 0
    while i < len(out):
        if not _closing(out[i]):
            i += 1
            continue
        end = i
        while end + 1 < len(out) and _closing(out[end + 1]):
            end += 1
        for k in range(i, end):  # the closing holds together (its last block ends the chain) ...
            out[k] = _kept(out[k])
        if isinstance(out[end], Table):  # ... and so do the rows of a signature table that ends it
            out[end] = _kept(out[end], last_row=False)
        for k in range(i - 1, max(i - 1 - LEAD, -1), -1):  # the text just before it, never a title
            before = out[k]
            if isinstance(before, Table):  # a form's signing lines under it go with its last row
                out[k] = before.model_copy(update={"rows": [*before.rows[:-1], _row_kept(before.rows[-1])]})
                break
            if not isinstance(before, Paragraph) or before.role in ("title", "subtitle"):
                break
            out[k] = _kept(before)
        i = end + 1
    return out

