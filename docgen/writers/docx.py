"""DOCX (WordprocessingML) laid out per GB/T 9704, written directly as XML parts in a ZIP.

No python-docx at run time: a form is a dozen small parts, string-built from the block tree and
escaped on the way in, which is an order of magnitude faster than loading and saving a template
document. Layout numbers are in ``common.py``. Every style *and* every run names its East-Asian
face (``w:eastAsia``), so no Word ever falls back to a Japanese face for Chinese text.

Two font sets: ``office`` names the GB/T 9704 faces (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312,
宋体 for page numbers) with the Windows faces as ``altName`` fall-backs in fontTable.xml — what an
office's Word has; ``pdf`` names the installed Noto CJK faces, for the copy LibreOffice converts.

``--reference-docx``: a department's DOCX supplies styles.xml (plus numbering and theme) and its
headers (a letterhead, with the images they use), as pandoc's reference-doc does. Styles this
writer uses and the reference lacks are added; page size, margins, grid and footers stay GB/T 9704.
"""

from __future__ import annotations

import functools
import hashlib
import io
import posixpath
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ecodoc.ooxml import CT_NS, R_NS, REL_NS, W_NS
from ecodoc.tree import Document, PageBreak, Paragraph, Run, Table
from ecokernel.errors import InputError
from ecokernel.memo import cached_attribute
from ecokernel.safexml import parse_xml
from ecokernel.safezip import SafeZip

from .common import (
    CHAR_PITCH,
    FALLBACK,
    FOOTER_DISTANCE,
    LINE_PITCH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    OFFICE_FONTS,
    PAGE_HEIGHT,
    PAGE_NUMBER_PT,
    PAGE_WIDTH,
    PDF_SANS,
    PDF_SERIF,
    ROLES,
    TABLE_LINE,
    TABLE_PT,
    TABLE_STYLE,
    TEXT_WIDTH,
    FontSet,
    RoleStyle,
    WriterError,
    column_twips,
    font_name,
    pdf_font,
    table_grid,
    xml_escape,
)
from .nobreak import WORD_JOINER, protected_spans
from .refclean import CleanReport, drop_relationship_uses, is_external, neutralise_fields

_W = f"{{{W_NS}}}"
_NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL = f"{R_NS}/"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entry times: the same data gives the same bytes
NBSP = "\u00a0"

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------------------------------------
# runs and paragraphs

def _rfonts(face: str) -> str:
    f = xml_escape(face)
    return f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" w:hint="eastAsia"/>'


def _text_xml(text: str) -> str:
    """Run content: text with line breaks and tabs as WordprocessingML elements."""
    parts: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{xml_escape(piece)}</w:t>')
    return "".join(parts)


def _run(run: Run, face: str, size_half_points: int | None, font_set: FontSet,
         spans: Sequence[tuple[int, int, bool]] = ()) -> str:
    if run.br:
        return "<w:r><w:br/></w:r>"
    if run.font:
        face = font_name(run.font, font_set)
    rpr = [_rfonts(face)]
    if run.bold:
        rpr.append("<w:b/><w:bCs/>")
    if size_half_points:  # table text: its own size, natural spacing
        rpr.append(f'<w:spacing w:val="0"/><w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/>')
    if run.underline or run.blank:
        rpr.append('<w:u w:val="single"/>')
    # A blank for handwriting: underlined no-break spaces (two per character: they are half-width),
    # which Word and LibreOffice underline even at the end of a line, so the line shows on paper.
    if run.blank:
        return f'<w:r><w:rPr>{"".join(rpr)}</w:rPr><w:t xml:space="preserve">{NBSP * (2 * run.blank)}</w:t></w:r>'
    out: list[str] = []
    at = 0
    for start, end, continued in spans:
        if at < start:
            out.append(f"<w:r><w:rPr>{''.join(rpr)}</w:rPr>{_text_xml(run.text[at:start])}</w:r>")
        joined = (WORD_JOINER if continued else "") + WORD_JOINER.join(run.text[start:end])
        out.append(f"<w:r><w:rPr>{''.join(rpr)}{_KEEP_TOGETHER}</w:rPr>{_text_xml(joined)}</w:r>")
        at = end
    if at < len(run.text) or not out:
        out.append(f"<w:r><w:rPr>{''.join(rpr)}</w:rPr>{_text_xml(run.text[at:])}</w:r>")
    return "".join(out)


