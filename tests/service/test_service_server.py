"""Helpers (no tests here): run a REAL uvicorn server in a subprocess on a free loopback port.

Imported by tests/test_service*.py and tests/test_web*.py. Each server gets its own TMPDIR so the
tests can prove that no temporary file is left behind.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``with Server(tmp, env) as srv: httpx.get(srv.url + "/api/v1/health")``."""

    def __init__(self, tmp: Path, env: dict[str, str] | None = None) -> None:
        self.tmp = tmp / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "TMPDIR": str(self.tmp), "PYTHONUNBUFFERED": "1", **(env or {})}
        self.env.pop("ECOCLAIM_TOKEN", None) if "ECOCLAIM_TOKEN" not in (env or {}) else None
        self.log = tmp / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        # the server (in its own session) ends with its workers if the test run itself is killed
        # before it can stop it: a watcher sees the parent go and signals the server's group
        code = ("import os, signal, threading, time, uvicorn\n"
                "parent = os.getppid()\n"
                "def watch():\n"
                "    while os.getppid() == parent:\n"
                "        time.sleep(1)\n"
                "    os.killpg(0, signal.SIGTERM)\n"
                "threading.Thread(target=watch, daemon=True).start()\n"
                "uvicorn.run('service.app:create_app', factory=True, host='127.0.0.1', "
                f"port={self.port}, log_level='warning', timeout_graceful_shutdown=5)")
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=self.env, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited:\n" + self.log.read_text("utf-8", "replace"))
            try:
                httpx.get(self.url + "/", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start:\n" + self.log.read_text("utf-8", "replace"))

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace") if self.log.exists() else ""

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def example(prefix: str) -> Path:
    """The bundled example whose file name starts with ``prefix`` (the first one in name order)."""
    return next(p for p in EXAMPLES if p.name.startswith(prefix))
