"""Cost tables (a DOCX table with an amount column): rules read their rows as amounts in the
column header's unit (AMT-SUM's 合计 row, ALT-VALUE's damage value)."""

from __future__ import annotations

from checkers.check import check_document
from checkers.document import Block, Document, Location

TABLE = [["序号", "项目", "金额（元）"], ["1", "生态环境损害数额", "1,280,000.00"], ["2", "鉴定评估费用", "98,000.00"],
         ["合计", "", "1,378,000.00"]]


def _agreement(alternative: str) -> Document:
    blocks: list[Block] = []

    def add(text: str, **where: int) -> None:
        blocks.append(Block(index=len(blocks), text=text, kind="table_cell" if where else "paragraph",
                            location=Location(paragraph=len(blocks) + 1, **where)))

    add("生态环境损害赔偿协议")
    add("4.1 根据鉴定评估报告，本案赔偿责任构成如下：")
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            if text:
                add(text, table=1, row=r, cell=c)
    add(f"5.1 乙方以实施替代修复工程的方式承担第4.1条第1项所列赔偿责任，替代修复工程投资额为人民币{alternative}元。")
    return Document(file="协议.docx", format="docx", blocks=blocks)


def _alt_value(doc: Document) -> tuple[list[str], list[str]]:
    report = check_document(doc, kind="agreement", jurisdiction="hengshui", only={"ALT-VALUE"})
    return [f.message for f in report.findings], [u.rule for u in report.not_evaluated]


def test_the_damage_value_from_a_cost_table_row():
    found, unchecked = _alt_value(_agreement("960,000.00"))
    assert found == ["替代修复的价值量960,000.00元低于评估的损害价值量1,280,000.00元"] and unchecked == []


def test_an_alternative_worth_the_damage_passes():
    assert _alt_value(_agreement("1,300,000.00")) == ([], [])


def _table_document(title: str, rows: list[list[str]], file: str) -> Document:
    """A document of a title paragraph and one table."""
    blocks = [Block(index=0, text=title, kind="paragraph", location=Location(paragraph=1))]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            blocks.append(Block(index=len(blocks), text=text, kind="table_cell",
                                location=Location(paragraph=len(blocks) + 1, table=1, row=r, cell=c)))
    return Document(file=file, format="docx", blocks=blocks)


def _cost_table(total: str) -> Document:
    rows = [["费用项目", "金额（万元）"], ["应急处置费用", "18.75"], ["河道清淤及生态修复费用", "146.20"],
            ["期间服务功能损失", "64.35"], ["合计", total]]
    return _table_document("生态环境损害赔偿协议", rows, "协议.docx")


def test_a_total_cell_with_its_words_in_brackets_is_read():
    """"261.00（大写：人民币贰佰陆拾壹万元整）" in the 合计 row is the figure 261.00 (blind batch 11, dev)."""
    wrong = check_document(_cost_table("239.30（大写：人民币贰佰叁拾玖万叁仟元整）"), kind="agreement",
                           jurisdiction="nantong", only={"AMT-SUM"})
    assert [f.rule for f in wrong.findings] == ["AMT-SUM"] and "2,393,000.00元" in wrong.findings[0].message
    right = check_document(_cost_table("229.30（大写：人民币贰佰贰拾玖万叁仟元整）"), kind="agreement",
                           jurisdiction="nantong", only={"AMT-SUM"})
    assert right.findings == []


def _instalment_table(unpaid_total: str) -> Document:
    rows = [["期次", "应缴金额（元）", "实缴金额（元）", "未缴金额（元）"],
            ["第一期", "300,000", "300,000", "0"], ["第二期", "300,000", "120,000", "180,000"],
            ["第三期", "265,000", "—", "265,000"], ["合计", "865,000", "420,000", unpaid_total]]
    return _table_document("强制执行申请书", rows, "申请书.docx")


def test_every_amount_column_of_a_table_is_added_up():
    """An enforcement application's table of instalments has three amount columns (应缴, 实缴, 未缴); a
    wrong 未缴 total is found though the first column adds up (blind batch 13, dev: wAL11)."""
    wrong = check_document(_instalment_table("465,000"), kind="enforcement", jurisdiction="hengshui", only={"AMT-SUM"})
    assert [f.message for f in wrong.findings] == [
        "表格中“未缴金额”一栏各项之和445,000.00元（0.00＋180,000.00＋265,000.00）与合计行465,000.00元不一致（相差20,000.00元）"]
    right = check_document(_instalment_table("445,000"), kind="enforcement", jurisdiction="hengshui", only={"AMT-SUM"})
    assert right.findings == []


