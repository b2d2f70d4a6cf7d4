"""DOCX read directly from WordprocessingML (zipfile + lxml), not through python-docx.

Reading order: body paragraphs and tables (text boxes right after the paragraph that anchors
them), then footnotes and endnotes, then headers and footers. Tracked changes are read as the
final text: insertions kept, deletions and moved-from text dropped; hidden text is dropped and
so is the placeholder text of empty content controls.

Pages: DOCX does not store page numbers. Where Word recorded its rendered page breaks
(``w:lastRenderedPageBreak``) they are used; otherwise explicit page breaks (``w:br w:type="page"``,
``w:pageBreakBefore``); a document with neither has no page numbers.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from checkers.extract.errors import InputError
from checkers.extract.numbering import Numbering
from ecodoc.ooxml import MC_NS, STRICT_W_NS, role_of_style, w
from ecodoc.tree import (
    HEADING_ROLES,
    Cell,
    Document,
    Location,
    Paragraph,
    Part,
    Role,
    Row,
    Source,
    Table,
    heading_role,
    runs_of,
)
from ecokernel.safexml import parse_xml
from ecokernel.safezip import SafeZip

W_P, W_TBL, W_TR, W_TC, W_T = w("p"), w("tbl"), w("tr"), w("tc"), w("t")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = w("sdt"), w("sdtContent"), w("customXml")
W_TAB, W_PTAB, W_BR, W_CR = w("tab"), w("ptab"), w("br"), w("cr")
W_NB_HYPHEN, W_SYM, W_RENDERED_BREAK = w("noBreakHyphen"), w("sym"), w("lastRenderedPageBreak")
W_VAL, W_TYPE = w("val"), w("type")
W_TXBX = w("txbxContent")
W_DEL, W_VANISH, W_PLACEHOLDER = w("del"), w("vanish"), w("showingPlcHdr")
W_STRIKE, W_DSTRIKE = w("strike"), w("dstrike")
W_R, W_RPR, W_TRPR = w("r"), w("rPr"), w("trPr")
W_PPR, W_PSTYLE, W_OUTLINE, W_NUMPR = w("pPr"), w("pStyle"), w("outlineLvl"), w("numPr")
W_NUMID, W_ILVL, W_PAGE_BREAK_BEFORE = w("numId"), w("ilvl"), w("pageBreakBefore")
_TEXT_TAGS = (W_T, W_TAB, W_PTAB, W_BR, W_CR, W_NB_HYPHEN, W_SYM, W_RENDERED_BREAK)
_TEXT_TAG_SET = frozenset(_TEXT_TAGS)
# Subtrees that are not part of the final visible text.
_PRUNE = (w("moveFrom"), w("delText"), w("delInstrText"), w("instrText"), w("rt"),
          f"{{{MC_NS}}}Fallback")
# Containers whose children are read as if they were in place.
_WRAPPERS = frozenset({W_SDT, W_SDT_CONTENT, W_CUSTOM_XML, w("ins"), w("moveTo"), w("smartTag"),
                       f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice"})
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_BUILT_IN = re.compile(r"^(?:heading \d|title|subtitle|normal)$")
_SUBTITLE_NAMES = frozenset({"subtitle", "副标题"})
_TITLE_NAMES = frozenset({"title", "标题", *_SUBTITLE_NAMES})
_OFF = frozenset({"0", "false", "off", "none"})

_REL_TYPES = {
    "officeDocument": "/officeDocument",
    "styles": "/styles",
    "numbering": "/numbering",
    "header": "/header",
    "footer": "/footer",
    "footnotes": "/footnotes",
    "endnotes": "/endnotes",
}


def read_docx(data: bytes, file: str) -> Document:
    """Read a DOCX held in memory; hostile or broken files raise :class:`InputError`."""
    package = SafeZip(data)
    main = main_part(package)
    body_root = parse_xml(_require(package, main), main)
    if body_root.tag.startswith(f"{{{STRICT_W_NS}}}"):
        raise InputError("这是“严格 Open XML”格式的 DOCX，暂不支持，请在 Word 中另存为普通的 .docx 后再审查")
    if body_root.tag != w("document"):
        raise InputError(_not_docx_message(package))  # e.g. an .xlsx whose main part is a workbook
    rels = _relationships(package, main)
    styles = _Styles.load(package, rels.get("styles", []))
    numbering = Numbering.load(package, rels.get("numbering", []))
    reader = _Reader(styles, numbering, pages=_page_mode(body_root))
    body = body_root.find(w("body"))
    if body is None:
        raise InputError("DOCX 文件缺少正文（word/document.xml 中没有 w:body），文件可能已损坏")
    revisions = tracked_changes(body_root)  # counted before _prune removes the deletions
    struck = _prune(body_root)
    if struck:
        reader.warnings.append(f"文书中有加删除线的文字（“{struck[:40]}{'…' if len(struck) > 40 else ''}”）：按删除处理，"
                               "不作为文书内容审查；如删除线另有含义，请先在 Word 中去掉删除线")
    if revisions:
        reader.warnings.append(f"文书含有未接受的修订（{revisions}）：以下按接受全部修订后的文字审查；"
                               "请先在 Word 中处理修订，或确认审查的是修订后的文本")
    reader.read_body(body)
    for name in ("footnotes", "endnotes"):
        for part in rels.get(name, []):
            reader.read_notes(_parse_part(package, part))
    for name in ("header", "footer"):
        for part in rels.get(name, []):
            reader.read_header_footer(_parse_part(package, part), name)  # type: ignore[arg-type]
    return Document(blocks=reader.blocks, source=Source(
        file=file, format="docx", pages=reader.page if reader.pages else None, warnings=reader.warnings))


# -- package ------------------------------------------------------------------------------------

def main_part(package: SafeZip) -> str:
    """The main document part of a DOCX package (from _rels/.rels, else word/document.xml)."""
    rels = package.read("_rels/.rels")
    if rels is not None:
        root = parse_xml(rels, "_rels/.rels")
        for rel in root:
            if rel.get("Type", "").endswith(_REL_TYPES["officeDocument"]) and rel.get("TargetMode") != "External":
                target = rel.get("Target", "").lstrip("/")
                if target in package:
                    return target
    if "word/document.xml" in package:
        return "word/document.xml"
    raise InputError(_not_docx_message(package))


def _not_docx_message(package: SafeZip) -> str:
    names = set(package.names())
    if "xl/workbook.xml" in names:
        return "这是 Excel 表格（.xlsx），不是 Word 文书；请把文书另存为 .docx 后再审查"
    if "ppt/presentation.xml" in names:
        return "这是 PowerPoint 演示文稿（.pptx），不是 Word 文书；请把文书另存为 .docx 后再审查"
    if "OFD.xml" in names:
        return "这是 OFD 版式文件，暂不支持；请导出为 PDF 或 DOCX 后再审查"
    if "mimetype" in names or "content.xml" in names:
        return "这是 OpenDocument 文件（如 .odt），请另存为 .docx 后再审查"
    return "文件是压缩包，但不是 Word 文书（缺少 word/document.xml），无法审查"


def _require(package: SafeZip, part: str) -> bytes:
    data = package.read(part)
    if data is None:
        raise InputError(f"DOCX 文件缺少部件 {part}，文件可能已损坏")
    return data


def _parse_part(package: SafeZip, part: str) -> etree._Element:
    root = parse_xml(_require(package, part), part)
    _prune(root)
    return root


def _relationships(package: SafeZip, main: str) -> dict[str, list[str]]:
    """Targets of the main part's relationships by kind, in the order they are declared."""
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    data = package.read(rels_name)
    found: dict[str, list[str]] = {}
    if data is None:
        return found
    for rel in parse_xml(data, rels_name):
        if rel.get("TargetMode") == "External":
            continue
        kind = next((k for k, suffix in _REL_TYPES.items() if rel.get("Type", "").endswith(suffix)), None)
        if kind is None:
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        if path in package and path not in found.setdefault(kind, []):
            found[kind].append(path)
    for paths in found.values():
        paths.sort(key=_natural)
    return found


