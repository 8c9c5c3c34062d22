"""Reviews of drafts (pull-request style) and the per-workflow approval rule.

Revision ID: 0003_reviews
Revises: 0002_row_level_security
Create Date: 2026-11-26 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_reviews"
down_revision: str | None = "0002_row_level_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "wfv_app"
TABLES = ["workflow_version_reviews", "workflow_version_review_events"]
MATCH = "tenant_id = current_setting('app.tenant_id', true)"
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("workflows") as batch:
        batch.add_column(sa.Column("required_approvals", sa.Integer(), server_default="0", nullable=False))
        batch.create_check_constraint(
            "required_approvals", "required_approvals >= 0 AND required_approvals <= 10"
        )
    op.create_table(
        "workflow_version_reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("base_version_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("opened_by", sa.String(length=255), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'merged', 'closed')", name=op.f("ck_workflow_version_reviews_status")
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_version_reviews_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["workflow_versions.id"],
            name=op.f("fk_workflow_version_reviews_version_id_workflow_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_version_reviews")),
    )
    op.create_index(
        "uq_workflow_version_reviews_one_open",
        "workflow_version_reviews",
        ["version_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
        sqlite_where=sa.text("status = 'open'"),
    )
    op.create_index(
        op.f("ix_workflow_version_reviews_tenant_id_workflow_id"),
        "workflow_version_reviews",
        ["tenant_id", "workflow_id"],
    )
    op.create_table(
        "workflow_version_review_events",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("author_id", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("action_id", sa.String(length=64), nullable=True),
        sa.Column("json_path", sa.String(length=512), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("commit_sha", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('comment', 'approve', 'request_changes')",
            name=op.f("ck_workflow_version_review_events_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_version_review_events_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["workflow_version_reviews.id"],
            name=op.f("fk_workflow_version_review_events_review_id_workflow_version_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_version_review_events")),
    )
    op.create_index(
        op.f("ix_workflow_version_review_events_review_id_id"),
        "workflow_version_review_events",
        ["review_id", "id"],
    )
    op.create_index(
        op.f("ix_workflow_version_review_events_tenant_id_workflow_id"),
        "workflow_version_review_events",
        ["tenant_id", "workflow_id"],
    )
    if op.get_bind().dialect.name == "postgresql":
        _secure()


def _secure() -> None:
    """The same row-level security and grants as every tenant table (revision 0002)."""
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({MATCH}) WITH CHECK ({MATCH})")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON workflow_version_reviews TO {APP_ROLE}")
    # Review events are a record, like the audit trail: appended, never rewritten.
    op.execute(f"GRANT SELECT, INSERT ON workflow_version_review_events TO {APP_ROLE}")
    op.execute(f"GRANT USAGE ON SEQUENCE workflow_version_review_events_id_seq TO {APP_ROLE}")


def downgrade() -> None:
    op.drop_table("workflow_version_review_events")
    op.drop_table("workflow_version_reviews")
    with op.batch_alter_table("workflows") as batch:
        batch.drop_constraint("ck_workflows_required_approvals", type_="check")
        batch.drop_column("required_approvals")
