"""Executions indexed for migration batches; the migration runner's progress and items.

Revision ID: 0004_migration_runner
Revises: 0003_reviews
Create Date: 2026-11-26 02:31:56.149684
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_migration_runner"
down_revision: str | None = "0003_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "workflow_version_migration_items",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("migration_id", sa.Uuid(), nullable=False),
        sa.Column("execution_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.String(length=255), nullable=False),
        sa.Column("from_version_id", sa.Uuid(), nullable=False),
        sa.Column("from_action_id", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('failed', 'exited', 'skipped')",
            name=op.f("ck_workflow_version_migration_items_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["migration_id"],
            ["workflow_version_migrations.id"],
            name=op.f("fk_workflow_version_migration_items_migration_id_workflow_version_migrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_version_migration_items_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_version_migration_items")),
    )
    with op.batch_alter_table("workflow_version_migration_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workflow_version_migration_items_migration_id_execution_id"),
            ["migration_id", "execution_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_workflow_version_migration_items_migration_id_outcome_id"),
            ["migration_id", "outcome", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_workflow_version_migration_items_tenant_id_workflow_id"),
            ["tenant_id", "workflow_id"],
            unique=False,
        )

    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_migration_id", sa.Uuid(), nullable=True))
        batch_op.drop_index(batch_op.f("ix_executions_workflow_id_version_id_status"))
        batch_op.create_index(
            batch_op.f("ix_executions_last_migration_id"), ["last_migration_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_executions_workflow_id_version_id_id"),
            ["workflow_id", "version_id", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_executions_workflow_id_version_id_status_current_action_id"),
            ["workflow_id", "version_id", "status", "current_action_id"],
            unique=False,
        )
        batch_op.create_index(
            "uq_executions_one_live_per_contact",
            ["workflow_id", "contact_id"],
            unique=True,
            postgresql_where=sa.text("status IN ('active', 'waiting')"),
            sqlite_where=sa.text("status IN ('active', 'waiting')"),
        )

    with op.batch_alter_table("workflow_version_migrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cursor", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("source_index", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("sweep", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("step", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("status_reason", sa.Text(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        # The same row-level security as every tenant table (revision 0002); items are a
        # record of what a migration did, appended and never rewritten by the service.
        match = "tenant_id = current_setting('app.tenant_id', true)"
        op.execute("ALTER TABLE workflow_version_migration_items ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE workflow_version_migration_items FORCE ROW LEVEL SECURITY")
        op.execute(
            "CREATE POLICY tenant_isolation ON workflow_version_migration_items"
            f" USING ({match}) WITH CHECK ({match})"
        )
        op.execute("GRANT SELECT, INSERT ON workflow_version_migration_items TO wfv_app")
        op.execute("GRANT USAGE ON SEQUENCE workflow_version_migration_items_id_seq TO wfv_app")


def downgrade() -> None:

    with op.batch_alter_table("workflow_version_migrations", schema=None) as batch_op:
        batch_op.drop_column("status_reason")
        batch_op.drop_column("step")
        batch_op.drop_column("sweep")
        batch_op.drop_column("source_index")
        batch_op.drop_column("cursor")
        batch_op.drop_column("heartbeat_at")

    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_executions_one_live_per_contact",
            postgresql_where=sa.text("status IN ('active', 'waiting')"),
            sqlite_where=sa.text("status IN ('active', 'waiting')"),
        )
        batch_op.drop_index(batch_op.f("ix_executions_workflow_id_version_id_status_current_action_id"))
        batch_op.drop_index(batch_op.f("ix_executions_workflow_id_version_id_id"))
        batch_op.drop_index(batch_op.f("ix_executions_last_migration_id"))
        batch_op.create_index(
            batch_op.f("ix_executions_workflow_id_version_id_status"),
            ["workflow_id", "version_id", "status"],
            unique=False,
        )
        batch_op.drop_column("last_migration_id")

    with op.batch_alter_table("workflow_version_migration_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflow_version_migration_items_tenant_id_workflow_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_version_migration_items_migration_id_outcome_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_version_migration_items_migration_id_execution_id"))

    op.drop_table("workflow_version_migration_items")
