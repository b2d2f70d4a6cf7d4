"""Browser tests of the drafter's and reviewer's daily work in the web page (issue 12 §5, §6, §8):
autosave and restore, the case form, series import, version compare, the timeline, and the web page's
UX-review fixes. Playwright drives Debian's chromium (headless) against a real uvicorn server."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casefile.validation import validate_text
from tests.service.conftest import CHROMIUM, load_example
from tests.service.test_service import DEFECTIVE_AGREEMENT

from ..conftest import ROOT

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium 未安装（apt-get install chromium）")

SERIES = ROOT / "examples" / "series"


def editor(page) -> str:
    return page.input_value("#case-text")


def show_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_autosave_survives_a_reload_and_can_be_discarded(page) -> None:
    load_example(page, "zhangye")
    page.click("#case-text")
    page.keyboard.press("Control+End")
    page.keyboard.type("# 手工补充的备注\n")
    edited = editor(page)
    assert "# 手工补充的备注" in edited
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert editor(page) == edited  # nothing lost
    note = page.locator("#case-notice")
    assert note.is_visible() and "王建军非法采砂生态环境损害赔偿案" in note.text_content()
    assert "尚未下载保存" in note.text_content()
    page.wait_for_selector("#validate-verdict.ok")  # the restored case is validated again
    page.click("#discard-restored")
    assert editor(page) == ""
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert editor(page) == "" and not page.is_visible("#case-notice")


def test_case_data_downloads_and_uploads_and_leaving_with_unsaved_work_asks(page, tmp_path: Path) -> None:
    load_example(page, "zhangye")
    page.click("#case-text")
    page.keyboard.press("Control+End")
    page.keyboard.type("# 修改\n")
    with page.expect_download() as info:
        page.click("#save-case")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "王建军非法采砂生态环境损害赔偿案.yaml"
    assert saved.read_text("utf-8") == editor(page)
    # downloaded: leaving asks nothing; edited again: leaving asks (the browser's own question)
    asks = "() => !window.dispatchEvent(new Event('beforeunload', {cancelable: true}))"
    assert page.evaluate(asks) is False
    page.keyboard.type("# 又改了\n")
    assert page.evaluate(asks) is True
    with page.expect_event("dialog") as info:
        page.close(run_before_unload=True)
    assert info.value.type == "beforeunload"
    info.value.accept()


def test_a_case_file_is_uploaded_and_what_it_replaced_can_be_undone(page, tmp_path: Path) -> None:
    load_example(page, "zhangye")
    page.click("#case-text")
    page.keyboard.press("Control+End")
    page.keyboard.type("# 未保存的修改\n")
    before = editor(page)
    other = ROOT / "examples" / "guangxi-cadmium-unit-installments.yaml"
    page.set_input_files("#case-file", str(other))
    page.wait_for_selector("#undo-load")
    assert editor(page) == other.read_text("utf-8")
    page.click("#undo-load")
    assert editor(page) == before
    page.evaluate("localStorage.clear()")


def fill(page, path: str, value: str) -> None:
    page.fill(f"#case-form-fields [data-path='{path}']", value)


def test_the_form_edits_produce_a_valid_case(page) -> None:
    page.evaluate("localStorage.clear()")
    page.click("[data-view=form]")
    page.wait_for_selector("#case-form:not([hidden]) #case-form-fields [data-path='case_name']")
    # Chinese labels from the schema, grouped by stage
    assert page.locator("label[for='cf-case_name']").text_content().startswith("案件名称")
    assert page.locator("#case-form-fields details[data-path='incident'] > summary").text_content().startswith("损害事件")
    fill(page, "jurisdiction", "zhangye")
    fill(page, "case_name", "李某非法采砂生态环境损害赔偿案")
    fill(page, "cause", "非法采砂破坏河道生态")
    fill(page, "incident.name", "李某非法采砂事件")
    fill(page, "incident.conduct", "李某未经许可在黑河河道内采砂。")
    fill(page, "incident.place", "张掖市甘州区黑河河道")
    fill(page, "incident.occurred_from", "2025-03-01")
    fill(page, "incident.consequence", "河床受损。")
    fill(page, "claimant.government", "张掖市人民政府")
    fill(page, "claimant.department.name", "张掖市自然资源局")
    page.click("#case-form-fields [data-add='obligors']")
    page.select_option("#case-form-fields [data-path='obligors[0].kind']", "person")
    fill(page, "obligors[0].name", "李某")
    fill(page, "obligors[0].address", "张掖市甘州区某村")
    fill(page, "obligors[0].id_number", "620702197805122136")  # wrong check character
    # the server's problem is shown at its field, in Chinese
    error = page.wait_for_selector("#case-form-fields .field-error[data-for='obligors[0].id_number']")
    assert "校验" in error.text_content()
    assert page.get_attribute("#case-form-fields [data-path='obligors[0].id_number']", "aria-invalid") == "true"
    fill(page, "obligors[0].id_number", "620702197805122135")
    page.wait_for_selector("#validate-verdict.ok")
    assert page.locator("#case-form-fields .field-error.error").count() == 0
    # the YAML editor holds the same case, and it reads back as a valid case
    page.click("[data-view=yaml]")
    text = editor(page)
    case, problems = validate_text(text)
    assert case is not None, [str(p) for p in problems]
    assert case.obligors[0].id_number == "620702197805122135" and case.incident.place == "张掖市甘州区黑河河道"
    page.evaluate("localStorage.clear()")


@pytest.mark.parametrize("prefix", ["zhangye", "guangxi-two", "hengshui"])
def test_an_example_through_the_form_stays_the_same_case(page, prefix: str) -> None:
    """YAML → form → edit → YAML: the data reads back unchanged but for the edit."""
    page.evaluate("localStorage.clear()")
    load_example(page, prefix)
    original, _ = validate_text(editor(page))
    page.click("[data-view=form]")
    page.wait_for_selector("#case-form:not([hidden]) [data-path='cause']")
    fill(page, "cause", "经表单修改的案由")
    page.wait_for_function("() => document.querySelector('#case-text').value.includes('经表单修改的案由')")
    case, problems = validate_text(editor(page))
    assert case is not None, [str(p) for p in problems]
    assert case.model_dump(exclude={"cause"}) == original.model_dump(exclude={"cause"})
    page.click("[data-view=yaml]")
    page.evaluate("localStorage.clear()")


def test_a_series_workbook_with_11_obligors_gives_11_case_files_through_the_page(page, tmp_path: Path) -> None:
    show_tab(page, "系列案件")
    page.set_input_files("#series-base", str(SERIES / "heihe-sand-mining-base.yaml"))
    with page.expect_download() as info:
        page.click("#series-template")
    template = tmp_path / info.value.suggested_filename
    info.value.save_as(template)
    assert template.name == "系列案件模板.xlsx" and "说明" in load_workbook(template).sheetnames
    page.set_input_files("#series-book", str(SERIES / "heihe-sand-mining-11.xlsx"))
    page.select_option("#series-generate", "docx")
    with page.expect_download(timeout=120000) as info:
        page.click("#series-import")
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    names = archive.namelist()
    cases = [n for n in names if n.endswith(".yaml")]
    assert len(cases) == 11
    for name in cases:
        case, problems = validate_text(archive.read(name))
        assert case is not None, (name, [str(p) for p in problems])
        assert any(n.startswith(name[:-5] + "/") and n.endswith(".docx") for n in names)  # its dossier
    assert json.loads(archive.read("导入结果.json"))["cases"] == 11
    page.wait_for_selector("#series-table")
    assert page.locator("#series-table tbody tr").count() == 11
    assert "建立11个案件" in page.text_content("#series-summary")


def test_compare_shows_a_changed_amount(page, tmp_path: Path) -> None:
    old = tmp_path / "第一稿.txt"
    new = tmp_path / "第二稿.txt"
    old.write_text(DEFECTIVE_AGREEMENT, encoding="utf-8")
    new.write_text(DEFECTIVE_AGREEMENT.replace("1,286,400.00元（大写：壹佰贰拾捌万陆仟肆佰元整）",
                                               "1,386,400.00元（大写：壹佰叁拾捌万陆仟肆佰元整）"), encoding="utf-8")
    show_tab(page, "版本比较")
    page.set_input_files("#diff-old", str(old))
    page.set_input_files("#diff-new", str(new))
    page.click("#diff-run")
    page.wait_for_selector("#diff-values")
    values = page.text_content("#diff-values")
    assert "新增金额：1,386,400.00" in values and "删除金额：1,286,400.00" in values
    changed = page.locator("#diff-elements tbody tr.changed")
    assert changed.count() >= 1 and "1,386,400.00" in changed.first.text_content()
    assert "修改" in changed.first.locator("td.change").text_content()
    assert page.locator("#diff-text .add").count() == 1 and page.locator("#diff-text .del").count() == 1


def test_the_timeline_table_shows_deadlines_overdue_and_the_basis(page) -> None:
    load_example(page, "zhangye")
    show_tab(page, "期限")
    page.fill("#timeline-on", "2026-12-06")
    page.click("#timeline-run")
    page.wait_for_selector("#timeline-table")
    payment = page.locator("#timeline-table tr[data-step='PAYMENT']").first
    assert "2025-12-01" in payment.locator("td.due").text_content()
    assert "已逾期370日" in payment.text_content() and payment.locator(".overdue-mark").count() == 1
    prelim = page.locator("#timeline-table tr[data-step='PRELIM-CHECK']")
    assert "2025-05-26" in prelim.text_content() and "顺延" in prelim.text_content()
    assert "《张掖市生态环境损害赔偿工作机制（试行）》第九条" in prelim.locator("td.basis").text_content()
    assert "按 2026-12-06 计算" in page.text_content("#timeline-result")


def test_the_token_box_is_hidden_without_a_token(page) -> None:
    page.wait_for_selector("body[data-ready]")
    assert not page.is_visible("#token-box")
    assert page.eval_on_selector("#token-box", "e => getComputedStyle(e).display") == "none"


def test_the_drafting_page_fits_a_phone(browser, server) -> None:
    phone = browser.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    try:
        phone.goto(server.url + "/")
        phone.wait_for_selector("body[data-ready]")
        load_example(phone, "guangxi-cadmium")
        width = "() => document.documentElement.scrollWidth"
        assert phone.evaluate(width) <= 390
        phone.click("[data-view=form]")
        phone.wait_for_selector("#case-form:not([hidden]) [data-path='cause']")
        assert phone.evaluate(width) <= 390
        for tab in ("期限", "系列案件", "审查", "版本比较", "规则与法规"):
            phone.get_by_role("tab", name=tab).click()
            assert phone.evaluate(width) <= 390, tab
        phone.click("#tab-draft")
        phone.click("[data-view=yaml]")
    finally:
        phone.evaluate("localStorage.clear()")
        phone.close()


def test_more_files_than_one_request_takes_are_checked_in_batches(page, tmp_path: Path) -> None:
    show_tab(page, "审查")
    files = []
    for i in range(23):
        f = tmp_path / f"协议{i:02d}.txt"
        f.write_text(DEFECTIVE_AGREEMENT, encoding="utf-8")
        files.append(str(f))
    page.set_input_files("#doc-files", files)
    page.click("#check")
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_function("() => document.querySelector('#status').textContent.startsWith('审查完成')")
    assert page.locator("#report-file option").count() == 23
    assert "分2批审查" in page.text_content("#status")
    assert "处错误" in page.locator("#report-file option").nth(22).text_content()


def test_reports_download_with_an_unreadable_file_in_the_set(page, tmp_path: Path) -> None:
    show_tab(page, "审查")
    good = tmp_path / "协议.txt"
    good.write_text(DEFECTIVE_AGREEMENT, encoding="utf-8")
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    page.set_input_files("#doc-files", [str(good), str(old)])
    page.click("#check")
    page.wait_for_selector("#results:not([hidden])")
    assert "无法读取" in page.locator("#report-file option").nth(1).text_content()
    for fmt in ("sarif", "html"):
        with page.expect_download() as info:
            page.click(f"[data-report={fmt}]")
        text = Path(info.value.path()).read_text("utf-8")
        assert "old.doc" in text and "AGR-BREACH" in text
    assert "error" not in (page.get_attribute("#status", "class") or "")


def test_a_document_of_another_kind_is_skipped_with_the_page_s_wording(page, tmp_path: Path) -> None:
    show_tab(page, "审查")
    notice = tmp_path / "会议通知.txt"
    notice.write_text("关于召开年度工作会议的通知\n各科室：定于下周一上午九点在三楼会议室召开年度工作会议，请准时参加。\n", encoding="utf-8")
    good = tmp_path / "协议.txt"
    good.write_text(DEFECTIVE_AGREEMENT, encoding="utf-8")
    page.set_input_files("#doc-files", [str(good), str(notice)])
    page.click("#check")
    page.wait_for_selector("#results:not([hidden])")
    page.select_option("#report-file", "1")
    items = " ".join(page.locator("#findings li").all_text_contents())
    assert "跳过" in items and "--type" not in items and "文书种类" in items


def test_the_docs_page_offers_a_file_picker_for_check(page, server) -> None:
    page.goto(server.url + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    block = page.locator(".opblock-post", has_text="/api/v1/check").first
    block.locator(".opblock-summary").click()
    block.locator("button.try-out__btn").click()
    page.wait_for_selector(".opblock-post.is-open input[type=file]")
    assert block.locator("textarea").filter(has_text="￥").count() == 0


def test_rules_and_regulations_can_be_browsed(page) -> None:
    show_tab(page, "规则与法规")
    page.wait_for_selector("#rule-list details[data-rule='AGR-BREACH']")
    page.fill("#rule-filter", "违约")
    assert page.locator("#rule-list details[data-rule='AGR-BREACH']").count() == 1
    assert page.locator("#rule-list details").count() < 20
    page.click("#rule-list details[data-rule='AGR-BREACH'] > summary")
    page.wait_for_selector("#rule-list details[data-rule='AGR-BREACH'] blockquote")
    assert "依据：《" in page.text_content("#rule-list details[data-rule='AGR-BREACH']")
    page.fill("#corpus-q", "履约保证金")
    page.click("#corpus-form button[type=submit]")
    page.wait_for_selector("#corpus-hits details")
    first = page.locator("#corpus-hits details").first
    first.locator("summary").click()
    first.locator("blockquote").wait_for()
    assert "保证金" in first.text_content()
