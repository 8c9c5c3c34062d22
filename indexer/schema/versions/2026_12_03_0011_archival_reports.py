"""Archival reports: what each archival run archived and, per retention rule, what each
rule kept, one row per (version, outcome, rule), written by the run's batches in the
same transactions as the archival itself; and audit entries that belong to a tenant, not
a workflow (an archival run's report is made and read tenant-wide).

The rows reference their run with ``ON DELETE CASCADE``: a report lives exactly as long
as its run record. ``wfv_app`` cannot delete runs (nor report rows), so only an operator
pruning old runs removes reports, and then with their runs.

Making ``workflow_id`` of the audit log nullable is a table rebuild on SQLite (a copy of
the audit log; ALTER COLUMN on PostgreSQL). The downgrade deletes the tenant-wide entries,
which the older schema cannot hold.

Revision ID: 0011_archival_reports
Revises: 0010_draft_bound_seal
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_archival_reports"
down_revision: str | None = "0010_draft_bound_seal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRIES = "workflow_version_archival_report_entries"
RUNS = "workflow_version_archival_runs"
AUDIT = "workflow_version_audit_logs"


def upgrade() -> None:
    op.create_table(
        ENTRIES,
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_name", sa.String(length=200), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("commit_sha", sa.String(length=40), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("outcome IN ('archived', 'kept')", name=op.f(f"ck_{ENTRIES}_outcome")),
        sa.ForeignKeyConstraint(
            ["run_id"], [f"{RUNS}.id"], name=op.f(f"fk_{ENTRIES}_run_id_{RUNS}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{ENTRIES}")),
    )
    with op.batch_alter_table(ENTRIES, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f(f"ix_{ENTRIES}_run_id_outcome_rule_id"),
            ["run_id", "outcome", "rule", "id"],
            unique=False,
        )
    with op.batch_alter_table(AUDIT, schema=None) as batch_op:
        batch_op.alter_column("workflow_id", existing_type=sa.Uuid(), nullable=True)

    if op.get_bind().dialect.name == "postgresql":
        # Row-level security like every tenant table (revision 0002); the service role may
        # add and read report rows, never change or delete them.
        match = "tenant_id = current_setting('app.tenant_id', true)"
        op.execute(f"ALTER TABLE {ENTRIES} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {ENTRIES} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON {ENTRIES} USING ({match}) WITH CHECK ({match})")
        op.execute(f"GRANT SELECT, INSERT ON {ENTRIES} TO wfv_app")
        op.execute(f"GRANT USAGE ON SEQUENCE {ENTRIES}_id_seq TO wfv_app")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:  # row-level security binds a non-superuser owner too: every tenant's rows
        op.execute(f"ALTER TABLE {AUDIT} NO FORCE ROW LEVEL SECURITY")
    op.execute(sa.text(f"DELETE FROM {AUDIT} WHERE workflow_id IS NULL"))
    if postgres:
        op.execute(f"ALTER TABLE {AUDIT} FORCE ROW LEVEL SECURITY")
    with op.batch_alter_table(AUDIT, schema=None) as batch_op:
        batch_op.alter_column("workflow_id", existing_type=sa.Uuid(), nullable=False)
    if postgres:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {ENTRIES}")
        op.execute(f"REVOKE ALL ON {ENTRIES} FROM wfv_app")
    with op.batch_alter_table(ENTRIES, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{ENTRIES}_run_id_outcome_rule_id"))
    op.drop_table(ENTRIES)
