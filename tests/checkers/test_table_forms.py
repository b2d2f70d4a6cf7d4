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
