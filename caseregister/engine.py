"""Engines and sessions for the register.

SQLite (embedded default): WAL journal, ``foreign_keys=ON`` and a busy timeout on every connection,
``synchronous=NORMAL`` (in WAL mode a killed process never leaves a torn database; only a power cut
can lose the last commits). The driver's own transaction handling is switched off and a transaction
is begun explicitly: ``BEGIN IMMEDIATE`` for sessions that write (so two writers queue on the busy
timeout instead of failing halfway), a plain ``BEGIN`` for sessions that only read.

PostgreSQL: psycopg 3, default READ COMMITTED; writers lock the case row they change
(``SELECT … FOR UPDATE``), see :mod:`caseregister.versions`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from caseregister.settings import RegisterSettings, load_settings
from ecokernel.errors import UserError
from ecokernel.sourcefile import os_error_text

BUSY_TIMEOUT_MS = 10_000
#: execution option marking an engine whose transactions write (``BEGIN IMMEDIATE`` on SQLite)
WRITE_OPTION = "caseregister_write"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the register's connection settings."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(f"无法建立数据文件夹 {folder}：{os_error_text(exc)}") from None
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def engine_from_settings(settings: RegisterSettings | None = None) -> Engine:
    return make_engine((settings or load_settings()).url)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading. At the end its transaction is rolled back (nothing it did is kept) and its
    objects are detached with what they had loaded, still readable."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed as one transaction when the block ends without an error."""
    with Session(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def database_unreachable(exc: OperationalError, settings_url: str) -> UserError:
    """A Chinese message for a database that cannot be opened or reached."""
    shown = make_url(settings_url).render_as_string(hide_password=True)
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    return UserError(f"无法连接数据库 {shown}：{detail}")
