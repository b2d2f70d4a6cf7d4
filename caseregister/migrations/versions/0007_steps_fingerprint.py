"""What the stored timeline steps were computed with: ``cases.steps_fingerprint`` holds the fingerprint
of the jurisdiction profiles, timeline rules and holiday calendar the current version's steps were
computed with (:mod:`caseregister.knowledge`), so that steps computed with other data can be found
and computed again (``ecoclaim db recompute``); indexed with the department, so that the board
counts a user's stale cases from the index alone.

Upgrade: the column, ``NULL`` on every existing case — the data their steps were computed with was
not recorded, so they count as stale until recomputed (``ecoclaim db init`` says so; the service
recomputes them when it starts). Downgrade: the index and the column are dropped.

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
    op.add_column("cases", sa.Column("steps_fingerprint", sa.String(64), nullable=True))
    op.create_index("ix_cases_department_id_steps_fingerprint", "cases", ["department_id", "steps_fingerprint"])


def downgrade() -> None:
    op.drop_index("ix_cases_department_id_steps_fingerprint", table_name="cases")
    op.drop_column("cases", "steps_fingerprint")
