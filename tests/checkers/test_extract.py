"""Reading documents: DOCX structure, PDF, encodings, Markdown, HTML — and every hostile input refused.

All inputs are built in the tests (tests/fixtures/extract/builders.py). A refused input must raise
InputError with a Chinese message and return nothing.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from checkers.document import Document
from checkers.extract import InputError, read_document
from checkers.extract.text import clean, join_lines
from tests.conftest import ROOT
from tests.fixtures.extract.builders import (
    NS,
    agreement_body,
    docx,
    p,
    pdf_bytes,
    pdf_page,
    r,
    table,
    zip_bytes,
)


def refused(data: bytes | str | Path, filename: str | None = None, **kwargs: object) -> str:
    """Read ``data`` expecting InputError; return its message (nothing may be returned)."""
    result: Document | None = None
    with pytest.raises(InputError) as caught:
        result = read_document(data, filename=filename, **kwargs)  # type: ignore[arg-type]
    assert result is None
    message = str(caught.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    return message


def texts(doc: Document, kind: str | None = None) -> list[str]:
    return [b.text for b in doc.blocks if kind is None or b.kind == kind]


# -- DOCX: structure ------------------------------------------------------------------------------------

def test_docx_paragraphs_headings_and_styles() -> None:
    body = (p("生态环境损害赔偿协议", "Title") + p("一、事实情况", "1") + p("（一）具体经过", "Heading2")
            + p("第一条 违约责任", "MyClause") + p("直接设置大纲级别", ppr='<w:outlineLvl w:val="2"/>')
            + p("正文段落。") + p("") + p("   "))
    doc = read_document(docx(body), filename="协议.docx")
    assert doc.format == "docx"
    assert [(b.kind, b.style, b.text) for b in doc.blocks] == [
        ("heading", "Title", "生态环境损害赔偿协议"),
        ("heading", "Heading 1", "一、事实情况"),
        ("heading", "标题 2", "（一）具体经过"),
        ("heading", "条款标题", "第一条 违约责任"),  # based on a heading style
        ("heading", "Heading 3", "直接设置大纲级别"),
        ("paragraph", None, "正文段落。"),
    ]
    assert [b.location.paragraph for b in doc.blocks] == [1, 2, 3, 4, 5, 6]
    assert doc.pages is None and all(b.location.page is None for b in doc.blocks)


def test_docx_tables_with_merged_cells_in_reading_order() -> None:
    restart = '<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + p("合并单元格") + "</w:tc>"
    cont = '<w:tc><w:tcPr><w:vMerge/></w:tcPr>' + p("") + "</w:tc>"
    span = '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>' + p("横向合并") + "</w:tc>"
    body = (p("表前段落") + table([["项目", "金额"], [restart, "一"], [cont, "二"], [span, "尾"]])
            + p("表后段落"))
    doc = read_document(docx(body), filename="t.docx")
    cells = [(b.text, b.location.table, b.location.row, b.location.cell) for b in doc.blocks if b.kind == "table_cell"]
    assert cells == [("项目", 1, 1, 1), ("金额", 1, 1, 2), ("合并单元格", 1, 2, 1), ("一", 1, 2, 2),
                     ("二", 1, 3, 2), ("横向合并", 1, 4, 1), ("尾", 1, 4, 3)]
    assert texts(doc)[0] == "表前段落" and texts(doc)[-1] == "表后段落"
    assert [b.location.paragraph for b in doc.blocks] == list(range(1, 10))


def test_docx_multi_paragraph_cell_and_nested_table() -> None:
    cell = "<w:tc>" + p("第一行") + p("第二行") + table([["嵌套"]]) + "</w:tc>"
    doc = read_document(docx(table([[cell]])), filename="t.docx")
    assert texts(doc, "table_cell") == ["第一行\n第二行\n嵌套"]


def test_docx_headers_footers_footnotes() -> None:
    notes = ('<w:footnote w:type="separator" w:id="-1">' + p("———") + "</w:footnote>"
             '<w:footnote w:id="1">' + p("脚注：依据《生态环境损害赔偿管理规定》。") + "</w:footnote>")
    doc = read_document(docx(p("正文"), headers=[p("某市生态环境局"), p("某市生态环境局")],
                             footers=[p("第 1 页")], footnotes=notes), filename="h.docx")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "正文"), ("footnote", "脚注：依据《生态环境损害赔偿管理规定》。"),
        ("header", "某市生态环境局"), ("footer", "第 1 页")]
    assert doc.blocks[1].location.paragraph is None  # only body blocks are numbered


def test_docx_text_boxes_read_once_after_their_anchor() -> None:
    box = "<w:txbxContent>" + p("文本框内容") + "</w:txbxContent>"
    alternate = ("<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>" + box
                 + "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>" + box
                 + "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    vml_only = "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>" + p("旧式文本框") + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    body = p(runs=r("锚定段落") + alternate) + p(runs=vml_only) + p("后续段落")
    doc = read_document(docx(body), filename="tb.docx")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "锚定段落"), ("textbox", "文本框内容"), ("textbox", "旧式文本框"), ("paragraph", "后续段落")]


def test_docx_tracked_changes_read_as_final_text() -> None:
    runs = (r("乙方应于") + '<w:del w:id="1" w:author="A"><w:r><w:delText>十日</w:delText></w:r></w:del>'
            + '<w:ins w:id="2" w:author="A">' + r("三十日") + "</w:ins>" + r("内支付。")
            + '<w:moveFrom w:id="3" w:author="A">' + r("移走的文字") + "</w:moveFrom>")
    moved = '<w:moveTo w:id="4" w:author="A">' + r("移入的文字") + "</w:moveTo>"
    # a paragraph whose mark was deleted joins the next one
    merged = ('<w:p><w:pPr><w:rPr><w:del w:id="5" w:author="A"/></w:rPr></w:pPr>' + r("前半句，")
              + "</w:p>" + p("后半句。"))
    deleted_row = ('<w:tbl><w:tr><w:trPr><w:del w:id="6" w:author="A"/></w:trPr><w:tc>' + p("删除的行")
                   + "</w:tc></w:tr><w:tr><w:tc>" + p("保留的行") + "</w:tc></w:tr></w:tbl>")
    doc = read_document(docx(p(runs=runs) + p(runs=moved) + merged + deleted_row), filename="tc.docx")
    assert texts(doc) == ["乙方应于三十日内支付。", "移入的文字", "前半句，后半句。", "保留的行"]
    # the report says the text was read with every change accepted (issue 12)
    [note] = [w for w in doc.warnings if "未接受的修订" in w]
    assert "插入1处、删除3处、移动1处" in note and "接受全部修订后的文字" in note
    clean = read_document(docx(p("没有修订的段落。")), filename="clean.docx")
    assert not [w for w in clean.warnings if "修订" in w]



def test_docx_text_struck_through_by_hand_reads_as_deleted() -> None:
    """A draft marks a deletion with strikethrough instead of a tracked change ("2025年1月6日" struck, "1月8日"
    after it): the struck words are no part of the text, and the report says so (blind batch 24, dev: wBT07)."""
    struck = '<w:r><w:rPr><w:strike/></w:rPr><w:t>2025年1月6日上午10:00</w:t></w:r>'
    double = '<w:r><w:rPr><w:dstrike w:val="true"/></w:rPr><w:t>旧地点</w:t></w:r>'
    off = '<w:r><w:rPr><w:strike w:val="0"/></w:rPr><w:t>，会议室。</w:t></w:r>'
    doc = read_document(docx(p(runs=r("时间：") + struck + r("2025年1月8日上午10:00") + double + off)), filename="s.docx")
    assert texts(doc) == ["时间：2025年1月8日上午10:00，会议室。"]
    [note] = [w for w in doc.warnings if "删除线" in w]
    assert "2025年1月6日上午10:00旧地点" in note
    assert not [w for w in read_document(docx(p("没有删除线。")), filename="c.docx").warnings if "删除线" in w]


def test_unaccepted_revisions_are_reported_in_text_html_and_sarif(tmp_path) -> None:
    import json

    from checkers.check import check_file
    from checkers.report import render

    runs = r("生态环境损害赔偿协议") + '<w:ins w:id="2" w:author="A">' + r("（修订稿）") + "</w:ins>"
    path = tmp_path / "revised.docx"
    path.write_bytes(docx(p(runs=runs) + p("乙方应于2025年5月1日前支付赔偿金。")))
    report = check_file(path, kind="agreement", jurisdiction="guangxi")
    assert any("未接受的修订（插入1处）" in w for w in report.reading)
    assert "未接受的修订" in render([report], "text")
    assert "读取提示" in render([report], "html") and "未接受的修订" in render([report], "html")
    notes = json.loads(render([report], "sarif"))["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("未接受的修订" in n["message"]["text"] and n["level"] == "warning" for n in notes)


def test_docx_tabs_breaks_fields_symbols_hidden_and_placeholders() -> None:
    runs = (r("甲方") + "<w:r><w:tab/></w:r>" + r("乙方") + "<w:r><w:br/></w:r>" + r("第二行")
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("7")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            + '<w:r><w:noBreakHyphen/></w:r><w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>'
            + '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>')
    placeholder = ('<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>' + p("单击此处输入文字。")
                   + "</w:sdtContent></w:sdt>")
    control = '<w:sdt><w:sdtPr/><w:sdtContent>' + p("内容控件中的文字") + "</w:sdtContent></w:sdt>"
    doc = read_document(docx(p(runs=runs) + placeholder + control), filename="x.docx")
    assert texts(doc) == ["甲方 乙方\n第二行7-", "内容控件中的文字"]


def test_docx_automatic_numbering_rendered() -> None:
    numbered = '<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'
    body = (p("事实情况", "Article") + p("违约责任", "Article")
            + p("逾期支付", ppr=numbered.format(level=1, num=1)) + p("逾期修复", ppr=numbered.format(level=1, num=1))
            + p("不可抗力", "Article") + p("第一项", ppr=numbered.format(level=0, num=2))
            + p("要点", ppr=numbered.format(level=0, num=3)))
    doc = read_document(docx(body, numbering=True), filename="n.docx")
    assert texts(doc) == ["第一条 事实情况", "第二条 违约责任", "（一）逾期支付", "（二）逾期修复",
                          "第三条 不可抗力", "1. 第一项", "要点"]


def test_docx_pages_from_explicit_and_rendered_breaks() -> None:
    explicit = p("第一页") + p(runs=r("仍在第一页") + '<w:r><w:br w:type="page"/></w:r>') + p("第二页") + p(
        "第三页", ppr="<w:pageBreakBefore/>")
    doc = read_document(docx(explicit), filename="pages.docx")
    assert [(b.text, b.location.page) for b in doc.blocks] == [
        ("第一页", 1), ("仍在第一页", 1), ("第二页", 2), ("第三页", 3)]
    assert doc.pages == 3
    rendered = p("甲") + p(runs="<w:r><w:lastRenderedPageBreak/>" + '<w:t>乙</w:t></w:r>') + p("丙")
    doc = read_document(docx(rendered), filename="pages.docx")
    assert [b.location.page for b in doc.blocks] == [1, 2, 2]


def test_docx_without_styles_part_and_with_absolute_rel_targets() -> None:
    doc = read_document(docx(p("无样式文档"), styles=False), filename="s.docx")
    assert texts(doc) == ["无样式文档"]


def test_docx_written_by_python_docx_if_available() -> None:
    docx_module = pytest.importorskip("docx")
    document = docx_module.Document()
    document.add_heading("生态环境损害赔偿协议", level=1)
    document.add_paragraph("甲方：某市生态环境局")
    t = document.add_table(rows=2, cols=2)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "合并"
    t.cell(0, 1).text = "右上"
    buffer = io.BytesIO()
    document.save(buffer)
    doc = read_document(buffer.getvalue(), filename="pd.docx")
    assert doc.blocks[0].kind == "heading"
    assert texts(doc, "table_cell").count("合并") == 1


# -- DOCX: hostile and broken ----------------------------------------------------------------------------

BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
                  '<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
                  f'<w:document {NS}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
XXE = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       f'<w:document {NS}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_docx_entity_attacks_refused(xml: str) -> None:
    message = refused(docx("", document_xml=xml), "evil.docx")
    assert "DTD" in message and "拒绝读取" in message


def test_docx_doctype_in_utf16_part_refused() -> None:
    xml = XXE.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    evil = docx("", document_xml=xml.encode("utf-16"))  # type: ignore[arg-type]
    assert "DTD" in refused(evil, "evil.docx")


def test_doctype_in_any_part_refused() -> None:
    styles = XXE.replace("w:document", "w:styles").replace("<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body>", "")
    evil = docx(p("正文"), extra={"word/styles.xml": styles})
    message = refused(evil, "evil.docx")
    assert "word/styles.xml" in message and "DTD" in message


def test_deeply_nested_xml_refused_without_recursion_error() -> None:
    body = "<w:customXml>" * 5000 + p("深") + "</w:customXml>" * 5000
    assert "不是有效的 XML" in refused(docx(body), "deep.docx")
    shallow = "<w:customXml>" * 100 + p("浅") + "</w:customXml>" * 100
    assert texts(read_document(docx(shallow), filename="ok.docx")) == ["浅"]


def test_zip_bomb_by_ratio_refused() -> None:
    bomb = docx(p("正文"), extra={"word/media/zeros.bin": b"\0" * (3 * 1024 * 1024)})
    assert len(bomb) < 100_000
    message = refused(bomb, "bomb.docx")
    assert "压缩比" in message and "压缩炸弹" in message


def test_zip_bomb_by_total_size_refused() -> None:
    # 6 members of 9 MB zeros each: 54 MB declared, over the 50 MB total (each also over the ratio).
    files = {f"word/media/z{i}.bin": b"\0" * (9 * 1024 * 1024) for i in range(6)}
    started = time.perf_counter()
    message = refused(docx(p("正文"), extra=files), "bomb.docx")
    assert "压缩炸弹" in message
    assert time.perf_counter() - started < 10


def test_zip_bomb_total_checked_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    import ecokernel.safezip as safezip
    monkeypatch.setattr(safezip, "MAX_ZIP_TOTAL_BYTES", 10_000)
    message = refused(docx(agreement_body(20_000)), "big.docx")
    assert "上限" in message and "压缩炸弹" in message


def test_zip_directory_that_lies_about_sizes_refused() -> None:
    data = bytearray(docx(p("正文" * 2000)))
    # shrink the declared uncompressed size of word/document.xml in the central directory
    name = b"word/document.xml"
    patched = 0
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = int.from_bytes(data[position + 28:position + 30], "little")
        if data[position + 46:position + 46 + name_length] == name:
            data[position + 24:position + 28] = (100).to_bytes(4, "little")
            patched += 1
        position = data.find(b"PK\x01\x02", position + 4)
    assert patched == 1
    message = refused(bytes(data), "lie.docx")
    assert "损坏" in message


def test_zip_with_ten_thousand_members_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(10_000):
            archive.writestr(f"f{i}", b"")
    message = refused(buffer.getvalue(), "many.docx")
    assert "10000" in message and "上限" in message


@pytest.mark.parametrize("member", ["../../etc/cron.d/evil", "/etc/passwd", "word/../../x.xml", "C:\\evil.xml",
                                    "a/" * 20 + "deep.xml"])
def test_zip_path_traversal_and_absolute_members_refused(member: str) -> None:
    evil = docx(p("正文"), extra={member: "x"})
    assert "非法的部件路径" in refused(evil, "trav.docx")


def test_zip_duplicate_members_refused() -> None:
    buffer = io.BytesIO()
    with pytest.warns(UserWarning), zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "a")
        archive.writestr("word/document.xml", "b")
    assert "出现了两次" in refused(buffer.getvalue(), "dup.docx")


def test_truncated_docx_refused() -> None:
    data = docx(agreement_body(3000))
    assert "损坏" in refused(data[: len(data) // 2], "cut.docx")


def test_docx_with_broken_xml_refused() -> None:
    assert "不是有效的 XML" in refused(docx("", document_xml="<w:document><w:body>"), "b.docx")


@pytest.mark.parametrize(("files", "expected"), [
    ({"xl/workbook.xml": "<x/>"}, "Excel"),
    ({"ppt/presentation.xml": "<x/>"}, "PowerPoint"),
    ({"OFD.xml": "<x/>"}, "OFD"),
    ({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}, "OpenDocument"),
    ({"readme.txt": "hello"}, "不是 Word 文书"),
])
def test_other_zip_formats_named(files: dict[str, str], expected: str) -> None:
    assert expected in refused(zip_bytes(files), "x.docx")


def test_xlsx_with_relationships_named() -> None:
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    assert "Excel" in refused(zip_bytes({"_rels/.rels": rels, "xl/workbook.xml": workbook}), "表.docx")


def test_header_text_box_read_once() -> None:
    letterhead = p(runs="<w:r><w:pict><v:shape><v:textbox><w:txbxContent>" + p("某市生态环境局文件")
                   + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
    doc = read_document(docx(p("正文"), headers=[letterhead]), filename="h.docx")
    assert texts(doc, "header") == ["某市生态环境局文件"]


def test_docx_without_text_refused() -> None:
    assert "没有可审查的文字" in refused(docx(p("") + p("  ")), "empty.docx")


# -- other binary inputs -------------------------------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


@pytest.mark.parametrize(("data", "name", "expected"), [
    (OLE2, "协议.docx", "这是旧版 Word（.doc）文件，请另存为 .docx 后再审查"),
    (OLE2, "协议.doc", "这是旧版 Word（.doc）文件，请另存为 .docx 后再审查"),
    (OLE2 + "EncryptedPackage".encode("utf-16-le"), "协议.docx", "打开密码"),
    (b"\x89PNG\r\n\x1a\n" + os.urandom(200), "协议.docx", "PNG 图片"),
    (b"\xff\xd8\xff\xe0" + os.urandom(200), "scan.pdf", "JPEG 图片"),
    (b"{\\rtf1\\ansi hello}", "a.rtf", "RTF"),
    (b"hello", "a.xlsx", "Excel"),
    (os.urandom(4096).replace(b"%PDF", b"%PDx"), "random.docx", "不是 DOCX 格式"),
    ("甲方：某局".encode(), "renamed.pdf", "不是 PDF 格式"),
    (b"\x00\x01\x02\x03" * 256, "a.bin", "不支持的文件格式"),
    (b"\x00\x01\x02\x03\xfe\xff" * 256, "noext", "二进制"),
    (b"\x00\x01\x02\x03\x04\x05" * 300, "a.txt", "二进制"),
])
def test_binary_and_unsupported_inputs_named(data: bytes, name: str, expected: str) -> None:
    assert expected in refused(data, name)


def test_random_bytes_refused_whatever_the_name() -> None:
    rng = __import__("random").Random(4)
    for name in ("a.txt", "a.md", "a.html", "a", "a.docx", "a.pdf"):
        data = bytes(rng.randrange(256) for _ in range(3000))
        refused(data, name)


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n"])
def test_empty_files_refused(data: bytes) -> None:
    assert "文件是空的" in refused(data, "empty.txt")


def test_oversized_input_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    assert "超过 1 KB 的上限" in refused(big, max_bytes=1024)
    assert "超过" in refused(b"a" * 2048, "x.txt", max_bytes=1024)


def test_missing_file_and_directory_refused(tmp_path: Path) -> None:
    assert "文件不存在" in refused(tmp_path / "nope.docx")
    assert "文件夹" in refused(tmp_path)


def test_error_carries_the_file_name() -> None:
    with pytest.raises(InputError) as caught:
        read_document(b"", filename="空.txt")
    assert caught.value.path == "空.txt" and str(caught.value).startswith("空.txt：")


# -- PDF ------------------------------------------------------------------------------------------------

def test_pdf_text_per_page() -> None:
    doc = read_document(pdf_bytes(["Agreement page one", "Page two"]), filename="a.pdf")
    assert doc.format == "pdf" and doc.pages == 2
    assert [(b.text, b.location.page) for b in doc.blocks] == [("Agreement page one", 1), ("Page two", 2)]


def test_pdf_without_text_layer_asks_for_ocr() -> None:
    message = refused(pdf_bytes(["", "", ""], draw_only=True), "scan.pdf")
    assert "PDF 没有文字层（可能是扫描件），请先进行文字识别（OCR）" in message and "1—3" in message


def test_pdf_with_some_scanned_pages_warns() -> None:
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    for source in (pdf_bytes(["Text page"]), pdf_bytes([""], draw_only=True)):
        writer.add_page(PdfReader(io.BytesIO(source)).pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    doc = read_document(buffer.getvalue(), filename="mixed.pdf")
    assert texts(doc) == ["Text page"] and "第2页没有文字层" in doc.warnings[0]


def _encrypted(user: str, owner: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["Secret text"]))))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_encrypted_with_password_refused() -> None:
    assert "PDF 已加密，请先解除密码保护" in refused(_encrypted("secret", "owner"), "enc.pdf")


def test_pdf_encrypted_with_empty_user_password_is_read() -> None:
    assert texts(read_document(_encrypted("", "owner"), filename="restricted.pdf")) == ["Secret text"]


@pytest.mark.parametrize("damage", ["truncate", "garble"])
def test_corrupt_pdf_refused(damage: str) -> None:
    data = pdf_bytes(["Some text"])
    bad = data[:60] if damage == "truncate" else b"%PDF-1.4\n" + os.urandom(2000)
    assert "PDF" in refused(bad, "bad.pdf")


def test_pdf_page_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import checkers.extract.pdf as pdf
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 2)
    assert "超过 2 页的上限" in refused(pdf_bytes(["a", "b", "c"]), "long.pdf")


def test_pdf_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import checkers.extract.pdf as pdf
    monkeypatch.setattr(pdf, "MAX_PDF_SECONDS", -1.0)
    assert "秒仍未完成" in refused(pdf_bytes(["a"]), "slow.pdf")


@pytest.mark.parametrize("layers", [1, 2])
def test_pdf_compression_bomb_refused(monkeypatch: pytest.MonkeyPatch, layers: int) -> None:
    """A content stream that inflates far past the limit, compressed once or twice (PDFium would
    inflate it whole), is refused before PDFium opens the file."""
    import zlib

    import checkers.extract.pdf as pdf
    monkeypatch.setattr(pdf, "MAX_PDF_INFLATED_BYTES", 1_000_000)
    stream = b"BT /F1 14 Tf 72 720 Td (Bomb) Tj ET\n" + b" " * 3_000_000
    for _ in range(layers):
        stream = zlib.compress(stream, 9)
    bomb = pdf_page(stream, filters="[" + " ".join(["/FlateDecode"] * layers) + "]")
    assert "压缩炸弹" in refused(bomb, "bomb.pdf")
    monkeypatch.setattr(pdf, "MAX_PDF_INFLATED_BYTES", 4_000_000)
    assert texts(read_document(bomb, filename="bomb.pdf")) == ["Bomb"]  # within the limit it reads


def test_pdf_compression_bomb_in_an_encrypted_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """An encrypted PDF that opens without a password (PDFium decrypts it by itself): its streams are
    measured decrypted, so a bomb cannot hide behind the encryption."""
    import zlib

    from pypdf import PdfReader, PdfWriter

    import checkers.extract.pdf as pdf
    stream = zlib.compress(b"BT /F1 14 Tf 72 720 Td (Bomb) Tj ET\n" + b" " * 3_000_000, 9)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_page(stream, filters="/FlateDecode"))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    monkeypatch.setattr(pdf, "MAX_PDF_INFLATED_BYTES", 1_000_000)
    assert "压缩炸弹" in refused(buffer.getvalue(), "bomb.pdf")
    monkeypatch.setattr(pdf, "MAX_PDF_INFLATED_BYTES", 4_000_000)
    assert texts(read_document(buffer.getvalue(), filename="bomb.pdf")) == ["Bomb"]


def test_pdf_characters_come_in_their_order_on_the_page() -> None:
    """A mark drawn in another font after its line's text ("Ⅲ" of "Ⅲ类") reads where it stands on the
    page, not where the content stream drew it (PDFium alone gives "超过类Ⅲ标准", "河Ⅲ道")."""
    path = ROOT / "tests" / "fixtures" / "rules" / "heldout2" / "h2-05-agr-yulin-pdf-words.pdf"
    text = "".join(texts(read_document(path)))
    assert "超过Ⅲ类标准限值" in text and "）Ⅲ类标准，河道水生生物" in text


SOFFICE = shutil.which("soffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_from_libreoffice_chinese_text_header_and_page_numbers(tmp_path: Path) -> None:
    lines = ["生态环境损害赔偿协议", "", "甲方：某市生态环境局", "乙方：某某化工有限公司",
             "第一条 违约责任。乙方逾期支付的，应按日支付万分之五的违约金。"]
    source = tmp_path / "agreement.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    try:
        subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"LibreOffice could not convert: {exc}")
    doc = read_document(tmp_path / "agreement.pdf")
    assert texts(doc) == [line for line in lines if line]
    assert {b.location.page for b in doc.blocks} == {1}


def test_pdf_running_headers_and_page_numbers_set_apart() -> None:
    pages = [f"Page body {n}" for n in range(1, 5)]
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    for n, body in enumerate(pages, start=1):
        source = _pdf_lines(["Court filing", body, f"- {n} -"])
        writer.add_page(PdfReader(io.BytesIO(source)).pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    doc = read_document(buffer.getvalue(), filename="h.pdf")
    assert texts(doc, "paragraph") == pages
    assert texts(doc, "header") == ["Court filing"] * 4 and texts(doc, "footer") == [f"- {n} -" for n in range(1, 5)]


def _pdf_lines(lines: list[str]) -> bytes:
    """A one-page PDF with several text lines (pypdf puts each Td line on its own line)."""
    body = " ".join(f"({line}) Tj 0 -40 Td" for line in lines)
    data = pdf_bytes(["X"])
    return data.replace(b"(X) Tj", body.encode()).replace(b"/Length 40", f"/Length {len(body) + 32}".encode())


# -- text encodings ---------------------------------------------------------------------------------

SAMPLE = "生态环境损害赔偿协议\n\n甲方：某市生态环境局（盖章）\n乙方：某某公司，统一社会信用代码 91450100MA5L000000\n"


@pytest.mark.parametrize(("encoded", "encoding"), [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
    (SAMPLE.encode("gbk"), "gbk"),
    ((SAMPLE + "𠮷㐀").encode("gb18030"), "gb18030"),
    (SAMPLE.encode("utf-16"), "utf-16-le"),
    (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16-be"),
    (SAMPLE.encode("utf-16-le"), "utf-16-le"),
    (SAMPLE.encode("utf-16-be"), "utf-16-be"),
])
def test_text_encodings_detected(encoded: bytes, encoding: str) -> None:
    doc = read_document(encoded, filename="协议.txt")
    assert doc.encoding == encoding
    assert doc.blocks[0].text == "生态环境损害赔偿协议"
    assert doc.blocks[1].text == "甲方：某市生态环境局（盖章）"  # full-width punctuation kept
    assert [b.location.line for b in doc.blocks[:3]] == [1, 3, 4]


def test_short_gbk_text_is_not_mistaken_for_utf8() -> None:
    for word in ("协议", "甲方乙方", "违约责任", "不可抗力", "联通"):
        assert read_document(word.encode("gbk"), filename="a.txt").text == word


def test_bad_bytes_after_a_bom_refused() -> None:
    assert "UTF-8" in refused(b"\xef\xbb\xbf\xff\xfe\xfa", "a.txt")


def test_text_without_extension_and_crlf() -> None:
    doc = read_document("第一行。\r\n第二行。\r\n".encode(), filename="README")
    assert texts(doc) == ["第一行。", "第二行。"]


def test_hard_wrapped_lines_joined_into_paragraphs() -> None:
    lines = [(1, "第一条 本协议所称生态环境损害，是指因污染环境、破坏生态造成大气、地表水、"),
             (2, "地下水、土壤、森林等环境要素和植物、动物、微生物等生物要素的不利改变。"),
             (3, "第二条 违约责任。"), (4, ""), (5, "甲方（盖章）"), (6, "乙方（盖章）")]
    assert join_lines(lines) == [
        (1, "第一条 本协议所称生态环境损害，是指因污染环境、破坏生态造成大气、地表水、地下水、土壤、森林等"
            "环境要素和植物、动物、微生物等生物要素的不利改变。"),
        (3, "第二条 违约责任。"), (5, "甲方（盖章）"), (6, "乙方（盖章）")]


def test_a_bracketed_label_or_a_party_field_starts_a_paragraph() -> None:
    lines = [(1, "地址（联系方式）：张掖市甘州区青年西街21号，0936-8258120"),
             (2, "【申请人（赔偿义务人）】王德福，男，1971年3月8日出生，汉族"),
             (3, "工作单位或职业：农民"), (4, "住址（联系方式）：张掖市甘州区乌江镇小湾村五社18号，13909363375")]
    assert [n for n, _text in join_lines(lines)] == [1, 2, 3, 4]


def test_a_title_split_by_a_blank_line_is_one_paragraph() -> None:
    lines = [(1, "申请事项 确认申请人与梁秀峰达成的《梁秀峰非法采石生态环境损害赔偿协"), (2, ""), (3, "议》有效。"),
             (4, ""), (5, "《附件》"), (6, ""), (7, "此致")]
    assert join_lines(lines) == [(1, "申请事项 确认申请人与梁秀峰达成的《梁秀峰非法采石生态环境损害赔偿协议》有效。"),
                                 (5, "《附件》"), (7, "此致")]


def test_a_wrap_between_a_figure_and_what_it_counts_is_closed() -> None:
    from checkers.extract.text import close_wraps
    assert close_wraps("至2025年1月16日经过2\n轮磋商") == "至2025年1月16日经过2轮磋商"
    assert close_wraps("共\n3次") == "共3次"
    assert close_wraps("合计：100\n二、") == "合计：100\n二、"  # a figure, then a heading's numbering


def test_clean_normalises_whitespace_and_the_width_of_digits_and_letters() -> None:
    assert clean("甲　方：\u00a0某某  公司（盖章）\u200b") == "甲方： 某某 公司（盖章）"
    assert clean("此 致\n\n 某某人民法院 ") == "此致\n某某人民法院"
    assert clean("第一条 事实情况") == "第一条 事实情况"
    # an office system's export (blind batch 14): full-width digits and letters read as ASCII, one for
    # one; Chinese punctuation stays full-width (no NFKC), a full-width point between digits is a decimal
    assert clean("（２０２４）桂01民特12号") == "（2024）桂01民特12号"
    assert clean("统一社会信用代码：９１１３１１０３ＭＡ０ＣＹＰ８２９Ｅ") == "统一社会信用代码：91131103MA0CYP829E"
    assert clean("赔偿金１２．５万元，共计：１．") == "赔偿金12.5万元，共计：1．"


# -- Markdown and HTML --------------------------------------------------------------------------------

def test_markdown_headings_emphasis_links_tables_lists() -> None:
    source = """# 生态环境损害赔偿协议

