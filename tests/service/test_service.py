"""HTTP tests against a real uvicorn server on 127.0.0.1 (see tests/test_service_server.py)."""

from __future__ import annotations

import concurrent.futures
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import yaml

from corpus.forms import checkable_kinds
from tests.concurrency import Peak
from tests.service.test_service_server import EXAMPLES, Server, example

PROBLEM = "application/problem+json"

# A realistic agreement written by hand (not by our templates) with no clause on breach liability.
DEFECTIVE_AGREEMENT = """生态环境损害赔偿协议

赔偿权利人：南宁市生态环境局（统一社会信用代码：11450100007564932G）
法定代表人：黄志明，局长
住所：南宁市青秀区民族大道某号
赔偿义务人：广西桂南冶炼有限公司（统一社会信用代码：91450100MA5KQ3RT2R）
法定代表人：陈国强，董事长
住所：南宁市江南区那马镇工业园某号

一、事实情况
2025年3月2日至3月18日，赔偿义务人在污水处理设施故障期间，将未经处理达标的含镉生产废水经雨水管网排入良凤江支流，造成排污口下游约2.3公里河段底泥镉含量超标，河段水生生物栖息功能受损。
二、相关证据
南宁市江南区生态环境监测站监测报告、现场勘验笔录、询问笔录及广西环科司法鉴定所鉴定意见书。
三、法律依据
《中华人民共和国民法典》第一千二百三十四条、第一千二百三十五条，《生态环境损害赔偿管理规定》。
四、对鉴定意见和修复方案的意见
双方对广西环科司法鉴定所出具的鉴定意见及修复方案均无异议。
五、责任认定
赔偿义务人对上述生态环境损害承担赔偿责任。
六、履行方式和期限
赔偿义务人应于2025年10月31日前支付生态环境损害赔偿金人民币1,286,400.00元（大写：壹佰贰拾捌万陆仟肆佰元整），缴入南宁市本级国库，作为政府非税收入管理。
七、修复目标和方案
将受污染河段底泥镉含量降至农用地土壤污染风险筛选值以下，按修复方案实施底泥清淤和生态修复。
八、修复启动时间和期限
修复工程于2025年11月1日前启动，2026年5月31日前完成。
九、修复效果评估
修复完成后30日内，由赔偿权利人委托第三方机构对修复效果进行评估。
十、争议解决
因履行本协议发生争议的，双方协商解决；协商不成的，任何一方可向南宁市中级人民法院提起诉讼。
十一、不可抗力
因不可抗力不能履行本协议的，根据不可抗力的影响，部分或者全部免除责任，但应及时通知对方。

赔偿权利人（盖章）：南宁市生态环境局          赔偿义务人（盖章）：广西桂南冶炼有限公司
法定代表人（签字）：                          法定代表人（签字）：
签订地点：南宁市
2025年9月10日
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with Server(tmp_path_factory.mktemp("srv")) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: Server):
    with httpx.Client(base_url=server.url + "/api/v1", timeout=120) as c:
        yield c


def yaml_body(prefix: str) -> bytes:
    return example(prefix).read_bytes()


def post_case(client: httpx.Client, path: str, body: bytes | str, kind: str = "application/yaml", **params):
    return client.post(path, content=body, headers={"Content-Type": kind}, params=params)


def assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert problem["status"] == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem["title"] + problem["detail"])
    assert "Traceback" not in response.text
    return problem


# -- reference endpoints ---------------------------------------------------------------------------

def test_health_reports_limits(client: httpx.Client) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["auth"] is False
    assert body["limits"]["max_files"] == 20
    assert body["limits"]["max_file_bytes"] == 20 * 1024 * 1024


def test_forms_lists_eleven_kinds(client: httpx.Client) -> None:
    forms = client.get("/forms").json()
    assert len(forms) == 11 and forms[6]["code"] == "agreement"
    assert [f["code"] for f in forms if f["checkable"]] == list(checkable_kinds())


def test_jurisdictions_with_status_on_a_date(client: httpx.Client) -> None:
    before = {j["key"]: j for j in client.get("/jurisdictions", params={"on": "2026-01-01"}).json()}
    after = {j["key"]: j for j in client.get("/jurisdictions", params={"on": "2026-11-23"}).json()}
    assert {"guangxi", "zhangye", "hengshui", "nantong", "xinzhou"} <= set(after)
    assert before["zhangye"]["sources"][0]["status"] != after["zhangye"]["sources"][0]["status"]
    one = client.get("/jurisdictions/guangxi", params={"on": "2026-11-23"}).json()
    assert one["sources"][0]["status"] == "draft"
    assert any(p["basis"] for p in one["parameters"])
    assert_problem(client.get("/jurisdictions/atlantis"), 404)
    problem = assert_problem(client.get("/jurisdictions", params={"on": "2026-02-30"}), 422)
    assert problem["errors"][0]["path"] == "on"


def test_corpus_unit_by_address_and_search(client: httpx.Client) -> None:
    unit = client.get("/corpus/units/" + quote("guangxi:26(三)", safe="")).json()
    assert unit["address"] == "guangxi:26(三)" and unit["source_status"] == "draft"
    assert "第二十六条" in unit["citation"]
    problem = assert_problem(client.get("/corpus/units/" + quote("guangxi:999", safe="")), 404)
    assert problem["errors"][0]["path"] == "address"
    hits = client.get("/corpus/search", params={"q": "履约保证金"}).json()
    assert any(h["address"] == "guangxi:26(四)" for h in hits)
    assert client.get("/corpus/units", params={"source": "hengshui"}).json()[0]["address"].startswith("hengshui:")


def test_case_schema_is_the_models(client: httpx.Client) -> None:
    from casefile.model import Case

    assert client.get("/schema/case").json() == json.loads(json.dumps(Case.model_json_schema()))


def test_examples(client: httpx.Client) -> None:
    names = [e["name"] for e in client.get("/examples").json()]
    assert names == [p.name for p in EXAMPLES]
    assert client.get("/examples/" + names[0]).text == EXAMPLES[0].read_text("utf-8")
    assert_problem(client.get("/examples/nope.yaml"), 404)


def test_rules_and_one_rule_with_law_text(client: httpx.Client) -> None:
    rules = client.get("/rules").json()
    codes = {r["code"] for r in rules}
    assert "AGR-BREACH" in codes
    rule = client.get("/rules/AGR-BREACH").json()
    assert rule["element"] == "agreement.breach"
    assert rule["law"] and "违约" in "".join(u["text"] for u in rule["law"])
    assert_problem(client.get("/rules/NO-SUCH"), 404)


# -- validation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_validate_examples_yaml_and_json(client: httpx.Client, path: Path) -> None:
    result = post_case(client, "/validate", path.read_bytes()).json()
    assert result["valid"], result["problems"]
    assert result["summary"][0]["label"] == "案件名称"
    from service.examples import example_json

    as_json = json.dumps(example_json(path.name), ensure_ascii=False).encode()
    assert post_case(client, "/validate", as_json, "application/json").json()["valid"]
    # without a usable content type the content decides
    assert post_case(client, "/validate", as_json, "text/plain").json()["valid"]


def test_validate_reports_path_and_line(client: httpx.Client) -> None:
    text = yaml_body("guangxi-cadmium").decode().replace("uscc: 91450100MA5KQ3RT2R", "uscc: 91450100MA5KQ3RT2X")
    result = post_case(client, "/validate", text.encode()).json()
    assert not result["valid"]
    [problem] = [p for p in result["problems"] if p["path"] == "obligors[0].uscc"]
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "MA5KQ3RT2X" in row)
    assert problem["line"] == line and problem["severity"] == "error"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem["message"])


def test_validate_bad_input_is_a_clear_problem_never_500(client: httpx.Client) -> None:
    broken = post_case(client, "/validate", b"case_name: [unclosed\n")
    assert broken.status_code == 200 and broken.json()["problems"][0]["line"]
    assert not post_case(client, "/validate", b"").json()["valid"]
    assert not post_case(client, "/validate", b"\xff\xfe\x00garbage").json()["valid"]
    assert not post_case(client, "/validate", b"!!python/object/apply:os.system ['true']").json()["valid"]
    assert not post_case(client, "/validate", b"[1, 2]", "application/json").json()["valid"]
    problem = assert_problem(post_case(client, "/validate", b"x", "image/png"), 415)
    assert problem["errors"][0]["path"] == "Content-Type"


def test_unknown_route_and_method_are_problems(client: httpx.Client) -> None:
    assert_problem(client.get("/nope"), 404)
    assert_problem(client.get("/validate"), 405)


def test_generate_rejects_an_invalid_case_with_every_error(client: httpx.Client) -> None:
    text = yaml_body("guangxi-cadmium").decode().replace("uscc: 91450100MA5KQ3RT2R", "uscc: 123")
    problem = assert_problem(post_case(client, "/generate", text.encode(), form="agreement", format="md"), 422)
    assert problem["type"].endswith("invalid-case")
    assert problem["errors"][0]["path"] == "obligors[0].uscc" and problem["errors"][0]["line"]
    bad = assert_problem(post_case(client, "/generate", yaml_body("guangxi-cadmium"), form="nope"), 422)
    assert bad["errors"][0]["path"] == "form"
    bad = assert_problem(post_case(client, "/generate", yaml_body("guangxi-cadmium"), form="agreement", format="exe"), 422)
    assert bad["errors"][0]["path"] == "format"


# -- limits ----------------------------------------------------------------------------------------

def test_case_body_size_limit(client: httpx.Client) -> None:
    big = b"# " + b"x" * (2 * 1024 * 1024) + b"\n"
    problem = assert_problem(post_case(client, "/validate", big), 413)
    assert "2 MB" in problem["detail"]

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(300):
            yield b"#" * 10_000 + b"\n"

    assert_problem(client.post("/validate", content=chunks(), headers={"Content-Type": "application/yaml"}), 413)


def test_upload_limits(client: httpx.Client) -> None:
    files = [("files", (f"{i}.txt", b"x", "text/plain")) for i in range(21)]
    problem = assert_problem(client.post("/check", files=files), 413)
    assert "20" in problem["detail"]
    huge = [("files", ("big.txt", b"a" * (51 * 1024 * 1024), "text/plain"))]
    assert_problem(client.post("/check", files=huge), 413)
    assert_problem(client.post("/check", files=[]), 422)
    assert_problem(client.post("/check", content=b"not multipart", headers={"Content-Type": "text/plain"}), 422)


# -- generation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,magic", [("docx", b"PK"), ("html", b"<"), ("md", b"")])
def test_generate_one_form(client: httpx.Client, fmt: str, magic: bytes) -> None:
    response = post_case(client, "/generate", yaml_body("guangxi-cadmium"), form="agreement", format=fmt)
    assert response.status_code == 200, response.text
    assert response.content.lstrip().startswith(magic)
    assert "attachment" in response.headers["content-disposition"]
    if fmt != "docx":
        assert "广西桂南冶炼有限公司" in response.text


def test_generate_pdf_through_the_pool(client: httpx.Client) -> None:
    response = post_case(client, "/generate", yaml_body("guangxi-cadmium"), form="agreement", format="pdf")
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"%PDF")


def test_dossier_zip_with_manifest(client: httpx.Client) -> None:
    response = post_case(client, "/dossier", yaml_body("zhangye"), format="md")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        names = z.namelist()
        manifest = json.loads(z.read(next(n for n in names if n.endswith("manifest.json"))))
    assert len([n for n in names if n.endswith(".md")]) >= 5
    assert "manifest" in json.dumps(manifest) or manifest
    chosen = post_case(client, "/dossier", yaml_body("zhangye"), format="md", forms=["agreement", "enforcement"])
    with zipfile.ZipFile(io.BytesIO(chosen.content)) as z:
        assert len([n for n in z.namelist() if n.endswith(".md")]) == 2


# -- timeline --------------------------------------------------------------------------------------

def test_timeline_json_and_ics(client: httpx.Client) -> None:
    tl = post_case(client, "/timeline", yaml_body("guangxi-cadmium"), on="2026-11-23").json()
    assert tl["jurisdiction"] == "guangxi" and tl["steps"]
    ics = post_case(client, "/timeline", yaml_body("guangxi-cadmium"), on="2025-06-01", format="ics")
    assert ics.status_code == 200, ics.text
    assert ics.text.startswith("BEGIN:VCALENDAR")
    assert ics.headers["content-type"].startswith("text/calendar")


def test_stage(client: httpx.Client) -> None:
    stage = post_case(client, "/stage", yaml_body("zhangye")).json()
    assert len(stage["forms"]) == 11
    assert all(f["reason"] for f in stage["forms"] if not f["allowed"])


# -- checking --------------------------------------------------------------------------------------

def test_check_finds_the_missing_breach_clause(client: httpx.Client) -> None:
    files = [("files", ("协议.txt", DEFECTIVE_AGREEMENT.encode(), "text/plain"))]
    result = client.post("/check", files=files, params={"include_text": "true"}).json()
    [report] = result["reports"]
    assert report["file"] == "协议.txt" and report["doc_type"] == "agreement"
    [breach] = [f for f in report["findings"] if f["element"] == "agreement.breach"]
    assert breach["severity"] == "error" and breach["basis"] and breach["suggestion"]
    assert report["text"] and result["summary"]["errors"] >= 1


def test_check_many_files_and_unreadable_ones(client: httpx.Client) -> None:
    files = [("files", ("a.txt", DEFECTIVE_AGREEMENT.encode(), "text/plain")),
             ("files", ("b.txt", DEFECTIVE_AGREEMENT.encode("gb18030"), "text/plain")),
             ("files", ("empty.txt", b"   ", "text/plain"))]
    result = client.post("/check", files=files).json()
    assert [r["file"] for r in result["reports"]] == ["a.txt", "b.txt", "empty.txt"]
    assert result["reports"][2]["error"] and result["summary"]["unreadable"] == 1
    garbage = [("files", ("x.docx", b"PK\x03\x04garbage", "application/octet-stream"))]
    problem = assert_problem(client.post("/check", files=garbage), 422)
    assert problem["errors"][0]["path"] == "files[0]"


@pytest.mark.parametrize("fmt", ["sarif", "html"])
def test_check_reports_list_the_unreadable_and_skipped_files(client: httpx.Client, fmt: str) -> None:
    """One unreadable file no longer sinks the SARIF or HTML report of the others (UX review §2.4, §4)."""
    files = [("files", ("协议.txt", DEFECTIVE_AGREEMENT.encode(), "text/plain")),
             ("files", ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "application/msword")),
             ("files", ("通知.txt", "关于召开年度工作会议的通知\n请各科室准时参加。\n".encode(), "text/plain"))]
    response = client.post("/check", files=files, params={"format": fmt})
    assert response.status_code == 200, response.text
    if fmt == "sarif":
        run = response.json()["runs"][0]
        notes = run["invocations"][0]["toolExecutionNotifications"]
        said = {(n["level"], n["message"]["text"].split("：")[0]) for n in notes}
        assert {("error", "无法读取"), ("note", "跳过")} <= said, said
        assert any(r["ruleId"] == "AGR-BREACH" for r in run["results"])
    else:
        assert "无法读取" in response.text and "old.doc" in response.text and "跳过" in response.text
    result = client.post("/check", files=files).json()
    assert [(r["error"] is not None, r["skipped"]) for r in result["reports"]] == [(False, False), (True, False), (True, True)]
    assert result["summary"]["unreadable"] == 1 and result["summary"]["skipped"] == 1


def test_validate_returns_the_data_as_read_for_the_form(client: httpx.Client) -> None:
    result = post_case(client, "/validate", yaml_body("zhangye"), include_data="true").json()
    assert result["valid"] and result["data"]["obligors"][0]["id_number"] == "620702197805122135"
    assert post_case(client, "/validate", yaml_body("zhangye")).json()["data"] is None
    broken = post_case(client, "/validate", b"case_name: [", include_data="true").json()
    assert broken["data"] is None and not broken["valid"]


@pytest.mark.parametrize("fmt", ["sarif", "html"])
def test_check_reports(client: httpx.Client, fmt: str) -> None:
    files = [("files", ("协议.txt", DEFECTIVE_AGREEMENT.encode(), "text/plain"))]
    response = client.post("/check", files=files, params={"format": fmt})
    assert response.status_code == 200, response.text
    if fmt == "sarif":
        sarif = response.json()
        assert sarif["version"] == "2.1.0"
        assert any(r["ruleId"] == "AGR-BREACH" for run in sarif["runs"] for r in run["results"])
    else:
        assert "<html" in response.text.lower() and "违约" in response.text


def test_check_returns_the_docx_with_comments(client: httpx.Client) -> None:
    from tests.fixtures.extract.builders import docx, p

    body = p("生态环境损害赔偿协议", "Title") + p("甲方：南宁市生态环境局") + p("乙方：广西某某化工有限公司")
    upload = [("files", ("协议.docx", docx(body), "application/octet-stream"))]
    response = client.post("/check", files=upload, params={"format": "docx"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        comments = zf.read("word/comments.xml").decode("utf-8")
    assert "AGR-BREACH" in comments and "ecoclaim 审查" in comments
    two = [*upload, ("files", ("b.txt", DEFECTIVE_AGREEMENT.encode(), "text/plain"))]
    problem = assert_problem(client.post("/check", files=two, params={"format": "docx"}), 422)
    assert "只能由一份 DOCX 文书生成" in problem["detail"]



def test_check_sets_apart_the_findings_accepted_for_this_version(client: httpx.Client) -> None:
    import hashlib

    data = DEFECTIVE_AGREEMENT.encode()
    files = [("files", ("协议.txt", data, "text/plain"))]
    accepted = json.dumps([{"sha256": hashlib.sha256(data).hexdigest(), "rule": "AGR-BREACH", "reason": "另签补充协议"}])
    report = client.post("/check", files=files, data={"accepted": accepted}).json()["reports"][0]
    assert report["sha256"] == hashlib.sha256(data).hexdigest()
    assert not [f for f in report["findings"] if f["rule"] == "AGR-BREACH"]
    assert report["accepted"] == [{"rule": "AGR-BREACH", "message": report["accepted"][0]["message"],
                                   "reason": "另签补充协议"}]
    assert report["coverage"]["accepted"] == 1
    problem = assert_problem(client.post("/check", files=files, data={"accepted": "[{\"rule\": 1}]"}), 422)
    assert problem["errors"][0]["path"].startswith("accepted")

def test_diff_compares_two_versions(client: httpx.Client) -> None:
    second = DEFECTIVE_AGREEMENT.replace("违约", "违约（已修改）") + "\n乙方于2026年9月30日前完成修复。\n"
    files = {"old": ("第一稿.txt", DEFECTIVE_AGREEMENT.encode(), "text/plain"),
             "new": ("第二稿.txt", second.encode(), "text/plain")}
    result = client.post("/diff", files=files)
    assert result.status_code == 200, result.text
    data = result.json()
    assert data["old"] == "第一稿.txt" and data["text_diff"]
    assert {"what": "date", "change": "added", "value": "2026-09-30"} in [
        {k: v[k] for k in ("what", "change", "value")} for v in data["values"]]
    page = client.post("/diff", files=files, params={"format": "html"})
    assert page.status_code == 200 and "文书版本比较" in page.text
    broken = {"old": ("a.pdf", b"%PDF-1.4 broken", "application/pdf"), "new": files["new"]}
    assert_problem(client.post("/diff", files=broken), 422)

# -- isolation -------------------------------------------------------------------------------------

def _variant(i: int) -> tuple[str, str, bytes]:
    data = yaml.safe_load(yaml_body("guangxi-cadmium"))
    name = f"测试案件第{i}号生态环境损害赔偿案"
    number = f"南环赔〔2025〕{100 + i}号"
    data["case_name"], data["case_number"] = name, number
    return name, number, yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


def test_concurrent_requests_never_see_each_others_data(server: Server) -> None:
    cases = [_variant(i) for i in range(24)]

    def one(item: tuple[str, str, bytes]) -> tuple[str, str, str, str]:
        name, number, body = item
        with httpx.Client(base_url=server.url + "/api/v1", timeout=120) as c:
            summary = post_case(c, "/validate", body).json()["summary"]
            md = post_case(c, "/generate", body, form="claim_start", format="md")
            assert md.status_code == 200, md.text
            return name, number, summary[0]["value"], md.text

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        results = list(pool.map(one, cases))
    for name, number, summary_name, markdown in results:
        assert summary_name == name
        assert number in markdown
        assert not any(n in markdown for _, n, _ in cases if n != number)


def test_docs_and_openapi(server: Server) -> None:
    docs = httpx.get(server.url + "/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert "http://" not in docs.replace('href="/openapi.json"', "") and "https://" not in docs
    assert httpx.get(server.url + "/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    spec = httpx.get(server.url + "/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"Case", "Problem", "ValidationResult", "CheckResult"} <= set(schemas)
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op.get("summary"), (path, method)
            assert any(code.startswith("2") for code in op["responses"]), (path, method)
            content = op.get("requestBody", {}).get("content", {})
            # a case file as the body (/api/v1): examples in both of its formats; the register's bodies are JSON
            if path.startswith("/api/v1") and content and \
                    not {"multipart/form-data", "application/x-www-form-urlencoded"} & set(content):
                assert content["application/json"]["examples"], path
                assert content["application/yaml"]["examples"], path
    # uploaded files are binary strings, so that the docs page offers a file picker (UX review §2.4)
    files = schemas["Body_check_api_v1_check_post"]["properties"]["files"]["items"]
    assert files["format"] == "binary"
    # every $ref resolves
    text = json.dumps(spec)
    import re

    for ref in set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text)):
        assert ref in schemas, ref


# -- bearer token and temporary files (own servers) ------------------------------------------------

def test_bearer_token_required_when_set(tmp_path: Path) -> None:
    with Server(tmp_path, {"ECOCLAIM_TOKEN": "s3cret"}) as srv:
        problem = assert_problem(httpx.get(srv.url + "/api/v1/health"), 401)
        assert "Bearer" in problem["detail"]
        bad = httpx.get(srv.url + "/api/v1/forms", headers={"Authorization": "Bearer wrong"})
        assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
        good = httpx.get(srv.url + "/api/v1/health", headers={"Authorization": "Bearer s3cret"})
        assert good.status_code == 200 and good.json()["auth"] is True
        assert httpx.get(srv.url + "/").status_code == 200  # the page itself asks for the token


def test_request_timeout_is_a_503_problem(tmp_path: Path) -> None:
    with Server(tmp_path, {"ECOCLAIM_REQUEST_TIMEOUT": "0.000001"}) as srv:
        response = httpx.post(srv.url + "/api/v1/validate", content=yaml_body("guangxi-cadmium"),
                              headers={"Content-Type": "application/yaml"})
        problem = assert_problem(response, 503)
        assert problem["type"].endswith("timeout")


def test_no_temporary_files_left_behind(tmp_path: Path) -> None:
    srv = Server(tmp_path)
    with srv:
        with httpx.Client(base_url=srv.url + "/api/v1", timeout=180) as c:
            # > 1 MB uploads are spooled to disk by the multipart parser
            big = (DEFECTIVE_AGREEMENT * 400).encode()
            files = [("files", ("big.txt", big, "text/plain")), ("files", ("small.txt", b"x", "text/plain"))]
            c.post("/check", files=files)
            c.post("/check", files=[("files", ("bad.docx", b"PK\x03\x04" + b"\0" * 2_000_000, "application/zip"))])
            for fmt in ("docx", "pdf"):
                post_case(c, "/generate", yaml_body("guangxi-cadmium"), form="agreement", format=fmt)
            post_case(c, "/dossier", yaml_body("zhangye"), format="docx")
        during = [p for p in srv.tmp.rglob("*") if p.is_file() and "lo-profile" not in str(p)]
        assert during == [], during
    assert list(srv.tmp.iterdir()) == [], list(srv.tmp.rglob("*"))


# -- the conversion pool ---------------------------------------------------------------------------

@pytest.mark.realclock
def test_pool_bounds_concurrency_and_refuses_when_the_queue_is_full(tmp_path: Path) -> None:
    import threading
    import time

    from service.pool import ConversionPool, PoolBusy

    peak, release = Peak(), threading.Event()

    def slow(files, out_dir, *, timeout):
        with peak:
            release.wait(5)
        return list(files)

    pool = ConversionPool(size=1, queue=2, timeout=5, converter=slow)
    threads = [threading.Thread(target=pool.convert, args=([tmp_path / f"{i}.docx"], tmp_path)) for i in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    with pytest.raises(PoolBusy):  # 1 running + 2 waiting: the fourth is refused at once
        pool.convert([tmp_path / "x.docx"], tmp_path)
    release.set()
    for t in threads:
        t.join(5)
    assert peak.most == 1 and pool.admitted == 0
    short = ConversionPool(size=1, queue=1, timeout=0.2, converter=slow)
    release.clear()
    t = threading.Thread(target=short.convert, args=([tmp_path / "a.docx"], tmp_path))
    t.start()
    time.sleep(0.05)
    with pytest.raises(PoolBusy):  # waited longer than the time-out for a slot
        short.convert([tmp_path / "b.docx"], tmp_path)
    release.set()
    t.join(5)


def test_a_server_does_not_outlive_a_killed_test_run(tmp_path):
    """A test run killed outright (a CI timeout) cannot stop its servers: they must end by themselves."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.service.test_service_server import ROOT

    runner = ("import sys, time\n"
              "from pathlib import Path\n"
              "from tests.service.test_service_server import Server\n"
              f"srv = Server(Path({str(tmp_path)!r})).start()\n"
              "print(srv.url, flush=True)\n"
              "time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", runner], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()  # type: ignore[union-attr]
        assert url.startswith("http://127.0.0.1:"), url
        assert httpx.get(url + "/api/v1/health", timeout=5).status_code == 200
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/api/v1/health", timeout=1)
            except httpx.HTTPError:
                return  # the server went with its runner
            time.sleep(0.5)
        pytest.fail("the server kept running after the test run that started it was killed")
    finally:
        if proc.poll() is None:
            proc.kill()


def test_output_formats_are_the_generators_formats() -> None:
    """The API's format enum and media types follow the drafting side's one list of formats."""
    import typing

    from docgen.dossier import FORMATS
    from service.drafting import MEDIA
    from service.models import OutputFormat

    assert typing.get_args(OutputFormat) == tuple(FORMATS)
    assert set(MEDIA) == {*FORMATS, "zip"}
