"""Benchmark of the case register at scale, over real HTTP, on SQLite and on PostgreSQL.

    .venv/bin/python bench/register.py                      # both databases, 10,000 cases, 100,000 documents
    .venv/bin/python bench/register.py --backend sqlite     # one database
    .venv/bin/python bench/register.py --quick              # 1,000 cases, fewer requests (a smoke run)

Per database: an empty register (SQLite file in a temporary folder; PostgreSQL a throwaway server
started as tests/caseregister/pgserver.py does, stopped after), seeded by bulk insert with
``--cases`` cases (the five bundled examples under other 立案号, one version each with its computed
timeline steps) in ``--departments`` departments, ``--documents`` generated-document records and one
user with an API token per department; then a uvicorn server (``service.run``) on a free loopback
port and, in the same run: the 台账 page (``GET /api/register/cases``) and the deadlines board
(``GET /api/register/deadlines``) for one user (sequential) and for 20 users at once (each a
department's user, 20 requests in flight), and the stateless ``POST /api/v1/check`` of a
5,000-character agreement as the peer. Targets (issue 13 §7): p99 ≤ 100 ms for one user, ≤ 300 ms at
20 concurrent users. Not a test: the numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import agreement_text, free_port, line, run, start_server, stop_server  # noqa: E402

BATCH = 500  # cases per bulk insert (with their versions, deadlines and documents)


def _bases() -> list[dict[str, Any]]:
    """The five bundled examples: text, data, listing fields and stored timeline steps (for case 0)."""
    from casefile.validation import load_case
    from caseregister.casedata import listing, parsed_data
    from caseregister.deadlines import step_rows
    from caseregister.knowledge import current

    out = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        text = path.read_text("utf-8")
        case = load_case(path)
        out.append({"text": text, "data": parsed_data(text, "yaml"), "number": case.case_number,
                    "listing": listing(case), "steps": step_rows(0, 1, case),
                    "fingerprint": current().fingerprints[case.jurisdiction]})
    return out


def seed(url: str, cases: int, documents: int, departments: int) -> list[str]:
    """Fill an empty register; returns one API token per department (its user's)."""
    from sqlalchemy import insert, text

    from caseregister import accounts, migrate
    from caseregister.casedata import text_sha256
    from caseregister.engine import make_engine, write_session
    from caseregister.models import Case, CaseVersion, Document, TimelineStep, utcnow
    from corpus.forms import form_codes
    from ecokernel import clock

    engine = make_engine(url)
    migrate.upgrade(engine)
    tokens = []
    with write_session(engine) as s:
        for d in range(departments):
            accounts.add_department(s, f"基准部门{d:02d}", f"B{d:02d}", actor="基准")
            accounts.add_user(s, f"bench{d:02d}", f"基准用户{d:02d}", "Bench-register-2025!", "drafter", f"B{d:02d}",
                              actor="基准")
            tokens.append(accounts.issue_token(s, f"bench{d:02d}", "基准", actor="基准")[1])
        dept_ids = [accounts.find_department(s, f"B{d:02d}").id for d in range(departments)]
    today = clock.today()
    bases = _bases()
    forms = form_codes()
    now = utcnow()
    per_case = max(1, documents // cases)
    with engine.begin() as c:
        rows_c, rows_v, rows_d, rows_doc = [], [], [], []

        def flush() -> None:  # parents before children
            for table, rows in ((Case, rows_c), (CaseVersion, rows_v), (TimelineStep, rows_d), (Document, rows_doc)):
                if rows:
                    c.execute(insert(table), rows)
                    rows.clear()

        for i in range(cases):
            base = bases[(i // departments) % len(bases)]  # every department gets every example
            number = f"基准〔{2020 + i % 6}〕{i + 1}号"
            body = base["text"].replace(base["number"], number) if base["number"] else base["text"]
            data = copy.deepcopy(base["data"])
            data["case_number"] = number
            digest = text_sha256(body)
            rows_c.append({"id": i + 1, "department_id": dept_ids[i % departments], **base["listing"],
                           "case_number": number, "current_version": 1, "created_at": now, "updated_at": now,
                           "steps_fingerprint": base["fingerprint"]})
            rows_v.append({"id": i + 1, "case_id": i + 1, "number": 1, "base_number": None, "text": body,
                           "text_format": "yaml", "text_sha256": digest, "data": data, "source_name": None,
                           "author": "基准", "reason": "基准数据", "computed_on": today, "created_at": now})
            rows_d += [{**step, "case_id": i + 1} for step in base["steps"]]
            manifest = hashlib.sha256(f"manifest-{i}".encode()).hexdigest()
            for k in range(per_case):
                rows_doc.append({"case_id": i + 1, "version_id": i + 1, "form": forms[k % len(forms)], "format": "docx",
                                 "title": f"文书{k + 1}", "file_name": f"{k + 1:02d}-文书.docx",
                                 "sha256": hashlib.sha256(f"{i}-{k}".encode()).hexdigest(),
                                 "manifest_sha256": manifest, "template_version": "bench", "author": "基准",
                                 "created_at": now})
            if i % BATCH == BATCH - 1:
                flush()
        flush()
        if engine.dialect.name == "postgresql":
            for table in ("cases", "case_versions", "timeline_steps", "documents"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
            c.execute(text("ANALYZE"))
    engine.dispose()
    return tokens


@contextlib.contextmanager
def database(backend: str) -> Iterator[str]:
    from caseregister.settings import sqlite_url

    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="ecoclaim-bench-") as tmp:
            yield sqlite_url(Path(tmp) / "register.sqlite3")
        return
    from tests.caseregister.pgserver import throwaway_server

    with throwaway_server() as server:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.exec_driver_sql('CREATE DATABASE "bench"')
        admin.dispose()
        yield make_url(server.url()).set(database="bench").render_as_string(hide_password=False)


async def measure(base: str, tokens: list[str], requests: int) -> list[tuple[str, dict[str, float]]]:
    results = []
    check_text = agreement_text(5000).encode("utf-8")
    async with httpx.AsyncClient(base_url=base, timeout=300) as client:

        def register(path: str):  # type: ignore[no-untyped-def]
            async def get(c: httpx.AsyncClient, i: int) -> httpx.Response:
                return await c.get(path, headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"})
            return get

        def one_user(path: str):  # type: ignore[no-untyped-def]
            async def get(c: httpx.AsyncClient, i: int) -> httpx.Response:
                return await c.get(path, headers={"Authorization": f"Bearer {tokens[0]}"})
            return get

        async def check(c: httpx.AsyncClient, i: int) -> httpx.Response:
            return await c.post("/api/v1/check", files=[("files", (f"协议{i}.txt", check_text, "text/plain"))])

        for path in ("/api/register/cases", "/api/register/deadlines"):
            await run(client, 2, 10, register(path))  # warm-up
        await run(client, 4, 20, check)
        for name, path in (("台账 /api/register/cases", "/api/register/cases"),
                           ("期限看板 /api/register/deadlines", "/api/register/deadlines")):
            results.append((f"{name} 1个用户", await run(client, 1, requests, one_user(path))))
            results.append((f"{name} 20个用户并发", await run(client, 20, requests * 2, register(path))))
        results.append(("对照 /api/v1/check 5000字 1个请求", await run(client, 1, requests, check)))
        results.append(("对照 /api/v1/check 5000字 20并发", await run(client, 20, requests * 2, check)))
    return results


#: a made-up 2027 schedule (the bundled calendar knows up to 2026) that puts two of the examples' due dates
#: on rest days: what a department adding next year's schedule (ECOCLAIM_HOLIDAYS) makes the register do
BENCH_SCHEDULE = """source: 基准用的虚构安排
example: true
years:
  2027:
    holidays: [2027-01-01, 2027-05-01, 2027-05-02, 2027-05-31, 2027-08-31, 2027-10-01, 2027-10-02, 2027-10-03]
"""


def time_recompute(url: str) -> list[str]:
    """The start-up check with nothing stale; recomputing every case (nothing changes); adding a year's
    holiday schedule (every case stale, some due dates move) and withdrawing it again."""
    from caseregister.deadlines import stale_count
    from caseregister.engine import make_engine, read_session
    from caseregister.recompute import recompute
    from caseregister.settings import HOLIDAYS_ENV

    def timed(what: str, **options: bool) -> str:
        with read_session(engine) as s:
            t0 = time.perf_counter()
            stale = stale_count(s)
            check = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = recompute(engine, actor="基准", **options)
        spent = time.perf_counter() - t0
        return (f"{what}：过时{stale}个（检查 {check * 1000:.1f} ms）；重新计算 {spent:.1f} s"
                f"（每案 {spent / max(result.cases, 1) * 1000:.2f} ms）：{result.summary()}")

    engine = make_engine(url)
    try:
        lines = [timed("没有过时的期限，db recompute"), timed("db recompute --all", everything=True)]
        with tempfile.TemporaryDirectory(prefix="ecoclaim-bench-") as tmp:
            schedule = Path(tmp) / "holidays.yaml"
            schedule.write_text(BENCH_SCHEDULE, "utf-8")
            os.environ[HOLIDAYS_ENV] = str(schedule)
            try:
                lines.append(timed("加入2027年的节假日安排"))
            finally:
                del os.environ[HOLIDAYS_ENV]
        lines.append(timed("撤回该安排"))
    finally:
        engine.dispose()
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--recompute", action="store_true", help="also time db recompute --all after seeding")
    args = parser.parse_args()
    if args.quick:
        args.cases, args.documents, args.requests = 1000, 10_000, 30
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(f"{args.cases}个案件（{args.departments}个部门，每部门{args.cases // args.departments}个），"
          f"{args.documents}份文书记录；服务进程{args.workers}个；机器{os.cpu_count()}核（与他人共用）")
    for backend in backends:
        with database(backend) as url:
            t0 = time.perf_counter()
            tokens = seed(url, args.cases, args.documents, args.departments)
            print(f"\n== {backend}：写入用时 {time.perf_counter() - t0:.1f} s")
            if args.recompute:
                for text in time_recompute(url):
                    print(text)
            os.environ["ECOCLAIM_DATABASE_URL"] = url
            port = free_port()
            proc = start_server(port, args.workers)
            try:
                for name, result in asyncio.run(measure(f"http://127.0.0.1:{port}", tokens, args.requests)):
                    print(line(name, result))
            finally:
                stop_server(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