**甲方**：某市生态环境局，详见[官网](http://example.org)
乙方：*某某公司*

## 一、赔偿金额

| 项目 | 金额 |
|---|---|
| 修复费用 | 1,200,000.00 |

1. 逾期支付的，按日支付违约金。
2. 不可抗力免责。

- 要点
"""
    doc = read_document(source.encode(), filename="a.md")
    assert [(b.kind, b.style, b.text, b.location.line) for b in doc.blocks] == [
        ("heading", "Heading 1", "生态环境损害赔偿协议", 1),
        ("paragraph", None, "甲方：某市生态环境局，详见官网\n乙方：某某公司", 3),
        ("heading", "Heading 2", "一、赔偿金额", 6),
        ("table_cell", None, "项目", 8), ("table_cell", None, "金额", 8),
        ("table_cell", None, "修复费用", 10), ("table_cell", None, "1,200,000.00", 10),
        ("paragraph", None, "1. 逾期支付的，按日支付违约金。", 12),
        ("paragraph", None, "2. 不可抗力免责。", 13),
        ("paragraph", None, "要点", 15),
    ]
    assert (doc.blocks[5].location.table, doc.blocks[5].location.row, doc.blocks[5].location.cell) == (1, 2, 1)



def test_markdown_soft_breaks_keep_a_chinese_document_s_own_lines() -> None:
    """A source line that stands alone ("此致", then the court; a line starting a field or an item)
    stays a line; a line wrapped mid-sentence joins without a space (blind batch 8, dev)."""
    source = "此致\n郴州市中级人民法院\n\n乙方应于2025年3月31日前将赔偿金\n全额缴入国库。\n"
    doc = read_document(source.encode(), filename="a.md")
    assert [b.text for b in doc.blocks] == ["此致\n郴州市中级人民法院", "乙方应于2025年3月31日前将赔偿金全额缴入国库。"]


def test_markdown_line_break_in_a_table_cell_is_a_line() -> None:
    """"<br>" in a Markdown table cell (the generated signature table) separates the cell's lines, as
    a DOCX cell's paragraphs do: the sealed name does not run on into the next label (issue 11)."""
    source = "| 赔偿义务人（盖章）：<br>广西桂南冶炼有限公司<br/>法定代表人（签字）：＿＿ |\n|---|\n| 签订时间 |\n"
    doc = read_document(source.encode(), filename="a.md")
    assert doc.blocks[0].text == "赔偿义务人（盖章）：\n广西桂南冶炼有限公司\n法定代表人（签字）：＿＿"

def test_html_blocks_in_order_scripts_skipped() -> None:
    source = """<!DOCTYPE html><html><head><title>标题栏</title><style>p{color:red}</style>
<script>alert('x')</script></head><body>
<h1>司法确认申请书</h1>
<div>申请人：某市生态环境局<br>地址：某路1号</div>
<p>请求事项：确认&nbsp;协议有效。<!-- 注释 --></p>
<table><tr><th>项目</th><th colspan="2">金额</th><td>尾</td></tr><tr><td><p>甲</p><p>乙</p></td></tr></table>
<ul><li>附：赔偿协议</li></ul><noscript>请启用脚本</noscript>
</body></html>"""
    doc = read_document(source.encode(), filename="a.html")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "司法确认申请书"), ("paragraph", "申请人：某市生态环境局\n地址：某路1号"),
        ("paragraph", "请求事项：确认 协议有效。"),
        ("table_cell", "项目"), ("table_cell", "金额"), ("table_cell", "尾"), ("table_cell", "甲\n乙"),
        ("paragraph", "附：赔偿协议")]
    assert [b.location.cell for b in doc.blocks if b.kind == "table_cell"] == [1, 2, 4, 1]
    assert doc.blocks[0].location.line == 3


