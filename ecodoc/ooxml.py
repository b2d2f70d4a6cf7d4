"""The WordprocessingML vocabulary both DOCX sides share: the namespaces, and the Word paragraph
style each role is written as (the DOCX writer) and recognised by (the DOCX reader).

Style ids follow Word's built-in styles where one exists, so a department's reference DOCX styles
them under the names it already knows; the names are what Word stores (``heading 1`` lower-case).
"""

from __future__ import annotations

from ecodoc.tree import Role

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
#: relationship ids inside parts (``r:id``, ``r:embed``) and the relationship types' prefix
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: ``.rels`` parts
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def w(tag: str) -> str:
    """``w:tag`` in Clark notation (``{namespace}tag``), as lxml names elements and attributes."""
    return f"{{{W_NS}}}{tag}"


#: role → (style id, style name) of the paragraph style it is written with
ROLE_STYLES: dict[Role, tuple[str, str]] = {
    "body": ("Normal", "Normal"),
    "title": ("Title", "Title"),
    "subtitle": ("Subtitle", "Subtitle"),
    "h1": ("Heading1", "heading 1"),
    "h2": ("Heading2", "heading 2"),
    "h3": ("Heading3", "heading 3"),
    "h4": ("Heading4", "heading 4"),
    "label": ("EcoLabel", "Eco Label"),
    "signature": ("Signature", "Signature"),
    "date": ("Date", "Date"),
    "note": ("EcoNote", "Eco Note"),
    "addressee": ("Salutation", "Salutation"),
    "docnumber": ("EcoDocNumber", "Eco Document Number"),
}
_BY_NAME: dict[str, Role] = {name.lower(): role for role, (_id, name) in ROLE_STYLES.items()}


def role_of_style(name: str | None) -> Role | None:
    """The role a paragraph style stands for (by its name, any case), None for any other style."""
    return _BY_NAME.get((name or "").strip().lower())
