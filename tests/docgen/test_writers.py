"""Writers: DOCX laid out per GB/T 9704 (checked in the XML), HTML and Markdown; hostile text stays literal."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx as python_docx
import pytest
from lxml import etree
from lxml import html as lxml_html

from docgen.writers.common import TABLE_LINE, WriterError, pdf_font, table_grid
from docgen.writers.docx import docx_bytes, load_reference_docx
from docgen.writers.html import html_text
from docgen.writers.markdown import markdown_text
from ecodoc.tree import Cell, Document, PageBreak, Paragraph, Row, Run, Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
HOSTILE = "A&B <公司> \"双引号\" '单引号' {{ case.name }} {% if %} ]]> &amp;"
LONG_NAME = "张掖市甘州区党寨镇某村某社某号某某某某某某某某有限责任公司" * 4


def para(text: str, role: str = "body", **kw) -> Paragraph:
    return Paragraph(runs=[Run(text=text)], role=role, **kw)


def sample_document() -> Document:
    """A block tree with every block kind, hostile text, a multi-line run and merged table cells."""
    return Document(kind="agreement", variant="zhangye", title="生态环境损害赔偿协议", jurisdiction="zhangye",
                    model_text="zhangye:附件[7]", blocks=[
        para("生态环境损害赔偿协议", "title"),
        para("（确认赔偿协议效力）", "subtitle"),
        para("甘G环赔〔2025〕3号", "docnumber"),
        Paragraph(runs=[Run(text="赔偿义务人："), Run(text=HOSTILE, bold=True), Run(blank=8, underline=True),
                        Run(text="。")]),
        Paragraph(runs=[Run(text="第一行\n第二行"), Run(br=True), Run(text="第三行", font="heiti")]),
        para(LONG_NAME, indent=0),
        para("一、损害事实", "h1"), para("（一）调查情况", "h2"), para("1.鉴定", "h3"), para("（1）费用", "h4"),
        para("张掖市人民法院：", "addressee"), para("注：本表一式三份。", "note"), para("编号：", "label"),
        Table(widths=[2, 3, 2, 3], rows=[
            Row(cells=[Cell(blocks=[para("案件名称", indent=0)], align="center"),
                       Cell(blocks=[para(HOSTILE, indent=0)], colspan=3)]),
            Row(cells=[Cell(blocks=[para("经办人意见", indent=0)], rowspan=2, align="center"),
                       Cell(blocks=[para("同意。", indent=0), para("签字：张三", align="right", indent=0)],
                            colspan=3, min_height=4, valign="top")]),
            Row(cells=[Cell(blocks=[para("第二行", indent=0)]), Cell(blocks=[para("x", indent=0)], colspan=2)]),
        ]),
        para("（张掖市自然资源局盖章）", "signature"), para("2025年8月4日", "date"),
        PageBreak(), para("第二页", "h1"),
    ])


def parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: etree.fromstring(zf.read(n)) for n in zf.namelist() if n.endswith((".xml", ".rels"))}


@pytest.fixture(scope="module")
def sample_docx() -> bytes:
    return docx_bytes(sample_document())


# --- DOCX: GB/T 9704 layout --------------------------------------------------------------------

def test_docx_page_size_margins_and_grid_in_twips(sample_docx):
    sect = parts(sample_docx)["word/document.xml"].find(f"{W}body/{W}sectPr")
    size, margins, grid = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar"), sect.find(f"{W}docGrid")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # A4
    assert {k: margins.get(f"{W}{k}") for k in ("top", "bottom", "left", "right")} == \
        {"top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}  # 37/35/28/26 mm
    assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}linePitch") == "579"  # 22 lines of 225 mm


def test_docx_styles_fonts_sizes_and_east_asian_everywhere(sample_docx):
    styles = parts(sample_docx)["word/styles.xml"]
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    for style in by_id.values():
        if style.get(f"{W}type") != "paragraph":
            continue
        fonts = style.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(f"{W}eastAsia"), style.get(f"{W}styleId")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "仿宋_GB2312"

    def font_and_size(style_id: str) -> tuple[str, str]:
        rpr = by_id[style_id].find(f"{W}rPr")
        return rpr.find(f"{W}rFonts").get(f"{W}eastAsia"), rpr.find(f"{W}sz").get(f"{W}val")

    assert font_and_size("Title") == ("方正小标宋简体", "44")  # 2号
    assert font_and_size("Normal") == ("仿宋_GB2312", "32")  # 3号
    assert font_and_size("Heading1") == ("黑体", "32")
    assert font_and_size("Heading2") == ("楷体_GB2312", "32")
    assert font_and_size("Heading3") == ("仿宋_GB2312", "32") == font_and_size("Heading4")
    normal = by_id["Normal"].find(f"{W}pPr")
    assert normal.find(f"{W}ind").get(f"{W}firstLineChars") == "200"  # 首行缩进二字
    assert normal.find(f"{W}spacing").get(f"{W}line") == "579"
    assert by_id["Normal"].find(f"{W}rPr/{W}spacing").get(f"{W}val") == "-5"  # 28 characters per line
    for sid in ("Signature", "Date"):  # 右空四字
        ppr = by_id[sid].find(f"{W}pPr")
        assert ppr.find(f"{W}jc").get(f"{W}val") == "right" and ppr.find(f"{W}ind").get(f"{W}rightChars") == "400"


def test_docx_every_run_names_its_east_asian_font(sample_docx):
    doc = parts(sample_docx)["word/document.xml"]
    runs = [r for r in doc.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert len(runs) > 20
    for run in runs:
        fonts = run.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(f"{W}eastAsia"), etree.tostring(run)
    heiti = [r for r in runs if r.findtext(f"{W}t") == "第三行"]
    assert heiti[0].find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "黑体"


def test_docx_page_numbers_odd_right_even_left(sample_docx):
    p = parts(sample_docx)
    assert p["word/settings.xml"].find(f"{W}evenAndOddHeaders") is not None
    refs = {r.get(f"{W}type"): r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            for r in p["word/document.xml"].iter(f"{W}footerReference")}
    rels = {r.get("Id"): r.get("Target") for r in p["word/_rels/document.xml.rels"]}
    for kind, side in (("default", "right"), ("even", "left")):
        footer = p["word/" + rels[refs[kind]]]
        assert footer.find(f".//{W}jc").get(f"{W}val") == side
        assert footer.find(f".//{W}ind").get(f"{W}{side}") == "280"  # 空一字 (4号)
        assert "PAGE" in "".join(footer.itertext())
        text = "".join(t.text for t in footer.iter(f"{W}t"))
        assert text.startswith("— ") and text.endswith(" —")
        fonts = footer.find(f".//{W}rFonts")
        assert fonts.get(f"{W}eastAsia") == "宋体" and footer.find(f".//{W}sz").get(f"{W}val") == "28"


def test_docx_table_merged_cells_heights_and_alignment(sample_docx):
    table = parts(sample_docx)["word/document.xml"].find(f".//{W}tbl")
    assert [g.get(f"{W}w") for g in table.iter(f"{W}gridCol")] and \
        sum(int(g.get(f"{W}w")) for g in table.iter(f"{W}gridCol")) == 8845
    rows = table.findall(f"{W}tr")
    assert [len(r.findall(f"{W}tc")) for r in rows] == [2, 2, 3]
    assert rows[0].findall(f"{W}tc")[1].find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "3"
    assert rows[1].find(f"{W}tc/{W}tcPr/{W}vMerge").get(f"{W}val") == "restart"
    cont = rows[2].find(f"{W}tc/{W}tcPr/{W}vMerge")
    assert cont is not None and cont.get(f"{W}val") is None
    height = rows[1].find(f"{W}trPr/{W}trHeight")
    assert height.get(f"{W}hRule") == "atLeast" and int(height.get(f"{W}val")) == 4 * TABLE_LINE  # lines of table text
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)  # no row splits across pages
    assert rows[1].findall(f"{W}tc")[1].find(f"{W}tcPr/{W}vAlign").get(f"{W}val") == "top"
    assert table.find(f"{W}tblPr/{W}tblBorders/{W}insideH").get(f"{W}val") == "single"


def test_docx_blank_is_an_underlined_visible_line(sample_docx):
    doc = parts(sample_docx)["word/document.xml"]
    blanks = [r for r in doc.iter(f"{W}r") if (r.findtext(f"{W}t") or "").strip("\u00a0") == ""
              and r.find(f"{W}t") is not None]
    assert blanks and blanks[0].findtext(f"{W}t") == "\u00a0" * 16
    assert blanks[0].find(f"{W}rPr/{W}u").get(f"{W}val") == "single"


def test_docx_hostile_text_stays_literal_and_opens_in_python_docx(sample_docx):
    opened = python_docx.Document(io.BytesIO(sample_docx))
    texts = [p.text for p in opened.paragraphs]
    assert any(HOSTILE in t for t in texts)
    assert "第一行\n第二行\n第三行" in texts
    assert LONG_NAME in texts
    cells = [c.text for row in opened.tables[0].rows for c in row.cells]
    assert HOSTILE in cells
    assert opened.core_properties.title == "生态环境损害赔偿协议"


def test_docx_is_deterministic_and_forbidden_characters_are_refused():
    assert docx_bytes(sample_document()) == docx_bytes(sample_document())
    bad = Document(kind="x", variant="x", title="t", blocks=[para("控制字符\x01")])
    with pytest.raises(ValueError, match="U\\+0001"):
        docx_bytes(bad)


def test_pdf_font_set_names_installed_open_faces():
    p = parts(docx_bytes(sample_document(), font_set="pdf"))
    faces = {f.get(f"{W}eastAsia") for f in p["word/document.xml"].iter(f"{W}rFonts")}
    faces |= {f.get(f"{W}eastAsia") for f in p["word/styles.xml"].iter(f"{W}rFonts")}
    assert faces == {"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN"}
    # issue 11 §7: 楷体 is drawn with a Kai face; 仿宋 stays on the serif face (no OFL 仿宋 in Debian)
    kai = {s.get(f"{W}styleId"): s for s in p["word/styles.xml"].iter(f"{W}style")}["Subtitle"]
    assert {f.get(f"{W}eastAsia") for f in kai.iter(f"{W}rFonts")} == {"AR PL UKai CN"}
    assert pdf_font("楷体_GB2312") == pdf_font("KaiTi") == "AR PL UKai CN"
    assert pdf_font("仿宋_GB2312") == pdf_font("宋体") == "Noto Serif CJK SC"
    assert pdf_font("黑体") == "Noto Sans CJK SC"


def test_table_grid_pads_short_rows_and_tracks_row_spans():
    table = Table(widths=[1, 1, 1], rows=[
        Row(cells=[Cell(blocks=[], rowspan=3), Cell(blocks=[], colspan=2)]),
        Row(cells=[Cell(blocks=[])]),
        Row(cells=[]),
    ])
    columns, grid = table_grid(table)
    assert columns == 3
    assert [[(s.column, s.colspan, s.continued) for s in row] for row in grid] == [
        [(0, 1, False), (1, 2, False)],
        [(0, 1, True), (1, 1, False), (2, 1, False)],
        [(0, 1, True), (1, 1, False), (2, 1, False)],
    ]


# --- reference DOCX ------------------------------------------------------------------------------

def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def make_reference(path: Path) -> Path:
    """A department's reference DOCX: its own Normal style font and a letterhead header with a logo."""
    ref = python_docx.Document()
    normal = ref.styles["Normal"]
    normal.font.size = python_docx.shared.Pt(15)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(f"{W}eastAsia", "华文仿宋")
    header = ref.sections[0].header.paragraphs[0]
    header.text = "某某市生态环境局（版头）"
    logo = path.parent / "logo.png"
    logo.write_bytes(_png())
    header.add_run().add_picture(str(logo))
    ref.save(str(path))
    return path


