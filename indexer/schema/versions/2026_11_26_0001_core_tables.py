"""core tables

Revision ID: 0001_core_tables
Revises:
Create Date: 2026-11-26 01:59:01.679516
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_core_tables"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "workflow_version_audit_logs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("details", postgresql.JSONB().with_variant(sa.JSON(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_version_audit_logs")),
    )
    with op.batch_alter_table("workflow_version_audit_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workflow_version_audit_logs_action"), ["action"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_workflow_version_audit_logs_tenant_id_workflow_id_id"),
            ["tenant_id", "workflow_id", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_workflow_version_audit_logs_version_id"), ["version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workflow_version_audit_logs_workflow_id"), ["workflow_id"], unique=False
        )

    op.create_table(
        "workflows",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("current_version_id", sa.Uuid(), nullable=True),
        sa.Column("last_version_number", sa.Integer(), nullable=False),
        sa.Column("git_head", sa.String(length=40), nullable=True),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflows")),
    )
    with op.batch_alter_table("workflows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workflows_tenant_id_created_at_id"),
            ["tenant_id", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "workflow_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("commit_sha", sa.String(length=40), nullable=False),
        sa.Column("tree_sha", sa.String(length=40), nullable=False),
        sa.Column("parent_version_id", sa.Uuid(), nullable=True),
        sa.Column("rollback_of_version_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=255), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("definition", postgresql.JSONB().with_variant(sa.JSON(), "sqlite"), nullable=False),
        sa.CheckConstraint(
            "NOT is_current OR status = 'active'",
            name=op.f("ck_workflow_versions_current_is_active"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'active', 'archived')", name=op.f("ck_workflow_versions_status")
        ),
        sa.CheckConstraint("lock_version >= 1", name=op.f("ck_workflow_versions_lock_version_positive")),
        sa.CheckConstraint("version_number >= 1", name=op.f("ck_workflow_versions_version_number_positive")),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_versions_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_versions")),
        sa.UniqueConstraint(
            "workflow_id",
            "version_number",
            name=op.f("uq_workflow_versions_workflow_id_version_number"),
        ),
    )
    with op.batch_alter_table("workflow_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workflow_versions_is_current"), ["is_current"], unique=False)
        batch_op.create_index(batch_op.f("ix_workflow_versions_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_workflow_versions_tenant_id_workflow_id"),
            ["tenant_id", "workflow_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_workflow_versions_workflow_id"), ["workflow_id"], unique=False)
        batch_op.create_index(
            "uq_workflow_versions_one_current",
            ["workflow_id"],
            unique=True,
            postgresql_where=sa.text("is_current"),
            sqlite_where=sa.text("is_current"),
        )

    op.create_table(
        "executions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.String(length=255), nullable=False),
        sa.Column("current_action_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('active', 'waiting', 'completed', 'exited', 'failed')",
            name=op.f("ck_executions_status"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["workflow_versions.id"],
            name=op.f("fk_executions_version_id_workflow_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_executions_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_executions")),
    )
    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_executions_tenant_id_workflow_id"),
            ["tenant_id", "workflow_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_executions_workflow_id_contact_id"),
            ["workflow_id", "contact_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_executions_workflow_id_version_id_status"),
            ["workflow_id", "version_id", "status"],
            unique=False,
        )

    op.create_table(
        "workflow_version_drafts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("last_saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["workflow_versions.id"],
            name=op.f("fk_workflow_version_drafts_version_id_workflow_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_version_drafts_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_version_drafts")),
        sa.UniqueConstraint(
            "workflow_id",
            "version_id",
            "user_id",
            name=op.f("uq_workflow_version_drafts_workflow_id_version_id_user_id"),
        ),
    )
    with op.batch_alter_table("workflow_version_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workflow_version_drafts_last_saved_at"), ["last_saved_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workflow_version_drafts_tenant_id_workflow_id"),
            ["tenant_id", "workflow_id"],
            unique=False,
        )

    op.create_table(
        "workflow_version_migrations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("target_version_id", sa.Uuid(), nullable=False),
        sa.Column(
            "source_version_ids",
            postgresql.JSONB().with_variant(sa.JSON(), "sqlite"),
            nullable=False,
        ),
        sa.Column("strategy", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("mapping", postgresql.JSONB().with_variant(sa.JSON(), "sqlite"), nullable=False),
        sa.Column("options", postgresql.JSONB().with_variant(sa.JSON(), "sqlite"), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("migrated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'paused', 'completed', 'cancelled', 'failed')",
            name=op.f("ck_workflow_version_migrations_status"),
        ),
        sa.CheckConstraint(
            "strategy IN ('immediate', 'gradual', 'manual')",
            name=op.f("ck_workflow_version_migrations_strategy"),
        ),
        sa.ForeignKeyConstraint(
            ["target_version_id"],
            ["workflow_versions.id"],
            name=op.f("fk_workflow_version_migrations_target_version_id_workflow_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_version_migrations_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_version_migrations")),
    )
    with op.batch_alter_table("workflow_version_migrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workflow_version_migrations_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_workflow_version_migrations_tenant_id_workflow_id"),
            ["tenant_id", "workflow_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_workflow_version_migrations_workflow_id"), ["workflow_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("workflow_version_migrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflow_version_migrations_workflow_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_version_migrations_tenant_id_workflow_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_version_migrations_status"))

    op.drop_table("workflow_version_migrations")
    with op.batch_alter_table("workflow_version_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflow_version_drafts_tenant_id_workflow_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_version_drafts_last_saved_at"))

    op.drop_table("workflow_version_drafts")
    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_executions_workflow_id_version_id_status"))
        batch_op.drop_index(batch_op.f("ix_executions_workflow_id_contact_id"))
        batch_op.drop_index(batch_op.f("ix_executions_tenant_id_workflow_id"))

    op.drop_table("executions")
    with op.batch_alter_table("workflow_versions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_workflow_versions_one_current",
            postgresql_where=sa.text("is_current"),
            sqlite_where=sa.text("is_current"),
        )
        batch_op.drop_index(batch_op.f("ix_workflow_versions_workflow_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_versions_tenant_id_workflow_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_versions_status"))
        batch_op.drop_index(batch_op.f("ix_workflow_versions_is_current"))

    op.drop_table("workflow_versions")
    with op.batch_alter_table("workflows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflows_tenant_id_created_at_id"))

    op.drop_table("workflows")
    with op.batch_alter_table("workflow_version_audit_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflow_version_audit_logs_workflow_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_version_audit_logs_version_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_version_audit_logs_tenant_id_workflow_id_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_version_audit_logs_action"))

    op.drop_table("workflow_version_audit_logs")