def _natural(path: str) -> tuple[str, int]:
    digits = re.search(r"(\d+)\.xml$", path)
    return (re.sub(r"\d+\.xml$", "", path), int(digits.group(1)) if digits else 0)


def tracked_changes(root: etree._Element) -> str:
    """The unaccepted tracked changes of a part, counted for the report ("插入3处、删除2处"); "" if none."""
    counts = {"插入": 0, "删除": 0, "移动": 0, "格式修改": 0}
    for element in root.iter(w("ins"), W_DEL, w("moveFrom"), w("rPrChange"), w("pPrChange")):
        parent = element.getparent()
        if element.tag in (w("ins"), W_DEL) and parent is not None and parent.tag in (W_RPR, W_TRPR):
            key = "插入" if element.tag == w("ins") else "删除"  # a paragraph mark or a table row
        elif element.tag == w("moveFrom"):
            key = "移动"
        elif element.tag in (w("rPrChange"), w("pPrChange")):
            key = "格式修改"
        else:
            key = "插入" if element.tag == w("ins") else "删除"
        counts[key] += 1
    return "、".join(f"{k}{n}处" for k, n in counts.items() if n)


def _prune(root: etree._Element) -> str:
    """Drop what the final text does not contain: deletions, moved-from text, field codes, hidden runs,
    and text struck through by hand (a draft's visible "deleted" mark); returns the struck text, "" if none.

    One traversal finds every candidate; markers of a deleted paragraph mark or table row
    (``w:rPr/w:del`` in a paragraph's properties, ``w:trPr/w:del``) stay, the reader uses them.
    """
    doomed: list[etree._Element] = []
    struck: list[str] = []
    for element in root.iter(*_PRUNE, W_DEL, W_VANISH, W_PLACEHOLDER, W_STRIKE, W_DSTRIKE):
        tag = element.tag
        if tag == W_DEL:
            parent = element.getparent()
            if parent is not None and parent.tag not in (W_RPR, W_TRPR):
                doomed.append(element)
        elif tag in (W_VANISH, W_STRIKE, W_DSTRIKE):
            props = element.getparent()
            run = props.getparent() if props is not None else None
            if run is not None and run.tag == W_R and element.get(W_VAL, "true") not in _OFF:
                doomed.append(run)
                if tag != W_VANISH:
                    struck.append("".join(t.text or "" for t in run.iter(W_T)))
        elif tag == W_PLACEHOLDER:
            # an empty content control showing its prompt ("单击此处输入文字")
            props = element.getparent()
            sdt = props.getparent() if props is not None else None
            if sdt is not None and sdt.tag == W_SDT:
                doomed.append(sdt)
        else:
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return "".join(struck).strip()


