"""Fixtures of the register's tests: every database test runs on SQLite (fast layer) and on a real
PostgreSQL (slow layer). PostgreSQL is a throwaway server started for the session (see
``pgserver.py``), or the server ``ECOCLAIM_TEST_DATABASE_URL`` names (its user must be allowed to
create databases). Each test gets a database of its own. When PostgreSQL cannot be started the
PostgreSQL tests fail with the reason; they are never skipped."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from caseregister import migrate, versions
from caseregister.casedata import submit
from caseregister.engine import make_engine, write_session
from caseregister.schemas import SaveResult
from caseregister.settings import normalise_url, sqlite_url

from ..conftest import EXAMPLES, example_path
from .pgserver import NoPostgres, throwaway_server

TEST_URL_ENV = "ECOCLAIM_TEST_DATABASE_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)]


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A URL of a PostgreSQL server whose user may create databases."""
    external = os.environ.get(TEST_URL_ENV, "").strip()
    if external:
        yield normalise_url(external)
        return
    try:
        with throwaway_server() as server:
            yield server.url()
    except NoPostgres as exc:
        pytest.fail(f"无法启动 PostgreSQL，PostgreSQL 上的测试不能进行：{exc}", pytrace=False)


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (dropped after it)."""
    name = f"ecoclaim_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    try:
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        except DBAPIError as exc:
            pytest.fail(f"无法在 PostgreSQL 服务器上建立测试数据库（{make_url(postgres_admin_url)!r}）："
                        f"{str(exc.orig).strip()}", pytrace=False)
        yield make_url(postgres_admin_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database (not yet migrated) on each backend."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "data" / "register.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to the newest schema, once per session: each test that needs a migrated
    SQLite database gets a copy of it instead of running every migration again (the migrations
    themselves are tested from an empty database in test_migrations.py)."""
    path = tmp_path_factory.mktemp("schema") / "register.sqlite3"
    engine = make_engine(sqlite_url(path))
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def engine(db_url: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A database at the newest schema."""
    database = make_url(db_url).database
    if make_url(db_url).get_backend_name() == "sqlite" and database:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), database)
        engine = make_engine(db_url)
    else:
        engine = make_engine(db_url)
        migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def case_folder(tmp_path: Path) -> Path:
    """A folder holding a copy of every bundled example case."""
    target = tmp_path / "cases"
    target.mkdir()
    for path in EXAMPLES:
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture
def db_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The register's settings point at the test database (for the CLI)."""
    monkeypatch.setenv("ECOCLAIM_DATABASE_URL", db_url)
    return db_url


DEPARTMENT = "张掖市自然资源局"


def example_text(prefix: str) -> str:
    return example_path(prefix).read_text("utf-8")


def save_new_case(engine: Engine, text: str, author: str = "张三") -> SaveResult:
    """Put case data into the register as a new case (first version)."""
    with write_session(engine) as session:
        dept = versions.department(session, DEPARTMENT, author)
        return versions.create_case(session, dept, submit(text, "yaml"), author=author, reason="新建")


def save_next(engine: Engine, case_id: int, text: str, *, base: int, author: str = "李四",
              reason: str = "修改") -> SaveResult:
    with write_session(engine) as session:
        return versions.save_version(session, case_id, submit(text, "yaml"), base=base, author=author, reason=reason)
