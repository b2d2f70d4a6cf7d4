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
from ecodoc.ooxml import CT_NS, R_NS, REL_NS, W_NS
from ecokernel import clock
from ecokernel.errors import InputError
from ecokernel.safexml import parse_xml
from ecokernel.safezip import SafeZip

W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
COMMENTS_REL = f"{R_NS}/comments"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
DEFAULT_AUTHOR = "ecoclaim 审查"


@dataclass(frozen=True)
class Annotated:
    """The annotated package, where each finding was anchored (its paragraph's text, or None), and
    how many concrete corrections were offered as tracked changes."""

    data: bytes
    anchors: list[str | None]
    suggested: int = 0


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


def _run(value: str, rpr: etree._Element | None, tag: str = "t") -> etree._Element:
    """A run holding ``value`` (as w:t, or w:delText) with a copy of the run properties ``rpr``."""
    r = etree.Element(f"{W}r")
    if rpr is not None:
        r.append(etree.fromstring(etree.tostring(rpr)))
    el = etree.SubElement(r, f"{W}{tag}")
    el.text = value
    el.set(XML_SPACE, "preserve")
    return r


def _suggest(p: etree._Element, old: str, new: str, rid: int, author: str, stamp: str) -> bool:
    """Offer ``old`` → ``new`` as a tracked change where ``old`` stands inside one run of ``p``."""
    for t in p.iter(f"{W}t"):
        text = t.text or ""
        at = text.find(old)
        run = t.getparent()
        parent = run.getparent() if run is not None else None
        if at < 0 or run is None or parent is None or run.tag != f"{W}r" or len(run.findall(f"{W}t")) != 1:
            continue
        rpr = run.find(f"{W}rPr")
        attrs = {f"{W}author": author, f"{W}date": stamp}
        deleted = etree.Element(f"{W}del", {f"{W}id": str(rid), **attrs})
        deleted.append(_run(old, rpr, "delText"))
        inserted = etree.Element(f"{W}ins", {f"{W}id": str(rid + 1), **attrs})
        inserted.append(_run(new, rpr))
        parts = ([_run(text[:at], rpr)] if at else []) + [deleted, inserted]
        if text[at + len(old):]:
            parts.append(_run(text[at + len(old):], rpr))
        index = parent.index(run)
        parent.remove(run)
        for offset, element in enumerate(parts):
            parent.insert(index + offset, element)
        return True
    return False


def annotate(source: Path | bytes, report: Report, *, author: str = DEFAULT_AUTHOR,
             day: date | None = None, suggest: bool = False) -> Annotated:
    """The DOCX ``source`` with ``report``'s findings as comments (raises InputError for a non-DOCX);
    with ``suggest``, a finding's concrete correction (a 大写 amount, a bracket) as a tracked change."""
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
    revision_ids = [int(e.get(f"{W}id", "0")) for e in document.iter(f"{W}ins", f"{W}del")
                    if (e.get(f"{W}id") or "").isdigit()]
    next_revision = max([*revision_ids, next_id + len(report.findings)], default=0) + 1000
    stamp = f"{(day or clock.today()).isoformat()}T00:00:00Z"
    anchors: list[str | None] = []
    suggested = 0
    for finding in report.findings:
        i = _target(paragraphs, finding)
        if i is None:
            anchors.append(None)
            continue
        if suggest and finding.fix and _suggest(paragraphs[i][0], *finding.fix, next_revision, author, stamp):
            next_revision += 2
            suggested += 1
        _anchor(paragraphs[i][0], next_id)
        comments.append(_comment_xml(next_id, finding, author, day or clock.today()))
        anchors.append(_paragraph_text(paragraphs[i][0]))
        next_id += 1
    replaced = {main: etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True),
                comments_name: etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True)}
    if existing is None:
        replaced[rels_name] = _with_comments_rel(package.read(rels_name))
        replaced["[Content_Types].xml"] = _with_comments_type(package.read("[Content_Types].xml"), comments_name)
    return Annotated(_rewrite(data, replaced), anchors, suggested)


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
