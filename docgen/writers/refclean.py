"""Make the parts copied from a reference DOCX inert: nothing in them may fetch, link or include.

A department's reference DOCX is someone else's file. Its header may point outside the package —
a relationship with ``TargetMode="External"`` (``http://``, ``https://``, ``file://``, a UNC
``\\\\host\\share`` path) for a linked image, a hyperlink or an OLE link — or carry fields that pull
content in when a program updates them (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE…). LibreOffice
loads linked images while converting to PDF, so such a header would make every PDF run fetch a
URL (or read a local file) chosen by whoever wrote the reference.

Policy: **strip, and say so** (a notice per reference, printed by the CLI). A letterhead whose
logo is embedded keeps working; one whose logo is only linked loses that image. Refusing the
whole reference would make a department rework its template for a single stray link.

- External relationships are dropped; an element that used one loses the attribute, and a picture
  (``w:drawing``, ``w:pict``, ``w:object``) left without its image is removed; a hyperlink keeps its
  text.
- Fields that include or link content (and HYPERLINK fields, whose target is a URL in the field code)
  become their last shown result: the field code is removed, the result stays as plain content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ecodoc.ooxml import A_NS, R_NS, W_NS

_W = f"{{{W_NS}}}"
_R = f"{{{R_NS}}}"
_A_BLIP = f"{{{A_NS}}}blip"
_PICTURES = {f"{_W}drawing", f"{_W}pict", f"{_W}object"}

# Field types that fetch, include or link content from outside the document when updated.
UNSAFE_FIELDS = frozenset({"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO",
                           "HYPERLINK"})


@dataclass
class CleanReport:
    """What was removed from one reference DOCX (for the user notice)."""

    external_targets: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    def notice(self, name: str) -> str | None:
        parts = []
        if self.external_targets:
            shown = "、".join(dict.fromkeys(t[:80] for t in self.external_targets[:5]))
            parts.append(f"{len(self.external_targets)}个外部链接（{shown}）")
        if self.fields:
            parts.append(f"{len(self.fields)}个引用外部内容的域（{'、'.join(dict.fromkeys(self.fields))}）")
        if not parts:
            return None
        return (f"参考文档 {name} 的页眉含有{'和'.join(parts)}，出于安全原因已删除；"
                "链接的图片不会出现在文书中，如需版头图片请将其嵌入参考文档")


def is_external(mode: str | None) -> bool:
    """True unless the relationship is internal (``TargetMode`` absent or ``Internal``)."""
    return mode not in (None, "", "Internal")


def _remove(el: etree._Element) -> None:
    """Remove an element, keeping the tail text of its parent's content in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _unwrap(el: etree._Element) -> None:
    """Replace an element by its children."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for child in reversed(list(el)):
        parent.insert(index, child)
    _remove(el)


def _ancestor(el: etree._Element, tags: set[str]) -> etree._Element | None:
    current = el.getparent()
    while current is not None:
        if current.tag in tags:
            return current
        current = current.getparent()
    return None


def drop_relationship_uses(root: etree._Element, dropped: set[str]) -> None:
    """Remove every use of the relationship ids ``dropped`` from a part's XML."""
    if not dropped:
        return
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        used = [name for name, value in el.attrib.items() if name.startswith(_R) and value in dropped]
        if not used:
            continue
        for name in used:
            del el.attrib[name]
        if el.tag == f"{_W}hyperlink":
            _unwrap(el)
            continue
        picture = _ancestor(el, _PICTURES)
        still_embedded = el.tag == _A_BLIP and el.get(f"{_R}embed")
        if picture is not None and not still_embedded and picture.getparent() is not None:
            _remove(picture)


def _field_type(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""


def _remove_from_run(el: etree._Element) -> None:
    """Remove a field-code element; its run goes too when nothing but properties is left."""
    run = el.getparent()
    _remove(el)
    if run is not None and run.tag == f"{_W}r" and all(c.tag == f"{_W}rPr" for c in run):
        _remove(run)


@dataclass
class _Field:
    """The field-code elements of one complex field."""

    marks: list[etree._Element]  # fldChar begin, separate, end
    code: list[etree._Element] = field(default_factory=list)  # instrText
    separated: bool = False


def neutralise_fields(root: etree._Element) -> list[str]:
    """Turn unsafe fields into their shown result; returns the field types removed."""
    removed: list[str] = []
    for simple in list(root.iter(f"{_W}fldSimple")):
        kind = _field_type(simple.get(f"{_W}instr", ""))
        if kind in UNSAFE_FIELDS:
            removed.append(kind)
            _unwrap(simple)

    # Complex fields: begin … instrText … [separate … result …] end, possibly nested.
    stack: list[_Field] = []
    code_tags = {f"{_W}instrText", f"{_W}delInstrText"}
    finished: list[_Field] = []
    for el in root.iter(f"{_W}fldChar", *code_tags):
        if el.tag in code_tags:
            if stack and not stack[-1].separated:
                stack[-1].code.append(el)
            continue
        kind = el.get(f"{_W}fldCharType")
        if kind == "begin":
            stack.append(_Field(marks=[el]))
        elif kind == "separate" and stack:
            stack[-1].marks.append(el)
            stack[-1].separated = True
        elif kind == "end" and stack:
            current = stack.pop()
            current.marks.append(el)
            finished.append(current)
    for done in finished:
        kind = _field_type("".join(c.text or "" for c in done.code))
        if kind in UNSAFE_FIELDS:
            removed.append(kind)
            for el in (*done.marks, *done.code):
                _remove_from_run(el)
    return removed
