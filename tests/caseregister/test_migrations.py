"""Migrations: from an empty database to head on both backends; the models and the migrations
agree (``alembic check``); down to nothing and up again."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from caseregister import migrate
from caseregister.models import APPEND_ONLY, Base


def test_empty_database_to_head(bare_engine: Engine):
    assert migrate.current_revision(bare_engine) is None
    migrate.upgrade(bare_engine)
    assert migrate.current_revision(bare_engine) == migrate.head_revision()
    tables = set(inspect(bare_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_models_and_migrations_agree(engine: Engine):
    assert migrate.schema_differences(engine) == []


def test_upgrade_is_idempotent_and_reversible(engine: Engine):
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
    migrate.upgrade(engine)
    assert migrate.schema_differences(engine) == []


def test_append_only_tables_have_their_triggers(engine: Engine):
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            rows = connection.exec_driver_sql(
                "SELECT event_object_table, trigger_name FROM information_schema.triggers")
        tables = {table for table, _name in rows}
    assert set(APPEND_ONLY) <= tables