def test_html_external_entities_not_resolved() -> None:
    source = b'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><p>A&xxe;B</p></body></html>'
    doc = read_document(source, filename="x.html")
    assert "root:" not in doc.text


def test_html_sniffed_without_extension_and_gbk_meta() -> None:
    source = '<html><head><meta charset="gbk"></head><body><p>协议正文</p></body></html>'.encode("gbk")
    doc = read_document(source, filename="download")
    assert doc.format == "html" and texts(doc) == ["协议正文"] and doc.encoding == "gbk"


# -- throughput (a measurement, not a timed assertion) ----------------------------------------------------

def measure_docx_throughput(seconds: float = 2.0, chars: int = 5000) -> float:
    """DOCX agreements of about ``chars`` characters parsed per second on one core."""
    data = docx(agreement_body(chars), numbering=True)
    read_document(data, filename="warm.docx")
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        read_document(data, filename="bench.docx")
        count += 1
    return count / (time.perf_counter() - started)


def test_throughput_helper_runs() -> None:
    rate = measure_docx_throughput(seconds=0.2)
    assert rate > 0
    print(f"DOCX agreements/s: {rate:.0f}")


if __name__ == "__main__":  # python -m tests.checkers.test_extract
    print(f"{measure_docx_throughput():.0f} DOCX agreements (≈5,000 characters) per second on one core")


