"""The register's own thread pool: as wide as configured, and routes keep their signature."""

from __future__ import annotations

import inspect
import threading
import time

import anyio
import pytest

from service import registerthreads
from service.registerthreads import register_route
from service.settings import Settings
from tests.concurrency import Peak


def test_width_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOCLAIM_REGISTER_THREADS", "3")
    assert Settings().register_threads == 3
    monkeypatch.setenv("ECOCLAIM_REGISTER_THREADS", "很多")  # not a number: the default
    assert Settings().register_threads >= 2


def run_eight(install: int | None) -> int:
    """How many of eight calls ran at once in the register pool (``install``: the width given at start-up)."""
    peak = Peak()

    def work() -> None:
        with peak:
            time.sleep(0.02)

    async def main() -> None:
        if install is not None:
            registerthreads.install(install)
        async with anyio.create_task_group() as tg:
            for _ in range(8):
                tg.start_soon(registerthreads.run, work)

    anyio.run(main)
    return peak.most


def test_no_more_than_the_width_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOCLAIM_REGISTER_THREADS", "2")
    assert run_eight(None) == 2  # none installed: the settings' width
    assert run_eight(3) == 3  # the app's start-up installs its settings' width


def test_the_app_installs_its_settings_width() -> None:
    from service.app import create_app

    app = create_app(Settings(register_threads=1, check_workers=1))

    async def main() -> float:
        async with app.router.lifespan_context(app):  # the start-up uvicorn runs
            return registerthreads.limiter().total_tokens

    assert anyio.run(main) == 1


def page(limit: int = 50, *, q: str | None = None) -> dict[str, object]:
    return {"limit": limit, "q": q, "thread": threading.current_thread() is threading.main_thread()}


def test_a_route_keeps_its_resolved_signature_and_runs_off_the_loop() -> None:
    route = register_route(page)
    signature = inspect.signature(route)
    assert signature.parameters["limit"].annotation is int  # resolved, not the string "int"
    assert signature.parameters["q"].annotation == (str | None)
    assert inspect.iscoroutinefunction(route)
    assert anyio.run(lambda: route(limit=10, q="砂")) == {"limit": 10, "q": "砂", "thread": False}
