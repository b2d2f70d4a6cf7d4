"""The register's settings: one place reads ECOCLAIM_DATABASE_URL and ECOCLAIM_DATA_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseregister.settings import load_settings, normalise_url
from ecokernel.errors import UserError


def test_default_is_sqlite_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.backend == "sqlite"
    assert settings.data_dir == tmp_path / "data"
    assert settings.url == f"sqlite+pysqlite:///{tmp_path}/data/register.sqlite3"


def test_data_dir_from_the_environment(tmp_path: Path):
    settings = load_settings({"ECOCLAIM_DATA_DIR": str(tmp_path / "台账")})
    assert settings.data_dir == tmp_path / "台账" and settings.url.endswith("/台账/register.sqlite3")


@pytest.mark.parametrize("given", ["postgresql://u:secret@db/ecoclaim", "postgres://u:secret@db/ecoclaim",
                                   "postgresql+psycopg://u:secret@db/ecoclaim"])
def test_postgresql_urls_use_psycopg_3(given: str):
    settings = load_settings({"ECOCLAIM_DATABASE_URL": given, "ECOCLAIM_DATA_DIR": "/ignored"})
    assert settings.url == "postgresql+psycopg://u:secret@db/ecoclaim"
    assert settings.backend == "postgresql" and settings.data_dir is None
    assert "secret" not in settings.shown_url()


@pytest.mark.parametrize(("given", "message"), [("mysql://u@h/db", "只支持 SQLite 和 PostgreSQL"),
                                                 ("不是地址", "数据库地址无法识别")])
def test_other_databases_are_refused_in_chinese(given: str, message: str):
    with pytest.raises(UserError, match=message):
        normalise_url(given)
