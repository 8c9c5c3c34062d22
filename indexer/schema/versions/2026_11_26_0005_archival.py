"""Scheduled archival: legal holds and archive times on versions, the runs, and the index
that answers "when did this version last see an execution" without touching the heap.

Revision ID: 0005_archival
Revises: 0004_migration_runner
Create Date: 2026-11-26 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_archival"
down_revision: str | None = "0004_migration_runner"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNS = "workflow_version_archival_runs"


def upgrade() -> None:
    with op.batch_alter_table("workflow_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal_hold_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("legal_hold_by", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("legal_hold_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("unarchived_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_executions_version_id_updated_at"), ["version_id", "updated_at"], unique=False
        )

    op.create_table(
        RUNS,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("triggered_by", sa.String(length=255), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.Column("keep_versions", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.Uuid(), nullable=True),
        sa.Column("batches", sa.Integer(), nullable=False),
        sa.Column("examined", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Integer(), nullable=False),
        sa.Column("skipped", postgresql.JSONB().with_variant(sa.JSON(), "sqlite"), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('running', 'completed', 'failed')", name=op.f(f"ck_{RUNS}_status")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{RUNS}")),
    )
    with op.batch_alter_table(RUNS, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f(f"ix_{RUNS}_tenant_id_started_at"), ["tenant_id", "started_at"], unique=False
        )
        batch_op.create_index(
            f"uq_{RUNS}_one_running",
            ["tenant_id"],
            unique=True,
            postgresql_where=sa.text("status = 'running'"),
            sqlite_where=sa.text("status = 'running'"),
        )

    if op.get_bind().dialect.name == "postgresql":
        # The same row-level security as every tenant table (revision 0002): a run is one
        # tenant's record, and the scheduled job visits tenants one at a time.
        match = "tenant_id = current_setting('app.tenant_id', true)"
        op.execute(f"ALTER TABLE {RUNS} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {RUNS} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON {RUNS} USING ({match}) WITH CHECK ({match})")
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {RUNS} TO wfv_app")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {RUNS}")
        op.execute(f"REVOKE ALL ON {RUNS} FROM wfv_app")
    with op.batch_alter_table(RUNS, schema=None) as batch_op:
        batch_op.drop_index(
            f"uq_{RUNS}_one_running",
            postgresql_where=sa.text("status = 'running'"),
            sqlite_where=sa.text("status = 'running'"),
        )
        batch_op.drop_index(batch_op.f(f"ix_{RUNS}_tenant_id_started_at"))
    op.drop_table(RUNS)

    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_executions_version_id_updated_at"))

    with op.batch_alter_table("workflow_versions", schema=None) as batch_op:
        batch_op.drop_column("unarchived_at")
        batch_op.drop_column("archived_at")
        batch_op.drop_column("legal_hold_at")
        batch_op.drop_column("legal_hold_by")
        batch_op.drop_column("legal_hold_reason")
