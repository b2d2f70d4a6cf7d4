"""A PDF's narrow table cells wrap words, names and headings mid-word; the checker reads such a page a
second time with the wraps closed (checkers.extract.text.close_wraps), for element fields and names."""

from __future__ import annotations

from checkers.check import check_document
from checkers.document import from_text
from checkers.extract.text import close_wraps, closed_wraps_across, original_offset

NOTICE = """生态环境损害赔偿磋商告知书
告知人：岳阳市生态环境局
被告知人：汨罗市鑫源再生资源回收有限公司
统一社会信用代码：91430681MA4PB7W507
一、生态环境损害赔偿事由
2025年8月5日，执法人员检查发现，汨罗市鑫源再生{variant}
回收有限公司将清洗废水排入白水港，造成约900米港汊水体及底泥污染。
二、生态环境损害调查情况
被告知人为赔偿义务人。鉴定评估意见：生态环境损害数额268,000元。
三、磋商小组人员组成 由岳阳市生态环境局法规科张明、执法支队李强和鉴定专家王芳组成。
四、磋商会议时间和地
点
2025年11月18日上午9时，岳阳市生态环境局汨罗分
局四楼会议室
五、其他事项 被告知人应自本告知书送达之日起5个工作日内书面答复是否同意磋商。
岳阳市生态环境局（印章）
2025年11月3日
"""


def _pdf(text: str):
    return from_text(text, "告知书.pdf").model_copy(update={"format": "pdf"})


def _rules(doc) -> set[str]:
    report = check_document(doc, kind="consultation_notice", jurisdiction="national")
    return {f.rule for f in report.findings}


def test_closing_wraps_maps_offsets_back():
    text = "汨罗市鑫源再生物资\n回收有限公司在\n清洗"
    closed, closed_at = closed_wraps_across(text)
    assert closed == close_wraps(text) == "汨罗市鑫源再生物资回收有限公司在清洗"
    start, end = closed.index("汨"), closed.index("在")
    assert text[original_offset(closed_at, start):original_offset(closed_at, end - 1) + 1] == "汨罗市鑫源再生物资\n回收有限公司"


def test_a_wrapped_heading_and_place_still_give_the_meeting():
    assert "CN-MEETING" not in _rules(_pdf(NOTICE.format(variant="资源")))


def test_a_wrapped_name_spelt_differently_is_found():
    assert "NAME-CONSISTENT" in _rules(_pdf(NOTICE.format(variant="物资")))
    assert "NAME-CONSISTENT" not in _rules(_pdf(NOTICE.format(variant="资源")))


def test_text_files_are_not_read_twice():
    # outside PDFs a line break between two characters is the writer's, not a cell's
    assert "CN-MEETING" in _rules(from_text(NOTICE.format(variant="资源"), "告知书.txt"))


def test_a_space_the_pdf_layout_put_in_a_court_number_is_not_the_writers():
    text = "生态环境损害赔偿协议\n司法确认文书号（2024 ）晋09民特35号\n"
    rules = lambda doc: {f.rule for f in check_document(doc, kind="agreement", jurisdiction="national",  # noqa: E731
                                                        only={"NUM-COURT"}).findings}
    assert rules(_pdf(text)) == set()
    assert rules(from_text(text, "协议.txt")) == {"NUM-COURT"}
