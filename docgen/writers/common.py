"""What every writer shares: the GB/T 9704 layout numbers, the role → style table, font names,
the table grid (merged cells resolved into slots) and the XML-safety check.

Layout numbers (GB/T 9704-2012, LEGAL-FACTS §1), in twips (1/1440 inch; 1 mm = 56.693 twips):

- A4 210 × 297 mm = 11906 × 16838 twips;
- margins top 37 mm = 2098, bottom 35 mm = 1984, left 28 mm = 1587, right 26 mm = 1474;
  the text block is therefore 8845 × 12756 twips (156.0 × 225.0 mm);
- 22 lines: line pitch 12756 / 22 = 579.8 → **579** twips (28.95 pt; 22 × 579 = 12738 fits);
- 28 characters: 8845 / 28 = 315.9 twips = 15.794 pt per character, i.e. 0.206 pt narrower than a
  16 pt (3号) character. Word's way is a character grid (``w:docGrid w:type="linesAndChars"
  w:charSpace="-842"``, −842/4096 pt = −0.2056 pt), but LibreOffice (7.4, checked) lays every
  16 pt glyph that is wider than its 15.79 pt grid cell over *two* cells — 14 characters per line.
  So the grid here is ``w:type="lines"`` (22 lines, both programs agree) and the 28 characters come
  from character spacing −0.25 pt (``w:spacing w:val="-5"``, twentieths of a point) on the 3号 styles:
  28 × 15.75 pt = 441 pt ≤ 442.25 pt, and 29 would need 456.75 pt — exactly 28 in Word and LibreOffice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ecodoc.ooxml import ROLE_STYLES
from ecodoc.tree import Align, Cell, Font, Table
from ecokernel.errors import UserError

FontSet = Literal["office", "pdf"]


class WriterError(UserError):
    """An output could not be written (LibreOffice missing or hung, glyphs lost, bad reference DOCX…)."""


class ConverterError(WriterError):
    """The PDF converter is missing, could not start, hung or failed: a fault of the machine, not of
    the input (the service answers 503 and the request may be retried)."""


class GlyphLossError(WriterError):
    """The PDF lost characters of the case data (a font lacks them): deterministic for the input."""


def mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


PAGE_WIDTH = mm_to_twips(210)  # 11906
PAGE_HEIGHT = mm_to_twips(297)  # 16838
MARGIN_TOP = mm_to_twips(37)  # 2098
MARGIN_BOTTOM = mm_to_twips(35)  # 1984
MARGIN_LEFT = mm_to_twips(28)  # 1587
MARGIN_RIGHT = mm_to_twips(26)  # 1474
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8845
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE  # 579
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 12  # 小四 in table cells: a registration or approval form fits one page as its model does
TABLE_LINE = 330  # 16.5 pt exact line height inside tables (about 1.4 lines of 小四)
# Character spacing of 3号 text in twentieths of a point (see the module docstring).
CHAR_SPACING = -5
CHAR_PITCH = BODY_PT * 20 + CHAR_SPACING  # 315 twips: one 字 of body text
# Page number: "一字线上距版心下边缘7mm" → the dash's middle 28 mm above the paper edge; with a 14 pt
# line (4.9 mm) whose middle is 2.5 mm above its bottom, the footer's bottom edge sits 25.5 mm up.
FOOTER_DISTANCE = mm_to_twips(25.5)  # 1446

# GB/T 9704 names the typefaces; an office's Word has these (the _GB2312 faces come with the
# 公文 font packs every government PC installs). ``FALLBACK`` goes into fontTable.xml's altName:
# the face Windows ships when the 公文 face is absent.
OFFICE_FONTS: dict[str, str] = {
    "xiaobiaosong": "方正小标宋简体",
    "fangsong": "仿宋_GB2312",
    "heiti": "黑体",
    "kaiti": "楷体_GB2312",
    "songti": "宋体",
}
FALLBACK: dict[str, str] = {
    "方正小标宋简体": "宋体",
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "宋体": "SimSun",
}
# The PDF is made on a server without the proprietary faces: the DOCX handed to LibreOffice names
# installed open faces directly (tools/setup.sh installs them), so what is embedded is certain, not
# left to fontconfig's guess (which picks DejaVu Sans for "仿宋_GB2312"):
# - 黑体-like faces → Noto Sans CJK SC (fonts-noto-cjk);
# - 楷体 → AR PL UKai CN (fonts-arphic-ukai, Arphic Public License), a true Kai face;
# - 仿宋, 宋体, 小标宋 → Noto Serif CJK SC. 仿宋 stays on the serif face because Debian packages no
#   OFL 仿宋: its only FangSong, fonts-cwtex-fs, is GPL-2+ with a font-embedding exception (its
#   debian/copyright), not OFL, and is a Traditional-Chinese cwTeX face.
# A character a face lacks is drawn by LibreOffice's glyph fallback; docgen.writers.pdf.verify_pdf
# still fails when one ends up as .notdef.
PDF_SERIF = "Noto Serif CJK SC"
PDF_SANS = "Noto Sans CJK SC"
PDF_KAI = "AR PL UKai CN"
_SANS_FACES = re.compile(r"黑|Hei|YaHei|雅黑|Sans|Gothic|等线|DengXian", re.IGNORECASE)
_KAI_FACES = re.compile(r"楷|Kai", re.IGNORECASE)


def pdf_font(name: str) -> str:
    """The installed open face standing in for an office face (黑体-like → sans, 楷体 → UKai, others → serif)."""
    if _SANS_FACES.search(name):
        return PDF_SANS
    return PDF_KAI if _KAI_FACES.search(name) else PDF_SERIF


def font_name(font: Font, font_set: FontSet) -> str:
    name = OFFICE_FONTS[font]
    return name if font_set == "office" else pdf_font(name)


@dataclass(frozen=True)
class RoleStyle:
    """The layout of one paragraph role (GB/T 9704 element)."""

    style_id: str
    name: str
    font: Font
    size_pt: float
    align: Align
    indent: int  # first-line indent in characters
    right_indent: int = 0  # in characters (右空四字 → 4)
    before: int = 0  # space before, twips
    after: int = 0  # space after, twips
    keep_next: bool = False
    outline: int | None = None  # outline level of headings

    @property
    def char_spacing(self) -> int:
        """Character spacing (twentieths of a point): 28 per line for 3号 text, natural otherwise."""
        return CHAR_SPACING if self.size_pt == BODY_PT else 0


# Each role's style id and name (Word's built-in styles where one exists) are ecodoc.ooxml's
# ROLE_STYLES, which the DOCX reader maps back to roles; the layout is here.
ROLES: dict[str, RoleStyle] = {
    "body": RoleStyle(*ROLE_STYLES["body"], "fangsong", BODY_PT, "justify", 2),
    "title": RoleStyle(*ROLE_STYLES["title"], "xiaobiaosong", TITLE_PT, "center", 0, after=LINE_PITCH,
                       keep_next=True),
    "subtitle": RoleStyle(*ROLE_STYLES["subtitle"], "kaiti", BODY_PT, "center", 0, after=LINE_PITCH // 2,
                          keep_next=True),
    "h1": RoleStyle(*ROLE_STYLES["h1"], "heiti", BODY_PT, "justify", 2, keep_next=True, outline=0),
    "h2": RoleStyle(*ROLE_STYLES["h2"], "kaiti", BODY_PT, "justify", 2, keep_next=True, outline=1),
    "h3": RoleStyle(*ROLE_STYLES["h3"], "fangsong", BODY_PT, "justify", 2, keep_next=True, outline=2),
    "h4": RoleStyle(*ROLE_STYLES["h4"], "fangsong", BODY_PT, "justify", 2, keep_next=True, outline=3),
    "label": RoleStyle(*ROLE_STYLES["label"], "fangsong", BODY_PT, "left", 0),
    "signature": RoleStyle(*ROLE_STYLES["signature"], "fangsong", BODY_PT, "right", 0, right_indent=4,
                           before=2 * LINE_PITCH, keep_next=True),
    "date": RoleStyle(*ROLE_STYLES["date"], "fangsong", BODY_PT, "right", 0, right_indent=4),
    "note": RoleStyle(*ROLE_STYLES["note"], "fangsong", PAGE_NUMBER_PT, "left", 0),
    "addressee": RoleStyle(*ROLE_STYLES["addressee"], "fangsong", BODY_PT, "left", 0),
    "docnumber": RoleStyle(*ROLE_STYLES["docnumber"], "fangsong", BODY_PT, "center", 0,
                           after=LINE_PITCH // 2),
}
TABLE_STYLE = RoleStyle("EcoTableText", "Eco Table Text", "fangsong", TABLE_PT, "left", 0)

# Characters XML 1.0 forbids (the case model refuses them; a writer asserts it never sees one).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_text(text: str) -> str:
    """Return ``text`` unchanged, or raise if it holds a character XML cannot carry."""
    bad = _FORBIDDEN.search(text)
    if bad:
        raise ValueError(f"text contains a character XML forbids: U+{ord(bad.group()):04X} in {text[:40]!r}")
    return text


def xml_escape(text: str) -> str:
    """Escape text for XML element content and attribute values (quotes included)."""
    check_text(text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


@dataclass(frozen=True)
class Slot:
    """One grid position of a table row: the cell that starts here, or the continuation of a
    cell merged from the row above (``continued``)."""

    cell: Cell
    column: int
    colspan: int
    continued: bool = False


def table_grid(table: Table) -> tuple[int, list[list[Slot]]]:
    """Resolve row/column spans into a full grid: (number of columns, slots of every row).

    Rows shorter than the grid are padded with empty cells, so every row covers every column.
    """
    columns = max(len(table.widths), max((sum(c.colspan for c in r.cells) for r in table.rows), default=0))
    pending: dict[int, tuple[Cell, int, int]] = {}  # column → (cell, colspan, rows still covered)
    grid: list[list[Slot]] = []
    for row in table.rows:
        slots: list[Slot] = []
        cells = iter(row.cells)
        column = 0
        while column < columns:
            if column in pending:
                cell, span, left = pending.pop(column)
                slots.append(Slot(cell, column, span, continued=True))
                if left > 1:
                    pending[column] = (cell, span, left - 1)
                column += span
                continue
            cell = next(cells, None)
            if cell is None:
                cell = Cell(blocks=[])
            span = min(cell.colspan, columns - column)
            slots.append(Slot(cell, column, span))
            if cell.rowspan > 1:
                pending[column] = (cell, span, cell.rowspan - 1)
            column += span
        grid.append(slots)
    return columns, grid


def column_twips(table: Table, columns: int, total: int = TEXT_WIDTH) -> list[int]:
    """Absolute column widths in twips from the relative ``widths`` (missing ones count 1)."""
    weights = [w if w > 0 else 1 for w in table.widths[:columns]] + [1] * max(0, columns - len(table.widths))
    scale = total / sum(weights)
    widths = [int(w * scale) for w in weights]
    widths[-1] += total - sum(widths)
    return widths
