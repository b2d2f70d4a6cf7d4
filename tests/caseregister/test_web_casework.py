"""The register's story in a real browser (Playwright driving Debian's headless Chromium against a real
uvicorn server), on SQLite and on a real PostgreSQL — issue 13's "Done when":

two departments' users each see only their own cases (and another department's case by URL is not
found); a drafter edits a case in the data form (an invalid edit shows the server's errors with field
paths and lines inline; a valid one becomes version 2) and generates the agreement; a reviewer reviews
the generated agreement and an uploaded draft and accepts a finding with a reason; a 负责人 approves;
the history shows both versions and their diff, and the audit trail every step, in order. Each user
sees only the buttons their role allows. The drafter's calendar subscription URL works without login."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from caseregister import accounts, versions
from caseregister.casedata import submit
from caseregister.engine import write_session
from tests.procedure.test_timeline_cli import parse_ics
from tests.service.test_service_server import Server

from .test_register_write import FLAWED, register_server
from .test_web_register import (
    GUANGXI,
    PASSWORD,
    _log_in,
    browser,
    database,
    engine,
    needs_chromium,
    zhangye_variant,
)

__all__ = ["browser", "database", "engine"]  # module-scoped fixtures shared with test_web_register

WAIT = 120_000  # the longest a step may take before the test gives up (ms): generation, the checker's first run


class Seed:
    zy = 0
    nn = 0


@pytest.fixture(scope="module")
def seed(engine: Engine) -> Seed:
    seed = Seed()
    with write_session(engine) as s:
        zy = accounts.add_department(s, "张掖市自然资源局", "ZY", actor="管理员")
        nn = accounts.add_department(s, "南宁市生态环境局", "NN", actor="管理员")
        for username, name, role, dept in [("zdraft", "张起草", "drafter", "ZY"), ("zrev", "王审查", "reviewer", "ZY"),
                                           ("zhead", "赵局长", "head", "ZY"), ("ndraft", "南起草", "drafter", "NN")]:
            accounts.add_user(s, username, name, PASSWORD, role, dept, actor="管理员")
        seed.zy = versions.create_case(s, zy, submit(zhangye_variant("甘G环赔〔2025〕3号", "2026-12-09"), "yaml"),
                                       author="张起草（zdraft）", reason="立案登记").case_id
        seed.nn = versions.create_case(s, nn, submit(GUANGXI, "yaml"), author="南起草（ndraft）",
                                       reason="立案登记").case_id
    return seed


@pytest.fixture(scope="module")
def server(database: str, seed: Seed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from register_server(database, tmp_path_factory.mktemp("story"))


def _status(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector('#status').textContent.includes(t)", arg=text, timeout=WAIT)


def _open_case(page, server: Server, case_id: int) -> None:
    page.goto(f"{server.url}/register#case={case_id}")
    page.wait_for_selector("#case:not([hidden])")


@needs_chromium
def test_two_departments_draft_review_and_approve_in_a_browser(browser, server: Server, seed: Seed):
    zctx, zpage, errors = _log_in(browser, server, "zdraft")
    nctx, npage, nerrors = _log_in(browser, server, "ndraft")
    # each sees only its own department's cases; the other's case by URL is not found
    assert zpage.locator("#cases tbody tr").count() == 1 and "南宁" not in zpage.text_content("#cases")
    assert npage.locator("#cases tbody tr").count() == 1 and "王建军" not in npage.text_content("#cases")
    assert zpage.is_visible("#new-case-form")  # a drafter may create cases
    npage.goto(f"{server.url}/register#case={seed.zy}")
    npage.wait_for_selector("#status.error")
    assert "台账中没有这个案件" in npage.text_content("#status") and npage.is_hidden("#case")

    # the drafter edits the case: an invalid edit is refused inline, a valid one becomes version 2
    _open_case(zpage, server, seed.zy)
    zpage.wait_for_selector("#data:not([hidden])")
    assert zpage.is_hidden("#review-form") and "审批第" not in zpage.text_content("#case-versions")
    original = zpage.input_value("#data-text")
    assert "甘G环赔〔2025〕3号" in original
    zpage.fill("#data-text", original.replace("jurisdiction: zhangye", "jurisdiction: atlantis"))
    zpage.fill("#data-reason", "试改辖区")
    zpage.click("#data-form button[type=submit]")
    zpage.wait_for_selector("#data-errors li code")
    assert "jurisdiction（第" in zpage.text_content("#data-errors")
    zpage.fill("#data-text", original.replace("cause: 非法采砂破坏河道生态", "cause: 非法采砂破坏河道及湿地生态"))
    zpage.fill("#data-reason", "补充损害后果")
    zpage.click("#data-form button[type=submit]")
    _status(zpage, "已保存为第2版")
    assert zpage.locator("#case-versions tbody tr").count() == 2

    # … and generates the agreement from the stored version
    zpage.select_option("#generate-kind", "agreement")
    zpage.click("#generate-form button[type=submit]")
    _status(zpage, "文书已生成并登记")
    assert "赔偿协议" in zpage.text_content("#case-documents") and "第2版" in zpage.text_content("#case-documents")

    # the reviewer reviews the generated agreement and an uploaded draft, and accepts a finding with a reason
    rctx, rpage, rerrors = _log_in(browser, server, "zrev")
    _open_case(rpage, server, seed.zy)
    assert rpage.is_hidden("#data") and rpage.is_hidden("#generate-form") and rpage.is_visible("#review-form")
    rpage.click("#case-documents button:has-text('审查此文书')")
    _status(rpage, "已审查")
    assert "未发现问题" in rpage.text_content("#case-reviews")
    rpage.set_input_files("#review-file", files=[{"name": "协议草稿.md", "mimeType": "text/markdown",
                                                   "buffer": FLAWED.encode("utf-8")}])
    rpage.click("#review-form button[type=submit]")
    _status(rpage, "“协议草稿.md”已审查")
    draft = rpage.locator(".review", has_text="协议草稿.md")
    with rpage.expect_download() as download:  # the reviewed file, under its Chinese name
        draft.locator("h4 a").click()
    assert download.value.suggested_filename == "协议草稿.md"
    assert Path(download.value.path()).read_bytes() == FLAWED.encode("utf-8")
    draft.locator("li input").first.fill("附件另行载明")
    draft.locator("li button:has-text('接受')").first.click()
    _status(rpage, "已接受该项发现")
    assert "已接受：附件另行载明（王审查（zrev））" in rpage.text_content("#case-reviews")

    # the 负责人 approves version 2
    hctx, hpage, herrors = _log_in(browser, server, "zhead")
    _open_case(hpage, server, seed.zy)
    assert hpage.is_hidden("#data") and hpage.is_hidden("#generate-form") and hpage.is_hidden("#review-form")
    hpage.fill("#case-versions input[aria-label='第2版的审批意见']", "同意")
    hpage.click("#case-versions button:has-text('审批第2版')")
    _status(hpage, "第2版已审批")
    assert "赵局长（zhead）已审批：同意" in hpage.text_content("#case-versions")

    # the history shows both versions and their diff; the audit trail every step, in order
    versions_shown = hpage.locator("#case-versions tbody tr td:nth-child(5)").all_text_contents()
    assert versions_shown == ["立案登记", "补充损害后果"]
    hpage.click("#diff-button")
    hpage.wait_for_selector("#diff:not([hidden])")
    assert "cause" in hpage.text_content("#diff-changes") and "非法采砂破坏河道及湿地生态" in hpage.text_content("#diff-text")
    actions = hpage.locator("#case-audit tbody tr td:nth-child(3)").all_text_contents()
    assert actions == ["新建案件", "保存新版本", "保存新版本", "登记生成的文书", "登记审查结果", "登记审查结果",
                       "接受审查发现（附理由）", "审批通过"]
    actors = hpage.locator("#case-audit tbody tr td:nth-child(2)").all_text_contents()
    assert actors[-5:] == ["张起草（zdraft）", "王审查（zrev）", "王审查（zrev）", "王审查（zrev）", "赵局长（zhead）"]

    # the drafter's calendar subscription URL serves the feed to a client without cookies
    zpage.goto(f"{server.url}/register")
    zpage.wait_for_selector("#ledger:not([hidden])")
    zpage.click("#feed-create")
    zpage.wait_for_selector("#feed-url:not([hidden])")
    feed = httpx.get(zpage.input_value("#feed-url"))
    assert feed.status_code == 200 and "2026-12-09".replace("-", "") in {e["DTSTART;VALUE=DATE"]
                                                                       for e in parse_ics(feed.content)}
    assert errors == nerrors == rerrors == herrors == []
    for context in (zctx, nctx, rctx, hctx):
        context.close()