# A run no line may break inside: its characters joined by WORD JOINER, in a language whose line
# breaking honours the joiner (LibreOffice's Chinese rules break between ideographs regardless);
# the face stays the one rFonts names. See nobreak.py.
_KEEP_TOGETHER = '<w:lang w:val="en-US" w:eastAsia="en-US"/>'


def _run_spans(p: Paragraph) -> list[list[tuple[int, int, bool]]]:
    """Per run of ``p``: the (start, end, continued) pieces of its text inside a protected span
    (``continued``: the span began in an earlier run)."""
    texts = ["\n" if r.br else NBSP * (2 * r.blank) if r.blank else r.text for r in p.runs]
    spans = protected_spans("".join(texts), signature=p.role == "signature")
    result: list[list[tuple[int, int, bool]]] = []
    offset = 0
    for text in texts:
        result.append([(max(s, offset) - offset, min(e, offset + len(text)) - offset, s < offset)
                       for s, e in spans if s < offset + len(text) and e > offset])
        offset += len(text)
    return result


def _indent_xml(first_chars: int | None, right_chars: int) -> str:
    attrs = []
    if first_chars is not None:
        attrs.append(f'w:firstLineChars="{first_chars * 100}" w:firstLine="{first_chars * CHAR_PITCH}"')
    if right_chars:
        attrs.append(f'w:rightChars="{right_chars * 100}" w:right="{right_chars * CHAR_PITCH}"')
    return f"<w:ind {' '.join(attrs)}/>" if attrs else ""


_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


@dataclass
class _Context:
    font_set: FontSet
    role_fonts: dict[str, str]  # style id → East-Asian face runs carry

    def face(self, style: RoleStyle) -> str:
        return self.role_fonts.get(style.style_id) or font_name(style.font, self.font_set)


def _paragraph(p: Paragraph, ctx: _Context, *, cell_align: str | None = None, in_table: bool = False,
               tight: bool = False, new_page: bool = False) -> str:
    """One paragraph; ``tight`` drops the space before (a signature line under another one);
    ``new_page`` starts it on a new page (a page break that cannot leave an empty page behind)."""
    style = ROLES[p.role]
    if in_table and p.role == "body":
        style = TABLE_STYLE
    ppr = [f'<w:pStyle w:val="{style.style_id}"/>']
    if p.keep_with_next:
        ppr.append("<w:keepNext/>")
    if new_page:
        ppr.append("<w:pageBreakBefore/>")
    if tight:
        ppr.append(f'<w:spacing w:before="0" w:after="{style.after}" w:line="{LINE_PITCH}" w:lineRule="exact"/>')
    if in_table:  # table text keeps its own line height, off the page's 22-line grid
        ppr.append('<w:snapToGrid w:val="0"/>')
        ppr.append(f'<w:spacing w:before="0" w:after="0" w:line="{TABLE_LINE}" w:lineRule="exact"/>')
    indent = p.indent if p.indent is not None else (0 if in_table else None)
    ppr.append(_indent_xml(indent, 0) if indent is not None else "")
    align = p.align or (cell_align if in_table else None)
    if align:
        ppr.append(f'<w:jc w:val="{_JC[align]}"/>')
    face = ctx.face(style)
    size = TABLE_PT * 2 if in_table else None
    runs = "".join(_run(r, face, size, ctx.font_set, spans)
                   for r, spans in zip(p.runs, _run_spans(p), strict=True))
    return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{runs}</w:p>"