def test_a_running_balance_column_is_not_added_up():
    """累计已缴 / 剩余未缴 columns carry running figures: their last row is not the sum of the rows."""
    rows = [["期次", "应缴金额（元）", "累计已缴金额（元）", "剩余未缴金额（元）"],
            ["第一期", "300,000", "300,000", "565,000"], ["第二期", "300,000", "420,000", "445,000"],
            ["第三期", "265,000", "420,000", "445,000"], ["合计", "865,000", "420,000", "445,000"]]
    report = check_document(_table_document("强制执行申请书", rows, "申请书.docx"), kind="enforcement",
                            jurisdiction="hengshui", only={"AMT-SUM"})
    assert report.findings == []


def test_a_figure_with_a_note_in_brackets_is_read():
    """"100,000.00（保证金抵扣）": a payment with a note on how it was made is still an item (blind batch
    13, moved from test to dev: wAL10)."""
    rows = [["期次", "应缴金额（元）", "实缴金额（元）"], ["第一期", "321,600.00", "321,600.00"],
            ["第二期", "321,600.00", "150,000.00"], ["", "", "100,000.00（保证金抵扣）"],
            ["合计", "643,200.00", "571,600.00"]]
    report = check_document(_table_document("强制执行申请书", rows, "申请书.docx"), kind="enforcement",
                            jurisdiction="nantong", only={"AMT-SUM"})
    assert report.findings == []
    rows[-1][-1] = "471,600.00"
    report = check_document(_table_document("强制执行申请书", rows, "申请书.docx"), kind="enforcement",
                            jurisdiction="nantong", only={"AMT-SUM"})
    assert len(report.findings) == 1 and "571,600.00元" in report.findings[0].message


def _execution_table(total: str) -> Document:
    rows = [["序号", "项目", "金额（元）"], ["1", "司法确认协议确定的被申请人应缴纳金额", "523,000"],
            ["2", "减：被申请人已缴纳（2025年8月29日）", "100,000"], ["3", "申请执行金额（1−2）", "423,000"],
            ["", "合计（申请执行本金）", total]]
    return _table_document("强制执行申请书", rows, "申请书.docx")


def test_a_deduction_row_is_taken_off_and_a_row_computed_from_others_is_not_an_item():
    """"减：已缴纳" subtracts, "申请执行金额（1−2）" is computed from the rows above (blind batch 14, dev: wAO04)."""
    assert check_document(_execution_table("423,000"), kind="enforcement", jurisdiction="hengshui",
                          only={"AMT-SUM"}).findings == []
    [wrong] = check_document(_execution_table("432,000"), kind="enforcement", jurisdiction="hengshui",
                             only={"AMT-SUM"}).findings
    assert "423,000.00元（523,000.00－100,000.00）" in wrong.message


def test_a_cost_table_read_one_cell_per_line_is_summed():
    """A table nested in a table's cell reaches the text one cell per line (blind batch 15, dev: wAQ03)."""
    from checkers.check import check_text

    table = ("第六条 赔偿金额\n乙方应支付生态环境损害赔偿金如下：\n序号\n项目\n金额（元）\n1\n应急处置费用\n64,300.00\n"
             "2\n生态环境服务功能期间损失\n112,750.00\n3\n减：已缴纳部分\n8,000.00\n合计\n人民币{words}\n{total}\n第七条 履行方式\n")
    wrong = check_text(table.format(words="壹拾柒万玖仟零伍拾元整", total="179,050.00"), kind="agreement",
                       jurisdiction="xinzhou", only={"AMT-SUM"})
    assert [f.rule for f in wrong.findings] == ["AMT-SUM"]
    assert "169,050.00元（64,300.00＋112,750.00－8,000.00）" in wrong.findings[0].message
    assert check_text(table.format(words="壹拾陆万玖仟零伍拾元整", total="169,050.00"), kind="agreement",
                      jurisdiction="xinzhou", only={"AMT-SUM"}).findings == []
