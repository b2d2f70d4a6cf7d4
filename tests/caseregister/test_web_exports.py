"""The export routes over real HTTP (a uvicorn server in a subprocess) on SQLite and PostgreSQL:
each download opens as what it claims to be, and every route that takes a case id answers 404 for
another department's case, exactly as for a case that does not exist."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from caseregister import migrate
from caseregister.engine import make_engine
from tests.service.test_service_server import Server

from .exportseed import Seeded, seed
from .test_web_register import database, logged_in  # noqa: F401  (database: the module's fixture)

PROBLEM = "application/problem+json"
CONVERSION = 300.0


@pytest.fixture(scope="module")
def engine(database: str) -> Iterator[Engine]:  # noqa: F811
    engine = make_engine(database)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def seeded(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    return seed(engine, tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def server(database: str, seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:  # noqa: F811
    env = {"ECOCLAIM_DATABASE_URL": database, "ECOCLAIM_CHECK_WORKERS": "1"}
    with Server(tmp_path_factory.mktemp("web"), env) as srv:
        yield srv


def _not_found(answer) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["detail"] == "台账中没有这个案件，或您无权查看"


def test_another_departments_case_is_not_found_on_every_export_route(server: Server, seeded: Seeded):
    nan = logged_in(server, "nan")
    for case_id in (seeded.zy_case, 999_999):
        for path in ("archive.zip", "publication", "publication.zip"):
            _not_found(nan.get(f"/api/register/cases/{case_id}/{path}"))
        _not_found(nan.post(f"/api/register/cases/{case_id}/publications", headers={"X-CSRF-Token": nan.csrf or ""},
                            json={"item": "agreement", "published_on": "2025-09-01"}))


def test_the_ledger_download_holds_only_the_users_cases(server: Server, seeded: Seeded):
    answer = logged_in(server, "zhang").get("/api/register/export/ledger.xlsx")
    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(answer.content)).active
    assert [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)] == [seeded.zy_case]


def test_reports_download_and_a_wrong_period_is_told_in_chinese(server: Server, seeded: Seeded):
    zhang = logged_in(server, "zhang")
    rhythm = zhang.get("/api/register/reports/rhythm").json()
    assert [r["period"] for r in rhythm] == ["季度", "半年"] and rhythm[0]["basis"] == ["zhangye:12", "zhangye:7"]
    clues = zhang.get("/api/register/reports/clue-list.xlsx", period="2025Q2")
    assert clues.status_code == 200
    assert load_workbook(io.BytesIO(clues.content)).active.cell(6, 5).value == "王建军非法采砂生态环境损害赔偿案"
    report = zhang.get("/api/register/reports/work-report.docx", period="2025H2")
    assert report.status_code == 200 and zipfile.ZipFile(io.BytesIO(report.content)).read("word/document.xml")
    wrong = zhang.get("/api/register/reports/clue-list.xlsx", period="2025年")
    assert wrong.status_code == 422 and "2025Q3" in wrong.json()["detail"]


def test_archive_and_publication_over_http(server: Server, seeded: Seeded):
    nan = logged_in(server, "nan")
    archive = httpx.get(f"{server.url}/api/register/cases/{seeded.nn_case}/archive.zip", headers=nan.headers(),
                        timeout=CONVERSION)  # LibreOffice converts the documents while the request waits
    assert archive.status_code == 200 and archive.headers["content-type"] == "application/zip"
    assert {"卷内目录.docx", "全卷.pdf", "manifest.json"} <= set(zipfile.ZipFile(io.BytesIO(archive.content)).namelist())
    before = nan.get(f"/api/register/cases/{seeded.nn_case}/publication").json()
    assert "生态环境损害赔偿协议" in before["missing"]
    refused = nan.post(f"/api/register/cases/{seeded.nn_case}/publications",
                       json={"item": "agreement", "published_on": "2025-09-01"})
    assert refused.status_code == 403  # a session's change needs its CSRF token
    made = nan.post(f"/api/register/cases/{seeded.nn_case}/publications", headers={"X-CSRF-Token": nan.csrf or ""},
                    json={"item": "agreement", "published_on": "2025-09-01", "url": "https://example.gov.cn/1"})
    assert made.status_code == 201, made.text
    after = nan.get(f"/api/register/cases/{seeded.nn_case}/publication").json()
    assert "生态环境损害赔偿协议" not in after["missing"]
    pack = nan.get(f"/api/register/cases/{seeded.nn_case}/publication.zip")
    assert pack.status_code == 200 and "公开信息表.docx" in zipfile.ZipFile(io.BytesIO(pack.content)).namelist()


def test_a_reader_may_not_record_a_publication(server: Server, seeded: Seeded, engine: Engine):
    from caseregister import accounts
    from caseregister.engine import write_session

    with write_session(engine) as s:
        accounts.add_user(s, "nanread", "南只读", "Shengtai-2025!hz", "reader", "NN", actor="管理员")
    reader = logged_in(server, "nanread")
    answer = reader.post(f"/api/register/cases/{seeded.nn_case}/publications", headers={"X-CSRF-Token": reader.csrf or ""},
                         json={"item": "ruling", "published_on": "2025-11-01"})
    assert answer.status_code == 403 and "只读" in answer.json()["detail"]