def test_reference_docx_supplies_styles_and_letterhead(tmp_path):
    reference = load_reference_docx(make_reference(tmp_path / "ref.docx"))
    data = docx_bytes(sample_document(), reference=reference)
    p = parts(data)
    styles = {s.get(f"{W}styleId") for s in p["word/styles.xml"].iter(f"{W}style")}
    assert {"Normal", "Title", "Signature", "EcoLabel", "EcoTableText", "Footer"} <= styles
    header_names = [n for n in p if n.startswith("word/ref-header")]
    assert header_names and "某某市生态环境局（版头）" in "".join(p[header_names[0]].itertext())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert any(n.startswith("word/media/") for n in zf.namelist())
    body_runs = [r for r in p["word/document.xml"].iter(f"{W}r") if r.findtext(f"{W}t") == "第一行"]
    assert body_runs[0].find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "华文仿宋"  # the reference's face
    opened = python_docx.Document(io.BytesIO(data))
    assert "某某市生态环境局" in opened.sections[0].header.paragraphs[0].text
    sect = p["word/document.xml"].find(f"{W}body/{W}sectPr")
    assert sect.find(f"{W}pgMar").get(f"{W}top") == "2098"  # layout stays GB/T 9704


def test_reference_docx_is_checked(tmp_path):
    not_zip = tmp_path / "a.docx"
    not_zip.write_bytes(b"plain text")
    with pytest.raises(WriterError, match="不是 DOCX"):
        load_reference_docx(not_zip)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                    'officeDocument" Target="word/document.xml"/></Relationships>')
        zf.writestr("word/_rels/document.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="s" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
        zf.writestr("word/styles.xml", b"<" + b" " * (11 * 1024 * 1024) + b"/>")
    assert bomb.stat().st_size < 100_000
    with pytest.raises(WriterError, match="压缩炸弹"):  # the same hardened zip layer as the checker's reader
        load_reference_docx(bomb)
    with pytest.raises(WriterError, match="无法读取"):
        load_reference_docx(tmp_path / "missing.docx")


# --- HTML and Markdown -----------------------------------------------------------------------------

def test_html_is_self_contained_escaped_and_keeps_the_layout_intent():
    text = html_text(sample_document())
    assert "<script" not in text and "<link" not in text and "{{ case.name }}" in text
    tree = lxml_html.fromstring(text.encode("utf-8"))
    assert tree.findtext(".//title") == "生态环境损害赔偿协议"
    assert HOSTILE in [b.text_content() for b in tree.iter("b")]
    assert "第一行\n第二行\n第三行".replace("\n", "") in "".join(tree.body.text_content().split())
    css = tree.findtext(".//style")
    assert "@page{size:A4;margin:37mm 26mm 35mm 28mm}" in css
    assert "counter(page)" in css and "@page :left" in css and "@page :right" in css
    assert '"仿宋_GB2312"' in css and "Noto Serif CJK SC" in css
    cells = tree.findall(".//td")
    assert cells[1].get("colspan") == "3" and cells[2].get("rowspan") == "2"
    assert "height:" in cells[3].get("style") and "vertical-align:top" in cells[3].get("style")
    assert tree.find(".//span[@class='blank']").get("style") == "width:8em"
    assert tree.find(".//p[@class='signature']") is not None


def test_markdown_shape_and_escaping():
    text = markdown_text(sample_document())
    lines = text.splitlines()
    assert lines[0] == "# 生态环境损害赔偿协议"
    assert "## 一、损害事实" in lines and "### （一）调查情况" in lines and "#### 1\\.鉴定" in lines
    assert "**A\\&B \\<公司\\> \"双引号\" '单引号' {{ case.name }} {% if %} \\]\\]\\> \\&amp;**" in text
    assert "＿" * 8 in text
    assert "第一行\\\n第二行\\\n第三行" in text
    table = [line for line in lines if line.startswith("|")]
    assert table[1] == "| --- | --- | --- | --- |"
    assert len({line.count(" | ") for line in table if not line.startswith("| ---")}) == 1  # rectangular
    assert table[0].startswith("| 案件名称 | ") and table[0].endswith(" | ← | ← |")
    assert table[3].startswith("| ↑ | 第二行 | x | ← |")
    assert "同意。<br>签字：张三" in table[2]
    assert "\n---\n" in text  # page break


def test_markdown_escapes_block_syntax_at_line_starts():
    doc = Document(kind="x", variant="x", title="t", blocks=[para("# 不是标题\n- 不是列表\n1. 不是编号")])
    text = markdown_text(doc)
    assert "\\# 不是标题" in text and "\\- 不是列表" in text and "1\\. 不是编号" in text
    assert not re.search(r"^(#|-|\d+\.) ", text, re.M)
