"""Admission and isolation of the HTTP service, against a real uvicorn server (no mocks).

A check that overruns its time-out is killed in its worker process; a token, a byte budget, the
PDF queue and the Host/Origin guard refuse requests before their bodies are read or a work thread
is taken. Only orderings and counts are asserted, never durations.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time
from pathlib import Path

import httpx

from tests.service.test_service import DEFECTIVE_AGREEMENT, assert_problem, yaml_body
from tests.service.test_service_server import Server

HOSTILE_LINE = "甲方：某某公司\n统一社会信用代码：91320000MA1XXXXX0X\n乙方：某某环境局\n"


def hostile_text(megabytes: int) -> bytes:
    """A long agreement-like text whose reading and checking take far longer than the test's time-out."""
    line = HOSTILE_LINE.encode()
    return "生态环境损害赔偿协议\n".encode() + line * (megabytes * 1024 * 1024 // len(line))


def check_workers(server: Server) -> set[int]:
    """PIDs of the server's check worker processes (multiprocessing 'spawn' children)."""
    assert server.proc is not None
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == server.proc.pid and b"spawn_main" in cmdline:
            found.add(int(entry.name))
    return found


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def alive(pid: int) -> bool:
    """True while the process exists (a zombie counts as gone only once reaped: /proc/pid vanishes)."""
    return Path(f"/proc/{pid}").exists()


def wait_for(condition, what: str, tries: int = 300) -> None:
    for _ in range(tries):
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def check(client: httpx.Client, name: str, data: bytes) -> httpx.Response:
    return client.post("/check", files=[("files", (name, data, "text/plain"))], params={"type": "agreement"})


# -- item 1: an overrunning check is killed in its process; others are unaffected --------------------

def test_overrunning_check_is_killed_and_others_are_served(tmp_path: Path) -> None:
    env = {"ECOCLAIM_REQUEST_TIMEOUT": "6", "ECOCLAIM_CHECK_WORKERS": "2"}
    with Server(tmp_path, env) as srv, httpx.Client(base_url=srv.url + "/api/v1", timeout=120) as client:
        before = check_workers(srv)
        assert len(before) == 2
        order: list[str] = []
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            hostile = pool.submit(check, httpx.Client(base_url=srv.url + "/api/v1", timeout=120), "大.txt",
                                  hostile_text(16))
            hostile.add_done_callback(lambda _: order.append("hostile"))
            # wait until one worker is busy with it (its CPU time grows)
            busy: list[int] = []

            def one_is_busy() -> bool:
                ticks = {pid: cpu_ticks(pid) for pid in before}
                time.sleep(0.2)
                busy[:] = [pid for pid in before if cpu_ticks(pid) - ticks[pid] >= 5]
                return len(busy) == 1

            wait_for(one_is_busy, "a worker busy with the hostile upload", tries=100)
            for i in range(3):
                normal = check(client, f"协议{i}.txt", DEFECTIVE_AGREEMENT.encode())
                assert normal.status_code == 200, normal.text
                order.append("normal")
            response = hostile.result(60)
        assert order == ["normal", "normal", "normal", "hostile"]
        problem = assert_problem(response, 503)
        assert problem["type"].endswith("timeout") and "处理时间超过上限" in problem["detail"]
        assert not alive(busy[0])  # killed and reaped: no CPU-burning leftover
        wait_for(lambda: len(check_workers(srv)) == 2, "a replacement worker")
        after = check_workers(srv)
        assert busy[0] not in after and len(after & before) == 1
        assert check(client, "协议.txt", DEFECTIVE_AGREEMENT.encode()).status_code == 200
    for pid in before | after:
        assert not alive(pid)  # the pool is shut down with the app


# -- item 2: the token is checked before any body is read ----------------------------------------------

def raw_request(server: Server, head: str, body: bytes = b"") -> bytes:
    """Send a request head (and optionally part of a body) on a raw socket; return the answer's head."""
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def test_token_is_checked_before_the_body_is_read(tmp_path: Path) -> None:
    with Server(tmp_path, {"ECOCLAIM_TOKEN": "s3cret-Token_42"}) as srv:
        # headers announce 40 MB; not one byte of body is sent, yet the answer comes
        head = (f"POST /api/v1/check HTTP/1.1\nHost: 127.0.0.1:{srv.port}\n"
                "Content-Type: multipart/form-data; boundary=x\nContent-Length: 41943040\n")
        answer = raw_request(srv, head)
        assert answer.startswith(b"HTTP/1.1 401") and b"www-authenticate: bearer" in answer.lower()
        # a real 40 MB unauthenticated multipart upload: 401, and nothing spooled under TMPDIR
        before = sorted(p.name for p in srv.tmp.iterdir())
        files = [("files", (f"{i}.txt", b"x" * (2 * 1024 * 1024), "text/plain")) for i in range(20)]
        response = httpx.post(srv.url + "/api/v1/check", files=files, timeout=60)
        problem = assert_problem(response, 401)
        assert "Authorization: Bearer" in problem["detail"] and response.headers["www-authenticate"] == "Bearer"
        assert sorted(p.name for p in srv.tmp.iterdir()) == before
        assert not [p for p in srv.tmp.rglob("*") if p.is_file()]
        # unknown paths and wrong methods under /api do not reveal themselves without the token
        assert_problem(httpx.get(srv.url + "/api/v1/nonexistent"), 401)
        assert_problem(httpx.delete(srv.url + "/api/v1/examples"), 401)
        good = httpx.get(srv.url + "/api/v1/health", headers={"Authorization": "bearer  s3cret-Token_42"})
        assert good.status_code == 200 and good.json()["auth"] is True
        for wrong in ("Bearer s3cret-Token_4", "Bearer s3cret-Token_42x", "Basic s3cret-Token_42", "s3cret-Token_42"):
            assert_problem(httpx.get(srv.url + "/api/v1/health", headers={"Authorization": wrong}), 401)


def test_a_non_ascii_token_works_when_sent_as_utf8(tmp_path: Path) -> None:
    with Server(tmp_path, {"ECOCLAIM_TOKEN": "令牌abc"}) as srv:
        url = srv.url + "/api/v1/health"
        assert httpx.get(url, headers={"Authorization": "Bearer 令牌abc".encode()}).status_code == 200
        assert_problem(httpx.get(url, headers={"Authorization": "Bearer 令牌abd".encode()}), 401)
        # the same characters as latin-1 bytes are a different token
        assert_problem(httpx.get(url, headers={"Authorization": b"Bearer \xe4\xbb\xa4abc"}), 401)


# -- item 4: PDF requests are admitted before they take a work thread ----------------------------------

def test_pdf_queue_refuses_at_once_and_other_endpoints_keep_answering(tmp_path: Path) -> None:
    """Default limits (1 converter + 8 waiting), real LibreOffice: 12 concurrent PDF requests give 3
    immediate 503s, and a validate sent while 9 wait answers before the first PDF is done."""
    body = yaml_body("guangxi-cadmium")
    events: list[str] = []
    lock = threading.Lock()

    def note(event: str) -> None:
        with lock:
            events.append(event)

    with Server(tmp_path) as srv, httpx.Client(base_url=srv.url + "/api/v1", timeout=300) as client:
        limits = client.get("/health").json()["limits"]
        admitted = limits["pdf_converters"] + limits["pdf_queue"]
        assert (limits["pdf_converters"], limits["pdf_queue"]) == (1, 8)  # the defaults

        def pdf(_: int) -> httpx.Response:
            response = client.post("/generate", content=body, headers={"Content-Type": "application/yaml"},
                                   params={"form": "agreement", "format": "pdf"})
            note(f"pdf {response.status_code}")
            return response

        with concurrent.futures.ThreadPoolExecutor(admitted + 3) as pool:
            futures = [pool.submit(pdf, i) for i in range(admitted + 3)]
            wait_for(lambda: events.count("pdf 503") == 3, "three PDF requests refused")
            check = client.post("/validate", content=body, headers={"Content-Type": "application/yaml"})
            note(f"validate {check.status_code}")
            answers = [f.result(300) for f in futures]
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * admitted + [503] * 3, statuses
    for refused in (a for a in answers if a.status_code == 503):
        problem = assert_problem(refused, 503)
        assert problem["type"].endswith("busy") and "队列已满" in problem["detail"]
        assert refused.headers["retry-after"]
    assert events[:4] == ["pdf 503"] * 3 + ["validate 200"], events


# -- item 3: request bodies are admitted against one in-flight byte budget -----------------------------

def test_upload_byte_budget(tmp_path: Path) -> None:
    import socket

    budget = 3 * 1024 * 1024
    with Server(tmp_path, {"ECOCLAIM_UPLOAD_BUDGET_BYTES": str(budget)}) as srv:
        assert httpx.get(srv.url + "/api/v1/health").json()["limits"]["upload_budget_bytes"] == budget
        two_mb = 2 * 1024 * 1024
        head = (f"POST /api/v1/check HTTP/1.1\nHost: 127.0.0.1:{srv.port}\n"
                f"Content-Type: multipart/form-data; boundary=x\nContent-Length: {two_mb}\n")
        held = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
        try:
            # 2 MB declared and only partly sent: admitted, and holding its 2 MB of the budget
            held.sendall(head.replace("\n", "\r\n").encode() + b"\r\n--x\r\n")
            # another 2 MB declared does not fit: 503 before a byte of its body is read
            refused = raw_request(srv, head)
            assert refused.startswith(b"HTTP/1.1 503") and b"retry-after: 5" in refused.lower()
            response = httpx.post(srv.url + "/api/v1/check", files=[("files", ("a.txt", b"x" * two_mb))])
            problem = assert_problem(response, 503)
            assert problem["type"].endswith("upload-budget") and "请稍后重试" in problem["detail"]
            # a chunked body (no Content-Length) is counted as it streams
            chunks = (b"x" * 65536 for _ in range(32))
            chunked = httpx.post(srv.url + "/api/v1/validate", content=chunks,
                                 headers={"Content-Type": "application/yaml"})
            assert_problem(chunked, 503)
            # a small body still fits beside the held one
            small = httpx.post(srv.url + "/api/v1/validate", content=yaml_body("guangxi-cadmium"),
                               headers={"Content-Type": "application/yaml"})
            assert small.status_code == 200
        finally:
            held.close()
        # the held bytes are given back once that request is over
        def admitted() -> bool:
            response = httpx.post(srv.url + "/api/v1/check", params={"type": "agreement"},
                                  files=[("files", ("a.txt", DEFECTIVE_AGREEMENT.encode() * 100))])
            return response.status_code == 200

        wait_for(admitted, "the budget given back")


# -- item 5: without a token, only this service's own host names and pages -----------------------------

def test_host_and_origin_are_checked_without_a_token(tmp_path: Path) -> None:
    with Server(tmp_path, {"ECOCLAIM_ALLOWED_HOSTS": "ecoclaim.intra"}) as srv:
        own = f"http://127.0.0.1:{srv.port}"
        for host in ("evil.example", f"rebind.attacker.example:{srv.port}", "localhost.evil.example"):
            for path in ("/", "/api/v1/health"):
                problem = assert_problem(httpx.get(srv.url + path, headers={"Host": host}), 400)
                assert "ECOCLAIM_ALLOWED_HOSTS" in problem["detail"]
        for host in (f"localhost:{srv.port}", f"127.0.0.1:{srv.port}", "ecoclaim.intra", "10.1.2.3:8000"):
            assert httpx.get(srv.url + "/api/v1/health", headers={"Host": host}).status_code == 200, host

        body = yaml_body("guangxi-cadmium")

        def validate(**headers: str) -> httpx.Response:
            return httpx.post(srv.url + "/api/v1/validate", content=body,
                              headers={"Content-Type": "text/plain", **headers})

        assert validate().status_code == 200  # curl and scripts send no Origin
        assert validate(Origin=own).status_code == 200  # the service's own page
        assert validate(Origin=f"http://localhost:{srv.port}", Host=f"localhost:{srv.port}").status_code == 200
        assert validate(Referer=own + "/").status_code == 200
        for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                        {"Origin": f"http://127.0.0.1:{srv.port + 1}"},
                        {"Referer": "http://evil.example/page"}):
            problem = assert_problem(validate(**headers), 403)
            assert "其他网站" in problem["detail"], headers
        upload = httpx.post(srv.url + "/api/v1/check", files=[("files", ("a.txt", DEFECTIVE_AGREEMENT.encode()))],
                            headers={"Origin": "http://evil.example"})
        assert_problem(upload, 403)
        # reading is not a state change (and a cross-site page cannot read the answer anyway)
        assert httpx.get(srv.url + "/api/v1/forms", headers={"Origin": "http://evil.example"}).status_code == 200
        assert httpx.get(srv.url + "/").status_code == 200


