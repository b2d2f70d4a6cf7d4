"""The pagination intent in the block tree (fast; the PDFs are checked in test_pagination.py)."""

from __future__ import annotations

from docgen.render.markup import parse_markup


def _doc(body: str):
    return parse_markup(f"<doc>{body}</doc>", kind="x", variant="x")


def _keeps(doc) -> list[tuple[str, bool]]:
    return [(b.text, b.keep_with_next) for b in doc.blocks if hasattr(b, "keep_with_next")]


def test_a_closing_holds_together_with_the_two_paragraphs_before_it():
    doc = _doc("<title>申请书</title><p>一</p><p>二</p><p>三</p><p>此致</p><addressee>某某人民法院</addressee>"
               "<sign>申请人（盖章）：某局</sign><date>2025年9月5日</date>")
    assert _keeps(doc) == [("申请书", False), ("一", False), ("二", True), ("三", True), ("此致", True),
                           ("某某人民法院", True), ("申请人（盖章）：某局", True), ("2025年9月5日", False)]


def test_a_title_is_never_chained_to_a_closing():
    doc = _doc("<title>授权委托书</title><p>委托人（盖章）：某局</p><date>2025年9月5日</date>")
    assert _keeps(doc)[0] == ("授权委托书", False)


def test_a_signature_table_keeps_its_rows_together_and_the_last_table_row_goes_with_signing_lines():
    doc = _doc('<p>（以下无正文）</p><table borders="0"><tr><td>甲方（盖章）：</td><td>乙方（盖章）：</td></tr>'
               "<tr><td>签订时间：2025年8月29日</td></tr></table>")
    table = doc.blocks[1]
    assert doc.blocks[0].keep_with_next
    assert [p.keep_with_next for c in table.rows[0].cells for p in c.blocks] == [True, True]
    assert [p.keep_with_next for c in table.rows[1].cells for p in c.blocks] == [False]
    form = _doc('<table><tr><td>案由</td></tr><tr><td>处理建议</td></tr><tr><td>备注</td></tr></table>'
                '<p>经办人（签名）：</p><date>2025年9月5日</date>')
    rows = form.blocks[0].rows
    assert [r.cells[0].blocks[0].keep_with_next for r in rows] == [False, True, True]


def test_header_rows_and_cover_come_from_the_markup():
    doc = parse_markup('<doc cover="1"><table header="1"><tr><td>序号</td></tr><tr><td>1</td></tr></table></doc>',
                       kind="x", variant="x")
    assert doc.cover and doc.blocks[0].header_rows == 1
