"""Review as Word comments (批注): the reviewed DOCX itself, with each finding as a comment.

A finding that quotes the text is anchored on the paragraph that holds the quote; a finding about
the whole document (a missing element) on the title, the first paragraph with text. The comment
gives the severity, rule, message, basis and suggestion, by a named author on the review date.
Every other part of the package is copied unchanged, so the document's own comments, tracked
changes, styles and layout stay as they were; existing comments keep their ids and new ones follow.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lxml import etree

from checkers.extract.docx import main_part
from checkers.findings import Finding, Report
from ecokernel import clock
from ecokernel.errors import InputError
from ecokernel.safexml import parse_xml
from ecokernel.safezip import SafeZip

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
DEFAULT_AUTHOR = "ecoclaim 审查"


@dataclass(frozen=True)
class Annotated:
    """The annotated package and where each finding was anchored (its paragraph's text, or None)."""

    data: bytes
    anchors: list[str | None]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def _comment_xml(cid: int, finding: Finding, author: str, day: date) -> etree._Element:
    comment = etree.Element(f"{W}comment", {f"{W}id": str(cid), f"{W}author": author,
                                             f"{W}date": f"{day.isoformat()}T00:00:00Z", f"{W}initials": "EC"})
    lines = [f"【{SEVERITY.get(finding.severity, finding.severity)}】{finding.rule}：{finding.message}"]
    if finding.basis:
        lines.append("依据：" + "；".join(b.citation or f"{b.source} {b.article}" for b in finding.basis))
    if finding.suggestion:
        lines.append("建议：" + finding.suggestion)
    for line in lines:
        p = etree.SubElement(comment, f"{W}p")
        r = etree.SubElement(p, f"{W}r")
        t = etree.SubElement(r, f"{W}t")
        t.text = line
        t.set(XML_SPACE, "preserve")
    return comment


def _anchor(p: etree._Element, cid: int) -> None:
    """Wrap the paragraph's content in a comment range and put the reference at its end."""
    ppr = p.find(f"{W}pPr")
    start = etree.Element(f"{W}commentRangeStart", {f"{W}id": str(cid)})
    p.insert(0 if ppr is None else p.index(ppr) + 1, start)
    etree.SubElement(p, f"{W}commentRangeEnd", {f"{W}id": str(cid)})
    ref_run = etree.SubElement(p, f"{W}r")
    etree.SubElement(ref_run, f"{W}commentReference", {f"{W}id": str(cid)})


def _target(paragraphs: list[tuple[etree._Element, str]], finding: Finding) -> int | None:
    """The index of the paragraph a finding belongs on: the one holding its quote, else the title."""
    quote = finding.location.text if finding.location else None
    for line in (quote or "").splitlines():
        needle = _squash(line)[:24]
        if len(needle) >= 2:
            for i, (_p, text) in enumerate(paragraphs):
                if needle in text:
                    return i
    return next((i for i, (_p, text) in enumerate(paragraphs) if text), None)


def annotate(source: Path | bytes, report: Report, *, author: str = DEFAULT_AUTHOR,
             day: date | None = None) -> Annotated:
    """The DOCX ``source`` with ``report``'s findings as comments (raises InputError for a non-DOCX)."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    package = SafeZip(data)
    main = main_part(package)
    folder = main.rsplit("/", 1)[0] if "/" in main else ""
    document = parse_xml(package.read(main) or b"", main)
    body = document.find(f"{W}body")
    if body is None:
        raise InputError("DOCX 文件缺少正文，无法写入批注")
    paragraphs = [(p, _squash(_paragraph_text(p))) for p in body.iter(f"{W}p")]
    comments_name = f"{folder}/comments.xml" if folder else "comments.xml"
    rels_name = f"{folder}/_rels/{main.rsplit('/', 1)[-1]}.rels"
    existing = package.read(comments_name)
    comments = parse_xml(existing, comments_name) if existing else etree.Element(f"{W}comments", nsmap={"w": W_NS})
    used = [int(c.get(f"{W}id", "0")) for c in comments.iter(f"{W}comment") if (c.get(f"{W}id") or "").isdigit()]
    used += [int(m.get(f"{W}id", "0")) for m in document.iter(f"{W}commentRangeStart", f"{W}commentReference")
             if (m.get(f"{W}id") or "").isdigit()]
    next_id = max(used, default=-1) + 1
    anchors: list[str | None] = []
    for finding in report.findings:
        i = _target(paragraphs, finding)
        if i is None:
            anchors.append(None)
            continue
        _anchor(paragraphs[i][0], next_id)
        comments.append(_comment_xml(next_id, finding, author, day or clock.today()))
        anchors.append(_paragraph_text(paragraphs[i][0]))
        next_id += 1
    replaced = {main: etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True),
                comments_name: etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True)}
    if existing is None:
        replaced[rels_name] = _with_comments_rel(package.read(rels_name))
        replaced["[Content_Types].xml"] = _with_comments_type(package.read("[Content_Types].xml"), comments_name)
    return Annotated(_rewrite(data, replaced), anchors)


def _with_comments_rel(rels: bytes | None) -> bytes:
    root = parse_xml(rels, "rels") if rels else etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
    if not any(r.get("Type") == COMMENTS_REL for r in root):
        ids = {r.get("Id") for r in root}
        rid = next(f"rIdEcoComments{n}" for n in range(1000) if f"rIdEcoComments{n}" not in ids)
        etree.SubElement(root, f"{{{REL_NS}}}Relationship", {"Id": rid, "Type": COMMENTS_REL, "Target": "comments.xml"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_comments_type(types: bytes | None, part: str) -> bytes:
    if types is None:
        raise InputError("DOCX 文件缺少 [Content_Types].xml，无法写入批注")
    root = parse_xml(types, "[Content_Types].xml")
    name = "/" + part
    if not any(o.get("PartName") == name for o in root.iter(f"{{{CT_NS}}}Override")):
        etree.SubElement(root, f"{{{CT_NS}}}Override", {"PartName": name, "ContentType": COMMENTS_TYPE})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """The package with ``replaced`` members (added when new), every other member copied unchanged."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replaced:
                dst.writestr(info, replaced.pop(info.filename), compress_type=zipfile.ZIP_DEFLATED)
            else:
                dst.writestr(info, src.read(info.filename))
        for name, content in replaced.items():
            dst.writestr(name, content)
    return out.getvalue()