_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_NO_BORDERS = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _table(t: Table, ctx: _Context, *, last: bool = False) -> str:
    columns, grid = table_grid(t)
    widths = column_twips(t, columns)
    heights = [0] * len(grid)
    for r, slots in enumerate(grid):
        for slot in slots:
            if not slot.continued and slot.cell.min_height:
                need = -(-slot.cell.min_height * TABLE_LINE // slot.cell.rowspan)  # lines of table text, spread over the rows
                for k in range(r, min(r + slot.cell.rowspan, len(grid))):
                    heights[k] = max(heights[k], need)
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{_BORDERS if t.borders else _NO_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
           '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
           'w:noHBand="0" w:noVBand="0"/></w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    for r, slots in enumerate(grid):
        # no row splits across pages; header rows repeat at the top of each page
        height = f'<w:trHeight w:val="{heights[r]}" w:hRule="atLeast"/>' if heights[r] else ""
        header = "<w:tblHeader/>" if r < t.header_rows else ""
        trpr = f"<w:trPr><w:cantSplit/>{height}{header}</w:trPr>"
        out.append(f"<w:tr>{trpr}")
        for slot in slots:
            cell = slot.cell
            width = sum(widths[slot.column:slot.column + slot.colspan])
            tcpr = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
            if slot.colspan > 1:
                tcpr.append(f'<w:gridSpan w:val="{slot.colspan}"/>')
            if cell.rowspan > 1:
                tcpr.append("<w:vMerge/>" if slot.continued else '<w:vMerge w:val="restart"/>')
            tcpr.append(f'<w:vAlign w:val="{cell.valign}"/>')
            if slot.continued or not cell.blocks:
                body = (f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE.style_id}"/><w:spacing w:before="0" '
                        f'w:after="0" w:line="{TABLE_LINE}" w:lineRule="exact"/></w:pPr></w:p>')
            else:
                body = "".join(_paragraph(p, ctx, cell_align=cell.align, in_table=True) for p in cell.blocks)
            out.append(f"<w:tc><w:tcPr>{''.join(tcpr)}</w:tcPr>{body}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    # A paragraph between two tables keeps them apart. None after a table that ends the document: the
    # body may end with a table (CT_Body), and LibreOffice puts such a paragraph on a page of its own
    # when the table fills its page.
    if not last:
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE.style_id}"/><w:spacing w:before="0" w:after="0" '
                   'w:line="240" w:lineRule="auto"/></w:pPr></w:p>')
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# the static parts

