"""Merging a pack into one PDF (pypdf): pages in order, two-level bookmarks (section → item), a page
number "— n —" stamped at the foot of every page, and slices of the result as the separate files.

The stamp is a content stream appended to each page (the page's own content is wrapped in q/Q and
never decoded, so a supplied file's streams are not inflated), drawn in the standard Helvetica face
(no embedding; digits and the em dash of WinAnsiEncoding) and turned with the page's /Rotate so it
stands upright at the foot of the page as displayed. Actions of supplied pages that could run or
fetch something (JavaScript, launch, submit, remote go-to) are removed; annotations stay (a seal
may be one).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

FONT_KEY = "/FEcoclaimPageNo"
FONT_SIZE = 10.5  # 五号
FOOT = 34.0  # points from the page's displayed foot to the baseline (12 mm)
_WIDTHS = {" ": 278, "\x97": 1000, **{d: 556 for d in "0123456789"}}  # Helvetica, per 1000 em
_SAFE_ACTIONS = {"/GoTo", "/URI"}


@dataclass(frozen=True)
class Part:
    """One item of the merged PDF: its pages (a PDF), its bookmark and the bookmark's section."""

    title: str
    section: str | None
    data: bytes


def page_label(number: int) -> str:
    """The stamp as printed (and as text extraction reads it): ``— 12 —``."""
    return f"— {number} —"


def _font() -> DictionaryObject:
    return DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})


def _matrix(page: Any, width: float) -> tuple[float, ...]:
    """The text matrix that puts a line ``width`` points long, centred, at the displayed foot."""
    box = page.cropbox
    x0, y0, x1, y1 = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    return {
        0: (1, 0, 0, 1, cx - width / 2, y0 + FOOT),
        90: (0, 1, -1, 0, x1 - FOOT, cy - width / 2),
        180: (-1, 0, 0, -1, cx + width / 2, y1 - FOOT),
        270: (0, -1, 1, 0, x0 + FOOT, cy + width / 2),
    }.get(rotation, (1, 0, 0, 1, cx - width / 2, y0 + FOOT))


def _stream(writer: PdfWriter, data: bytes) -> Any:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)  # content streams must be indirect objects


def stamp(writer: PdfWriter, page: Any, number: int) -> None:
    """Draw ``— number —`` at the foot of ``page`` (a page of ``writer``)."""
    text = page_label(number).replace("—", "\x97")
    width = sum(_WIDTHS[c] for c in text) * FONT_SIZE / 1000
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    page[NameObject("/Resources")] = resources
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    resources[NameObject("/Font")] = fonts
    fonts[NameObject(FONT_KEY)] = _font()
    matrix = " ".join(f"{v:.2f}" for v in _matrix(page, width))
    contents = page.get("/Contents")
    original: list[Any] = []
    if contents is not None:
        resolved = contents.get_object()
        original = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
    draw = f"Q q 0 g BT {FONT_KEY} {FONT_SIZE} Tf {matrix} Tm (".encode() + text.encode("latin-1") + b") Tj ET Q"
    page[NameObject("/Contents")] = ArrayObject([_stream(writer, b"q"), *original, _stream(writer, draw)])


def _defuse(page: Any) -> None:
    """Remove page and annotation actions other than go-to and links."""
    if "/AA" in page:
        del page["/AA"]
    annots = page.get("/Annots")
    for ref in (annots.get_object() if annots is not None else []):
        annot = ref.get_object()
        if "/AA" in annot:
            del annot["/AA"]
        action = annot.get("/A")
        if action is not None and action.get_object().get("/S") not in _SAFE_ACTIONS:
            del annot["/A"]


def merge(parts: list[Part]) -> tuple[bytes, list[tuple[int, int]]]:
    """The merged, bookmarked and numbered PDF, and each part's page range (0-based, inclusive)."""
    writer = PdfWriter()
    ranges: list[tuple[int, int]] = []
    for part in parts:
        start = len(writer.pages)
        for page in PdfReader(io.BytesIO(part.data), strict=False).pages:
            _defuse(writer.add_page(page))
        ranges.append((start, len(writer.pages) - 1))
    for number, page in enumerate(writer.pages, 1):
        stamp(writer, page, number)
    sections: dict[str, Any] = {}
    for part, (start, _end) in zip(parts, ranges, strict=True):
        parent = None
        if part.section:
            if part.section not in sections:
                sections[part.section] = writer.add_outline_item(title=part.section, page_number=start)
            parent = sections[part.section]
        writer.add_outline_item(title=part.title, page_number=start, parent=parent)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), ranges


def slice_pdf(merged: bytes, start: int, end: int) -> bytes:
    """Pages ``start``..``end`` (0-based, inclusive) of a PDF, as a PDF of their own."""
    reader = PdfReader(io.BytesIO(merged))
    writer = PdfWriter()
    for index in range(start, end + 1):
        writer.add_page(reader.pages[index])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data), strict=False).pages)