def test_a_short_line_all_in_bold_is_a_heading() -> None:
    from checkers.extract import read_document

    bold = '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>损害事实</w:t></w:r></w:p>'
    half = '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>乙方</w:t></w:r><w:r><w:t>应当赔偿。</w:t></w:r></w:p>'
    doc = read_document(docx(bold + p("2024年4月，乙方超范围采砂，造成河床下切。") + half), filename="b.docx")
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert kinds[0] == ("heading", "损害事实")
    assert kinds[2][0] == "paragraph"  # bold only in part, and a sentence: not a heading


def test_a_page_number_line_inside_a_wrapped_sentence_is_dropped() -> None:
    """Text copied out of a paginated document: "— 2 —" between two halves of one sentence."""
    lines = ["本协议仅就草原生态环境损害进行索赔，不涉及赛鼎村集体", "", "— 2 —", "", "的财产损失。", "",
             "第3页 共5页", "下一段。"]
    assert join_lines(enumerate(lines, start=1)) == [
        (1, "本协议仅就草原生态环境损害进行索赔，不涉及赛鼎村集体的财产损失。"), (8, "下一段。")]


def test_a_closing_title_mark_never_starts_a_line() -> None:
    """A hard wrap just before "》" (bench/robustness.py, dev: wAR02): the mark ends the title above."""
    lines = ["4.《甘肃省生态环境损害赔偿工作实施细则》；5.《张掖市生态环境损害赔偿工作机制（试行）", "》。"]
    assert join_lines(enumerate(lines, start=1)) == [
        (1, "4.《甘肃省生态环境损害赔偿工作实施细则》；5.《张掖市生态环境损害赔偿工作机制（试行）》。")]


def test_an_enumeration_inside_a_sentence_cut_at_an_item_goes_on() -> None:
    """"包括：①…；" / "②…": the wrap fell on an item's start; the line before is full, the paragraph
    holds ①. A list written one short item per line stays as it is."""
    wrapped = ["1.赔偿费用。乙方应承担的费用包括：①草原植被恢复费用628,500元；", "②生态服务功能期间损失143,200元；③鉴定评估费用伍万捌仟元整。以上",
               "合计839,700元（大写：捌拾叁万玖仟柒佰元整）。"]
    assert len(join_lines(enumerate(wrapped, start=1))) == 1
    listed = ["赔偿费用包括：", "①草原植被恢复费用628,500元；", "②生态服务功能期间损失143,200元；"]
    assert len(join_lines(enumerate(listed, start=1))) == 3