def _style_xml(style: RoleStyle, face: str, *, based_on: str | None = "Normal", default: bool = False) -> str:
    ppr = []
    if style.keep_next:
        ppr.append("<w:keepNext/>")
    # Punctuation at a line end: LibreOffice (7.4) hangs it into the margin and then does not paint it
    # (a "，" vanished from the PDF). Its importer reads overflowPunct inverted (val="1" → no hanging),
    # while for Word val="1" is its default (may hang, stays visible) — explicit "1" is right for both.
    ppr.append('<w:overflowPunct w:val="1"/>')
    line = TABLE_LINE if style is TABLE_STYLE else LINE_PITCH
    ppr.append(f'<w:spacing w:before="{style.before}" w:after="{style.after}" w:line="{line}" w:lineRule="exact"/>')
    ppr.append(_indent_xml(style.indent, style.right_indent) or
               '<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    ppr.append(f'<w:jc w:val="{_JC[style.align]}"/>')
    if style.outline is not None:
        ppr.append(f'<w:outlineLvl w:val="{style.outline}"/>')
    size = round(style.size_pt * 2)
    spacing = f'<w:spacing w:val="{style.char_spacing}"/>' if style.char_spacing else ""
    rpr = f'{_rfonts(face)}{spacing}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    default_attr = ' w:default="1"' if default else ""
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (f'<w:style w:type="paragraph"{default_attr} w:styleId="{style.style_id}">'
            f'<w:name w:val="{style.name}"/>{based}'
            f'<w:qFormat/><w:pPr>{"".join(ppr)}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


def _our_styles(font_set: FontSet) -> dict[str, str]:
    """Style id → <w:style> XML of every style this writer references."""
    styles: dict[str, str] = {}
    for role in (*ROLES.values(), TABLE_STYLE):
        is_normal = role.style_id == "Normal"
        styles[role.style_id] = _style_xml(role, font_name(role.font, font_set), default=is_normal,
                                           based_on=None if is_normal else "Normal")
    song = font_name("songti", font_set)
    styles["Footer"] = (
        '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>'
        f'<w:rPr>{_rfonts(song)}<w:sz w:val="{PAGE_NUMBER_PT * 2}"/><w:szCs w:val="{PAGE_NUMBER_PT * 2}"/></w:rPr></w:style>')
    styles["DefaultParagraphFont"] = (
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>')
    styles["TableNormal"] = (
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr></w:style>')
    return styles


def _styles_part(font_set: FontSet) -> str:
    body = font_name("fangsong", font_set)
    defaults = (f'<w:docDefaults><w:rPrDefault><w:rPr>{_rfonts(body)}<w:kern w:val="2"/>'
                '<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
                '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:overflowPunct w:val="1"/>'
                f'<w:spacing w:line="{LINE_PITCH}" w:lineRule="exact"/><w:jc w:val="both"/>'
                '</w:pPr></w:pPrDefault></w:docDefaults>')
    return f'{_XML_HEAD}<w:styles {_NSDECL}>{defaults}{"".join(_our_styles(font_set).values())}</w:styles>'


def _footer_part(odd: bool, font_set: FontSet) -> str:
    # GB/T 9704 7.5: 4号半角宋体, "— n —", odd pages right and even pages left, 空一字 from the edge.
    face = font_name("songti", font_set)
    rpr = f'<w:rPr>{_rfonts(face)}<w:sz w:val="{PAGE_NUMBER_PT * 2}"/><w:szCs w:val="{PAGE_NUMBER_PT * 2}"/></w:rPr>'
    one_char = PAGE_NUMBER_PT * 20
    side = f'<w:ind w:right="{one_char}"/><w:jc w:val="right"/>' if odd else \
        f'<w:ind w:left="{one_char}"/><w:jc w:val="left"/>'
    field = (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
             f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
             f'<w:r>{rpr}<w:t>1</w:t></w:r>'
             f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')
    return (f'{_XML_HEAD}<w:ftr {_NSDECL}><w:p><w:pPr><w:pStyle w:val="Footer"/>{side}</w:pPr>'
            f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>{field}'
            f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>')


_SETTINGS = (
    f'{_XML_HEAD}<w:settings {_NSDECL}><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    '<w:evenAndOddHeaders/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:spaceForUL/><w:ulTrailSpace/><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/>'
    '<w:listSeparator w:val=","/></w:settings>')


def _font_table(font_set: FontSet) -> str:
    if font_set == "office":
        faces = [(name, FALLBACK.get(name)) for name in OFFICE_FONTS.values()]
    else:
        faces = [(PDF_SERIF, None), (PDF_SANS, None)]
    items = []
    for name, alt in faces:
        alt_xml = f'<w:altName w:val="{xml_escape(alt)}"/>' if alt else ""
        items.append(f'<w:font w:name="{xml_escape(name)}">{alt_xml}<w:charset w:val="86"/>'
                     '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>')
    return f'{_XML_HEAD}<w:fonts {_NSDECL}>{"".join(items)}</w:fonts>'


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{typ}" Target="{xml_escape(target)}"/>'
                   for rid, typ, target in items)
    return f'{_XML_HEAD}<Relationships xmlns="{REL_NS}">{body}</Relationships>'


_PACKAGE_RELS = _rels([
    ("rId1", _REL + "officeDocument", "word/document.xml"),
    ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
     "docProps/core.xml"),
    ("rId3", _REL + "extended-properties", "docProps/app.xml"),
])
_APP = (f'{_XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        '<Application>ecoclaim</Application></Properties>')


# ---------------------------------------------------------------------------------------------
# reference DOCX

MAX_REFERENCE_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 10 * 1024 * 1024
REFERENCE = "参考文档"  # how the hardened zip/XML layer names it in messages


@dataclass(frozen=True, eq=False)
class ReferenceDocx:
    """What a department's reference DOCX contributes (loaded and checked by :func:`load_reference_docx`)."""

    path: Path
    sha256: str
    styles: bytes  # merged: the reference's styles plus the ones it lacks
    parts: dict[str, bytes] = field(default_factory=dict)  # zip name → bytes (numbering, theme, headers, media)
    content_types: dict[str, str] = field(default_factory=dict)  # "/part/name" → content type
    extension_types: dict[str, str] = field(default_factory=dict)  # media extension → content type
    document_rels: list[tuple[str, str, str]] = field(default_factory=list)
    header_refs: list[tuple[str, str]] = field(default_factory=list)  # (type, rId)
    title_page: bool = False
    role_fonts: dict[str, str] = field(default_factory=dict)  # style id → East-Asian face
    notices: tuple[str, ...] = ()  # what was stripped from it (external links, include fields), for the user

    @cached_attribute
    def pdf_parts(self) -> tuple[bytes, dict[str, bytes]]:
        """Styles and headers with every face renamed to its installed Noto stand-in (for PDF)."""
        parts = {name: _rename_fonts(data) if name.endswith(".xml") else data for name, data in self.parts.items()}
        return _rename_fonts(self.styles), parts


def _rename_fonts(xml: bytes) -> bytes:
    root = parse_xml(xml, "styles", REFERENCE)
    for el in root.iter(f"{_W}rFonts"):
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            value = el.get(_W + attr)
            if value:
                el.set(_W + attr, pdf_font(value))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _read_member(zf: SafeZip, name: str) -> bytes:
    data = zf.read(name, MAX_PART_BYTES)
    if data is None:
        raise WriterError(f"参考文档缺少部件 {name}")
    return data


def _parse(data: bytes, name: str) -> etree._Element:
    """Parse a part of the reference through the hardened XML layer (no DTD, no entities)."""
    return parse_xml(data, name, REFERENCE)


def _rels_of(zf: SafeZip, part: str) -> list[tuple[str, str, str, str | None]]:
    folder, base = posixpath.split(part)
    name = posixpath.join(folder, "_rels", base + ".rels")
    if name not in zf:
        return []
    root = _parse(_read_member(zf, name), name)
    return [(r.get("Id", ""), r.get("Type", ""), r.get("Target", ""), r.get("TargetMode"))
            for r in root.iter(f"{{{REL_NS}}}Relationship")]


def _inside(folder: str, target: str) -> str | None:
    """The zip name of a relative target, or None when it leaves the package."""
    path = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") else target[1:]
    return None if path.startswith("..") or path.startswith("/") else path


def _resolve_font(styles: etree._Element, style_id: str) -> str | None:
    by_id = {s.get(_W + "styleId"): s for s in styles.iter(f"{_W}style")}
    seen: set[str] = set()
    current = by_id.get(style_id)
    while current is not None and style_id not in seen:
        seen.add(style_id)
        fonts = current.find(f"{_W}rPr/{_W}rFonts")
        if fonts is not None and fonts.get(_W + "eastAsia"):
            return fonts.get(_W + "eastAsia")
        based = current.find(f"{_W}basedOn")
        style_id = based.get(_W + "val") if based is not None else ""
        current = by_id.get(style_id)
    fonts = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
    return fonts.get(_W + "eastAsia") if fonts is not None else None


def load_reference_docx(path: Path) -> ReferenceDocx:
    """Read and check a reference DOCX through the same hardened zip and XML layer as the checker's
    DOCX reader (size, member and ratio limits, no DTD or entities, parts inside the package)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WriterError(f"无法读取参考文档 {path}：{exc.strerror or exc}") from None
    if len(raw) > MAX_REFERENCE_BYTES:
        raise WriterError(f"参考文档 {path} 过大（超过 {MAX_REFERENCE_BYTES // 1024 // 1024} MB）")
    if not raw.startswith(b"PK"):
        raise WriterError(f"参考文档 {path} 不是 DOCX 文件（不是 ZIP 包）")
    try:
        return _load_reference(SafeZip(raw, REFERENCE), path, hashlib.sha256(raw).hexdigest())
    except InputError as exc:  # the hardened layer refused it: say so as a writer error, in its words
        raise WriterError(exc.message) from None


def _load_reference(zf: SafeZip, path: Path, digest: str) -> ReferenceDocx:
    main = next((_inside("", t) for _i, typ, t, _m in _rels_of(zf, "") if typ == _REL + "officeDocument"), None)
    if not main:
        raise WriterError(f"参考文档 {path} 不是 Word 文档（缺少主文档部件）")
    folder = posixpath.dirname(main)
    types_root = _parse(_read_member(zf, "[Content_Types].xml"), "[Content_Types].xml")
    overrides = {o.get("PartName", ""): o.get("ContentType", "") for o in types_root.iter(f"{{{CT_NS}}}Override")}
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in types_root.iter(f"{{{CT_NS}}}Default")}
    rels = _rels_of(zf, main)
    by_type = {typ: _inside(folder, t) for _i, typ, t, mode in rels if mode != "External"}
    styles_name = by_type.get(_REL + "styles")
    if not styles_name:
        raise WriterError(f"参考文档 {path} 没有样式部件（styles.xml）")
    styles = _parse(_read_member(zf, styles_name), styles_name)
    if styles.tag != f"{_W}styles":
        raise WriterError(f"参考文档 {path} 的样式部件不是 Word 样式表")

    # Add the styles it lacks, so every paragraph of ours still has its GB/T 9704 layout.
    present = {s.get(_W + "styleId") for s in styles.iter(f"{_W}style")}
    for style_id, xml in _our_styles("office").items():
        if style_id not in present:
            styles.append(parse_xml(f"<w:root {_NSDECL}>{xml}</w:root>".encode(), "styles", REFERENCE)[0])
    role_fonts = {}
    for role in (*ROLES.values(), TABLE_STYLE):
        face = _resolve_font(styles, role.style_id)
        if face:
            role_fonts[role.style_id] = face

    parts: dict[str, bytes] = {}
    content_types: dict[str, str] = {}
    document_rels: list[tuple[str, str, str]] = []
    for kind, target_name, ct in (("numbering", "word/numbering.xml", _CT + "numbering+xml"),
                                  ("theme", "word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml")):
        source = by_type.get(_REL + kind)
        if source and source in zf:
            data = _read_member(zf, source)
            _parse(data, source)
            parts[target_name] = data
            content_types["/" + target_name] = ct
            document_rels.append((f"rIdRef{kind.title()}", _REL + kind, target_name.removeprefix("word/")))

    # Headers (a letterhead) of the last section, with what they refer to.
    document = _parse(_read_member(zf, main), main)
    sect = document.find(f"{_W}body/{_W}sectPr")
    header_refs: list[tuple[str, str]] = []
    cleaned = CleanReport()
    title_page = False
    extension_types: dict[str, str] = {}
    if sect is not None:
        rid_target = {rid: (typ, t, mode) for rid, typ, t, mode in rels}
        for n, ref in enumerate(sect.findall(f"{_W}headerReference"), start=1):
            typ, target, mode = rid_target.get(ref.get(f"{{{R_NS}}}id", ""), ("", "", None))
            source = _inside(folder, target) if mode != "External" and target else None
            if typ != _REL + "header" or not source:
                continue
            header = _parse(_read_member(zf, source), source)
            new = f"word/ref-header{n}.xml"
            content_types["/" + new] = _CT + "header+xml"
            rid = f"rIdRefHeader{n}"
            document_rels.append((rid, _REL + "header", new.removeprefix("word/")))
            header_refs.append((ref.get(_W + "type", "default"), rid))
            header_rels = _rels_of(zf, source)
            kept = []
            dropped: set[str] = set()
            for hid, htyp, htarget, hmode in header_rels:
                if is_external(hmode):  # never copied: LibreOffice would fetch it (D4)
                    cleaned.external_targets.append(htarget)
                    dropped.add(hid)
                    continue
                media = _inside(posixpath.dirname(source), htarget)
                if not media or not media.startswith("word/") or media not in zf:
                    dropped.add(hid)
                    continue
                parts[media] = _read_member(zf, media)
                ext = media.rsplit(".", 1)[-1].lower()
                if "/" + media in overrides:
                    content_types["/" + media] = overrides["/" + media]
                elif ext in defaults:
                    extension_types[ext] = defaults[ext]
                kept.append(f'<Relationship Id="{xml_escape(hid)}" Type="{xml_escape(htyp)}" '
                            f'Target="{xml_escape(posixpath.relpath(media, "word"))}"/>')
            drop_relationship_uses(header, dropped)
            cleaned.fields += neutralise_fields(header)
            parts[new] = etree.tostring(header, xml_declaration=True, encoding="UTF-8", standalone=True)
            if kept:
                parts[f"word/_rels/ref-header{n}.xml.rels"] = (
                    f'{_XML_HEAD}<Relationships xmlns="{REL_NS}">{"".join(kept)}</Relationships>').encode()
        title = sect.find(f"{_W}titlePg")
        title_page = title is not None and title.get(_W + "val", "1") not in ("0", "false", "off")
    return ReferenceDocx(
        path=path, sha256=digest,
        styles=etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True),
        parts=parts, content_types=content_types, extension_types=extension_types,
        document_rels=document_rels, header_refs=header_refs, title_page=title_page, role_fonts=role_fonts,
        notices=tuple(n for n in [cleaned.notice(path.name)] if n))


# ---------------------------------------------------------------------------------------------
# the package

@functools.cache
def _static_parts(font_set: FontSet) -> dict[str, str]:
    return {
        "word/styles.xml": _styles_part(font_set),
        "word/settings.xml": _SETTINGS,
        "word/fontTable.xml": _font_table(font_set),
        "word/footer1.xml": _footer_part(True, font_set),
        "word/footer2.xml": _footer_part(False, font_set),
    }


def _content_types(reference: ReferenceDocx | None) -> str:
    items = [
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
    ]
    overrides = {
        "/word/document.xml": _CT + "document.main+xml",
        "/word/styles.xml": _CT + "styles+xml",
        "/word/settings.xml": _CT + "settings+xml",
        "/word/fontTable.xml": _CT + "fontTable+xml",
        "/word/footer1.xml": _CT + "footer+xml",
        "/word/footer2.xml": _CT + "footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    if reference is not None:
        items += [f'<Default Extension="{xml_escape(ext)}" ContentType="{xml_escape(ct)}"/>'
                  for ext, ct in reference.extension_types.items() if ext not in ("rels", "xml")]
        overrides.update(reference.content_types)
    items += [f'<Override PartName="{xml_escape(name)}" ContentType="{xml_escape(ct)}"/>'
              for name, ct in overrides.items()]
    return f'{_XML_HEAD}<Types xmlns="{CT_NS}">{"".join(items)}</Types>'


def _core(doc: Document) -> str:
    keywords = " ".join(x for x in (doc.kind, doc.variant, doc.jurisdiction) if x)
    description = doc.model_text or ""
    return (f'{_XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{xml_escape(doc.title)}</dc:title><dc:creator>ecoclaim</dc:creator>'
            f'<cp:keywords>{xml_escape(keywords)}</cp:keywords><dc:description>{xml_escape(description)}'
            '</dc:description></cp:coreProperties>')


#: with a cover page, the page after it is numbered 1
_COVER_NUMBERING = '<w:pgNumType w:start="0"/>'


def document_xml(doc: Document, *, font_set: FontSet = "office", reference: ReferenceDocx | None = None,
                 page_numbers: bool = True) -> str:
    """word/document.xml of a block tree; ``page_numbers=False``: no footer (a court pack stamps its own
    continuous numbers on the merged pages)."""
    ctx = _Context(font_set, {} if reference is None or font_set == "pdf" else reference.role_fonts)
    if reference is not None and font_set == "pdf":
        ctx.role_fonts = {k: pdf_font(v) for k, v in reference.role_fonts.items()}
    body: list[str] = []
    previous: object = None
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            # the signature block's space stands above its first line only (a block of several
            # signers would not fit on a page with its text otherwise)
            tight = block.role == "signature" and isinstance(previous, Paragraph) and previous.role == "signature"
            body.append(_paragraph(block, ctx, tight=tight, new_page=isinstance(previous, PageBreak)))
        elif isinstance(block, Table):
            body.append(_table(block, ctx, last=block is doc.blocks[-1]))
        elif isinstance(block, PageBreak) and not isinstance(doc.blocks[i + 1] if i + 1 < len(doc.blocks) else None,
                                                             Paragraph):
            # otherwise the paragraph after the break starts its page itself: a break paragraph of its own
            # lands on the next page when the page before is full, and leaves that page empty
            body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        previous = block
    refs = []
    # a cover page (doc.cover) gets no footer at all, and the body's first page is numbered 1
    title_page = doc.cover or (reference is not None and reference.title_page)
    if reference is not None:
        refs += [f'<w:headerReference w:type="{t}" r:id="{rid}"/>' for t, rid in reference.header_refs]
    if page_numbers:
        refs.append('<w:footerReference w:type="even" r:id="rIdFooterEven"/>')
        refs.append('<w:footerReference w:type="default" r:id="rIdFooterOdd"/>')
    if page_numbers and title_page and not doc.cover:
        refs.append('<w:footerReference w:type="first" r:id="rIdFooterOdd"/>')
    sect = (f'<w:sectPr>{"".join(refs)}<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
            f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
            f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
            f'{_COVER_NUMBERING if doc.cover else ""}'
            f'<w:cols w:space="425"/>{"<w:titlePg/>" if title_page else ""}'
            f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/></w:sectPr>')
    return f'{_XML_HEAD}<w:document {_NSDECL}><w:body>{"".join(body)}{sect}</w:body></w:document>'


def docx_bytes(doc: Document, *, font_set: FontSet = "office", reference: ReferenceDocx | None = None,
               page_numbers: bool = True) -> bytes:
    """The DOCX package of a block tree. Same input, same bytes (fixed zip times, no timestamps)."""
    parts: dict[str, str | bytes] = {"[Content_Types].xml": _content_types(reference), "_rels/.rels": _PACKAGE_RELS}
    rels = [("rIdStyles", _REL + "styles", "styles.xml"), ("rIdSettings", _REL + "settings", "settings.xml"),
            ("rIdFonts", _REL + "fontTable", "fontTable.xml"), ("rIdFooterOdd", _REL + "footer", "footer1.xml"),
            ("rIdFooterEven", _REL + "footer", "footer2.xml")]
    static = dict(_static_parts(font_set))
    if reference is not None:
        styles, extra = reference.pdf_parts if font_set == "pdf" else (reference.styles, reference.parts)
        static["word/styles.xml"] = styles  # type: ignore[assignment]
        rels += reference.document_rels
    parts["word/document.xml"] = document_xml(doc, font_set=font_set, reference=reference, page_numbers=page_numbers)
    parts["word/_rels/document.xml.rels"] = _rels(rels)
    parts.update(static)
    if reference is not None:
        parts.update(extra)
    parts["docProps/core.xml"] = _core(doc)
    parts["docProps/app.xml"] = _APP
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data, compresslevel=6)
    return buffer.getvalue()
