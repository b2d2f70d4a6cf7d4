"""A supplied JPG/PNG scan as a one-page DOCX (the image centred and scaled to fit an A4 page, in
landscape when the image is wider than high), converted by LibreOffice in the same run as the forms:
no image library is needed, and LibreOffice's decoders take every PNG and JPEG variant."""

from __future__ import annotations

import io
import zipfile

from docgen.writers.common import PAGE_HEIGHT, PAGE_WIDTH, mm_to_twips
from ecodoc.ooxml import A_NS, PIC_NS, R_NS, REL_NS, W_NS, WP_NS

EMU_PER_TWIP = 635
MARGIN = mm_to_twips(15)
_W, _R, _WP, _A, _PIC, _RELS = W_NS, R_NS, WP_NS, A_NS, PIC_NS, REL_NS
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _fit(width: int, height: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The image's size in EMU, scaled (never up beyond the box) to fit ``box`` twips."""
    scale = min(box_w / width, box_h / height)
    return int(width * scale) * EMU_PER_TWIP, int(height * scale) * EMU_PER_TWIP


def image_docx(data: bytes, kind: str, size: tuple[int, int], name: str) -> bytes:
    """The DOCX of one image page; ``kind`` is ``png`` or ``jpeg``, ``size`` its pixels."""
    width, height = size
    landscape = width > height
    page_w, page_h = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    cx, cy = _fit(width, height, page_w - 2 * MARGIN, page_h - 2 * MARGIN - 400)
    ext = "png" if kind == "png" else "jpeg"
    title = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    drawing = (
        f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:docPr id="1" name="image" descr="{title}"/>'
        f'<a:graphic><a:graphicData uri="{_PIC}"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="image.{ext}"/>'
        '<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImage"/><a:stretch><a:fillRect/>'
        f'</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing>')
    orient = ' w:orient="landscape"' if landscape else ""
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}" xmlns:r="{_R}" '
        f'xmlns:wp="{_WP}" xmlns:a="{_A}" xmlns:pic="{_PIC}"><w:body>'
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/></w:pPr><w:r>{drawing}</w:r></w:p>'
        f'<w:sectPr><w:pgSz w:w="{page_w}" w:h="{page_h}"{orient}/><w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" '
        f'w:bottom="{MARGIN}" w:left="{MARGIN}" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>'
        '</w:body></w:document>')
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Default Extension="{ext}" ContentType="image/{ext}"/><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '</Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/_rels/document.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS}">'
            '<Relationship Id="rIdImage" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'image" Target="media/image.{ext}"/></Relationships>'),
        "word/document.xml": document,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, text in parts.items():
            zf.writestr(zipfile.ZipInfo(part, date_time=_FIXED_TIME), text.encode("utf-8"))
        zf.writestr(zipfile.ZipInfo(f"word/media/image.{ext}", date_time=_FIXED_TIME), data)
    return buffer.getvalue()
