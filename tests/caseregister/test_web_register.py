"""The register's web side over real HTTP (a uvicorn server in a subprocess, see
tests/service/test_service_server.py) on SQLite and on a real PostgreSQL: login with throttling,
server-side sessions with idle and absolute expiry, CSRF, per-user API tokens, the 台账 with its
filters, the deadlines board, the calendar feed and the case page, each narrowed to what the user
may see (another department's case: 404, exactly like a case that does not exist).

One server per backend serves the module; each test logs in as its own users where it changes
state (locks, expiry). The last test drives the page in a headless browser: two departments' users
each log in with the form, see only their own cases, open a case page, and log out."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, select, update
from sqlalchemy.engine import make_url

from caseregister import accounts, documents, migrate, versions
from caseregister.casedata import submit, text_sha256
from caseregister.engine import make_engine, read_session, write_session
from caseregister.models import Case, User, WebSession, utcnow
from caseregister.settings import sqlite_url
from service.registerauth import COOKIE
from tests.procedure.test_timeline_cli import parse_ics
from tests.service.test_service_server import Server, example
from tests.service.test_web import ARGS, CHROMIUM

from .conftest import BACKENDS

PASSWORD = "Shengtai-2025!hz"
PROBLEM = "application/problem+json"
ZHANGYE = example("zhangye").read_text("utf-8")
GUANGXI = example("guangxi-two").read_text("utf-8")


def zhangye_variant(number: str, assessment: str, cause: str = "非法采砂破坏河道生态") -> str:
    """The Zhangye example under another 立案号, its effect assessment due on ``assessment``."""
    text = ZHANGYE.replace("甘G环赔〔2025〕3号", number).replace("effect_assessment_deadline: 2027-08-31",
                                                              f"effect_assessment_deadline: {assessment}")
    return text.replace("cause: 非法采砂破坏河道生态", f"cause: {cause}")


class Seed:
    """What the module's database holds (ids), filled by :func:`_seed`."""

    def __init__(self) -> None:
        self.cases: dict[str, int] = {}
        self.token = ""


def _seed(engine: Engine, tmp: Path) -> Seed:
    seed = Seed()
    with write_session(engine) as s:
        accounts.add_department(s, "张掖市自然资源局", "ZY", actor="管理员")
        accounts.add_department(s, "甘州区分局", "ZY-GZ", parent="ZY", actor="管理员")
        accounts.add_department(s, "南宁市生态环境局", "NN", actor="管理员")
        users = [("zhang", "张三", "drafter", "ZY"), ("gan", "甘五", "reader", "ZY-GZ"), ("nan", "南六", "drafter", "NN")]
        users += [(f"u{i}", f"用户{i}", "drafter", "ZY") for i in range(10)]
        for username, name, role, dept in users:
            accounts.add_user(s, username, name, PASSWORD, role, dept, actor="管理员")
        _row, seed.token = accounts.issue_token(s, "nan", "脚本", actor="管理员")
    with write_session(engine) as s:
        zy = accounts.find_department(s, "ZY")
        gz = accounts.find_department(s, "ZY-GZ")
        nn = accounts.find_department(s, "NN")
        for key, dept, text in [
            ("zy_week", zy, zhangye_variant("甘G环赔〔2025〕3号", "2026-12-09")),
            ("zy_month", zy, zhangye_variant("甘G环赔〔2024〕9号", "2026-12-25")),
            ("gz", gz, zhangye_variant("甘州环赔〔2025〕1号", "2027-08-31")),
            ("nn", nn, GUANGXI),
        ]:
            seed.cases[key] = versions.create_case(s, dept, submit(text, "yaml"), author="张三", reason="立案登记").case_id
    with write_session(engine) as s:  # a second version, a dossier and a review with an accepted finding
        second = zhangye_variant("甘G环赔〔2025〕3号", "2026-12-09", "非法采砂破坏河道及湿地生态")
        versions.save_version(s, seed.cases["zy_week"], submit(second, "yaml"), base=1, author="李四",
                              reason="补充损害后果")
        manifest = tmp / "manifest.json"
        manifest.write_text(json.dumps({"format": "docx", "case": {"sha256": text_sha256(second)}, "documents": [
            {"form": "agreement", "title": "赔偿协议", "file": "赔偿协议.docx", "sha256": "a" * 64,
             "template_version": "1"}]}), "utf-8")
        documents.record_dossier(s, manifest, "张三")
        case = s.get_one(Case, seed.cases["zy_week"])
        review = documents.record_review(s, case, {"doc_type": "agreement", "findings": [
            {"rule": "AMT-SUM", "severity": "error", "message": "金额合计不符"}]},
            file_name="赔偿协议.docx", file_sha256="a" * 64, author="王审查")
        documents.accept_finding(s, review.id, 0, "合计含利息，已核对", "王审查")
    return seed


