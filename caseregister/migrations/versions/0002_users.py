"""Accounts: departments get a code and an optional superior department; users (one department, one
role, password hash, failed-login count and lock) and their API tokens (only a SHA-256 is stored).

On SQLite, departments is altered by copying it (a "batch" alteration), which
:func:`caseregister.migrate.upgrade` allows by switching foreign keys off for the migration and
checking them all before it commits.

Existing departments get the code ``D`` + their id in four digits (``D0001``). Every existing case
already belongs to a department (``cases.department_id`` is required since 0001), so cases are
unchanged.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

#: the role codes as of this revision (caseregister.roles.ROLE_CODES may grow in a later one)
ROLE_CODES = ("drafter", "reviewer", "head", "admin", "reader")


def _sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


def upgrade() -> None:
    with op.batch_alter_table("departments") as batch:
        batch.add_column(sa.Column("code", sa.String(50), nullable=True))
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
    # 'D' + the id in at least four digits, as caseregister.accounts.implicit_code writes it
    code = "printf('D%04d', id)" if _sqlite() else "'D' || lpad(id::text, greatest(4, length(id::text)), '0')"
    op.execute(f"UPDATE departments SET code = {code}")
    with op.batch_alter_table("departments") as batch:
        batch.alter_column("code", existing_type=sa.String(50), nullable=False)
        batch.create_index(batch.f("ix_departments_code"), ["code"], unique=True)
        batch.create_index(batch.f("ix_departments_parent_id"), ["parent_id"])
        batch.create_foreign_key(batch.f("fk_departments_parent_id_departments"), "departments",
                                 ["parent_id"], ["id"])

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN (" + ", ".join(f"'{code}'" for code in ROLE_CODES) + ")",
                           name=op.f("ck_users_role_known")),
        sa.CheckConstraint("failed_logins >= 0", name=op.f("ck_users_failed_logins_not_negative")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_users_department_id_departments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_index(op.f("ix_users_department_id"), "users", ["department_id"])
    op.create_index(op.f("ix_users_username"), "users", ["username"], unique=True)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
    )
    op.create_index(op.f("ix_api_tokens_token_sha256"), "api_tokens", ["token_sha256"], unique=True)
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("departments") as batch:
        batch.drop_constraint(batch.f("fk_departments_parent_id_departments"), type_="foreignkey")
        batch.drop_index(batch.f("ix_departments_parent_id"))
        batch.drop_index(batch.f("ix_departments_code"))
        batch.drop_column("parent_id")
        batch.drop_column("code")
