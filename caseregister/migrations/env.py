"""Alembic environment of the register: always run through :mod:`caseregister.migrate`, which hands
over an open connection (there is no alembic.ini)."""

from __future__ import annotations

from alembic import context

from caseregister.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
