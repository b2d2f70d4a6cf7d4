"""Document checks in a small pool of pre-started worker processes that can be killed.

A check of a hostile document can take far longer than its time budget, and a thread cannot be
stopped: it would keep a core (and the GIL) busy after its request was answered. So every check
runs in one of ``size`` worker processes (``multiprocessing`` 'spawn' context, warmed at start:
checkers imported, rules and corpus loaded). The task goes over the worker's pipe; the answer comes
back pickled. When the budget passes, that worker is killed (SIGKILL) and a fresh one is started in
the background; the request gets 503. A worker that dies by itself is replaced the same way.

Waiting for a free worker counts against the same budget, so a full pool answers 503 in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import anyio

from service.limits import timeout_error
from service.problems import ApiError

log = logging.getLogger("ecoclaim.service")

READY = "ready"
START_TIMEOUT = 120.0  # a worker that has not warmed up by then is given up


def _serve(conn: Connection, warm_up: Callable[[], None]) -> None:
    """Worker process main loop: warm up, then answer ``(fn, args)`` tasks until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business; it stops us
    warm_up()
    conn.send(READY)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        fn, args = task
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
            conn.send(reply)
        except BaseException:  # any failure goes back to the parent as text
            conn.send(("error", traceback.format_exc()))


class WorkerGone(Exception):
    """The worker process died (killed or crashed) before it answered."""


class _Process:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, warm_up: Callable[[], None]) -> None:
        parent, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, warm_up), daemon=True,
                                       name="ecoclaim-check")
        self.process.start()
        child.close()
        self.conn: Connection = parent
        self.lock = threading.Lock()  # held while a task is on the pipe

    @property
    def pid(self) -> int:
        return self.process.pid or 0

    def wait_ready(self) -> None:
        if not self.conn.poll(START_TIMEOUT) or self.conn.recv() != READY:
            raise WorkerGone("审查进程未能启动")

    def roundtrip(self, task: tuple[Callable[..., Any], tuple[Any, ...]]) -> Any:
        with self.lock:
            try:
                self.conn.send(task)
                status, value = self.conn.recv()
            except (EOFError, OSError) as exc:
                raise WorkerGone(str(exc)) from None
        if status == "error":
            raise RuntimeError(f"审查进程内部错误：\n{value}")
        return value

    def stop(self, kill: bool) -> None:
        """Kill (or ask to finish) the process, wait for it, and close the pipe."""
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        elif self.lock.acquire(blocking=False):
            try:
                with contextlib.suppress(OSError):
                    self.conn.send(None)
            finally:
                self.lock.release()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        # the round trip (if any) ends with EOF once the process is gone; then the pipe is ours
        with self.lock:
            self.conn.close()


class CheckPool:
    """``size`` warmed worker processes; ``await pool.run(fn, *args, budget=s)`` runs ``fn`` in one."""

    def __init__(self, size: int, warm_up: Callable[[], None]) -> None:
        self.size = max(1, size)
        self.warm_up = warm_up
        self.context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Process] = asyncio.Queue()
        self._all: set[_Process] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._threads = anyio.CapacityLimiter(self.size + 2)
        self._closed = False

    @property
    def pids(self) -> list[int]:
        return sorted(p.pid for p in self._all)

    async def start(self) -> None:
        """Start every worker and wait until all are warm."""
        started = await asyncio.gather(*(self._spawn() for _ in range(self.size)), return_exceptions=True)
        failures = [s for s in started if isinstance(s, BaseException)]
        if failures:
            await self.close()
            raise RuntimeError(f"审查进程未能启动：{failures[0]}")

    async def _spawn(self) -> None:
        proc = await anyio.to_thread.run_sync(_Process, self.context, self.warm_up)
        self._all.add(proc)
        try:
            await anyio.to_thread.run_sync(proc.wait_ready, abandon_on_cancel=True)
        except BaseException:
            self._all.discard(proc)
            await anyio.to_thread.run_sync(proc.stop, True)
            raise
        if self._closed:
            self._all.discard(proc)
            await anyio.to_thread.run_sync(proc.stop, False)
            return
        self._idle.put_nowait(proc)

    def _replace_later(self) -> None:
        async def replace() -> None:
            while not self._closed:
                try:
                    await self._spawn()
                    return
                except Exception:  # keep trying; the log says why
                    log.exception("审查进程重启失败，1 秒后重试")
                    await asyncio.sleep(1)

        task = asyncio.get_running_loop().create_task(replace())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _retire(self, proc: _Process) -> None:
        """Kill a worker (its task overran or it died), wait until it is gone, start a replacement."""
        with anyio.CancelScope(shield=True):
            self._all.discard(proc)
            await anyio.to_thread.run_sync(proc.stop, True)
            self._replace_later()

    async def run(self, fn: Callable[..., Any], *args: Any, budget: float) -> Any:
        """``fn(*args)`` in a worker process; 503 when waiting plus running takes over ``budget`` s."""
        proc: _Process | None = None
        try:
            with anyio.fail_after(budget):
                proc = await self._idle.get()
                result = await anyio.to_thread.run_sync(proc.roundtrip, (fn, args), abandon_on_cancel=True,
                                                        limiter=self._threads)
        except TimeoutError:
            if proc is not None:
                await self._retire(proc)
            raise timeout_error(budget) from None
        except WorkerGone:
            assert proc is not None
            await self._retire(proc)
            raise ApiError(503, "worker-lost", "审查进程意外退出",
                           "审查进程意外退出（可能是文件过大、内存不足），请缩小文件或稍后重试",
                           headers={"Retry-After": "5"}) from None
        except BaseException:
            if proc is not None and not proc.lock.locked():
                self._idle.put_nowait(proc)
            elif proc is not None:
                await self._retire(proc)
            raise
        self._idle.put_nowait(proc)
        return result

    async def close(self) -> None:
        """Stop every worker (those busy are killed) and any replacement being started."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        procs = list(self._all)
        self._all.clear()
        idle = set()
        while not self._idle.empty():
            idle.add(self._idle.get_nowait())
        await asyncio.gather(*(anyio.to_thread.run_sync(p.stop, p not in idle) for p in procs))