def test_a_date_cut_before_its_day_mark_is_one_date() -> None:
    """"…于2026年3月31" / "日前支付。" (a PDF line full to the margin, robustness): one date, one deadline."""
    lines = ["第一期200,000元于2025年6月30日前支付；第三期123,300元于2026年3月31", "日前支付。", "（二）乙方应将上述款项全额缴入国库。"]
    assert [t for _n, t in join_lines(enumerate(lines, start=1))] == [
        "第一期200,000元于2025年6月30日前支付；第三期123,300元于2026年3月31日前支付。", "（二）乙方应将上述款项全额缴入国库。"]


def test_a_document_number_under_the_title_is_its_own_line() -> None:
    """A text without blank lines: the title, then its number (batch 17 dev: wAX08)."""
    lines = ["生态环境损害赔偿磋商告知书", "静环赔告〔2025〕3号", "静乐县丰润牧业有限公司："]
    assert [t for _n, t in join_lines(enumerate(lines, start=1))] == lines


def test_a_line_repeated_on_one_page_is_not_a_running_header() -> None:
    """Two signature columns read one after the other put the same date twice above the last page's
    number; a running header is a line repeated on two pages or more."""
    lines = ["南宁市生态环境局", "", "申请书正文。", "", "— 1 —", "", "南宁市生态环境局", "", "此致", "",
             "法定代表人（签字）：", "", "法定代表人（签字）：", "", "2025年4月21日", "", "2025年4月21日", "",
             "— 2 —"]
    assert [text for _n, text in join_lines(enumerate(lines, start=1))] == [
        "南宁市生态环境局", "申请书正文。", "此致", "法定代表人（签字）：", "法定代表人（签字）：", "2025年4月21日", "2025年4月21日"]


def test_pdf_footnotes_at_a_pages_foot_are_not_the_body() -> None:
    """A footnote above the page number, its mark in the page's text ("…（征求意见稿）》1"): set apart,
    so the list it falls into goes on (batch 17 dev: wAY08). A heading "3责任认定" at a page's foot stays."""
    from checkers.extract.pdf import _paragraphs

    pages = [["河环赔协〔2025〕1号 送审稿", "参照《广西壮族自治区生态环境损害赔偿工作细则（征求意见稿）》1的规定。",
              "1.应急处置费用276,000元；", "3.赔偿金1,980,000元；", "1该细则为征求意见稿，尚未施行，不作为直接法律依据。", "- 5 -"],
             ["河环赔协〔2025〕1号 送审稿", "4.鉴定评估费用220,000元。", "3责任认定", "- 6 -"],
             ["河环赔协〔2025〕1号 送审稿", "乙方承担全部责任。", "- 7 -"]]
    parts = [(b.part, b.text) for b in _paragraphs(pages)]
    assert ("footer", "1该细则为征求意见稿，尚未施行，不作为直接法律依据。") in parts
    assert ("body", "3责任认定") in parts


def test_pdf_sentence_cut_by_a_page_break_goes_on_in_its_paragraph() -> None:
    from checkers.extract.pdf import _paragraphs
    from checkers.extract.view import flat_view
    from ecodoc.tree import Document, Source

    pages = [["（三）技改抵扣", "经双方协商，乙方该项技改投入可抵扣赔偿金", "— 4 —"],
             ["— 5 —", "45.00万元（大写：肆拾伍万元整）。技改项目应于2026年6月30日前建成投运。",
              "（四）分期缴纳"],
             ["第五期 2029年6月30日前 6.70", "— 6 —"], ["合计 78.80", "— 7 —"]]
    view = flat_view(Document(blocks=_paragraphs(pages), source=Source(file="x.pdf", format="pdf")))
    body = [(b.text, b.location.page) for b in view.blocks if b.kind == "paragraph"]
    assert body == [("（三）技改抵扣", 1),
                    ("经双方协商，乙方该项技改投入可抵扣赔偿金45.00万元（大写：肆拾伍万元整）。"
                     "技改项目应于2026年6月30日前建成投运。", 1),
                    ("（四）分期缴纳", 2), ("第五期 2029年6月30日前 6.70", 3), ("合计 78.80", 4)]


def test_a_word_cut_at_the_line_end_joins_the_next_line() -> None:
    lines = ["约3,200吨堆放于金塔镇东侧未采取防渗措施的荒地，渗滤液造成约1.5公顷土壤污染。",
             "2025年3月10日，我单位通知被申请人进行磋",
             "商。2025年3月25日至5月27日，双方经过三轮磋商协商一致。",
             "甲方：某某局", "地址：某某路1号"]
    paragraphs = [text for _n, text in join_lines(enumerate(lines, start=1))]
    assert paragraphs == [lines[0], lines[1] + lines[2], "甲方：某某局", "地址：某某路1号"]


def test_a_bracket_left_open_at_the_line_end_goes_on() -> None:
    lines = ["山丹县宏达石料有限公司（统一社会信用代码：",
             "91620725MA71R3C08L；法定代表人：周德贵；地址：张掖市山丹县老军乡硖口村六社）：",
             "根据有关规定，现告知如下："]
    paragraphs = [text for _n, text in join_lines(enumerate(lines, start=1))]
    assert paragraphs == [lines[0] + lines[1], lines[2]]


def test_a_bracket_left_open_goes_on_over_several_lines_until_it_closes() -> None:
    lines = ["大竹县恒昌造纸有限公司（统一社会信用代码：",
             "91511724MA6A3G9P96；法定代表人：蒋国庆；住所：大竹县庙坝镇",
             "工业园区纸业路9号）：",
             "因你公司污水处理站调节池渗漏一事，现通知如下："]
    paragraphs = [text for _n, text in join_lines(enumerate(lines, start=1))]
    assert paragraphs == ["".join(lines[:3]), lines[3]]


def test_a_bracket_never_closed_does_not_swallow_the_document() -> None:
    lines = ["（一）甲方（赔偿权利人", "乙方：某某公司", "丙方：某某村", "丁方：某某镇", "戊方：某某县"]
    paragraphs = [text for _n, text in join_lines(enumerate(lines, start=1))]
    assert paragraphs == lines


def test_a_table_drawn_with_characters_reads_as_cells() -> None:
    text = ("磋商告知书\n┃被告知人 ┃民乐县顺达石料有限公司\n┃统一社会信用代码 ┃91620722MA73L8EK3B\n"
            "┣━━━━━╋━━━━━━┫\n┃赔偿事由 ┃你公司于2024年7月在河道内无证采砂。\n后文一段。\n")
    doc = read_document(text.encode("gb18030"), filename="告知书.txt")
    cells = [b for b in doc.blocks if b.kind == "table_cell"]
    assert [b.text for b in cells[:2]] == ["被告知人：民乐县顺达石料有限公司", "统一社会信用代码：91620722MA73L8EK3B"]
    assert [b.location.row for b in cells] == [1, 2, 3, 3]
    assert doc.blocks[-1].kind == "paragraph" and doc.blocks[-1].location.line == 6


def test_table_rows_copied_as_text_stay_apart() -> None:
    lines = ["序号 费用项目 金额（元）", "1 大气环境损害数额（虚拟治理成本法） 896,800", "2 鉴定评估费用 98,000",
             "3 应急监测及检测费用 42,000", "合计 1,036,800"]
    paragraphs = [text for _n, text in join_lines(enumerate(lines, start=1))]
    assert paragraphs[1:3] == lines[1:3]


