"""The checker's flat view of a read document tree: the one function that turns the tree a reader
produced (``ecodoc.tree``) into the :class:`~checkers.document.Document` every rule consumes.

How the rules read text is decided here, once for every format:

- a paragraph is one block; its kind comes from where it sits (``part``: a text box, a footnote, a
  header or footer line) or, in the body, from its role (a title or heading role → ``heading``); a
  Word numbering label goes before its text;
- a table cell is one block (its paragraphs' lines), a row of label | value cells of a DOCX, text,
  Markdown or HTML table reads "label：value" (``PAIRED_FORMATS``), and the text boxes anchored in
  the row's cells follow the row;
- whitespace is normalised (:func:`checkers.extract.text.clean`), empty blocks are dropped, body
  blocks are numbered (``Location.paragraph``), and each line is tidied (:func:`tidy_line`:
  bracketed labels, decorative bullets).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from checkers.document import Block, BlockKind, Document
from checkers.extract.labels import pair_cells, role_labels, tidy_line
from checkers.extract.ocr import note as ocr_note
from checkers.extract.ocr import repair as ocr_repair
from checkers.extract.text import clean
from ecodoc import tree as t

#: formats whose tables read a label | value row as "label：value" (as the same fields do in prose)
PAIRED_FORMATS = frozenset({"docx", "txt", "md", "html"})
#: block kinds numbered as body paragraphs (``Location.paragraph``)
BODY_KINDS: frozenset[str] = frozenset({"paragraph", "heading", "table_cell", "textbox"})


def flat_view(document: t.Document) -> Document:
    """The flat blocks of a read tree, in reading order, with the reader's source notes."""
    source = document.source or t.Source(file="<文书>", format="txt")
    blocks = _Blocks(chinese=_is_chinese(document))
    for node in document.blocks:
        if isinstance(node, t.Paragraph):
            blocks.add(paragraph_text(node), _kind(node), node.style, node.location)
        elif isinstance(node, t.Table):
            _table(blocks, node, pair=source.format in PAIRED_FORMATS)
    repaired = ocr_note(blocks.repaired)
    view = Document(file=source.file, format=source.format, blocks=blocks.blocks, encoding=source.encoding,
                    pages=source.pages, warnings=[*source.warnings, *([repaired] if repaired else [])])
    view._tree = document
    return view


def paragraph_text(paragraph: t.Paragraph) -> str:
    """The paragraph's text as read, its numbering label before it (an empty paragraph has none)."""
    text = paragraph.text
    return paragraph.number + text if paragraph.number and text.strip() else text


def cell_text(cell: t.Cell) -> str:
    """A cell's text: its non-empty body paragraphs, one line each."""
    return "\n".join(text for p in cell.blocks if p.part == "body" and (text := paragraph_text(p)).strip())


def _kind(paragraph: t.Paragraph) -> BlockKind:
    if paragraph.part != "body":
        return paragraph.part
    return "heading" if paragraph.role in t.HEADING_ROLES else "paragraph"


def _table(blocks: _Blocks, table: t.Table, *, pair: bool) -> None:
    rows = table.rows
    k = 0
    while k < len(rows):
        row = rows[k]
        below = rows[k + 1] if k + 1 < len(rows) else None
        if below is not None and _signers_over_signatures(row, below):
            # "赔偿权利人指定的部门（盖章）" | "赔偿义务人（盖章）" over the names, seals and dates: each
            # column's label with what is signed under it
            for head, cell in zip(row.cells, below.cells, strict=True):
                blocks.add(cell_text(head), "table_cell", None, head.location)
                blocks.add(cell_text(cell), "table_cell", None, cell.location)
            _anchored(blocks, [*row.cells, *below.cells])
            k += 2
            continue
        # (a bilingual table's translation column is left out before its cells are paired)
        kept = [(i, text) for i, text in enumerate(cell_text(cell) for cell in row.cells)
                if not (blocks.chinese and is_translation(text))]
        texts = [text for _i, text in kept]
        for j, text in pair_cells(texts) if pair else enumerate(texts):
            blocks.add(text, "table_cell", None, row.cells[kept[j][0]].location)
        _anchored(blocks, row.cells)
        k += 1


