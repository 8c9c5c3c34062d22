"""Guarded rollouts: a draft ramped to a share of new enrolments while the current version
stays current (``service.rollouts``). At most one rollout per workflow is not over
(a partial unique index on running, paused and halted). The executions gain the index the
guards read through (each version's executions enrolled in a step, by status).

Row-level security on PostgreSQL like every tenant table: the service role reads, inserts
and updates its tenant's rows; it never deletes one (a rollout's history stays).

Revision ID: 0016_rollouts
Revises: 0015_webhooks
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016_rollouts"
down_revision: str | None = "0015_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLLOUTS = "rollouts"
JSON = postgresql.JSONB().with_variant(sa.JSON(), "sqlite")
WHEN = sa.DateTime(timezone=True)
ACTIVE = "state IN ('running', 'paused', 'halted')"
# The guards count each version's executions enrolled in a step by status, index-only.
GUARD_INDEX = "ix_executions_enrolled_window"
GUARD_COLUMNS = ["workflow_id", "version_id", "enrolled_at", "status", "tenant_id"]


def upgrade() -> None:
    op.create_index(GUARD_INDEX, "executions", GUARD_COLUMNS)
    op.create_table(
        ROLLOUTS,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("target_version_id", sa.Uuid(), nullable=False),
        sa.Column("baseline_version_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("steps", JSON, nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("step_started_at", WHEN, nullable=False),
        sa.Column("next_step_at", WHEN, nullable=True),
        sa.Column("cohort", JSON, nullable=False),
        sa.Column("guard", JSON, nullable=False),
        sa.Column("halted_reason", JSON, nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "state IN ('running', 'paused', 'halted', 'published', 'aborted')",
            name=op.f(f"ck_{ROLLOUTS}_state"),
        ),
        sa.CheckConstraint("step_index >= 0", name=op.f(f"ck_{ROLLOUTS}_step_index")),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f(f"fk_{ROLLOUTS}_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_version_id"],
            ["workflow_versions.id"],
            name=op.f(f"fk_{ROLLOUTS}_target_version_id_workflow_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{ROLLOUTS}")),
    )
    with op.batch_alter_table(ROLLOUTS, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f(f"ix_{ROLLOUTS}_tenant_id_state_next_step_at"), ["tenant_id", "state", "next_step_at"]
        )
        batch_op.create_index(
            batch_op.f(f"ix_{ROLLOUTS}_tenant_id_workflow_id_created_at"),
            ["tenant_id", "workflow_id", "created_at"],
        )
    op.create_index(
        "uq_rollouts_one_active",
        ROLLOUTS,
        ["workflow_id"],
        unique=True,
        postgresql_where=sa.text(ACTIVE),
        sqlite_where=sa.text(ACTIVE),
    )

    if op.get_bind().dialect.name == "postgresql":
        match = "tenant_id = current_setting('app.tenant_id', true)"
        op.execute(f"ALTER TABLE {ROLLOUTS} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {ROLLOUTS} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON {ROLLOUTS} USING ({match}) WITH CHECK ({match})")
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {ROLLOUTS} TO wfv_app")


def downgrade() -> None:
    op.drop_index(GUARD_INDEX, table_name="executions")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {ROLLOUTS}")
        op.execute(f"REVOKE ALL ON {ROLLOUTS} FROM wfv_app")
    op.drop_index("uq_rollouts_one_active", table_name=ROLLOUTS)
    op.drop_table(ROLLOUTS)
