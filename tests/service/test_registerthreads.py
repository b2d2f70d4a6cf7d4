"""The register's own thread pool: as wide as configured, and routes keep their signature."""

from __future__ import annotations

import inspect
import threading
import time

import anyio
import pytest

from service import registerthreads
from service.registerthreads import register_route
from tests.concurrency import Peak


def test_width_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOCLAIM_REGISTER_THREADS", "3")
    assert registerthreads.threads() == 3
    monkeypatch.setenv("ECOCLAIM_REGISTER_THREADS", "很多")  # not a number: the default
    assert registerthreads.threads() >= 2


def test_no_more_than_the_width_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOCLAIM_REGISTER_THREADS", "2")
    peak = Peak()

    def work() -> None:
        with peak:
            time.sleep(0.02)

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(8):
                tg.start_soon(registerthreads.run, work)

    anyio.run(main)
    assert peak.most == 2


def page(limit: int = 50, *, q: str | None = None) -> dict[str, object]:
    return {"limit": limit, "q": q, "thread": threading.current_thread() is threading.main_thread()}


def test_a_route_keeps_its_resolved_signature_and_runs_off_the_loop() -> None:
    route = register_route(page)
    signature = inspect.signature(route)
    assert signature.parameters["limit"].annotation is int  # resolved, not the string "int"
    assert signature.parameters["q"].annotation == (str | None)
    assert inspect.iscoroutinefunction(route)
    assert anyio.run(lambda: route(limit=10, q="砂")) == {"limit": 10, "q": "砂", "thread": False}