def _page_mode(root: etree._Element) -> str | None:
    for _ in root.iter(W_RENDERED_BREAK):
        return "rendered"
    for br in root.iter(W_BR):
        if br.get(W_TYPE) == "page":
            return "explicit"
    for _ in root.iter(w("pageBreakBefore")):
        return "explicit"
    return None


# -- styles ---------------------------------------------------------------------------------------

@dataclass
class _Style:
    name: str
    outline: int | None
    based_on: str | None
    num_id: str | None
    num_level: int


@dataclass
class _Styles:
    by_id: dict[str, _Style] = field(default_factory=dict)
    #: (what, style id) → answer: a document uses a few styles for all its paragraphs
    _known: dict[tuple[str, str | None], Any] = field(default_factory=dict)

    def _memo(self, what: str, style_id: str | None, compute: Any) -> Any:
        key = (what, style_id)
        if key not in self._known:
            self._known[key] = compute(style_id)
        return self._known[key]

    @classmethod
    def load(cls, package: SafeZip, parts: list[str]) -> _Styles:
        styles = cls()
        for part in parts:
            for style in parse_xml(_require(package, part), part).iter(w("style")):
                if style.get(W_TYPE, "paragraph") != "paragraph":
                    continue
                style_id = style.get(w("styleId"), "")
                name = _val(style.find(w("name"))) or style_id
                ppr = style.find(w("pPr"))
                outline = _int(_val(ppr.find(w("outlineLvl")))) if ppr is not None else None
                num_id, level = _num_pr(ppr)
                styles.by_id[style_id] = _Style(name, outline, _val(style.find(w("basedOn"))), num_id, level or 0)
        return styles

    def name(self, style_id: str) -> str:
        """The style's name; Word's lower-case built-in names as the UI shows them ("Heading 1")."""
        return self._memo("name", style_id, self._name)

    def _name(self, style_id: str) -> str:
        style = self.by_id.get(style_id)
        name = style.name if style else style_id
        return name[:1].upper() + name[1:] if _BUILT_IN.match(name) else name

    def heading_level(self, style_id: str) -> int | None:
        """Heading level from the style name or outline level (following basedOn), else None."""
        return self._memo("level", style_id, self._heading_level)

    def _heading_level(self, style_id: str) -> int | None:
        current: str | None = style_id
        for _ in range(12):  # basedOn chains are short; a cycle must not loop forever
            style = self.by_id.get(current or "")
            if style is None:
                return None
            lowered = style.name.strip().lower()
            if lowered in _TITLE_NAMES:
                return 0
            named = _HEADING_NAME.match(lowered)
            if named:
                return int(named.group(1))
            if style.outline is not None and style.outline < 9:
                return style.outline + 1
            current = style.based_on
        return None

    def subtitle(self, style_id: str | None) -> bool:
        """Whether the paragraph style is Word's Subtitle (副标题)."""
        style = self.by_id.get(style_id or "")
        return style is not None and style.name.strip().lower() in _SUBTITLE_NAMES

    def numbering_of(self, style_id: str) -> tuple[str | None, int]:
        return self._memo("numbering", style_id, self._numbering_of)

    def _numbering_of(self, style_id: str) -> tuple[str | None, int]:
        current: str | None = style_id
        for _ in range(12):
            style = self.by_id.get(current or "")
            if style is None:
                return None, 0
            if style.num_id is not None:
                return style.num_id, style.num_level
            current = style.based_on
        return None, 0


