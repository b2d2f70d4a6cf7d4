"""Browser tests: Playwright driving Debian's chromium (headless) against a real uvicorn server.

Playwright never downloads a browser here: it launches /usr/bin/chromium with a fresh profile.
Skipped (with the reason) when chromium is not installed; ``bash tools/test.sh`` installs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from corpus.forms import checkable_kinds
from tests.service.conftest import ARGS, CHROMIUM, load_example  # noqa: F401 (ARGS: tests/caseregister/test_web_register.py imports it from here)
from tests.service.test_service import DEFECTIVE_AGREEMENT
from tests.service.test_service_server import Server

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium 未安装（apt-get install chromium）")


def test_page_is_chinese_and_keyboard_reachable(page) -> None:
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.get_by_role("tab", name="起草").get_attribute("aria-selected") == "true"
    page.get_by_role("tab", name="起草").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("tab", name="期限").get_attribute("aria-selected") == "true"
    assert page.is_visible("#panel-timeline") and not page.is_visible("#panel-draft")
    page.keyboard.press("End")
    assert page.get_by_role("tab", name="规则与法规").get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.get_by_role("tab", name="审查").get_attribute("aria-selected") == "true"
    assert page.is_visible("#panel-review") and not page.is_visible("#panel-compare")
    # every form control has a label
    unlabeled = page.evaluate("""() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.id || e.name)""")
    assert unlabeled == []


def test_example_validates_and_a_problem_points_to_its_line(page) -> None:
    load_example(page, "guangxi-cadmium")
    assert "校验通过" in page.text_content("#validate-verdict")
    text = page.input_value("#case-text").replace("uscc: 91450100MA5KQ3RT2R", "uscc: 91450100MA5KQ3RT2X")
    page.fill("#case-text", text)
    page.click("#validate")
    page.wait_for_selector("#problems button[data-path='obligors[0].uscc']")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "MA5KQ3RT2X" in row)
    button = page.locator("#problems button[data-path='obligors[0].uscc']")
    assert f"第{line}行" in button.text_content()
    button.click()
    selected = page.evaluate("() => { const t = document.querySelector('#case-text'); "
                             "return t.value.slice(t.selectionStart, t.selectionEnd); }")
    assert "MA5KQ3RT2X" in selected
    assert page.locator("#gutter span.bad").first.text_content() == str(line)


def test_generate_and_download_a_docx(page, tmp_path: Path) -> None:
    load_example(page, "guangxi-cadmium")
    page.check("#form-agreement")
    page.check("input[name=format][value=docx]")
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".docx" and target.read_bytes()[:2] == b"PK"
    import zipfile

    with zipfile.ZipFile(target) as z:
        assert "广西桂南冶炼有限公司" in z.read("word/document.xml").decode("utf-8")


def test_preview_in_html(page) -> None:
    load_example(page, "zhangye")
    page.check("#form-agreement")
    page.click("#preview")
    page.wait_for_selector("#preview-box:not([hidden])")
    frame = page.frame_locator("#preview-frame")
    # (the frame's document arrives after the box is shown: wait for it rather than read it at once)
    expect(frame.locator("body")).to_contain_text("协议")


def test_review_highlights_the_findings(page, tmp_path: Path) -> None:
    page.get_by_role("tab", name="审查").click()
    # the kind selector offers the kinds the checker reviews, from the form catalogue
    page.wait_for_selector("#doc-type option[value='consultation_notice']", state="attached")
    offered = page.eval_on_selector_all("#doc-type option", "os => os.map(o => o.value)")
    assert offered == ["", *checkable_kinds()]
    doc = tmp_path / "有缺陷的协议.txt"
    # no breach clause (a missing element) and a wrong check character in the obligor's USCC (in the text)
    doc.write_text(DEFECTIVE_AGREEMENT.replace("91450100MA5KQ3RT2R", "91450100MA5KQ3RT2X"), encoding="utf-8")
    page.set_input_files("#doc-files", str(doc))
    page.click("#check")
    page.wait_for_selector("#results:not([hidden])")
    # the wrong identifier is highlighted where it stands in the text
    in_text = page.locator("#doc-text mark.finding[data-rule~='ID-USCC']")
    assert in_text.count() == 1 and in_text.text_content() == "91450100MA5KQ3RT2X"
    # the missing breach clause is highlighted as a note on the whole document, and listed
    missing = page.locator("#doc-text mark.finding[data-rule='AGR-BREACH']")
    assert missing.count() == 1 and "违约" in missing.text_content()
    assert page.locator("#findings button[data-rule='AGR-BREACH']").count() == 1
    # open it from the keyboard: article and suggestion
    missing.focus()
    page.keyboard.press("Enter")
    detail = page.locator("#finding-detail")
    assert detail.is_visible()
    text = detail.text_content()
    assert "依据" in text and "违约" in text and "修改建议" in text
    assert page.evaluate("() => document.activeElement.id") == "finding-detail"
    # severity filter
    page.uncheck("input[name=sev][value=error]")
    assert page.locator("#findings button[data-rule='AGR-BREACH']").count() == 0
    assert page.locator("#doc-text mark.finding").count() == 0
    page.check("input[name=sev][value=error]")
    for fmt, suffix in (("sarif", ".sarif"), ("html", ".html"), ("json", ".json")):
        with page.expect_download() as info:
            page.click(f"[data-report={fmt}]")
        assert info.value.suggested_filename.endswith(suffix)


def test_review_downloads_the_docx_with_comments(page, tmp_path: Path) -> None:
    import zipfile

    from tests.fixtures.extract.builders import docx, p

    page.get_by_role("tab", name="审查").click()
    doc = tmp_path / "协议.docx"
    doc.write_bytes(docx(p("生态环境损害赔偿协议", "Title") + p("甲方：南宁市生态环境局") + p("乙方：广西某某化工有限公司")))
    page.set_input_files("#doc-files", str(doc))
    page.click("#check")
    page.wait_for_selector("#results:not([hidden])")
    with page.expect_download() as info:
        page.click("[data-report=docx]")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "协议-审查批注.docx"
    with zipfile.ZipFile(target) as zf:
        assert "AGR-BREACH" in zf.read("word/comments.xml").decode("utf-8")


def test_docs_page_renders_offline(page, server: Server) -> None:
    page.goto(server.url + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert page.locator(".opblock").count() >= 15


def test_an_unreadable_file_is_never_shown_as_clean(page, tmp_path: Path) -> None:
    page.get_by_role("tab", name="审查").click()
    good = tmp_path / "协议.txt"
    good.write_text(DEFECTIVE_AGREEMENT, encoding="utf-8")
    broken = tmp_path / "坏文件.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    page.set_input_files("#doc-files", [str(good), str(broken)])
    page.click("#check")
    page.wait_for_selector("#results:not([hidden])")
    page.select_option("#report-file", "1")
    items = page.locator("#findings li").all_text_contents()
    assert any("无法审查" in t for t in items) and not any("未发现问题" in t for t in items)


def test_a_finding_accepted_with_a_reason_is_shown_as_accepted_after_a_new_check(page, tmp_path: Path) -> None:
    """Issue 12: accept one finding with a reason, re-run, and see it as 已接受 (kept in the browser)."""
    page.get_by_role("tab", name="审查").click()
    doc = tmp_path / "有缺陷的协议.txt"
    doc.write_text(DEFECTIVE_AGREEMENT, encoding="utf-8")
    page.set_input_files("#doc-files", str(doc))
    page.click("#check")
    page.wait_for_selector("#findings button[data-rule='AGR-BREACH']")
    page.click("#findings button[data-rule='AGR-BREACH']")
    page.click("#accept-finding")  # no reason yet: refused
    assert page.locator("#findings button[data-rule='AGR-BREACH']").count() == 1
    page.fill("#accept-reason", "违约责任另行签订补充协议约定")
    page.click("#accept-finding")
    page.wait_for_selector("#findings li.accepted[data-rule='AGR-BREACH']")
    assert page.locator("#findings button[data-rule='AGR-BREACH']").count() == 0
    assert "理由：违约责任另行签订补充协议约定" in page.locator("#findings li.accepted").first.text_content()
    page.click("#check")  # a new check of the same file: still accepted
    page.wait_for_selector("#findings li.accepted[data-rule='AGR-BREACH']")
    page.evaluate("localStorage.removeItem('ecoclaim-accepted')")  # the other tests start without it
