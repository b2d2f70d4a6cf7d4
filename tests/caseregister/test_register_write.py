"""The register's write routes over real HTTP (a uvicorn server in a subprocess) on SQLite and on a real
PostgreSQL: creating a case from case data (errors with field paths), saving versions with optimistic
locking (a stale base is 409 with the diff, nothing overwritten), generating documents from a stored
version, signed copies, reviews with the real checker and accepted findings, approval by a 负责人, the
roles (a wrong role is a Chinese 403), CSRF, the audit log of every step, the per-user calendar
subscription — and, for EVERY route of the app that takes a case id, 404 for another department's case
(the routes are enumerated from the app itself, so a new route cannot forget it)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from caseregister import accounts, integrity
from caseregister.engine import read_session, write_session
from caseregister.models import AuditEntry, CalendarFeed, StoredFile
from service.app import create_app
from service.settings import Settings
from tests.procedure.test_timeline_cli import parse_ics
from tests.service.test_service_server import Server

from .test_web_register import ZHANGYE, Browser, _problem, database, engine, zhangye_variant

__all__ = ["database", "engine"]  # module-scoped fixtures shared with test_web_register

PASSWORD = "Shengtai-2025!hz"
CASES = "/api/register/cases"
#: a draft agreement with findings the checker reports (no parties' details, no clauses)
FLAWED = "生态环境损害赔偿协议\n甲方：某市生态环境局\n乙方：某公司\n违约责任：按日支付违约金。\n"
USERS = [("zdraft", "张起草", "drafter", "ZY"), ("zrev", "王审查", "reviewer", "ZY"), ("zhead", "赵局长", "head", "ZY"),
         ("zread", "钱只读", "reader", "ZY"), ("zadmin", "孙管理", "admin", "ZY"), ("gdraft", "甘起草", "drafter", "GZ"),
         ("ndraft", "南起草", "drafter", "NN"), ("cal", "周日历", "reader", "ZY")]


class Seed:
    def __init__(self) -> None:
        self.token = ""  # ndraft's API token
        self.zdraft_token = ""


@pytest.fixture(scope="module")
def seed(engine: Engine) -> Seed:
    seed = Seed()
    with write_session(engine) as s:
        accounts.add_department(s, "张掖市自然资源局", "ZY", actor="管理员")
        accounts.add_department(s, "甘州区分局", "GZ", parent="ZY", actor="管理员")
        accounts.add_department(s, "南宁市生态环境局", "NN", actor="管理员")
        for username, name, role, dept in USERS:
            accounts.add_user(s, username, name, PASSWORD, role, dept, actor="管理员")
        _row, seed.token = accounts.issue_token(s, "ndraft", "脚本", actor="管理员")
        _row, seed.zdraft_token = accounts.issue_token(s, "zdraft", "脚本", actor="管理员")
    return seed


def register_server(database: str, folder: Path) -> Iterator[Server]:
    """A server on the module's database, with one check worker (reviews run the real checker)."""
    with Server(folder, {"ECOCLAIM_DATABASE_URL": database, "ECOCLAIM_CHECK_WORKERS": "1"}) as srv:
        yield srv


