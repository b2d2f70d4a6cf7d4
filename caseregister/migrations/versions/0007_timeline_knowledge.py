"""What each version's stored timeline steps were computed with: ``timeline_knowledge`` holds, per
version, the fingerprint of the jurisdiction profiles, timeline rules and holiday calendar
(:mod:`caseregister.knowledge`), so that steps computed with other data can be found and computed
again (``ecoclaim db recompute``).

Upgrade: one row per existing version, its fingerprint ``NULL`` — the data its steps were computed
with was not recorded, so they count as stale until recomputed (``ecoclaim db init`` says so; the
service recomputes them when it starts). Downgrade: the table is dropped.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "timeline_knowledge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["case_id", "version"], ["case_versions.case_id", "case_versions.number"],
                                name=op.f("fk_timeline_knowledge_case_id_case_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_knowledge")),
        sa.UniqueConstraint("case_id", "version", name=op.f("uq_timeline_knowledge_case_id_version")),
    )
    op.execute("INSERT INTO timeline_knowledge (case_id, version, fingerprint) "
               "SELECT case_id, number, NULL FROM case_versions ORDER BY id")


def downgrade() -> None:
    op.drop_table("timeline_knowledge")
