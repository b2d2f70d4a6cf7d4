"""Fixtures of the browser tests (test_web*.py): a real uvicorn server for the module, Debian's
chromium driven by Playwright (headless, a fresh profile; Playwright never downloads a browser here),
and a page that fails its test when a request leaves the server or a script error occurs."""

from __future__ import annotations

import shutil
import tempfile

import pytest

from tests.service.test_service_server import Server, example

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with Server(tmp_path_factory.mktemp("web")) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    profile = tempfile.mkdtemp(prefix="ecoclaim-chromium-")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, headless=True, accept_downloads=True,
            locale="zh-CN", viewport={"width": 1400, "height": 1000})
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, server: Server):
    page = browser.new_page()
    outside: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:", "blob:", "about:")) else outside.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/")
    yield page
    page.close()
    assert outside == [], f"requests left the server: {outside}"
    assert errors == [], errors


def load_example(page, prefix: str) -> None:
    name = example(prefix).name
    page.wait_for_selector(f"#example option[value='{name}']", state="attached")
    page.select_option("#example", name)
    page.click("#load-example")
    page.wait_for_selector("#validate-verdict.ok, #validate-verdict.bad")
