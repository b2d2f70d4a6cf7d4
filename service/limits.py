"""Request limits: body size (checked on Content-Length and while streaming), work time-out,
bounded worker threads, and per-request scratch directories that are always removed."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.problems import ApiError, BodyTimeout, BodyTooLarge, UploadBudgetExceeded, over_budget, too_large
from service.settings import Settings

T = TypeVar("T")


class BodyLimit:
    """ASGI middleware: refuse bodies above the limit of their path with 413 problem+json.

    A declared Content-Length over the limit is refused before anything is read; a chunked or
    lying body is cut off as soon as the running count passes the limit. A body that has not
    arrived in whole within ``body_timeout`` seconds (a slow or stalled client) is answered 408.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit_for(self, path: str) -> int:
        if path.startswith("/api/v1/check"):
            return self.settings.max_upload_bytes
        return self.settings.max_case_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        if (_content_length(scope) or 0) > limit:
            await _drain_and_send(too_large(limit, scope["path"]), scope, receive, send)
            return
        seen = 0
        deadline = anyio.current_time() + self.settings.body_timeout

        async def limited() -> Message:
            nonlocal seen
            try:
                with anyio.fail_after(max(0.0, deadline - anyio.current_time())):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(self.settings.body_timeout) from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited, send)


class UploadBudget:
    """ASGI middleware: one budget of request-body bytes being received at once, over all requests.

    Uploads are read into memory before the work limits apply, so without this the memory grows
    with the number of concurrent uploads. A body with a Content-Length is admitted for its whole
    declared size before a byte of it is read (503 + Retry-After at once when it does not fit); a
    chunked body is counted as it streams and refused when it passes the budget. The bytes are
    given back when the request has been answered.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.budget = settings.upload_budget_bytes
        self.in_flight = 0  # only touched from the event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        reserved = 0
        if declared is not None:
            if self.in_flight + declared > self.budget:
                await over_budget(self.budget, scope["path"])(scope, receive, send)
                return
            reserved = declared
            self.in_flight += declared

        async def counted() -> Message:
            nonlocal reserved
            message = await receive()
            if declared is None and message["type"] == "http.request":
                size = len(message.get("body", b""))
                if self.in_flight + size > self.budget:
                    raise UploadBudgetExceeded(self.budget)
                reserved += size
                self.in_flight += size
            return message

        try:
            await self.app(scope, counted, send)
        finally:
            self.in_flight -= reserved


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return None


async def _drain_and_send(response: Any, scope: Scope, receive: Receive, send: Send) -> None:
    await response(scope, receive, send)


class Worker:
    """Runs blocking work in a bounded set of threads under the request time-out."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.limiter = anyio.CapacityLimiter(settings.workers_threads)

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        budget = timeout or self.settings.request_timeout
        try:
            with anyio.fail_after(budget):
                return await anyio.to_thread.run_sync(fn, *args, limiter=self.limiter,
                                                      abandon_on_cancel=True)
        except TimeoutError:
            raise timeout_error(budget) from None


def upload_name(upload: Any, fallback: str) -> str:
    """An uploaded part's file name without any folder the client sent, at most 200 characters."""
    return (upload.filename or fallback).replace("\\", "/").rsplit("/", 1)[-1][:200] or fallback


async def read_upload(upload: Any, field: str, limit: int) -> tuple[str, bytes]:
    """(file name, bytes) of an uploaded part named ``field``; 413 when it is over ``limit`` bytes."""
    name = upload_name(upload, field)
    data = await upload.read()
    if len(data) > limit:
        raise ApiError(413, "too-large", "文件过大", f"“{name}”超过单个文件上限", errors=[{"path": field, "message": name}])
    return name, data


def timeout_error(budget: float) -> ApiError:
    """503 for work that went over its time budget."""
    return ApiError(503, "timeout", "处理超时", f"处理时间超过上限 {budget:g} 秒，请缩小文件或稍后重试",
                    headers={"Retry-After": "5"})


class Scratch:
    """Per-request scratch directories under one service-owned root, removed when done.

    The root is ``ecoclaim-service-<pid>-*`` in the temporary folder. A service killed with SIGKILL
    cannot remove its root, so each new service first removes the roots of processes that no longer
    exist (never one whose owner is alive, so services sharing the folder leave each other alone).
    """

    PREFIX = "ecoclaim-service-"

    def __init__(self) -> None:
        self.removed = remove_stale_roots(Path(tempfile.gettempdir()), self.PREFIX)
        self.root = Path(tempfile.mkdtemp(prefix=f"{self.PREFIX}{os.getpid()}-"))

    @contextlib.contextmanager
    def directory(self) -> Iterator[Path]:
        path = Path(tempfile.mkdtemp(dir=self.root, prefix="req-"))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def remove_stale_roots(folder: Path, prefix: str) -> list[Path]:
    """Remove ``<prefix><pid>-*`` folders of ``folder`` whose process is gone; returns them."""
    removed = []
    for path in folder.glob(f"{prefix}*"):
        pid = path.name[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir() or path.is_symlink() or _alive(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True
