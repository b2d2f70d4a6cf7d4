"""Documents written almost wholly inside a table (county forms: a section's heading cell spanning its
rows, label cells, the members of the panel in a cell): the checker reads them as the same prose would
read (blind batch 24, dev: wBS01, wBS04)."""

from __future__ import annotations

import io

import docx

from checkers.check import check_document
from checkers.extract import read_document


def _notice(members: str, invited: str = "山丹县人民检察院第五检察部") -> bytes:
    """wBS01's layout: the heading and its sub-heading in one cell spanning the rows of the panel."""
    document = docx.Document()
    document.add_paragraph("生态环境损害赔偿磋商告知书")
    table = document.add_table(rows=5, cols=3)
    rows = [("告 知 人", "名    称", "张掖市林业和草原局"),
            ("二、损害\n调查情况", "经调查", "上述滥伐行为造成防护林地植被破坏，鉴定评估损害数额86,450元。"),
            ("三、磋商小组\n组成人员", "赔偿权利人\n指定的部门", members),
            ("三、磋商小组\n组成人员", "受邀参与\n磋商单位", invited),
            ("四、磋商\n会议", "时    间", "2025年3月18日上午9:30，山丹县林业和草原局三楼会议室")]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(2, 0).merge(table.cell(3, 0)).text = "三、磋商小组\n组成人员"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _panel_findings(members: str, invited: str = "山丹县人民检察院第五检察部") -> list[str]:
    doc = read_document(_notice(members, invited), filename="告知书.docx")
    report = check_document(doc, kind="consultation_notice", jurisdiction="zhangye", only={"CN-PANEL"})
    return [f.severity for f in report.findings]


def test_members_named_in_the_panel_cell_are_the_panel():
    assert _panel_findings("张掖市林业和草原局：李国栋（政策法规科科长，组长）、杨晓燕（森林资源管理科）") == []


def test_a_panel_cell_naming_nobody_is_reported():
    assert _panel_findings("由相关人员组成", invited="——") != []


def test_a_group_cell_over_label_rows_reads_as_fields():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, (label, value) in enumerate([("名    称", "张掖市水务局"), ("地址（联\n系方式）", "张掖市甘州区青年东街96号"),
                                        ("法定代表人", "马国庆")]):
        table.cell(r, 1).text, table.cell(r, 2).text = label, value
    table.cell(0, 0).merge(table.cell(2, 0)).text = "申 请 人"
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [b.text for b in read_document(buffer.getvalue(), filename="申请书.docx").blocks]
    assert lines == ["申请人", "名称：张掖市水务局", "地址（联系方式）：张掖市甘州区青年东街96号", "法定代表人：马国庆"]


def _cost_rows() -> list[tuple[str, str, str]]:
    return [("费用项目", "金额（元）", "承担方式"), ("应急处置费用", "18,600", "缴纳"), ("水体及底泥修复费用", "126,400", "义务人修复"),
            ("鉴定评估费用", "45,000", "缴纳"), ("合计", "192,000", "—")]


def test_a_table_nested_in_a_cell_reads_a_row_per_line_in_docx_and_html():
    """A cost table inside the cell of “赔偿金额及构成” (blind batch 24, dev: wBS06): each of its rows is a line,
    its cells apart, so the sum of its items is checked against its 合计 row."""
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "赔偿金额及构成"
    inner = outer.cell(0, 1).add_table(rows=5, cols=3)
    for r, row in enumerate(_cost_rows()):
        for c, value in enumerate(row):
            inner.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    html = ("<html><body><table><tr><td>赔偿金额及构成</td><td><table>"
            + "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in _cost_rows())
            + "</table></td></tr></table></body></html>").encode("utf-8")
    for data, name in ((buffer.getvalue(), "协议.docx"), (html, "协议.html")):
        doc = read_document(data, filename=name)
        assert "应急处置费用 18,600 缴纳" in doc.text.replace("\t", " ")
        report = check_document(doc, kind="agreement", jurisdiction="zhangye", only={"AMT-SUM"})
        assert [f.rule for f in report.findings] == ["AMT-SUM"]  # 190,000 listed, 192,000 stated