def test_a_numbered_table_copied_one_cell_per_line_is_a_table_again() -> None:
    """Cells copied out of a Word table come one per line; 序号 and the rows' 1, 2 give the columns.
    (bench/robustness.py: wAJ13 hard-wrapped, whose 被告知人 went unread without it)."""
    cells = ["序号", "被告知人", "法定代表人", "统一社会信用代码", "地址",
             "1", "柳州市华鑫电镀有限公司", "覃小军", "91450206MA5P6D2G0R", "柳州市柳江区拉堡镇柳堡路216号",
             "2", "来宾市顺通货运有限公司", "罗文生", "91451302MA5QX8N407", "来宾市兴宾区城北工业园桂中大道88号"]
    text = "生态环境损害赔偿磋商告知书\n\n被告知人（赔偿义务人）：\n\n" + "\n\n".join(cells) + "\n\n一、赔偿事由\n\n正文。\n"
    doc = read_document(text.encode("utf-8"), filename="告知书.txt")
    table = [b for b in doc.blocks if b.kind == "table_cell"]
    assert [(b.location.row, b.location.cell) for b in table][:6] == [(1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (2, 1)]
    assert {b.text for b in table if b.location.row == 3} >= {"罗文生", "91451302MA5QX8N407"}
    assert doc.blocks[-1].kind == "paragraph" and doc.blocks[-1].text == "正文。"
    # without 序号 the columns are unknown: the lines stay paragraphs
    plain = read_document(text.replace("序号\n\n", "").encode("utf-8"), filename="告知书.txt")
    assert not [b for b in plain.blocks if b.kind == "table_cell"]


@pytest.mark.parametrize("total", [["合计", "310.00"], ["合计", "人民币叁佰壹拾元整", "310.00"]])
def test_a_cost_table_copied_one_cell_per_line_keeps_its_total_under_the_amounts(total: list[str]) -> None:
    """The 合计 row of a rebuilt table: its amount in the amounts' column, whether the label spanned the
    columns before it (two cells) or the row was full (bench/robustness.py: wZ05, wAQ03)."""
    cells = ["序号", "项目", "金额（元）", "1", "应急处置费用", "100.00", "2", "鉴定评估费用", "200.00", *total]
    text = "\n\n".join(["赔偿费用如下：", *cells, "上述费用由乙方承担。"]) + "\n"
    doc = read_document(text.encode("utf-8"), filename="协议.txt")
    last = [(b.location.cell, b.text) for b in doc.blocks if b.kind == "table_cell" and b.location.row == 4]
    assert last[0] == (1, "合计") and last[-1] == (3, "310.00")
    assert doc.blocks[-1].text == "上述费用由乙方承担。"


def test_a_title_line_never_ends_the_full_line_above() -> None:
    """A letterhead line that fills the width, then the title: two paragraphs (bench/robustness.py: wP09
    hard-wrapped without blank lines lost its 司法确认申请书)."""
    lines = ["澄衡律师事务所 文件编号：澄衡律〔2025〕环字第066号", "司法确认申请书", "（确认生态环境损害赔偿协议效力）"]
    paragraphs = [text for _n, text in join_lines(enumerate(lines, start=1))]
    assert paragraphs[:2] == lines[:2]


def test_a_parties_table_copied_one_cell_per_line_is_a_table_again() -> None:
    """Under 当事人 each row opens with a party's role (bench/robustness.py: wAI02 hard-wrapped lost its 乙方)."""
    cells = ["当事人", "名称", "统一社会信用代码", "住所",
             "赔偿权利人指定的部门（甲方）", "南通市生态环境局", "11320600MB1N45631N", "南通市崇川区工农南路150号",
             "赔偿义务人（乙方）", "南通瑞丰纺织印染有限公司", "91320612MA1MQ7R44M", "南通市通州区二甲镇瑞丰路8号"]
    prose = "甲乙双方根据《中华人民共和国民法典》《生态环境损害赔偿管理规定》等规定，经平等协商，达成如下协议："
    text = "\n".join(["生态环境损害赔偿协议", *cells, prose]) + "\n"
    doc = read_document(text.encode("utf-8"), filename="协议.txt")
    rows = {}
    for b in doc.blocks:
        if b.kind == "table_cell":
            rows.setdefault(b.location.row, []).append(b.text)
    assert len(rows) == 3 and rows[3][0].startswith("赔偿义务人（乙方）") and "91320612MA1MQ7R44M" in rows[3][2]
    assert doc.blocks[-1].text == prose


def test_a_date_laid_out_over_lines_is_one_date() -> None:
    lines = ["签订地点：衡水市水利局四楼会议室签订日期：", "2025年", "07月", "10日", "附件：鉴定评估报告"]
    paragraphs = [text for _n, text in join_lines(enumerate(lines, start=1))]
    assert paragraphs == [lines[0], "2025年07月10日", lines[4]]


def test_tab_separated_rows_read_as_cells() -> None:
    text = "强制执行申请书\n申请人名称\t柳州市生态环境局\n统一社会信用代码\t11450200066473783N\n正文一段，没有制表符。\n"
    doc = read_document(text.encode("gbk"), filename="申请书.txt")
    cells = [b.text for b in doc.blocks if b.kind == "table_cell"]
    assert cells == ["申请人名称：柳州市生态环境局", "统一社会信用代码：11450200066473783N"]
    assert doc.blocks[-1].kind == "paragraph"


def test_a_cell_holding_label_and_value_is_not_a_label():
    """A signature table row "甲方（盖章）：X局 | 漓源公司（盖章）：X公司" stays two cells: a cell that
    already holds its value is no label to pair with the next cell."""
    from checkers.extract.labels import is_label, pair_cells

    assert is_label("甲方（盖章）：") and not is_label("甲方（盖章）：桂林市生态环境局")
    row = ["甲方（盖章）：桂林市生态环境局", "漓源公司（盖章）：桂林漓源石材有限公司"]
    assert pair_cells(row) == list(enumerate(row))


def test_a_row_under_a_group_cell_and_a_wrapped_label_still_pair():
    """A county form written in a table: "申 请 人" spans the rows of its fields (名称, 地址…), and narrow label
    cells wrap or space out their words (blind batch 24, dev: wBS04, wBS16)."""
    from checkers.extract.labels import pair_cells

    assert pair_cells(["申 请 人", "名    称", "张掖市水务局"]) == [(0, "申请人"), (1, "名称：张掖市水务局")]
    assert pair_cells(["地址（联\n系方式）", "张掖市甘州区青年东街96号"]) == [(0, "地址（联系方式）：张掖市甘州区青年东街96号")]
    assert pair_cells(["委托\n代理人", "周文斌"]) == [(0, "委托代理人：周文斌")]
    # a group cell over rows that do not pair, and a sentence in a cell, stay as they are
    assert pair_cells(["案件事实", "损害调查", "经调查，…"]) == [(0, "案件事实"), (1, "损害调查"), (2, "经调查，…")]
    assert pair_cells(["我局经调查\n认定如下", "X"]) == [(0, "我局经调查\n认定如下"), (1, "X")]


def test_a_pdf_table_label_spaced_out_or_wrapped_gets_its_colon():
    """"名 称肃南县…" (a label spaced to its cell, the value run on), "统一社会" / "信用代码", "法定代表人" /
    "（负责人）" (blind batch 24, dev: wBS07)."""
    from checkers.extract.labels import colon_after_label, join_wrapped_values

    assert colon_after_label("名  称肃南县祁连路桥工程有限公司") == "名称：肃南县祁连路桥工程有限公司"
    assert colon_after_label("河 道采砂") == "河 道采砂"  # not a field label
    assert join_wrapped_values(["统一社会", "信用代码", "91620721MA71N8DP5U", "法定代表人", "（负责人）",
                                "安国栋 执行董事"]) == [
        "统一社会信用代码：91620721MA71N8DP5U", "法定代表人（负责人）：安国栋 执行董事"]


def test_bracketed_labels_and_bullets_read_as_fields():
    """"【被告知人】X" is the field "被告知人：X"; a decorative bullet before the line's own numbering
    goes; a box (a choice) stays (blind batch 6, dev)."""
    from checkers.extract.labels import tidy_line

    assert tidy_line("【被告知人】桂阳县曹家坪生猪养殖场") == "被告知人：桂阳县曹家坪生猪养殖场"
    assert tidy_line("【时间】2024-11-20 09:30") == "时间：2024-11-20 09:30"
    assert tidy_line("▲三、磋商小组人员组成") == "三、磋商小组人员组成"
    assert tidy_line("◆ 损害事实：超标") == "损害事实：超标"
    assert tidy_line("第六条【替代修复】乙方实施") == "第六条【替代修复】乙方实施"   # a heading's title, not a label
    assert tidy_line("【赔偿事由】") == "【赔偿事由】"                                # a label with no value stays
    assert tidy_line("□ 同意参加磋商") == "□ 同意参加磋商"


def test_pdf_cells_wrapped_over_lines_join_their_label():
    from checkers.extract.labels import join_wrapped_values

    lines = ["地址（联系方式）", "河池市金城江区金城", "中路128号；0778-", "2281564",
             "法定代表人（负责", "人）", "莫建新（执行董事）",
             "赔偿权利人指定的部门或机构（盖", "章）", "河池市生态环境局", "2024年12月16日",
             "申请人深州市润田农业开发有限公司，统一社会信用代码", "91131182MA0D3K6R9X，住所地深州市"]
    assert join_wrapped_values(lines) == [
        "地址（联系方式）：河池市金城江区金城中路128号；0778-2281564",
        "法定代表人（负责人）：莫建新（执行董事）",
        "赔偿权利人指定的部门或机构（盖章）：河池市生态环境局", "2024年12月16日",  # a date is never a wrapped part
        "申请人深州市润田农业开发有限公司，统一社会信用代码", "91131182MA0D3K6R9X，住所地深州市"]  # prose stays


def test_a_year_cut_by_the_line_end_is_joined():
    """An office system's hard wrap cuts "二〇二三年" as "…于二" / "〇二三年…": no new paragraph
    (blind batch 6, dev); a date line under a signature still starts its own."""
    from checkers.extract.text import join_lines

    wrapped = [(1, "对桂平市石磊石材有限公司越界开采石料生态环境损害赔偿一案，我单位于二"),
               (2, "〇二三年十二月四日开展生态环境损害调查，查明事实：二〇二三年三月至十月，"),
               (3, "被申请人超出采矿许可证划定的矿区范围，在桂平市蒙圩镇新安村大岭开采建筑用")]
    assert len(join_lines(wrapped)) == 1
    assert "于二〇二三年十二月四日" in join_lines(wrapped)[0][1]
    signed = [(1, "贵港市自然资源局（印章）"), (2, "二〇二五年三月十日")]
    assert len(join_lines(signed)) == 2


def test_an_english_translation_after_the_chinese_is_dropped():
    """Bilingual documents: the Chinese prevails and the rules read it alone; codes and standards stay."""
    from checkers.extract.labels import tidy_line

    assert tidy_line("衡水市中级人民法院 Hengshui Intermediate People's Court") == "衡水市中级人民法院"
    assert tidy_line("第五条 违约责任 Article 5 Liability for Breach") == "第五条 违约责任"
    assert tidy_line("执行《地表水环境质量标准》（GB 3838-2002）") == "执行《地表水环境质量标准》（GB 3838-2002）"
    assert tidy_line("达到Ⅲ类 standard") == "达到Ⅲ类 standard"


def test_an_english_gloss_before_a_colon_or_ending_a_line_is_left_out():
    """"签订地点 / Place of signing：…" reads as "签订地点：…", "第九条 修复效果评估 / Article 9 Assessment of
    Restoration Effect" as "第九条 修复效果评估" in a Chinese document (blind batch 20, dev: wBG04 — the
    heading's gloss was read as the section's content, so its hollow body passed)."""
    text = ("生态环境损害赔偿协议\n\n" + "甲乙双方经平等协商，就生态环境损害赔偿事宜达成如下协议，以资共同遵守。\n\n" * 4 +
            "第九条 修复效果评估 / Article 9 Assessment of Restoration Effect\n\n"
            "修复效果评估按国家和地方有关规定执行。 / The assessment follows the rules.\n\n"
            "签订时间 / Date of signing：2025年3月28日 / March 28, 2025\n\n"
            "签订地点 / Place of signing：南通市如东生态环境局三楼会议室\n\n"
            "监测频次 / Frequency：每月1次，COD/BOD 按 mg/L 计\n")
    doc = read_document(text.encode("utf-8"), filename="协议.txt")
    assert [b.text for b in doc.blocks][-5:] == [
        "第九条 修复效果评估", "修复效果评估按国家和地方有关规定执行。", "签订时间：2025年3月28日",
        "签订地点：南通市如东生态环境局三楼会议室", "监测频次：每月1次，COD/BOD 按 mg/L 计"]


def test_a_filled_box_among_choices_is_no_bullet():
    """"■自然人 □法人 □其他组织" keeps its ticked box; a lone "■ 损害事实：…" is a bullet (blind batch 22, dev: wBM12)."""
    from checkers.extract.labels import tidy_line

    assert tidy_line("■自然人 □法人 □其他组织") == "■自然人 □法人 □其他组织"
    assert tidy_line("■ 损害事实：2024年11月倾倒建筑垃圾") == "损害事实：2024年11月倾倒建筑垃圾"


def test_filled_in_blanks_read_as_their_values_and_empty_blanks_stay():
    """A form filled in on its fill-in lines ("请于__2025__年__4__月__8__日") reads as the values; an empty
    blank, or two blanks after labels ("姓名____年龄____"), stays a blank (blind batch 7, dev)."""
    from checkers.extract.labels import tidy_line

    assert tidy_line("时间：__2025__年__6__月__5__日（星期四）上午__9:00__") == "时间：2025年6月5日（星期四）上午9:00"
    assert tidy_line("地点：__呼伦贝尔市林业和草原局五楼会议室__") == "地点：呼伦贝尔市林业和草原局五楼会议室"
    assert tidy_line("签章：______") == "签章：______"
    assert tidy_line("姓名______年龄______") == "姓名______年龄______"


def test_ocr_text_of_a_scan_reads_as_paragraphs() -> None:
    """OCR of scanned pages (blind batch 12, dev): lines broken every 25–40 characters in mid-word, a
    number cut by the line end, a full stop that opens the next line, and the running header that
    repeats atop every page between the page number and the rest of the sentence."""
    lines = ["司法确认申请书",
             "2024年3月，武邑县宏远机械加工有限公司将机加工过程中产生的废矿物油约4.2吨",
             "倾倒于厂区后院空地渗坑内，造成渗坑周边土壤石油烃污染",
             "。经衡水市生态环境局委托鉴定评估，受污染土壤约380立方米，污染深",
             "度最深至地表以下2.4米，损害可以修复。",
             "3.期间损害84,500.00元、鉴定评估费用56,00",
             "0.00元，共计140,500.00元（大写：壹拾肆万零",
             "第 1 页",
             "司法确认申请书",
             "伍佰元整），由宏远公司于2025年1月4日前缴入衡水市财政。"]
    assert [text for _n, text in join_lines(enumerate(lines, start=1), ragged=True)] == [
        "司法确认申请书",
        "2024年3月，武邑县宏远机械加工有限公司将机加工过程中产生的废矿物油约4.2吨倾倒于厂区后院空地渗坑内，"
        "造成渗坑周边土壤石油烃污染。经衡水市生态环境局委托鉴定评估，受污染土壤约380立方米，污染深度最深至地表以下2.4米，损害可以修复。",
        "3.期间损害84,500.00元、鉴定评估费用56,000.00元，共计140,500.00元（大写：壹拾肆万零伍佰元整），"
        "由宏远公司于2025年1月4日前缴入衡水市财政。"]


def test_an_amount_cut_after_its_full_width_thousands_separator_is_one_amount() -> None:
    """"…合计人民币９０，" / "７００元（大写…": a thousands separator typed full-width ends the line (blind batch 21,
    dev: wBJ10, a scanned copy's text wrapped every 36 columns)."""
    text = ("五、履行方式和期限\r\n"
            "\u3000\u3000（一）生态修复：乙方按修复方案自行委托原平市昊源土石方工程有限公司\r\n"
            "施工，修复费用由乙方承担，投入不低于人民币２８６，４００元。\r\n"
            "\u3000\u3000（二）赔偿金：生态环境服务功能期间损失52,700元和鉴定评估费用38,000\r\n"
            "元，合计人民币９０，\r\n"
            "７００元（大写：人民币玖万零柒佰元整），分两期缴纳：第一期50,000元（大\r\n"
            "写：人民币伍万元整），于2025年6月30日前缴纳。\r\n")
    doc = read_document(("生态环境损害赔偿协议\r\n" + text * 3).encode("gb18030"), filename="协议.txt")
    assert "合计人民币90，700元（大写：人民币玖万零柒佰元整）" in doc.text


def test_a_numbered_tables_next_row_never_continues_a_full_row() -> None:
    """A PDF's cost table under prose lines as long as its first row: "2场地清理…" is row 2, not the wrap of
    row 1 (blind batch 21, dev: wBK15 — row 1's amount was lost and the table's sum was reported wrong)."""
    lines = ["4.2027年10月至2030年9月：管护、补植和年度监测；",
             "附件3费用明细表",
             "序号 项目 金额（元）",
             "1建筑垃圾及弃渣清运处置（约1.8万立方米） 986,000.00",
             "2场地清理及微地形恢复214,000.00",
             "3 湿地植被恢复（3.2公顷） 198,000.00",
             "合计1,943,000.00"]
    assert [text for _n, text in join_lines(enumerate(lines, start=1))][3:] == [
        "1建筑垃圾及弃渣清运处置（约1.8万立方米） 986,000.00", "2场地清理及微地形恢复214,000.00",
        "3 湿地植被恢复（3.2公顷） 198,000.00", "合计1,943,000.00"]


def test_a_fax_stamp_atop_every_page_is_dropped_and_a_cut_date_joins() -> None:
    """A faxed copy's text: the fax machine's stamp atop every page, its page counter changing
    ("… P.001/003", "… P.002/003"), the first page's too; a date cut by the page break inside its day's
    full-width digits ("２０２４年９月２" / "０日出具") is one date (blind batch 21, dev: wBJ05)."""
    stamp = "2025-07-14 16:05   FAX:0318-2136057   衡水市生态环境局   P.00{}/003\r\n"
    text = (stamp.format(1) + "强制执行申请书\r\n申请人：衡水市生态环境局\r\n"
            "申请人于２０２４年６月３日启动生态环境损害赔偿调查，调查于２０２４年７月３\r\n"
            "１日结束，查明被申请人的超标排放行为造成了区域大气环境损害。申请人委\r\n"
            "托河北正衡环境损害司法鉴定中心开展鉴定评估，该中心于２０２４年９月２\r\n\r\n"
            "                           第 1 页 共 3 页\r\n\r\n" + stamp.format(2) + "\r\n"
            "０日出具《鉴定评估报告》，认定大气环境损害无法原地修复，生态环境损害数额为\r\n"
            "人民币793,500元。\r\n\r\n                           第 2 页 共 3 页\r\n\r\n" + stamp.format(3) +
            "此致\r\n景县人民法院\r\n")
    doc = read_document(text.encode("gb18030"), filename="申请书.txt")
    assert "FAX" not in doc.text
    assert "调查于2024年7月31日结束" in doc.text and "该中心于2024年9月20日出具" in doc.text


def test_label_lines_do_not_wrap_as_ragged_text() -> None:
    """Labels under each other and a heading stay apart, in a PDF and in plain text."""
    lines = ["生态环境损害赔偿协议书", "赔偿权利人指定的部门：忻州市生态环境局", "赔偿义务人：山西原平宏晟焦化有限公司",
             "签订时间：2024年12月9日", "2. 生态环境损害事实、相关证据和法律依据",
             "2.1事实情况：2024年7月16日，原平市遭遇强降雨，乙方焦化废水经雨水排口溢流进入阳武河。"]
    assert len(join_lines(enumerate(lines, start=1))) == 6
    assert len(join_lines(enumerate(lines, start=1), ragged=True)) == 6  # label lines stay apart in text too


def test_hand_wrapped_prose_cut_inside_a_label_and_after_a_fields_colon_is_joined() -> None:
    """Mail text broken every 30–40 characters (blind batch 15, dev: wAR14): a full line cut inside a
    word that the next line's colon ends ("…41号。被告" / "知人（赔偿义务人）：…"), and a field's label ending
    a line of prose ("…，地址：" / "张掖市…五社。"), are wraps; label lines of a form are not."""
    lines = ["告知人（赔偿权利人指定的部门）：张掖市畜牧兽医局，统一社会信用代码",
             "11620700MB1E5317X3，地址张掖市甘州区长沙门路41号（政务中心北侧）。被告",
             "知人（赔偿义务人）：临泽县绿洲渔业有限公司，法定代表人/企业",
             "负责人：蒋福成，社会统一信用代码：91620723MA7JD0B6UC，地址：",
             "张掖市临泽县平川镇三一村五社。"]
    [(_n, paragraph)] = join_lines(enumerate(lines, start=1), ragged=True)
    assert "北侧）。被告知人（赔偿义务人）：临泽县" in paragraph and "企业负责人：蒋福成" in paragraph
    assert paragraph.endswith("地址：张掖市临泽县平川镇三一村五社。")


def test_a_stray_space_inside_a_number_is_closed() -> None:
    assert clean("河道清淤费用142 ,000.00元，其余12, 000元，2025年 3月") == "河道清淤费用142,000.00元，其余12,000元，2025年 3月"


def test_a_translation_paragraph_of_a_chinese_document_is_left_out() -> None:
    """Bilingual Chinese–Zhuang documents (blind batch 13, dev): the Latin-script rendering beside each
    Chinese paragraph or in a table's second column is not read; dates and codes on their own line are."""
    from checkers.extract.view import flat_view
    from ecodoc.tree import Cell, Document, Paragraph, Row, Source, Table, runs_of

    chinese = "生态环境损害赔偿磋商告知书。" * 8
    doc = Document(blocks=[
        Paragraph(runs=runs_of(chinese)),
        Paragraph(runs=runs_of("四、磋商会议时间和地点")),
        Paragraph(runs=runs_of("Seiq、Seizgan caeuq dieg hai hoih")),
        Paragraph(runs=runs_of("时间：2025年7月15日上午9:30。")),
        Paragraph(runs=runs_of("2025.7.1")),
        Paragraph(runs=runs_of("Tel: 0773-5812640")),
        Table(rows=[Row(cells=[Cell(blocks=[Paragraph(runs=runs_of("甲方：河池市生态环境局"))]),
                               Cell(blocks=[Paragraph(runs=runs_of("Gyaz fueng: Hozciz Si Swnghdai Vanzging Giz"))])])]),
    ], source=Source(file="a.docx", format="docx"))
    texts = [b.text for b in flat_view(doc).blocks]
    assert texts == [chinese, "四、磋商会议时间和地点", "时间：2025年7月15日上午9:30。", "2025.7.1", "Tel: 0773-5812640",
                     "甲方：河池市生态环境局"]
    english = Document(blocks=[Paragraph(runs=runs_of("This agreement is made between the parties."))],
                       source=Source(file="b.docx", format="docx"))
    assert [b.text for b in flat_view(english).blocks] == ["This agreement is made between the parties."]


def test_a_code_cut_by_a_hard_wrap_in_chinese_text_is_one_code() -> None:
    """Text wrapped every N characters cuts a 统一社会信用代码 anywhere; inside Chinese text the two halves
    join without a space (a dev document re-wrapped at 36 characters; blind batch 15's mail text)."""
    lines = ["被申请人：宁武县瑞丰洗煤有限公司，统一社会信用代码91140925MA0",
             "L8E6T3G，地址忻州市宁武县阳方口镇西马坊村南，联系电话0350-4",
             "712036，法定代表人闫志宏。"]
    [(_n, paragraph)] = join_lines(enumerate(lines, start=1), ragged=True)
    assert "代码91140925MA0L8E6T3G，" in paragraph and "0350-4712036" in paragraph
    # English text keeps its spaces between words
    assert join_lines(enumerate(["The parties agree to pay the sum in two", "instalments before the end of 2025."],
                                start=1), ragged=True)[0][1].count("two instalments") == 1


def test_a_salutation_line_is_never_the_wrap_of_a_full_line_above() -> None:
    """"…告知书柳自然资赔告〔2025〕11号" fills its line; the addressee's name and colon below it opens the
    letter (a dev notice re-wrapped at 30 characters)."""
    lines = ["柳州市自然资源局", "生态环境损害赔偿磋商告知书柳自然资赔告〔2025〕11号", "三江侗族自治县丹洲建材有限公司：",
             "（统一社会信用代码：91450226MA5KC3X91R；法", "定代表人：吴丹洲；地址：柳州市三江侗族自治县丹洲镇丹洲村委会",
             "码头路9号）"]
    assert [text for _n, text in join_lines(enumerate(lines, start=1), ragged=True)][1:3] == [
        "生态环境损害赔偿磋商告知书柳自然资赔告〔2025〕11号", "三江侗族自治县丹洲建材有限公司："]


def test_a_party_role_alone_on_its_line_opens_a_block() -> None:
    """A full field line ("地址…0772-2826531") is not wrapped onto the next party's role line ("申请人")
    (a dev application re-wrapped at 36 characters)."""
    lines = ["法定代表人：潘立新（局长）", "地址（联系方式）：柳州市城中区文昌路62号 0772-2826531", "申请人",
             "（赔偿义务人）", "名称", "柳州市桂鑫纸业有限公司"]
    texts = [text for _n, text in join_lines(enumerate(lines, start=1), ragged=True)]
    assert "申请人" in texts and not any(t.endswith("2826531申请人") for t in texts)


def test_an_18_character_code_cut_by_a_narrow_cell_is_one_code() -> None:
    """A PDF's narrow table cell breaks "91320684MA1W8H5C8G" after 14 characters (a dev agreement converted
    to PDF); two halves that make 18 characters are one code, whatever the line widths."""
    lines = ["统一社会信用代码：", "91320684MA1W8H", "5C8G", "法定代表人：施建国"]
    texts = [text for _n, text in join_lines(enumerate(lines, start=1))]
    assert any("91320684MA1W8H5C8G" in t for t in texts)
    assert "法定代表人：施建国" in texts  # the next field stays apart


def test_a_date_cut_before_its_year_or_month_mark_is_one_date() -> None:
    """"…甲方于2024" / "年9月2日…", "…分别于2024年9" / "月24日…" (blind batch 23, dev: wBQ02): the lines go
    on, whatever their widths; a line that ends in a year and a line that opens with 年度 do not."""
    lines = ["河池市人民政府指定甲方负责本案生态环境损害赔偿具体工作。甲方于2024",
             "年9月2日向乙方送达磋商告知书，双方分别于2024年9", "月24日、10月15日召开两次磋商会议。"]
    assert join_lines(enumerate(lines, start=1)) == [
        (1, "河池市人民政府指定甲方负责本案生态环境损害赔偿具体工作。甲方于2024年9月2日向乙方送达磋商告知书，"
            "双方分别于2024年9月24日、10月15日召开两次磋商会议。")]
    assert len(join_lines(enumerate(["监测年份 2024", "年度报告。"], start=1))) == 2


def test_an_e_mail_copy_is_read_as_the_document_it_carries() -> None:
    """A reply quoting the document ("> …") and a forwarded message ("-----原始邮件-----", 发件人/主题…):
    the reply's words and the mail's header are no part of the document, and the report says what was
    read (blind batch 24, dev: wBT04, wBT11, wBT16)."""
    body = ["强制执行申请书", "申请人名称：南通市城市管理局", "法定代表人：陆卫东", "被申请人名称或姓名：南通锦程建筑工程有限公司",
            "对南通锦程建筑工程有限公司非法倾倒建筑垃圾一案，我局申请强制执行。", "此致", "南通市中级人民法院",
            "附：1.经司法确认的赔偿协议；2.民事裁定书。", "南通市城市管理局（盖章）", "2025年12月15日"]
    reply = ["钱处：", "改好了，请再看。", "朱晓宁", '在 2025年12月11日 16:05，"钱立群（法规处）" 写道：',
             *[f"> {line}" for line in body]]
    doc = read_document("\n".join(reply).encode("utf-8"), filename="回复.txt")
    assert doc.text.splitlines()[0] == "强制执行申请书" and "改好了" not in doc.text and "> " not in doc.text
    assert any("引用" in w for w in doc.warnings)
    assert doc.blocks[0].location.line == 5  # line numbers stay those of the file
    forwarded = ["王主任：", "转发定稿，供备案。", "", "-----原始邮件-----", '发件人："王琳（法规科）"',
                 "发送时间：2025年5月9日(星期五) 下午4:18", '收件人："草原管理科"', "主题：告知书（定稿）", "", *body]
    doc = read_document("\n".join(forwarded).encode("utf-8"), filename="转发.txt")
    assert doc.text.splitlines()[0] == "强制执行申请书" and "发送时间" not in doc.text and "王主任" not in doc.text
    assert any("转发" in w for w in doc.warnings)
    plain = read_document("\n".join(body).encode("utf-8"), filename="申请书.txt")
    assert plain.text.splitlines()[0] == "强制执行申请书" and not plain.warnings


def test_ocr_look_alikes_are_put_back_and_the_report_says_so() -> None:
    """A scanned copy's OCR text: "法定代表入", "末按", "3月1曰", "千2025年", "1 128,000元" read as meant, with a
    reading note; "月末" and a plain document stay as they are (blind batch 26, dev: wBX10)."""
    text = ("申请人名称：河池市生态环境局\n法定代表入：蓝振华\n赔偿义务人末按照协议履行，共计1 128,000元"
            "（大写：壹佰壹拾贰万捌仟元整），千2025年3月1曰申请，月末前缴纳。\n")
    doc = read_document(text.encode("utf-8"), filename="扫描件.txt")
    assert "法定代表人：蓝振华" in doc.text and "未按照" in doc.text and "1,128,000元" in doc.text
    assert "于2025年3月1日申请" in doc.text and "月末前" in doc.text
    [note] = [w for w in doc.warnings if "OCR" in w]
    assert "法定代表入→法定代表人" in note and "共5处" in note
    # the look-alike meant as written: a quarter's end, 自己, a project put in a library (dev: wN-02)
    meant = read_document("每季度末缴纳9000元。由其自己于2025年申请入库。\n".encode(), filename="b.txt")
    assert meant.text.strip() == "每季度末缴纳9000元。由其自己于2025年申请入库。" and not meant.warnings
    plain = read_document("法定代表人：蓝振华\n月末前缴纳。\n".encode(), filename="a.txt")
    assert not [w for w in plain.warnings if "OCR" in w]


def test_an_amount_in_words_cut_by_a_narrow_cell_is_one_line() -> None:
    """A PDF table's cell "大写：壹佰贰拾柒万" / "捌仟贰佰元整" (blind batch 26, dev: wBY03)."""
    lines = ["注：本表金额以鉴定评估报告为准，2.2公顷可修复区域的修复工程费用由乙方自行承担，不列入本表。",
             "合计1,272,800.00大写：壹佰贰拾柒万", "捌仟贰佰元整"]
    assert [t for _n, t in join_lines(enumerate(lines, start=1))][1] == "合计1,272,800.00大写：壹佰贰拾柒万捌仟贰佰元整"