@pytest.fixture(scope="module")
def server(database: str, seed: Seed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from register_server(database, tmp_path_factory.mktemp("write"))


class Client(Browser):
    """A logged-in browser session that sends its CSRF token with every change."""

    def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = self.headers({"Accept": "application/json", "X-CSRF-Token": self.csrf or ""})
        return httpx.request(method, self.url + path, headers=headers, timeout=120, **kwargs)


def client(server: Server, username: str) -> Client:
    c = Client(server)
    assert c.login(username).status_code == 200
    return c


def new_case(c: Client, number: str, assessment: str = "2027-08-31") -> int:
    answer = c.send("POST", CASES, json={"text": zhangye_variant(number, assessment), "reason": "立案登记"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["version"] == 1 and body["new_case"] is True
    return int(body["case_id"])


def audit_actions(engine: Engine, case_id: int) -> list[str]:
    with read_session(engine) as s:
        return list(s.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)))


# ---- case data ---------------------------------------------------------------------------------

def test_a_drafter_creates_a_case_in_their_department(server: Server, seed: Seed):
    zdraft = client(server, "zdraft")
    case_id = new_case(zdraft, "甘G环赔〔2026〕1号")
    page = zdraft.get(f"{CASES}/{case_id}").json()
    assert page["case"]["department_code"] == "ZY" and page["permissions"] == ["edit", "generate"]
    assert [(v["number"], v["author"], v["reason"]) for v in page["versions"]] == [(1, "张起草（zdraft）", "立案登记")]
    assert any(f["form"] == "agreement" and f["title"] for f in page["forms"])
    # the other department's drafter does not see it; their own case goes to their department
    ndraft = client(server, "ndraft")
    _problem(ndraft.get(f"{CASES}/{case_id}"), 404)
    other = new_case(ndraft, "甘G环赔〔2026〕1号")  # the same 立案号 in another department is another case
    assert ndraft.get(f"{CASES}/{other}").json()["case"]["department_code"] == "NN"
    body = _problem(zdraft.send("POST", CASES, json={"text": zhangye_variant("甘G环赔〔2026〕1号", "2027-08-31"),
                                                     "reason": "重复"}), 409)
    assert "已有立案号为甘G环赔〔2026〕1号的案件" in body["detail"]


def test_invalid_case_data_is_refused_with_field_paths_in_chinese(server: Server):
    zdraft = client(server, "zdraft")
    bad = ZHANGYE.replace("jurisdiction: zhangye", "jurisdiction: atlantis")
    body = _problem(zdraft.send("POST", CASES, json={"text": bad, "reason": "新建"}), 422)
    assert body["type"].endswith(":invalid-case") and "处错误" in body["detail"]
    item = next(e for e in body["errors"] if e["path"] == "jurisdiction")
    assert item["line"] and re.search(r"[\u4e00-\u9fff]", item["message"])
    as_object = _problem(zdraft.send("POST", CASES, json={"data": {"case_name": "某案"}, "reason": "新建"}), 422)
    assert {e["path"] for e in as_object["errors"]} >= {"jurisdiction"}
    both = _problem(zdraft.send("POST", CASES, json={"text": ZHANGYE, "data": {}, "reason": "新建"}), 422)
    assert "之一" in both["detail"]
    no_reason = _problem(zdraft.send("POST", CASES, json={"text": ZHANGYE}), 422)
    assert no_reason["errors"][0]["path"] == "reason"
    broken = _problem(zdraft.send("POST", CASES, json={"text": "case_name: [未闭合", "reason": "新建"}), 422)
    assert broken["errors"] and "Traceback" not in broken["detail"]


def test_a_stale_save_is_409_with_the_diff_and_overwrites_nothing(server: Server, engine: Engine):
    a, b = client(server, "zdraft"), client(server, "zdraft")
    case_id = new_case(a, "甘G环赔〔2026〕2号")
    first = zhangye_variant("甘G环赔〔2026〕2号", "2027-08-31", "非法采砂破坏河道及湿地生态")
    saved = a.send("POST", f"{CASES}/{case_id}/versions", json={"text": first, "base": 1, "reason": "补充后果"})
    assert saved.status_code == 201 and saved.json()["version"] == 2
    second = zhangye_variant("甘G环赔〔2026〕2号", "2027-09-30")
    stale = _problem(b.send("POST", f"{CASES}/{case_id}/versions", json={"text": second, "base": 1,
                                                                         "reason": "改评估期限"}), 409)
    assert (stale["base"], stale["current"]) == (1, 2) and "未保存" in stale["detail"]
    assert [c["path"] for c in stale["diff"]["changes"]] == ["cause"]
    assert "+cause: 非法采砂破坏河道及湿地生态" in stale["diff"]["text_diff"]
    assert b.get(f"{CASES}/{case_id}/versions/2").json()["text"] == first  # nothing overwritten
    again = b.send("POST", f"{CASES}/{case_id}/versions", json={"text": first, "base": 2, "reason": "同上"})
    assert again.status_code == 200 and again.json() == {"case_id": case_id, "version": 2, "created": False,
                                                         "new_case": False}
    diff = b.get(f"{CASES}/{case_id}/diff", old=1, new=2).json()
    assert diff["changes"][0] == {"path": "cause", "kind": "changed", "old": "非法采砂破坏河道生态",
                                  "new": "非法采砂破坏河道及湿地生态"}
    _problem(b.get(f"{CASES}/{case_id}/diff", old=1, new=9), 404)
    _problem(b.get(f"{CASES}/{case_id}/versions/9"), 404)
    missing_base = _problem(b.send("POST", f"{CASES}/{case_id}/versions", json={"text": second, "base": 7,
                                                                                "reason": "x"}), 422)
    assert missing_base["errors"][0]["path"] == "base"
    assert audit_actions(engine, case_id) == ["case.create", "version.create", "version.create"]
    assert integrity.problems(engine) == []


def test_machine_clients_write_with_their_api_token_and_no_csrf(server: Server, seed: Seed):
    auth = {"Authorization": f"Bearer {seed.zdraft_token}"}
    answer = httpx.post(server.url + CASES, headers=auth,
                        json={"text": zhangye_variant("甘G环赔〔2026〕3号", "2027-08-31"), "reason": "脚本导入"})
    assert answer.status_code == 201, answer.text


def test_changes_by_a_cookie_session_need_the_csrf_token(server: Server):
    zdraft = client(server, "zdraft")
    body = _problem(zdraft.post(CASES, json={"text": ZHANGYE, "reason": "新建"},
                                headers={"Accept": "application/json"}), 403)
    assert "CSRF" in body["detail"]


# ---- roles -----------------------------------------------------------------------------------------

def test_each_role_does_only_its_own_part(server: Server):
    zdraft = client(server, "zdraft")
    case_id = new_case(zdraft, "甘G环赔〔2026〕4号")
    text = zhangye_variant("甘G环赔〔2026〕4号", "2027-09-30")
    save = {"text": text, "base": 1, "reason": "改"}
    for username in ("zrev", "zhead", "zread", "zadmin"):
        c = client(server, username)
        body = _problem(c.send("POST", f"{CASES}/{case_id}/versions", json=save), 403)
        assert body["detail"].endswith("不能新建案件或保存案件数据的新版本：需要起草角色"), body["detail"]
        _problem(c.send("POST", CASES, json={"text": text, "reason": "新建"}), 403)
    zrev = client(server, "zrev")
    assert _problem(
        zdraft.send("POST", f"{CASES}/{case_id}/versions/1/approve"), 403)["detail"] == "您的角色（起草）不能审批案件数据：需要负责人角色"
    assert "需要审查角色" in _problem(zdraft.send("POST", f"{CASES}/{case_id}/reviews",
                                              files={"file": ("a.md", FLAWED.encode())}), 403)["detail"]
    assert "需要起草角色" in _problem(zrev.send("POST", f"{CASES}/{case_id}/documents", json={}), 403)["detail"]
    assert zrev.get(f"{CASES}/{case_id}").json()["permissions"] == ["review"]
    assert client(server, "zread").get(f"{CASES}/{case_id}").json()["permissions"] == []


def test_a_superior_department_reads_a_lower_ones_case_but_cannot_change_it(server: Server):
    gdraft = client(server, "gdraft")
    case_id = new_case(gdraft, "甘州环赔〔2026〕1号")
    zdraft = client(server, "zdraft")
    page = zdraft.get(f"{CASES}/{case_id}").json()
    assert page["access"] == "read" and page["permissions"] == []
    body = _problem(zdraft.send("POST", f"{CASES}/{case_id}/versions",
                                json={"text": ZHANGYE, "base": 1, "reason": "改"}), 403)
    assert "下级部门" in body["detail"]


# ---- documents, reviews, approval: the whole path, audited ------------------------------------------

def test_generate_sign_review_accept_and_approve(server: Server, engine: Engine):
    zdraft, zrev, zhead = client(server, "zdraft"), client(server, "zrev"), client(server, "zhead")
    case_id = new_case(zdraft, "甘G环赔〔2026〕5号")
    generated = zdraft.send("POST", f"{CASES}/{case_id}/documents", json={"forms": ["agreement"], "format": "docx"})
    assert generated.status_code == 201, generated.text
    [doc] = generated.json()
    assert (doc["form"], doc["format"], doc["version"], doc["author"]) == ("agreement", "docx", 1, "张起草（zdraft）")
    file = zrev.get(f"{CASES}/{case_id}/documents/{doc['id']}/file")
    assert file.status_code == 200 and hashlib.sha256(file.content).hexdigest() == doc["sha256"]
    assert "filename*=UTF-8''" in file.headers["content-disposition"]
    unknown = _problem(zdraft.send("POST", f"{CASES}/{case_id}/documents", json={"forms": ["nonsense"]}), 422)
    assert unknown["errors"][0]["path"] == "forms"

    signed = zdraft.send("POST", f"{CASES}/{case_id}/documents/{doc['id']}/signed",
                         files={"file": ("签署件.pdf", b"%PDF-1.4 signed copy")})
    assert signed.status_code == 200, signed.text
    assert signed.json()["signed_sha256"] == hashlib.sha256(b"%PDF-1.4 signed copy").hexdigest()
    assert zrev.get(f"{CASES}/{case_id}/documents/{doc['id']}/signed").content == b"%PDF-1.4 signed copy"

    reviewed = zrev.send("POST", f"{CASES}/{case_id}/documents/{doc['id']}/review")
    assert reviewed.status_code == 201, reviewed.text
    review = reviewed.json()
    assert (review["document_id"], review["version"], review["doc_type"]) == (doc["id"], 1, "agreement")
    assert review["errors"] == 0  # the generated agreement passes the checker
    uploaded = zrev.send("POST", f"{CASES}/{case_id}/reviews", data={"type": "agreement"},
                         files={"file": ("协议草稿.md", FLAWED.encode())})
    assert uploaded.status_code == 201, uploaded.text
    draft = uploaded.json()
    assert draft["errors"] > 0 and draft["document_id"] is None and draft["findings"][0]["rule"]
    accept = f"{CASES}/{case_id}/reviews/{draft['id']}/findings/0/accept"
    accepted = zrev.send("POST", accept, json={"reason": "草稿另有附件载明"})
    assert accepted.status_code == 201 and accepted.json()["rule"] == draft["findings"][0]["rule"]
    assert _problem(zrev.send("POST", accept, json={"reason": "再次"}), 409)["detail"].endswith("已被接受")
    _problem(zrev.send("POST", f"{CASES}/{case_id}/reviews/{draft['id']}/findings/999/accept",
                       json={"reason": "x"}), 404)
    _problem(zrev.send("POST", accept.replace("/0/", "/1/"), json={"reason": ""}), 422)
    unreadable = _problem(zrev.send("POST", f"{CASES}/{case_id}/reviews", files={"file": ("x.docx", b"not a docx")}),
                          422)
    assert unreadable["errors"][0]["path"] == "file"
    reviewed_file = client(server, "zread").get(f"{CASES}/{case_id}/reviews/{draft['id']}/file")
    assert reviewed_file.status_code == 200 and reviewed_file.content == FLAWED.encode()
    assert reviewed_file.headers["content-disposition"] == \
        "attachment; filename=\"download.md\"; filename*=UTF-8''%E5%8D%8F%E8%AE%AE%E8%8D%89%E7%A8%BF.md"
    assert reviewed_file.headers["content-type"] == "application/octet-stream"
    assert zrev.get(f"{CASES}/{case_id}/reviews/{review['id']}/file").content == file.content  # the generated one
    other_case = new_case(zdraft, "甘G环赔〔2026〕15号")  # a review id of another case of the department: 404
    assert _problem(zrev.get(f"{CASES}/{other_case}/reviews/{draft['id']}/file"), 404)["detail"] == "此案件没有这条审查记录"

    text = zhangye_variant("甘G环赔〔2026〕5号", "2027-08-31", "非法采砂破坏河道及湿地生态")
    assert zdraft.send("POST", f"{CASES}/{case_id}/versions",
                       json={"text": text, "base": 1, "reason": "补充"}).status_code == 201
    old = _problem(zhead.send("POST", f"{CASES}/{case_id}/versions/1/approve", json={"comment": "同意"}), 409)
    assert old["current"] == 2 and old["diff"]["changes"][0]["path"] == "cause" and "未审批" in old["detail"]
    approved = zhead.send("POST", f"{CASES}/{case_id}/versions/2/approve", json={"comment": "同意"})
    assert approved.status_code == 201 and approved.json()["author"] == "赵局长（zhead）"
    assert "已由赵局长（zhead）审批" in _problem(zhead.send("POST", f"{CASES}/{case_id}/versions/2/approve"), 409)["detail"]

    page = zrev.get(f"{CASES}/{case_id}").json()
    assert [(a["version"], a["comment"]) for a in page["approvals"]] == [(2, "同意")]
    assert page["documents"][0]["signed_name"] == "签署件.pdf"
    assert [r["accepted"][0]["reason"] for r in page["reviews"] if r["accepted"]] == ["草稿另有附件载明"]
    assert audit_actions(engine, case_id) == ["case.create", "version.create", "document.record", "document.signed",
                                              "review.record", "review.record", "finding.accept", "version.create",
                                              "version.approve"]
    with read_session(engine) as s:  # the files are kept once per content
        stored = set(s.scalars(select(StoredFile.sha256)))
    assert {doc["sha256"], signed.json()["signed_sha256"], hashlib.sha256(FLAWED.encode()).hexdigest()} <= stored
    assert integrity.problems(engine) == []


# ---- another department's case: 404 on every route that takes a case id --------------------------

def case_routes() -> list[tuple[str, str]]:
    """(method, path) of every route of the app whose path takes a case id."""
    paths = create_app(Settings(token=None)).openapi()["paths"]
    return sorted((method.upper(), path) for path, item in paths.items() if "{case_id}" in path
                  for method in item if method in ("get", "post", "put", "patch", "delete"))


def test_the_enumeration_finds_the_case_routes():
    found = case_routes()
    assert {("GET", "/api/register/cases/{case_id}"), ("POST", "/api/register/cases/{case_id}/versions"),
            ("POST", "/api/register/cases/{case_id}/versions/{number}/approve"),
            ("POST", "/api/register/cases/{case_id}/reviews/{review_id}/findings/{index}/accept"),
            ("GET", "/api/register/cases/{case_id}/reviews/{review_id}/file")} <= set(found)
    assert len(found) >= 12


def _fill(path: str, case_id: int) -> str:
    return re.sub(r"\{[a-z_]+\}", "1", path.replace("{case_id}", str(case_id)))


def test_every_route_with_a_case_id_hides_another_departments_case(server: Server, seed: Seed):
    zy_case = new_case(client(server, "zdraft"), "甘G环赔〔2026〕6号")
    nn_case = new_case(client(server, "ndraft"), "南环赔〔2026〕6号")
    outsiders = [(client(server, "ndraft"), zy_case), (client(server, "gdraft"), zy_case),
                 (client(server, "zhead"), nn_case)]
    missing = _problem(client(server, "ndraft").get(f"{CASES}/999999"), 404)
    checked = 0
    for method, path in case_routes():
        for outsider, case_id in outsiders:
            answer = outsider.send(method, _fill(path, case_id))
            body = _problem(answer, 404)
            assert (body["title"], body["detail"]) == (missing["title"], missing["detail"]), (method, path)
            checked += 1
        token = httpx.request(method, server.url + _fill(path, zy_case),
                              headers={"Authorization": f"Bearer {seed.token}"})
        assert _problem(token, 404)["detail"] == missing["detail"], (method, path)
    assert checked == 3 * len(case_routes())


# ---- the calendar subscription --------------------------------------------------------------------

def test_a_calendar_subscription_url_needs_no_login_and_can_be_revoked(server: Server, engine: Engine):
    cal = client(server, "cal")
    assert cal.get("/api/register/calendar-feed").json() == {"active": False, "created_at": None, "url": None}
    made = cal.send("POST", "/api/register/calendar-feed")
    assert made.status_code == 201
    url = made.json()["url"]
    assert url.startswith(server.url + "/api/register/calendar/ecal_") and url.endswith(".ics")
    state = cal.get("/api/register/calendar-feed").json()
    assert state["active"] is True and state["url"] is None  # shown once only
    feed = httpx.get(url)  # no cookie, no token
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    def events(raw: bytes) -> list[dict[str, str]]:  # DTSTAMP is the second each answer was made
        return [{k: v for k, v in e.items() if k != "DTSTAMP"} for e in parse_ics(raw)]

    assert events(feed.content) == events(cal.get("/api/register/calendar.ics").content)
    token = url.rsplit("/", 1)[-1].removesuffix(".ics")
    with read_session(engine) as s:  # only its hash is kept
        assert s.scalar(select(CalendarFeed.token_sha256).where(CalendarFeed.revoked_at.is_(None))) == \
            accounts.token_digest(token)
    again = cal.send("POST", "/api/register/calendar-feed").json()["url"]
    assert _problem(httpx.get(url), 404)["detail"] == "没有这个日历订阅地址，或它已停用"  # the old one is revoked
    assert httpx.get(again).status_code == 200
    assert cal.send("DELETE", "/api/register/calendar-feed").status_code == 204
    _problem(httpx.get(again), 404)
    _problem(httpx.get(server.url + "/api/register/calendar/ecal_forged.ics"), 404)
    _problem(httpx.post(server.url + "/api/register/calendar-feed"), 401)
    with read_session(engine) as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.actor == "cal").order_by(AuditEntry.id)))
    assert actions[-3:] == ["calendar.create", "calendar.create", "calendar.revoke"]