def test_a_signature_table_reads_column_by_column():
    """Seal labels side by side over the signers' names and dates: each label with what is under it, so the
    name under “赔偿义务人（盖章）” is the obligor's, not the department's (blind batch 24, dev: wBS06)."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "赔偿权利人指定的部门（盖章）", "赔偿义务人（盖章）"
    table.cell(1, 0).text, table.cell(1, 1).text = "张掖市畜牧兽医局\n2025年9月3日", "临泽县绿丰农资有限公司\n2025年9月3日"
    buffer = io.BytesIO()
    document.save(buffer)
    lines = read_document(buffer.getvalue(), filename="协议.docx").text.splitlines()
    assert lines == ["赔偿权利人指定的部门（盖章）", "张掖市畜牧兽医局", "2025年9月3日",
                     "赔偿义务人（盖章）", "临泽县绿丰农资有限公司", "2025年9月3日"]


def _subtotal_table(repair_subtotal: str) -> bytes:
    rows = [("类别", "项目", "金额（元）"), ("生态环境损害数额", "灌溉渠底泥清淤及处置", "61,800.00"), ("", "农田土壤钝化修复", "134,500.00"),
            ("", "修复费用小计", repair_subtotal), ("", "期间服务功能损失", "72,200.00"), ("", "**损害数额小计**", "**268,500.00**"),
            ("调查评估费用", "专家评估费", "32,000.00"), ("", "监测检测费", "20,000.00"), ("", "调查评估费用小计", "52,000.00"),
            ("**合计**", "", "**320,500.00**")]
    lines = ["生态环境损害赔偿磋商告知书", "", "| " + " | ".join(rows[0]) + " |", "|---|---|---:|",
             *("| " + " | ".join(r) + " |" for r in rows[1:])]
    return "\n".join(lines).encode("utf-8")


def test_subtotal_rows_are_checked_and_left_out_of_the_total():
    """A cost table with 小计 rows, one over another (blind batch 25, dev: wBW08): the 合计 adds up the items,
    not the subtotals, and each subtotal must add up the rows just above it."""
    def sums(data: bytes) -> list[str]:
        doc = read_document(data, filename="告知书.md")
        return [f.message for f in check_document(doc, kind="consultation_notice", jurisdiction="guangxi",
                                                  only={"AMT-SUM"}).findings]

    assert sums(_subtotal_table("196,300.00")) == []
    [message] = sums(_subtotal_table("169,300.00"))
    assert "小计169,300.00元" in message


def test_a_plain_text_table_laid_out_with_spaces_is_a_table():
    """An annex in plain text whose columns are aligned with spaces, its 合计 row with an empty cell (blind batch
    26, dev: wBY11): rows of cells, the 合计's figures under their columns, each column summed."""
    rows = ["期次　　约定缴纳期限　　　应缴金额（元）　　未缴金额（元）　　违约金（元）　　小计（元）",
            "-" * 60,
            "第一期　　2025年3月31日　    162,000.00　　          0.00　　      0.00　　        0.00",
            "第二期　　2025年6月30日　    150,000.00　　          0.00　　      0.00　　        0.00",
            "第三期　　2025年9月30日　    150,000.00　　     90,000.00　　  4,815.00　　   94,815.00",
            "第四期　　2025年12月31日　    150,000.00　　    150,000.00　　  1,125.00　　  151,125.00",
            "-" * 60]
    def sums(total_row: str) -> list[str]:
        text = "\n".join(["强制执行申请书", "附件", "未履行分期款项明细表", *rows, total_row, "", "说明：违约金按日万分之五计算。"])
        doc = read_document(text.encode("utf-8"), filename="申请书.txt")
        return [f.message for f in check_document(doc, kind="enforcement", jurisdiction="zhangye",
                                                  only={"AMT-SUM"}).findings]

    assert sums("合计　　          　    612,000.00　　    240,000.00　　  5,940.00　　  245,940.00") == []
    [message] = sums("合计　　          　    612,000.00　　    240,000.00　　  5,940.00　　  254,940.00")
    assert "小计" in message and "254,940.00" in message
    prose = read_document("甲方：某局    乙方：某公司\n签订时间：2025年3月1日    地点：某局\n".encode(), filename="a.txt")
    assert [b.kind for b in prose.blocks] == ["paragraph", "paragraph"]  # two-cell lines are no table


def test_a_counter_form_with_required_marks_and_empty_fields():
    """A court's fill-in form (blind batch 27, dev: wCC15, wCC16): "*" before a required field's label, the
    unit's rows left empty because the obligor is a person, the court written into a blank under 此致."""
    document = docx.Document()
    table = document.add_table(rows=9, cols=2)
    rows = [("*申请人（赔偿权利人或其指定的部门、机构）", "常德市农业农村局"), ("*统一社会信用代码", "11430700MB1720931D"),
            ("*法定代表人", "黄文涛"), ("*地址（联系方式）", "湖南省常德市武陵区洞庭大道西段412号"),
            ("申请人（赔偿义务人）（单位）", ""), ("统一社会信用代码", ""), ("法定代表人（负责人）", ""),
            ("地址（联系方式）", ""), ("*申请人（赔偿义务人）（自然人）", "彭国庆，男，1980年5月12日出生")]
    for r, (label, value) in enumerate(rows):
        table.cell(r, 0).text, table.cell(r, 1).text = label, value
    document.add_paragraph("此致")
    document.add_paragraph("＿常德市中级人民法院＿")
    buffer = io.BytesIO()
    document.save(buffer)
    doc = read_document(buffer.getvalue(), filename="申请书.docx")
    assert "统一社会信用代码：11430700MB1720931D" in doc.text and "*" not in doc.text
    assert "\n常德市中级人民法院" in doc.text
    from checkers.understand.parties import find_parties

    empty = [p for p in find_parties(doc.text) if p.label.endswith("（单位）")]
    assert all(not p.fields.get("legal_rep") and not p.fields.get("uscc") for p in empty)