def _anchored(blocks: _Blocks, cells: list[t.Cell]) -> None:
    """The text boxes (and other non-body paragraphs) anchored in these cells, after their row."""
    for cell in cells:
        for p in cell.blocks:
            if p.part != "body":
                blocks.add(paragraph_text(p), _kind(p), p.style, p.location)


@functools.cache
def _seal_label() -> re.Pattern[str]:
    """A signature table's column head: a party's role and what it signs with ("赔偿义务人（盖章）")."""
    return re.compile(rf"(?:{role_labels()})[^\n（(]{{0,12}}[（(](?:盖章|签章|签字|签名|公章|印章|签字或盖章|签字盖章)[）)][：:]?")


def _signers_over_signatures(row: t.Row, below: t.Row) -> bool:
    """A row of two or more seal labels over a row of as many cells (the signers' names, seals and dates)."""
    if len(row.cells) < 2 or len(row.cells) != len(below.cells):
        return False
    return all(_seal_label().fullmatch(cell_text(c).strip()) for c in row.cells) and not any(
        _seal_label().fullmatch(cell_text(c).strip()) for c in below.cells)


#: a Chinese document: enough ideographs that the Chinese text is the document
_CHINESE_MIN = 100
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


#: an English gloss in a bilingual document, before a label's colon ("签订地点 / Place of signing：") or
#: ending a heading's line ("第九条 修复效果评估 / Article 9 Assessment of Restoration Effect"): the Chinese
#: words are the ones the rules read
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff）)。；”])[ \t　]*/[ \t　]*[A-Za-z][A-Za-z0-9 .,;'’()&\-]{1,100}?"
                    r"(?=[ \t　]*[：:]|[ \t　]*$)", re.M)


def _is_chinese(document: t.Document) -> bool:
    count = 0
    for node in document.blocks:
        texts = [node.text] if isinstance(node, t.Paragraph) else [
            p.text for row in node.rows for cell in row.cells for p in cell.blocks] if isinstance(node, t.Table) else []
        for text in texts:
            count += len(_IDEOGRAPH.findall(text))
            if count >= _CHINESE_MIN:
                return True
    return False


def is_translation(text: str) -> bool:
    """A paragraph of a Chinese document written in a Latin script only — the Zhuang (or English)
    rendering of the Chinese paragraph beside it, which is the authoritative text — as opposed to a
    date, a number or a short code line ("2025.3.8", "Tel: 0771-5512306", "GB 3838-2002")."""
    if _IDEOGRAPH.search(text):
        return False
    words = _LATIN_WORD.findall(text)
    return len(words) >= 3 and sum(map(len, words)) >= 12


class _Blocks:
    """Collects blocks in reading order, numbering body blocks (``paragraph``) as it goes. In a
    Chinese document, a paragraph in a Latin script only is a translation and is left out."""

    def __init__(self, *, chinese: bool = False) -> None:
        self.blocks: list[Block] = []
        self._body = 0
        self.chinese = chinese
        self.repaired: Counter[str] = Counter()  # OCR look-alikes put back (checkers.extract.ocr)

    def add(self, text: str, kind: BlockKind, style: str | None, location: t.Location | None) -> None:
        """Append a block unless its cleaned text is empty (or a translation); body blocks get a
        paragraph number."""
        text = ocr_repair(clean(text), self.repaired)
        if not text or (self.chinese and is_translation(text)):
            return
        where = location or t.Location()
        if kind in BODY_KINDS:
            self._body += 1
            where = where.model_copy(update={"paragraph": self._body})
        text = "\n".join(tidy_line(line) for line in text.split("\n"))
        if self.chinese and "/" in text:
            text = _GLOSS.sub("", text)
        self.blocks.append(Block(index=len(self.blocks), kind=kind, text=text, style=style, location=where))
