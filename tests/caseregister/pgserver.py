"""A throwaway PostgreSQL server for the register's tests: ``initdb`` into a temporary folder,
``pg_ctl start`` on a free port listening only on a unix socket in that folder, stopped (and the
folder removed) at the end. PostgreSQL refuses to run as root: as root the server runs as the
``postgres`` system user (``runuser``). Binaries come from ``/usr/lib/postgresql/*/bin``."""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "ecoclaim"


class NoPostgres(RuntimeError):
    """PostgreSQL cannot be started here (with what to do about it)."""


def bin_dir() -> Path:
    found = sorted((Path(p) for p in Path("/usr/lib/postgresql").glob("*/bin") if (Path(p) / "pg_ctl").exists()),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if not found:
        raise NoPostgres("未找到 PostgreSQL（/usr/lib/postgresql/*/bin/pg_ctl）：请安装 Debian 软件包 postgresql "
                         "（bash tools/setup.sh test 会安装），或设置 ECOCLAIM_TEST_DATABASE_URL 指向一个可用的服务器")
    return found[-1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    folder: Path
    port: int
    prefix: list[str]
    bindir: Path

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}&port={self.port}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=120, check=False)

    def stop(self) -> None:
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")


def _as_user_prefix(folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise NoPostgres("以 root 运行测试时需要系统用户 postgres 来启动 PostgreSQL（它拒绝以 root 运行）："
                         "请安装 Debian 软件包 postgresql") from None
    os.chown(folder, user.pw_uid, user.pw_gid)
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--"]


def _watch_parent(server: PgServer) -> subprocess.Popen[bytes]:
    """A watcher that stops the server and removes its folder if this process dies without doing so
    (a test run killed outright must not leave a PostgreSQL server behind)."""
    stop = " ".join(shlex.quote(a) for a in [*server.prefix, str(server.bindir / "pg_ctl"), "-D",
                                             str(server.folder / "data"), "-m", "immediate", "-w", "stop"])
    script = (f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; "
              f"rm -rf {shlex.quote(str(server.folder))}")
    return subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextlib.contextmanager
def throwaway_server() -> Iterator[PgServer]:
    bindir = bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="ecoclaim-pg-"))
    server = PgServer(folder=folder, port=_free_port(), prefix=[], bindir=bindir)
    try:
        server.prefix = _as_user_prefix(folder)
        init = server.run(str(bindir / "initdb"), "-D", str(folder / "data"), "-U", SUPERUSER, "--auth=trust",
                          "-E", "UTF8", "--no-locale", "--no-sync")
        if init.returncode != 0:
            raise NoPostgres(f"initdb 失败：{init.stderr.strip() or init.stdout.strip()}")
        options = (f"-p {server.port} -k {folder} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        start = server.run(str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "server.log"),
                           "-o", options, "-w", "-t", "60", "start")
        if start.returncode != 0:
            log = (folder / "server.log").read_text("utf-8", "replace")[-2000:] if (folder / "server.log").exists() else ""
            raise NoPostgres(f"PostgreSQL 启动失败：{start.stderr.strip() or start.stdout.strip()}\n{log}")
        watcher = _watch_parent(server)
        try:
            yield server
        finally:
            server.stop()
            watcher.kill()
            watcher.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
