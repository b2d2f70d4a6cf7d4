"""Review as Word comments (issue 12 §1): the reviewed DOCX with each finding as a 批注."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from checkers.check import check_file
from checkers.report.word import DEFAULT_AUTHOR, annotate
from tests.fixtures.extract.builders import docx, p

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AMOUNT = "乙方应赔偿生态环境损害费用共计人民币100,000.00元（大写：人民币壹拾万零伍仟元整）。"


def _reviewed(tmp_path):
    body = (p("生态环境损害赔偿协议", "Title") + p("甲方：南宁市生态环境局") + p("乙方：广西某某化工有限公司")
            + p(AMOUNT) + p("本协议自双方签字盖章之日起生效。"))
    path = tmp_path / "协议.docx"
    path.write_bytes(docx(body))
    return path, check_file(path, kind="agreement", jurisdiction="guangxi")


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_every_finding_becomes_a_comment_anchored_on_its_text_or_the_title(tmp_path):
    path, report = _reviewed(tmp_path)
    rules = [f.rule for f in report.findings]
    assert "AMT-WORDS" in rules and "AGR-BREACH" in rules
    result = annotate(path, report)
    parts = _parts(result.data)
    comments = etree.fromstring(parts["word/comments.xml"]).findall(f"{W}comment")
    assert len(comments) == len(report.findings) == len(result.anchors)
    for comment, finding in zip(comments, report.findings, strict=True):
        text = "".join(comment.itertext())
        assert finding.rule in text and finding.message[:10] in text and "依据：" in text
        assert comment.get(f"{W}author") == DEFAULT_AUTHOR and comment.get(f"{W}date") == "2026-12-06T00:00:00Z"
    anchors = dict(zip(rules, result.anchors, strict=True))
    assert anchors["AMT-WORDS"] == AMOUNT  # on the paragraph that holds the amounts
    assert anchors["AGR-BREACH"] == "生态环境损害赔偿协议"  # a missing clause: on the title
    document = etree.fromstring(parts["word/document.xml"])
    ids = {e.get(f"{W}id") for e in document.iter(f"{W}commentRangeStart")}
    assert ids == {c.get(f"{W}id") for c in comments} == {e.get(f"{W}id") for e in document.iter(f"{W}commentReference")}
    assert b"comments.xml" in parts["word/_rels/document.xml.rels"]
    assert b"/word/comments.xml" in parts["[Content_Types].xml"]
    original = _parts(path.read_bytes())
    assert parts["word/styles.xml"] == original["word/styles.xml"]  # every other part unchanged


def test_existing_comments_are_kept_and_new_ones_follow(tmp_path):
    path, report = _reviewed(tmp_path)
    first = annotate(path, report)
    second = annotate(first.data, report, author="法规处 张三")
    comments = etree.fromstring(_parts(second.data)["word/comments.xml"]).findall(f"{W}comment")
    assert len(comments) == 2 * len(report.findings)
    assert [c.get(f"{W}id") for c in comments] == [str(i) for i in range(len(comments))]
    assert {c.get(f"{W}author") for c in comments} == {DEFAULT_AUTHOR, "法规处 张三"}
    rels = _parts(second.data)["word/_rels/document.xml.rels"]
    assert rels.count(b"relationships/comments") == 1


def test_concrete_corrections_are_offered_as_tracked_changes(tmp_path):
    path, report = _reviewed(tmp_path)
    result = annotate(path, report, suggest=True, author="法规处")
    assert result.suggested == 1  # the 大写 amount
    document = etree.fromstring(_parts(result.data)["word/document.xml"])
    [deleted] = document.iter(f"{W}del")
    [inserted] = document.iter(f"{W}ins")
    assert "".join(deleted.itertext()) == "人民币壹拾万零伍仟元整" or "".join(deleted.itertext()) == "壹拾万零伍仟元整"
    assert "".join(inserted.itertext()) == "壹拾万元整"
    assert deleted.get(f"{W}author") == inserted.get(f"{W}author") == "法规处"
    accepted = "".join(t.text or "" for t in document.iter(f"{W}t"))  # the text once the change is accepted
    assert "（大写：人民币壹拾万元整）" in accepted
    assert annotate(path, report).suggested == 0  # only when asked