def test_with_a_token_the_token_is_the_protection(tmp_path: Path) -> None:
    with Server(tmp_path, {"ECOCLAIM_TOKEN": "tok"}) as srv:
        response = httpx.post(srv.url + "/api/v1/validate", content=yaml_body("guangxi-cadmium"),
                              headers={"Content-Type": "application/yaml", "Authorization": "Bearer tok",
                                       "Origin": "https://proxy.example", "Host": "ecoclaim.example.org"})
        assert response.status_code == 200


def test_serve_on_all_interfaces_without_a_token_warns() -> None:
    import subprocess
    import sys

    from service.run import exposure_warnings
    from tests.service.test_service_server import ROOT, free_port

    assert exposure_warnings("127.0.0.1", None) == [] and exposure_warnings("::1", None) == []
    assert exposure_warnings("0.0.0.0", "tok") == []
    assert "ECOCLAIM_TOKEN" in exposure_warnings("192.168.1.5", None)[0]
    assert "UTF-8" in exposure_warnings("127.0.0.1", "令牌")[0]
    # the suite's cheap password-hash set (tests/conftest.py) is warned about too
    env = {k: v for k, v in os.environ.items() if k != "ECOCLAIM_TOKEN"} | {"ECOCLAIM_PASSWORD_HASH": "test"}
    cli = Path(sys.executable).with_name("ecoclaim")
    proc = subprocess.Popen([str(cli), "serve", "--host", "0.0.0.0", "--port", str(free_port())], cwd=ROOT,
                            env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline(), proc.stderr.readline()]
    finally:
        proc.terminate()
        proc.wait(30)
    assert any(line.startswith("警告：服务监听 0.0.0.0，且未设置访问令牌") for line in lines), lines
    assert any(line.startswith("警告：ECOCLAIM_PASSWORD_HASH=test 是测试用的") for line in lines), lines


