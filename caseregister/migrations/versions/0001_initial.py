"""The register's first schema: departments, cases, versions, deadlines, documents, reviews, audit log.

``audit_log`` and ``case_versions`` are append-only: triggers refuse UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE) on both, whoever connects.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

JSON_DATA = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
APPEND_ONLY = ("audit_log", "case_versions")


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _stamp(name: str = "created_at", *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "departments",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        _stamp(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("name", name=op.f("uq_departments_name")),
    )
    op.create_table(
        "cases",
        _id(),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(200), nullable=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("jurisdiction", sa.String(50), nullable=False),
        sa.Column("stage", sa.String(50), nullable=False),
        sa.Column("stage_label", sa.String(200), nullable=False),
        sa.Column("obligor_names", sa.Text(), nullable=False),
        sa.Column("next_deadline", sa.Date(), nullable=True),
        sa.Column("next_deadline_title", sa.String(200), nullable=True),
        sa.Column("current_version", sa.Integer(), nullable=False),
        _stamp(),
        _stamp("updated_at"),
        sa.CheckConstraint("current_version >= 1", name=op.f("ck_cases_current_version_positive")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_cases_department_id_departments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("department_id", "case_number", name=op.f("uq_cases_department_id_case_number")),
    )
    op.create_index(op.f("ix_cases_case_number"), "cases", ["case_number"])
    op.create_index(op.f("ix_cases_department_id"), "cases", ["department_id"])
    op.create_index(op.f("ix_cases_next_deadline"), "cases", ["next_deadline"])
    op.create_table(
        "audit_log",
        _id(),
        _stamp("at"),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("detail", JSON_DATA, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_audit_log_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_case_id_id", "audit_log", ["case_id", "id"])
    op.create_table(
        "case_versions",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("base_number", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_format", sa.String(10), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("data", JSON_DATA, nullable=False),
        sa.Column("source_name", sa.String(500), nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("computed_on", sa.Date(), nullable=False),
        _stamp(),
        sa.CheckConstraint("text_format IN ('yaml', 'json')", name=op.f("ck_case_versions_text_format_known")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_case_versions_number_positive")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_versions_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_versions")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_case_versions_case_id_number")),
    )
    op.create_index(op.f("ix_case_versions_text_sha256"), "case_versions", ["text_sha256"])
    op.create_table(
        "deadlines",
        _id(),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(80), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_label", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["case_versions.id"],
                                name=op.f("fk_deadlines_version_id_case_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlines")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_deadlines_version_id_position")),
    )
    op.create_table(
        "documents",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(50), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("template_version", sa.String(100), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        _stamp(),
        sa.Column("signed_sha256", sa.String(64), nullable=True),
        sa.Column("signed_name", sa.String(500), nullable=True),
        sa.Column("signed_by", sa.String(200), nullable=True),
        _stamp("signed_at", nullable=True),
        sa.CheckConstraint("format IN ('docx', 'pdf', 'html', 'md')", name=op.f("ck_documents_format_known")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_documents_case_id_cases")),
        sa.ForeignKeyConstraint(["version_id"], ["case_versions.id"],
                                name=op.f("fk_documents_version_id_case_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("manifest_sha256", "file_name", name=op.f("uq_documents_manifest_sha256_file_name")),
    )
    op.create_index(op.f("ix_documents_case_id"), "documents", ["case_id"])
    op.create_index(op.f("ix_documents_sha256"), "documents", ["sha256"])
    op.create_table(
        "reviews",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("doc_type", sa.String(50), nullable=True),
        sa.Column("report", JSON_DATA, nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        _stamp(),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_reviews_case_id_cases")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_reviews_document_id_documents")),
        sa.ForeignKeyConstraint(["version_id"], ["case_versions.id"],
                                name=op.f("fk_reviews_version_id_case_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_case_id"), "reviews", ["case_id"])
    op.create_index(op.f("ix_reviews_file_sha256"), "reviews", ["file_sha256"])
    op.create_table(
        "accepted_findings",
        _id(),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("finding_index", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(50), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        _stamp(),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], name=op.f("fk_accepted_findings_review_id_reviews")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accepted_findings")),
        sa.UniqueConstraint("review_id", "finding_index", name=op.f("uq_accepted_findings_review_id_finding_index")),
    )
    _append_only_triggers()


def _append_only_triggers() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION caseregister_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION caseregister_append_only()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION caseregister_append_only()")
        return
    for table in APPEND_ONLY:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: {event} refused'); END")


def downgrade() -> None:
    for table in ("accepted_findings", "reviews", "documents", "deadlines", "case_versions", "audit_log",
                  "cases", "departments"):
        op.drop_table(table)
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION caseregister_append_only()")
