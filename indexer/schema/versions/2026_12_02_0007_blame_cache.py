"""Blame's cache of ``main``: per commit read, and per action each commit changed.

A published commit never changes, so what blame derives from one is kept: a query reads
the few rows of the actions it asks about instead of parsing every version's document.
The tables are a cache of git (empty after ``wfv reindex`` into a new database; the next
blame fills them), kept per tenant under row-level security like every other table.

Revision ID: 0007_blame_cache
Revises: 0006_draft_revisions
Create Date: 2026-12-02 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_blame_cache"
down_revision: str | None = "0006_draft_revisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMMITS = "workflow_blame_commits"
CHANGES = "workflow_blame_changes"
SHA = sa.String(length=40)


def _workflow_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workflow_id"], ["workflows.id"], name=op.f(f"fk_{table}_workflow_id_workflows"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        COMMITS,
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("commit_sha", SHA, nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("parent_sha", SHA, nullable=True),
        sa.Column("base_sha", SHA, nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        _workflow_fk(COMMITS),
        sa.PrimaryKeyConstraint("workflow_id", "commit_sha", name=op.f(f"pk_{COMMITS}")),
    )
    op.create_table(
        CHANGES,
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.String(length=64), nullable=False),
        sa.Column("commit_sha", SHA, nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("action", sa.Text(), nullable=True),
        _workflow_fk(CHANGES),
        sa.PrimaryKeyConstraint("workflow_id", "action_id", "commit_sha", name=op.f(f"pk_{CHANGES}")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # The same row-level security as every tenant table (revision 0002). The service
        # only adds rows (a commit's facts never change) and may drop them (a cache).
        match = "tenant_id = current_setting('app.tenant_id', true)"
        for table in (COMMITS, CHANGES):
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({match}) WITH CHECK ({match})")
            op.execute(f"GRANT SELECT, INSERT, DELETE ON {table} TO wfv_app")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (COMMITS, CHANGES):
            op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
            op.execute(f"REVOKE ALL ON {table} FROM wfv_app")
    op.drop_table(CHANGES)
    op.drop_table(COMMITS)