# -- item 8: scratch folders of dead services are removed at start -------------------------------------

def test_scratch_folders_of_dead_services_are_removed_at_start(tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    dead_pid = int(dead.stdout)
    srv = Server(tmp_path)
    stale = srv.tmp / f"ecoclaim-service-{dead_pid}-abc123"
    (stale / "req-x").mkdir(parents=True)
    (stale / "req-x" / "案件.yaml").write_text("case data left by a killed service", "utf-8")
    live = srv.tmp / f"ecoclaim-service-{os.getpid()}-def456"  # this test process is alive
    live.mkdir()
    unrelated = srv.tmp / "ecoclaim-service-notapid"
    unrelated.mkdir()
    with srv:
        assert not stale.exists()
        assert live.exists() and unrelated.exists()
        own = [p for p in srv.tmp.glob("ecoclaim-service-*") if p not in (live, unrelated)]
        assert len(own) == 1 and own[0].name.startswith(f"ecoclaim-service-{srv.proc.pid}-")
    assert not own[0].exists()
    assert live.exists()


# -- item 7: Chinese messages for malformed uploads and converter failures ----------------------------

def test_upload_parts_without_a_file_name_get_a_chinese_422(tmp_path: Path) -> None:
    multipart = {"Content-Type": "multipart/form-data; boundary=x"}
    no_name = b'--x\r\nContent-Disposition: form-data; name="files"\r\n\r\nhello\r\n--x--\r\n'
    star_only = (b"--x\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''%E5%8D%8F.txt\r\n\r\n"
                 b"hello\r\n--x--\r\n")
    with Server(tmp_path) as srv:
        url = srv.url + "/api/v1/check"
        answers = [httpx.post(url, content=no_name, headers=multipart),
                   httpx.post(url, content=star_only, headers=multipart),
                   httpx.post(url, data={"files": "abc"})]
        for response in answers:
            problem = assert_problem(response, 422)
            assert "须带文件名" in problem["detail"] and "Expected" not in response.text


def test_pdf_failure_detail_drops_libreoffice_noise() -> None:
    from service.writing import without_noise

    message = ("LibreOffice 未能转换：form.pdf（退出码 137）。"
               "Warning: failed to launch javaldx - java may not function correctly")
    assert without_noise(message) == "LibreOffice 未能转换：form.pdf（退出码 137）。"
    assert without_noise("LibreOffice 转换超时") == "LibreOffice 转换超时"


def test_protocol_errors_are_problem_json_under_ecoclaim_serve(tmp_path: Path) -> None:
    """``ecoclaim serve`` (service.run) answers unparsable HTTP with problem+json too."""
    import socket
    import subprocess
    import sys

    from tests.service.test_service_server import ROOT, free_port

    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if k != "ECOCLAIM_TOKEN"}, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", f"from service.run import run_server; run_server('127.0.0.1', {port})"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: _answers(port), "the server to start")
        for head in (b"POST /api/v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n",
                     b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon in this header line\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                sock.sendall(head)
                answer = b""
                while chunk := sock.recv(65536):
                    answer += chunk
            status, _, rest = answer.partition(b"\r\n")
            assert status.startswith(b"HTTP/1.1 400") and b"application/problem+json" in rest
            assert "无法解析 HTTP 请求" in rest.split(b"\r\n\r\n", 1)[1].decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(30)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


# -- item 6: a body that stalls is answered 408 --------------------------------------------------------

def test_a_stalled_body_is_answered_408(tmp_path: Path) -> None:
    with Server(tmp_path, {"ECOCLAIM_BODY_TIMEOUT": "1"}) as srv:
        for path, kind in (("/api/v1/validate", "application/yaml"),
                           ("/api/v1/check", "multipart/form-data; boundary=x")):
            head = f"POST {path} HTTP/1.1\nHost: 127.0.0.1:{srv.port}\nContent-Type: {kind}\nContent-Length: 1000\n"
            answer = raw_request(srv, head, b"--x\r\n")  # 5 of 1000 bytes, then nothing
            assert answer.startswith(b"HTTP/1.1 408") and b"application/problem+json" in answer, answer
        # a normal request is unaffected
        response = httpx.post(srv.url + "/api/v1/validate", content=yaml_body("guangxi-cadmium"),
                              headers={"Content-Type": "application/yaml"})
        assert response.status_code == 200