def _val(element: etree._Element | None) -> str | None:
    return element.get(W_VAL) if element is not None else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _num_pr(ppr: etree._Element | None) -> tuple[str | None, int | None]:
    if ppr is None:
        return None, None
    num_pr = ppr.find(w("numPr"))
    if num_pr is None:
        return None, None
    return _val(num_pr.find(w("numId"))), _int(_val(num_pr.find(w("ilvl"))))


# -- reading ------------------------------------------------------------------------------------------

class _Reader:
    """Walks the body in reading order, keeping the page counter and the table numbers."""

    def __init__(self, styles: _Styles, numbering: Numbering, pages: str | None) -> None:
        self.styles = styles
        self.numbering = numbering
        self.pages = pages
        self.page = 1
        self.blocks: list[Paragraph | Table] = []
        self.warnings: list[str] = []
        self.tables = 0
        self._carry = ""  # text of a paragraph whose mark was deleted (joins the next paragraph)
        self._seen_hf: set[tuple[str, str]] = set()
        self.textboxes = False  # set by read_body when the document has any
        self._at_page: dict[int | None, Location] = {}  # Location(page=…), frozen: one per page

    def _at(self, page: int | None) -> Location:
        at = self._at_page.get(page)
        if at is None:
            at = self._at_page[page] = Location(page=page)
        return at


    # body
    def read_body(self, body: etree._Element) -> None:
        self.textboxes = next(body.iter(W_TXBX), None) is not None
        for element in _flatten(body):
            if element.tag == W_P:
                self._paragraph(element)
            elif element.tag == W_TBL:
                self._table(element)
            elif element.tag == w("altChunk"):
                self._warn("文档含嵌入的外部内容（altChunk），该部分未读取，请在 Word 中另存后再审查")
        if self._carry:
            self.blocks.append(Paragraph(runs=runs_of(self._carry), location=Location(page=self._page())))

    def _paragraph(self, p: etree._Element) -> None:
        boxes = _detach_textboxes(p) if self.textboxes else []
        props = _props(p)
        text, page = self._text(p, props)
        label = self._label(props)  # numbered even when empty, as Word counts
        marks = props.get(W_RPR)
        if marks is not None and marks.find(W_DEL) is not None:
            # the paragraph mark was deleted: joins the next paragraph
            self._carry += label + text if text.strip() else text
        else:
            if self._carry:  # the label is inside the joined text
                text, label, self._carry = self._carry + (label + text if text.strip() else text), "", ""
            style_id = _val(props.get(W_PSTYLE))
            level = self._outline(props, style_id)
            if level is None and _bold_short_line(p, (label + text) if text.strip() else text):
                level = 1  # a short line set all in bold, on its own: the office's heading
            style = self.styles.name(style_id) if style_id else (f"Heading {level}" if level else None)
            role = self._role(level, style_id, style)
            self.blocks.append(Paragraph(runs=runs_of(text), role=role, number=label or None, style=style,
                                         location=self._at(page)))
        for box in boxes:
            self.blocks.append(self._textbox(box))

    def _role(self, level: int | None, style_id: str | None, style: str | None) -> Role:
        """A heading's role from its level; else the role the paragraph style stands for (Word's
        Signature, Date, Salutation, the writer's own label and note styles), else body."""
        if level is None:
            role = role_of_style(style)
            return role if role is not None and role not in HEADING_ROLES else "body"
        return "subtitle" if level == 0 and self.styles.subtitle(style_id) else heading_role(level)

    def _label(self, props: dict[str, etree._Element]) -> str:
        num_pr = props.get(W_NUMPR)
        if num_pr is not None:
            return self.numbering.label(_val(num_pr.find(W_NUMID)), _int(_val(num_pr.find(W_ILVL))) or 0)
        style_id = _val(props.get(W_PSTYLE))
        return self.numbering.label(*self.styles.numbering_of(style_id)) if style_id else ""

    def _outline(self, props: dict[str, etree._Element], style_id: str | None) -> int | None:
        direct = _int(_val(props.get(W_OUTLINE)))
        if direct is not None:
            return direct + 1 if direct < 9 else None
        return self.styles.heading_level(style_id) if style_id else None

    def _text(self, p: etree._Element, props: dict[str, etree._Element] | None = None) -> tuple[str, int | None]:
        """The paragraph's final text and the page its first character is on."""
        if self.pages == "explicit" and W_PAGE_BREAK_BEFORE in (props if props is not None else _props(p)):
            self.page += 1
        parts: list[str] = []
        start_page: int | None = None
        # (every descendant, filtered here: lxml sets up a matcher for each iter(*tags) call, which costs
        # more than the few elements of a paragraph)
        for element in p.iter():
            tag = element.tag
            if tag not in _TEXT_TAG_SET:
                continue
            if tag == W_T:
                if element.text:
                    parts.append(element.text)
                    if start_page is None:
                        start_page = self.page
            elif tag in (W_TAB, W_PTAB):
                parts.append("\t")
            elif tag == W_BR:
                if element.get(W_TYPE) == "page":
                    if self.pages == "explicit":
                        self.page += 1
                    parts.append("\n")
                else:
                    parts.append("\n")
            elif tag == W_CR:
                parts.append("\n")
            elif tag == W_NB_HYPHEN:
                parts.append("-")
            elif tag == W_SYM:
                parts.append(_symbol(element.get(w("char"))))
            elif tag == W_RENDERED_BREAK and self.pages == "rendered":
                self.page += 1
        return "".join(parts), (start_page or self.page) if self.pages else None

    def _page(self) -> int | None:
        return self.page if self.pages else None

    def _table(self, table: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        rows: list[list[dict[str, Any]]] = []  # per row its cells' fields, spans still growing
        merging: dict[int, dict[str, Any]] = {}  # grid column → the cell a vertical merge started in
        for row in _flatten(table, W_TR):
            if row.find(f"{w('trPr')}/{w('del')}") is not None:
                continue  # a deleted row (tracked change)
            column = 0
            cells: list[dict[str, Any]] = []
            for cell in _flatten(row, W_TC):
                tcpr = cell.find(w("tcPr"))
                span = max(1, min((_int(_val(tcpr.find(w("gridSpan")))) if tcpr is not None else None) or 1, 64))
                column += 1
                first_column = column
                column += span - 1
                merged = _merged_continuation(tcpr)
                if merged:
                    # the text of a merged cell is in its first cell: read once
                    self._skip_cell(cell)
                    started = merging.get(first_column) if merged == "rows" else (cells[-1] if cells else None)
                    if started is not None and merged == "rows":
                        started["rowspan"] += 1
                    elif started is not None:
                        started["colspan"] += span
                    continue
                paragraphs, page, boxes = self._cell(cell)
                fields = {"blocks": paragraphs, "colspan": span, "rowspan": 1, "boxes": boxes, "page": page,
                          "location": (number, len(rows) + 1, first_column)}
                if _merge_start(tcpr):
                    merging[first_column] = fields
                else:
                    merging.pop(first_column, None)
                cells.append(fields)
            for fields in cells:  # the page a cell starts on, else the page after the row's cells
                page = fields.pop("page")
                at_table, at_row, at_cell = fields["location"]
                fields["location"] = Location(table=at_table, row=at_row, cell=at_cell,
                                              page=page if page is not None else self._page())
            for fields in cells:  # the text boxes anchored in the row's cells follow it
                fields["blocks"] = fields["blocks"] + [self._textbox(box) for box in fields.pop("boxes")]
            rows.append(cells)
        self.blocks.append(Table(rows=[Row(cells=[Cell(**fields) for fields in cells]) for cells in rows],
                                 location=Location(table=number)))

    def _cell(self, cell: etree._Element) -> tuple[list[Paragraph], int | None, list[etree._Element]]:
        """A cell's paragraphs, first page of its text, and its text boxes. A table nested in the cell
        gives one paragraph per row, tabs between its cells ("应急处置费用	18,600	缴纳"), so that its rows
        read as a table's rows do."""
        paragraphs: list[Paragraph] = []
        boxes: list[etree._Element] = []
        page: int | None = None
        nested: set[etree._Element] = set()
        for p in cell.iter(W_P, W_TBL):
            if p.tag == W_TBL:
                if nested and any(a in nested for a in p.iterancestors(W_TBL)):
                    continue  # (deeper tables are read as text of their row)
                nested.add(p)
                for row in _flatten(p, W_TR):
                    if row.find(f"{w('trPr')}/{w('del')}") is not None:
                        continue  # a deleted row (tracked change)
                    texts = [" ".join(self._text(q)[0] for q in tc.iter(W_P)).strip() for tc in _flatten(row, W_TC)]
                    paragraphs.append(Paragraph(runs=runs_of("\t".join(texts)), location=self._at(self._page())))
                continue
            if nested and any(a in nested for a in p.iterancestors(W_TBL)):
                continue  # read with its nested table's row
            if self.textboxes:
                boxes.extend(_detach_textboxes(p))
            props = _props(p)
            text, start = self._text(p, props)
            style_id = _val(props.get(W_PSTYLE))
            style = self.styles.name(style_id) if style_id else None
            paragraphs.append(Paragraph(runs=runs_of(text), role=self._role(self._outline(props, style_id), style_id, style),
                                        number=self._label(props) or None, style=style, location=self._at(start)))
            if text.strip():
                page = page or start
        return paragraphs, page, boxes

    def _skip_cell(self, cell: etree._Element) -> None:
        for p in cell.iter(W_P):
            self._text(p)  # keeps the page counter right

    def _textbox(self, box: etree._Element) -> Paragraph:
        lines = []
        for p in box.iter(W_P):
            text, _ = self._text(p)
            lines.append(text)
        return Paragraph(runs=runs_of("\n".join(lines)), part="textbox", location=self._at(self._page()))

    # other parts
    def read_notes(self, root: etree._Element) -> None:
        for note in root:
            if note.get(W_TYPE) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = "\n".join("".join(t.text or "" for t in p.iter(W_T)) for p in note.iter(W_P))
            self.blocks.append(Paragraph(runs=runs_of(text), part="footnote"))

    def read_header_footer(self, root: etree._Element, part: Part) -> None:
        """Header or footer lines (a letterhead in a text box too), each distinct line once."""
        boxes = [box for box in root.iter(W_TXBX) if next(box.iterancestors(W_TXBX), None) is None]
        for box in boxes:
            parent = box.getparent()
            if parent is not None:
                parent.remove(box)
        for container in (root, *boxes):
            for p in container.iter(W_P):
                text = "".join(e.text or "" if e.tag == W_T else "\t" for e in p.iter(W_T, W_TAB, W_PTAB))
                key = (part, text.strip())
                if key[1] and key not in self._seen_hf:
                    self._seen_hf.add(key)
                    self.blocks.append(Paragraph(runs=runs_of(text), part=part))

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _flatten(parent: etree._Element, want: str | None = None) -> Iterator[etree._Element]:
    """Children of ``parent`` with content-control / custom-XML / insertion wrappers opened."""
    for child in parent:
        tag = child.tag
        if tag in _WRAPPERS:
            yield from _flatten(child, want)
        elif want is None or tag == want:
            yield child


def _detach_textboxes(p: etree._Element) -> list[etree._Element]:
    """Text boxes anchored in ``p``, removed from it so their text is not read twice."""
    boxes = [box for box in p.iter(W_TXBX) if next(box.iterancestors(W_TXBX), None) is None]
    for box in boxes:
        parent = box.getparent()
        if parent is not None:
            parent.remove(box)
    return boxes


def _props(p: etree._Element) -> dict[str, etree._Element]:
    """The paragraph's properties by tag (``w:pPr`` is the first child when present)."""
    if len(p) and p[0].tag == W_PPR:
        return {child.tag: child for child in p[0]}
    return {}


def _merged_continuation(tcpr: etree._Element | None) -> str | None:
    """"rows" for a cell that continues a vertical merge from the row above, "columns" for one that
    continues a (legacy) horizontal merge from the cell before it, else None."""
    if tcpr is None:
        return None
    vmerge = tcpr.find(w("vMerge"))
    if vmerge is not None and vmerge.get(W_VAL, "continue") != "restart":
        return "rows"
    hmerge = tcpr.find(w("hMerge"))
    return "columns" if hmerge is not None and hmerge.get(W_VAL, "continue") != "restart" else None


def _merge_start(tcpr: etree._Element | None) -> bool:
    """A cell that starts a vertical merge (its text stands for the cells merged below it)."""
    vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
    return vmerge is not None and vmerge.get(W_VAL) == "restart"


def _symbol(code: str | None) -> str:
    """A ``w:sym`` character; symbol-font private-use codes (F0xx) are dropped."""
    value = _int_hex(code)
    if value is None or 0xE000 <= value <= 0xF8FF or value < 0x20:
        return ""
    return chr(value)


def _int_hex(code: str | None) -> int | None:
    try:
        return int(code, 16) if code else None
    except ValueError:
        return None


_RPR_B = f"{W_RPR}/{w('b')}"
_SENTENCE_MARKS = re.compile(r"[。；;，,：:！!？?]")


def _bold_short_line(p: etree._Element, text: str) -> bool:
    """A paragraph that is a short phrase set all in bold (every run with text has <w:b/> not off),
    without sentence punctuation: offices' unnumbered headings ("损害事实", "修复目标和方案")."""
    stripped = text.strip()
    if not 2 <= len(stripped) <= 20 or _SENTENCE_MARKS.search(stripped):
        return False
    runs = [r for r in p.iter(W_R) if "".join(t.text or "" for t in r.iter(W_T)).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(_RPR_B)
        if b is None or _val(b) in ("0", "false", "off"):
            return False
    return True
