"""Where the case register lives: the one place that reads its environment variables.

- ``ECOCLAIM_DATABASE_URL``: a PostgreSQL URL (``postgresql+psycopg://user:pass@host/db``; the
  forms ``postgresql://`` and ``postgres://`` are taken to mean the psycopg 3 driver). When unset,
  the register is an embedded SQLite database.
- ``ECOCLAIM_DATA_DIR``: the data folder of the embedded database (default ``./data``); the
  database is the one file ``register.sqlite3`` in it.
- ``ECOCLAIM_HOLIDAYS``: a holiday schedule file (the format of ``ecoclaim timeline --holidays``)
  for years the bundled calendar does not know yet; the register computes its deadlines with it
  (:mod:`caseregister.knowledge`).
- ``ECOCLAIM_RECOMPUTE_ON_START`` (default 1): ``0`` — the service, when it starts, only warns of
  cases whose deadlines were computed with other data instead of computing them again
  (:func:`caseregister.recompute.at_start`).
- ``ECOCLAIM_LOGIN_MAX_FAILURES`` (default 5) and ``ECOCLAIM_LOGIN_LOCK_MINUTES`` (default 15): an
  account is locked for that many minutes after that many failed logins in a row.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ecokernel.errors import UserError

DATA_DIR_ENV = "ECOCLAIM_DATA_DIR"
DATABASE_URL_ENV = "ECOCLAIM_DATABASE_URL"
DEFAULT_DATA_DIR = "data"
SQLITE_FILE = "register.sqlite3"
HOLIDAYS_ENV = "ECOCLAIM_HOLIDAYS"
RECOMPUTE_ON_START_ENV = "ECOCLAIM_RECOMPUTE_ON_START"
LOGIN_MAX_FAILURES_ENV = "ECOCLAIM_LOGIN_MAX_FAILURES"
LOGIN_LOCK_MINUTES_ENV = "ECOCLAIM_LOGIN_LOCK_MINUTES"

_POSTGRES_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}


class RegisterSettings(BaseModel):
    """The resolved settings: a database URL and, for SQLite, the data folder holding it."""

    model_config = ConfigDict(frozen=True)

    url: str
    data_dir: Path | None = None

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return make_url(self.url).get_backend_name()

    def shown_url(self) -> str:
        """The URL with its password hidden, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)


def sqlite_url(path: Path) -> str:
    return URL.create("sqlite+pysqlite", database=str(path)).render_as_string(hide_password=False)


def normalise_url(raw: str) -> str:
    """A database URL the register accepts, with the psycopg 3 driver for PostgreSQL.

    Only SQLite and PostgreSQL are supported; anything else is a ``UserError`` in Chinese.
    """
    try:
        url = make_url(raw.strip())
    except ArgumentError:
        raise UserError(f"数据库地址无法识别：{raw}（应如 postgresql+psycopg://用户:密码@主机/数据库）") from None
    if url.drivername in _POSTGRES_SCHEMES:
        url = url.set(drivername="postgresql+psycopg")
    elif url.get_backend_name() == "sqlite":
        url = url.set(drivername="sqlite+pysqlite")
    else:
        raise UserError(f"不支持的数据库“{url.drivername}”：案件台账只支持 SQLite 和 PostgreSQL（postgresql+psycopg://…）")
    return url.render_as_string(hide_password=False)


def load_settings(environ: dict[str, str] | None = None) -> RegisterSettings:
    """Settings from the environment (``os.environ`` unless given)."""
    env = os.environ if environ is None else environ
    raw_url = env.get(DATABASE_URL_ENV, "").strip()
    if raw_url:
        return RegisterSettings(url=normalise_url(raw_url))
    data_dir = Path(env.get(DATA_DIR_ENV, "").strip() or DEFAULT_DATA_DIR).absolute()
    return RegisterSettings(url=sqlite_url(data_dir / SQLITE_FILE), data_dir=data_dir)


def holidays_file(environ: dict[str, str] | None = None) -> Path | None:
    """The holiday schedule file the register's deadlines are computed with, if one is set."""
    env = os.environ if environ is None else environ
    raw = env.get(HOLIDAYS_ENV, "").strip()
    return Path(raw).absolute() if raw else None


def recompute_on_start(environ: dict[str, str] | None = None) -> bool:
    """Whether the service computes stale deadlines again when it starts (else it only warns)."""
    env = os.environ if environ is None else environ
    raw = env.get(RECOMPUTE_ON_START_ENV, "").strip()
    if raw not in ("", "0", "1"):
        raise UserError(f"环境变量 {RECOMPUTE_ON_START_ENV} 应为 1（启动时重新计算过时的期限，默认）或 0（只提示）：{raw}")
    return raw != "0"


class LoginPolicy(BaseModel):
    """Login throttling: after ``max_failures`` failed logins in a row an account is locked for
    ``lock_minutes`` minutes (a new password from an administrator ends the lock early)."""

    model_config = ConfigDict(frozen=True)

    max_failures: int = Field(5, ge=1, le=100)
    lock_minutes: int = Field(15, ge=1, le=7 * 24 * 60)


def _whole_number(env: dict[str, str] | os._Environ[str], name: str, low: int, high: int) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise UserError(f"环境变量 {name} 应为{low}至{high}之间的整数：{raw}")
    return int(raw)


def load_login_policy(environ: dict[str, str] | None = None) -> LoginPolicy:
    """The login policy from the environment (``os.environ`` unless given); defaults where unset."""
    env = os.environ if environ is None else environ
    given: dict[str, int] = {}
    failures = _whole_number(env, LOGIN_MAX_FAILURES_ENV, 1, 100)
    minutes = _whole_number(env, LOGIN_LOCK_MINUTES_ENV, 1, 7 * 24 * 60)
    if failures is not None:
        given["max_failures"] = failures
    if minutes is not None:
        given["lock_minutes"] = minutes
    return LoginPolicy(**given)