@pytest.fixture(scope="module", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database of the module's own on each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path_factory.mktemp("register") / "register.sqlite3")
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    name = f"ecoclaim_web_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="module")
def engine(database: str) -> Iterator[Engine]:
    engine = make_engine(database)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def seed(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Seed:
    return _seed(engine, tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def server(database: str, seed: Seed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"ECOCLAIM_DATABASE_URL": database, "ECOCLAIM_CHECK_WORKERS": "1", "ECOCLAIM_LOGIN_MAX_FAILURES": "3"}
    with Server(tmp_path_factory.mktemp("web"), env) as srv:
        yield srv


class Browser:
    """A client that keeps the session cookie itself (the cookie is ``Secure`` by default, which a
    cookie jar would not send over the test's plain HTTP) and the session's CSRF token."""

    def __init__(self, server: Server) -> None:
        self.url = server.url
        self.cookie: str | None = None
        self.csrf: str | None = None

    def login(self, username: str, password: str = PASSWORD, **headers: str) -> httpx.Response:
        answer = httpx.post(self.url + "/login", data={"username": username, "password": password},
                            headers={"Accept": "application/json", **headers})
        if answer.status_code == 200:
            self.cookie = answer.cookies[COOKIE]
            self.csrf = answer.json()["user"]["csrf_token"]
        return answer

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {**({"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}), **(extra or {})}

    def get(self, path: str, **params: Any) -> httpx.Response:
        return httpx.get(self.url + path, params=params, headers=self.headers())

    def post(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        return httpx.post(self.url + path, headers=self.headers(headers), **kwargs)


def logged_in(server: Server, username: str) -> Browser:
    browser = Browser(server)
    assert browser.login(username).status_code == 200
    return browser


def _problem(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    return answer.json()


# ---- login, sessions, CSRF, tokens -------------------------------------------------------------

def test_login_sets_a_hardened_session_cookie(server: Server, engine: Engine):
    browser = Browser(server)
    answer = browser.login("zhang")
    assert answer.status_code == 200
    assert answer.json()["user"]["display_name"] == "张三" and answer.json()["user"]["department_code"] == "ZY"
    cookie = answer.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "path", "max-age"} <= attributes
    assert "samesite=lax" in cookie.lower()
    assert browser.get("/api/register/me").json()["username"] == "zhang"
    with read_session(engine) as s:  # only the SHA-256 of the session id is stored
        stored = set(s.scalars(select(WebSession.token_sha256)))
    assert accounts.token_digest(browser.cookie or "") in stored and browser.cookie not in stored


def test_a_form_login_goes_to_the_register_page(server: Server):
    answer = httpx.post(server.url + "/login", data={"username": "zhang", "password": PASSWORD})
    assert answer.status_code == 303 and answer.headers["location"] == "/register"
    assert COOKIE in answer.cookies


def test_unknown_user_and_wrong_password_are_told_the_same(server: Server):
    unknown = _problem(Browser(server).login("nobody"), 401)
    wrong = _problem(Browser(server).login("u1", "Falsch-2025!xx"), 401)
    assert unknown["detail"] == wrong["detail"] == "用户名或密码错误"
    assert unknown["title"] == wrong["title"] and unknown["type"] == wrong["type"]


def test_repeated_failures_lock_the_account(server: Server):
    browser = Browser(server)
    for _ in range(2):
        _problem(browser.login("u2", "Falsch-2025!xx"), 401)
    locked = browser.login("u2", "Falsch-2025!xx")
    body = _problem(locked, 429)
    assert "锁定" in body["detail"] and int(locked.headers["retry-after"]) > 0
    assert _problem(browser.login("u2"), 429)["detail"] == body["detail"]  # even the right password


def test_a_login_posted_from_another_site_is_refused(server: Server):
    body = _problem(Browser(server).login("zhang", Origin="http://evil.example"), 403)
    assert "其他网站" in body["detail"]


def test_changes_need_the_session_csrf_token(server: Server):
    browser = logged_in(server, "u3")
    for headers in ({}, {"X-CSRF-Token": "0" * 64}):
        body = _problem(browser.post("/logout", headers={"Accept": "application/json", **headers}), 403)
        assert body["type"].endswith(":csrf") and "CSRF" in body["detail"]
    other = logged_in(server, "u4")  # another session's token does not do either
    _problem(browser.post("/logout", headers={"Accept": "application/json", "X-CSRF-Token": other.csrf or ""}), 403)
    assert browser.get("/api/register/me").status_code == 200  # still logged in
    answer = browser.post("/logout", headers={"Accept": "application/json", "X-CSRF-Token": browser.csrf or ""})
    assert answer.status_code == 204 and f'{COOKIE}=""' in answer.headers["set-cookie"]
    _problem(browser.get("/api/register/me"), 401)  # the server-side session is gone


def test_a_logout_form_carries_the_token_as_a_field(server: Server):
    browser = logged_in(server, "u5")
    _problem(browser.post("/logout", data={"csrf_token": "x"}), 403)
    answer = browser.post("/logout", data={"csrf_token": browser.csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/register"
    _problem(browser.get("/api/register/cases"), 401)


def test_idle_and_absolute_expiry(server: Server, engine: Engine):
    idle = logged_in(server, "u6")
    old = logged_in(server, "u7")
    fresh = logged_in(server, "u8")

    def move(browser: Browser, **values: Any) -> None:
        with write_session(engine) as s:
            s.execute(update(WebSession).where(WebSession.token_sha256 == accounts.token_digest(browser.cookie or ""))
                      .values(**values))

    now = utcnow()
    with write_session(engine) as s:  # accounts made long ago (a session older than the password is void)
        s.execute(update(User).values(password_changed_at=now - timedelta(days=2)))
    move(idle, last_seen_at=now - timedelta(minutes=31))  # default idle limit: 30 minutes
    move(old, created_at=now - timedelta(hours=12, minutes=1), last_seen_at=now)  # default lifetime: 12 hours
    move(fresh, created_at=now - timedelta(hours=11), last_seen_at=now - timedelta(minutes=29))
    _problem(idle.get("/api/register/me"), 401)
    _problem(old.get("/api/register/me"), 401)
    assert fresh.get("/api/register/me").status_code == 200
    with read_session(engine) as s:  # a request moves the idle expiry on
        seen = s.scalar(select(WebSession.last_seen_at).where(
            WebSession.token_sha256 == accounts.token_digest(fresh.cookie or "")))
    assert seen is not None and seen >= now - timedelta(seconds=5)


def test_a_password_change_ends_the_sessions(server: Server, engine: Engine):
    browser = logged_in(server, "u9")
    with write_session(engine) as s:
        accounts.set_password(s, "u9", "Neues-Passwort-2026!", actor="管理员", now=utcnow() + timedelta(seconds=1))
    _problem(browser.get("/api/register/me"), 401)


def test_api_tokens_need_no_csrf(server: Server, seed: Seed):
    auth = {"Authorization": f"Bearer {seed.token}"}
    answer = httpx.get(server.url + "/api/register/cases", headers=auth)
    assert answer.status_code == 200 and {c["id"] for c in answer.json()["items"]} == {seed.cases["nn"]}
    assert httpx.get(server.url + "/api/register/me", headers=auth).json()["csrf_token"] is None
    # a POST with the token is not refused for want of a CSRF token (there is no session to log out)
    assert _problem(httpx.post(server.url + "/logout", headers=auth), 400)["detail"].startswith("以 API 令牌")
    bad = _problem(httpx.get(server.url + "/api/register/cases", headers={"Authorization": "Bearer eck_nope"}), 401)
    assert "令牌" in bad["detail"]


@pytest.mark.parametrize("path", ["/api/register/me", "/api/register/cases", "/api/register/deadlines",
                                  "/api/register/calendar.ics", "/api/register/cases/1"])
def test_every_register_route_needs_a_login(server: Server, path: str):
    assert _problem(httpx.get(server.url + path), 401)["title"] == "未登录"
    _problem(httpx.get(server.url + path, headers={"Cookie": f"{COOKIE}=forged"}), 401)


# ---- the 台账, the deadlines board, the calendar ----------------------------------------------------

def _ids(browser: Browser, **params: Any) -> set[int]:
    answer = browser.get("/api/register/cases", **params)
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert page["total"] == len(page["items"])  # fewer than a page
    return {c["id"] for c in page["items"]}


def test_each_user_sees_their_department_and_those_below(server: Server, seed: Seed):
    c = seed.cases
    assert _ids(logged_in(server, "zhang")) == {c["zy_week"], c["zy_month"], c["gz"]}
    assert _ids(logged_in(server, "gan")) == {c["gz"]}
    assert _ids(logged_in(server, "nan")) == {c["nn"]}


def test_the_register_lists_stage_next_deadline_and_overdue(server: Server, seed: Seed):
    rows = {r["id"]: r for r in logged_in(server, "zhang").get("/api/register/cases").json()["items"]}
    week = rows[seed.cases["zy_week"]]
    assert week["current_version"] == 2 and week["stage_label"] and week["department_code"] == "ZY"
    assert week["next_deadline"] == "2025-12-01" and week["overdue"] is True  # the unpaid compensation
    nn = logged_in(server, "nan").get("/api/register/cases").json()["items"][0]
    assert nn["next_deadline"] == "2026-06-30" and nn["overdue"] is True


def test_the_register_filters_and_searches(server: Server, seed: Seed):
    c = seed.cases
    zhang = logged_in(server, "zhang")
    assert _ids(zhang, year=2024) == {c["zy_month"]}
    assert _ids(zhang, year=2025) == {c["zy_week"], c["gz"]}
    assert _ids(zhang, jurisdiction="guangxi") == set()
    assert _ids(zhang, jurisdiction="zhangye", obligor="王建军") == {c["zy_week"], c["zy_month"], c["gz"]}
    assert _ids(zhang, q="甘州环赔") == {c["gz"]}
    assert _ids(zhang, q="甘州区分局") == {c["gz"]}  # the department's name
    assert _ids(zhang, q="100%_") == set()  # LIKE wildcards are taken literally
    stage = zhang.get("/api/register/cases").json()["items"][0]["stage"]
    assert c["zy_week"] in _ids(zhang, stage=stage) and _ids(zhang, stage="no-such-stage") == set()
    assert _ids(logged_in(server, "nan"), q="王建军") == set()  # never another department's case
    body = _problem(zhang.get("/api/register/cases", year="二〇二五"), 422)
    assert body["errors"][0]["path"] == "year"


def test_the_register_comes_a_page_at_a_time(server: Server, seed: Seed):
    zhang = logged_in(server, "zhang")
    whole = zhang.get("/api/register/cases").json()
    assert (whole["total"], whole["offset"], whole["limit"]) == (3, 0, 50)
    first, rest = (zhang.get("/api/register/cases", limit=2, offset=o).json() for o in (0, 2))
    assert (first["total"], len(first["items"]), rest["total"], len(rest["items"])) == (3, 2, 3, 1)
    assert first["items"] + rest["items"] == whole["items"]
    narrowed = zhang.get("/api/register/cases", limit=1, q="甘G环赔").json()
    assert narrowed["total"] == 2 and len(narrowed["items"]) == 1  # filters and search before the page
    assert zhang.get("/api/register/cases", offset=3).json() == {**whole, "offset": 3, "items": []}
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}):
        assert _problem(zhang.get("/api/register/cases", **bad), 422)["errors"][0]["path"] in bad


def test_the_deadlines_board(server: Server, seed: Seed):
    board = logged_in(server, "zhang").get("/api/register/deadlines").json()
    assert board["today"] == "2026-12-06"

    def steps(part: str) -> set[tuple[int, str, str]]:
        return {(i["case_id"], i["step"], i["due"]) for i in board[part]}

    c = seed.cases
    assert steps("overdue") == {(c[k], "PAYMENT", "2025-12-01") for k in ("zy_week", "zy_month", "gz")}
    assert steps("week") == {(c["zy_week"], "EFFECT-ASSESSMENT", "2026-12-09")}
    assert steps("month") == {(c["zy_month"], "EFFECT-ASSESSMENT", "2026-12-25")}
    assert board["week"][0]["days_left"] == 3 and board["week"][0]["status_label"]
    nan = logged_in(server, "nan").get("/api/register/deadlines").json()
    assert {i["case_id"] for part in ("overdue", "week", "month") for i in nan[part]} == {c["nn"]}


def test_the_calendar_feed_holds_the_users_cases(server: Server, seed: Seed):
    answer = logged_in(server, "zhang").get("/api/register/calendar.ics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    events = parse_ics(answer.content)  # CRLF, folding at 75 octets, nesting, UID/DTSTAMP/DTSTART/SUMMARY
    assert "X-WR-CALNAME:张三的办案期限（ecoclaim 案件台账）" in answer.text.replace("\r\n ", "")
    starts = sorted(e["DTSTART;VALUE=DATE"] for e in events)
    assert starts == ["20251201", "20251201", "20251201", "20261209", "20261225", "20270831"]
    assert len({e["UID"] for e in events}) == len(events)
    nan = parse_ics(logged_in(server, "nan").get("/api/register/calendar.ics").content)
    assert [e["DTSTART;VALUE=DATE"] for e in nan] == ["20260630"]


# ---- the case page ---------------------------------------------------------------------------------

def test_the_case_page_shows_versions_documents_reviews_and_audit(server: Server, seed: Seed):
    page = logged_in(server, "zhang").get(f"/api/register/cases/{seed.cases['zy_week']}").json()
    assert page["access"] == "write" and page["case"]["title"] == "王建军非法采砂生态环境损害赔偿案"
    assert [(v["number"], v["author"], v["reason"]) for v in page["versions"]] == [
        (1, "张三", "立案登记"), (2, "李四", "补充损害后果")]
    assert all(v["created_at"] for v in page["versions"])
    assert [(d["title"], d["version"], d["signed_sha256"]) for d in page["documents"]] == [("赔偿协议", 2, None)]
    review = page["reviews"][0]
    assert (review["errors"], review["version"], review["document_id"]) == (1, 2, page["documents"][0]["id"])
    assert review["accepted"][0]["reason"] == "合计含利息，已核对"
    assert [a["action"] for a in page["audit"]] == ["case.create", "version.create", "version.create",
                                                    "document.record", "review.record", "finding.accept"]
    assert {d["step"]: d["due"] for d in page["deadlines"]}["EFFECT-ASSESSMENT"] == "2026-12-09"


def test_a_superior_department_reads_a_lower_ones_case(server: Server, seed: Seed):
    assert logged_in(server, "zhang").get(f"/api/register/cases/{seed.cases['gz']}").json()["access"] == "read"


def test_another_departments_case_is_not_found(server: Server, seed: Seed):
    nan = logged_in(server, "nan")
    hidden = _problem(nan.get(f"/api/register/cases/{seed.cases['zy_week']}"), 404)
    missing = _problem(nan.get("/api/register/cases/999999"), 404)
    assert {k: v for k, v in hidden.items() if k != "instance"} == {k: v for k, v in missing.items() if k != "instance"}
    # the lower department never sees its superior's cases either
    _problem(logged_in(server, "gan").get(f"/api/register/cases/{seed.cases['zy_week']}"), 404)
    token = _problem(httpx.get(f"{server.url}/api/register/cases/{seed.cases['zy_week']}",
                               headers={"Authorization": f"Bearer {seed.token}"}), 404)
    assert token["detail"] == missing["detail"]


def test_the_register_page_is_served(server: Server):
    answer = httpx.get(server.url + "/register")
    assert answer.status_code == 200 and '<html lang="zh-CN">' in answer.text and "register.js" in answer.text


# ---- the page in a real browser (Playwright driving Debian's headless chromium, as tests/service/test_web.py) --

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium 未安装（apt-get install chromium）")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


def _log_in(browser, server: Server, username: str):
    context = browser.new_context(locale="zh-CN")  # a fresh profile: its own cookies
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/register")
    page.wait_for_selector("#login:not([hidden])")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#ledger:not([hidden])")
    return context, page, errors


@needs_chromium
def test_two_departments_each_see_their_own_cases_in_a_browser(browser, server: Server, seed: Seed):
    zhang, zpage, zerrors = _log_in(browser, server, "zhang")
    nan, npage, nerrors = _log_in(browser, server, "nan")
    zrows = zpage.locator("#cases tbody tr")
    assert zrows.count() == 3 and "南宁" not in zpage.text_content("#cases")
    assert npage.locator("#cases tbody tr").count() == 1 and "王建军" not in npage.text_content("#cases")
    assert "已逾期" in zpage.text_content("#cases") and "2026-12-09" in zpage.text_content("#board-week")
    assert "张三（张掖市自然资源局 · 起草）" in zpage.text_content("#who")
    assert zpage.text_content("#page-info") == "第 1—3 个，共 3 个案件" and zpage.is_disabled("#page-next")
    zpage.fill("#filters input[name=q]", "甘州环赔")  # searched by the server, from the first page
    zpage.click("#filters button[type=submit]")
    zpage.wait_for_selector("#page-info:has-text('共 1 个')")
    assert zrows.count() == 1 and "q=%E7%94%98" in (zpage.get_attribute("#export", "href") or "")
    zpage.fill("#filters input[name=q]", "")
    zpage.click("#filters button[type=submit]")
    zpage.wait_for_selector("#page-info:has-text('共 3 个')")

    zpage.click(f"#cases a[href='#case={seed.cases['zy_week']}']")
    zpage.wait_for_selector("#case:not([hidden])")
    assert "补充损害后果" in zpage.text_content("#case-versions") and "李四" in zpage.text_content("#case-versions")
    assert "合计含利息" in zpage.text_content("#case-reviews") and "接受审查发现" in zpage.text_content("#case-audit")

    npage.goto(f"{server.url}/register#case={seed.cases['zy_week']}")  # another department's case by URL
    npage.wait_for_selector("#status.error")
    assert "台账中没有这个案件" in npage.text_content("#status") and npage.is_hidden("#case")

    zpage.click("#logout-form button[type=submit]")
    zpage.wait_for_selector("#login:not([hidden])")
    assert not [c for c in zhang.cookies() if c["name"] == "ecoclaim_session"]
    assert zerrors == [] and nerrors == []
    zhang.close()
    nan.close()
