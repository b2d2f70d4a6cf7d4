"""Series cases over real HTTP (issue 12 §6): the workbook template for a base case, and an 11-row
workbook turned into 11 validated case files in a ZIP with the import result."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
import pytest
from openpyxl import load_workbook

from casefile.validation import validate_file
from tests.service.test_service_server import Server

from ..conftest import ROOT

pytestmark = pytest.mark.slow

SERIES = ROOT / "examples" / "series"
BASE = SERIES / "heihe-sand-mining-base.yaml"
BOOK = SERIES / "heihe-sand-mining-11.xlsx"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    with Server(tmp_path_factory.mktemp("srv")) as srv, \
            httpx.Client(base_url=srv.url + "/api/v1", timeout=120) as c:
        yield c


def test_template_for_a_base_case(client: httpx.Client) -> None:
    response = client.post("/series/template", files={"base": (BASE.name, BASE.read_bytes())})
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    assert "说明" in book.sheetnames
    assert "filename*=UTF-8''" in response.headers["content-disposition"]


def test_import_yields_one_valid_case_file_per_row(client: httpx.Client, tmp_path) -> None:
    response = client.post("/series/import", files={"base": (BASE.name, BASE.read_bytes()),
                                                    "workbook": (BOOK.name, BOOK.read_bytes())})
    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    cases = [n for n in archive.namelist() if n.endswith(".yaml")]
    report = json.loads(archive.read("导入结果.json"))
    assert len(cases) == report["cases"] == 11
    for name in cases:  # each reads back as `ecoclaim validate` reads it
        path = tmp_path / name
        path.write_bytes(archive.read(name))
        case, problems = validate_file(path)
        assert case is not None, [str(p) for p in problems]


def test_a_workbook_whose_rows_all_fail_is_a_located_422(client: httpx.Client) -> None:
    book = load_workbook(BOOK)
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) == 18 and cell.value[:2].isdigit():
                cell.value = cell.value[:-1] + ("0" if cell.value[-1] != "0" else "1")  # break check characters
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post("/series/import", files={"base": (BASE.name, BASE.read_bytes()),
                                                    "workbook": ("坏.xlsx", buffer.getvalue())})
    assert response.status_code == 422 and response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["errors"] and all("第" in e["path"] and "行" in e["path"] for e in body["errors"])
    assert "Traceback" not in response.text


@pytest.mark.parametrize(("field", "name", "status"), [("base", "case.txt", 415), ("workbook", "book.xls", 415)])
def test_wrong_file_types_are_refused(client: httpx.Client, field, name, status) -> None:
    files = {"base": (BASE.name, BASE.read_bytes()), "workbook": (BOOK.name, BOOK.read_bytes())}
    files[field] = (name, b"x")
    response = client.post("/series/import", files=files)
    assert response.status_code == status and "应为" in response.json()["detail"]


def test_import_with_generate_adds_each_case_s_dossier(client: httpx.Client) -> None:
    response = client.post("/series/import", params={"generate": "md"},
                           files={"base": (BASE.name, BASE.read_bytes()), "workbook": (BOOK.name, BOOK.read_bytes())})
    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    report = json.loads(archive.read("导入结果.json"))
    assert report["cases"] == 11 and all(r["dossier"] for r in report["rows"])
    for r in report["rows"]:
        assert any(n.startswith(r["dossier"] + "/") and n.endswith(".md") for n in archive.namelist()), r
    assert client.post("/series/import", params={"generate": "pdf"},
                       files={"base": (BASE.name, BASE.read_bytes()),
                              "workbook": (BOOK.name, BOOK.read_bytes())}).status_code == 422
