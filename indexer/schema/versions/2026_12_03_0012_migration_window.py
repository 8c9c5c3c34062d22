"""A migration's current window and its halt: the ETA and the halt rule measure the
current gradual step (or the batches since a resume), not the whole run.

``workflow_version_migrations`` gains:

- ``window_started_at``, ``window_processed``, ``window_failed``: when the current window
  (a gradual step, or the batches since the last resume) opened, and the counters then,
  so the failure share of that window alone is a subtraction;
- ``active_seconds``: the time spent in closed windows, so the rate leaves out the pauses
  between gradual steps (and any pause by hand);
- ``next_step_at``: when a gradual migration resting between steps starts its next one;
- ``halt``: the step, share and threshold of the halt a migration is paused by.

Rows already there keep telling roughly the truth: a finished migration's active time is
its run (finished minus started, as its rate was computed until now), and an unfinished
one's window opens at its start (cumulative, as its halt rule was) until its next step or
resume opens a new one.

Revision ID: 0012_migration_window
Revises: 0011_archival_reports
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_migration_window"
down_revision: str | None = "0011_archival_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "workflow_version_migrations"


def _backfill() -> None:
    """Active time and windows of the rows already there, computed in Python (date
    arithmetic differs between the two databases); row-level security lifted meanwhile
    (it binds the owner too), as revision 0010 does."""
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute(f"ALTER TABLE {TABLE} NO FORCE ROW LEVEL SECURITY")
    rows = sa.table(
        TABLE,
        sa.column("id", sa.Uuid()),
        sa.column("status", sa.String()),
        sa.column("started_at", sa.DateTime(timezone=True)),
        sa.column("finished_at", sa.DateTime(timezone=True)),
        sa.column("failed", sa.Integer()),
        sa.column("window_started_at", sa.DateTime(timezone=True)),
        sa.column("active_seconds", sa.Float()),
    )
    found = bind.execute(
        sa.select(rows.c.id, rows.c.status, rows.c.started_at, rows.c.finished_at).where(
            rows.c.started_at.is_not(None)
        )
    ).all()
    for key, status, started, finished in found:
        if finished is not None:
            values = {"active_seconds": max(0.0, (finished - started).total_seconds())}
        elif status in ("queued", "running"):
            values = {"window_started_at": started}
        else:
            continue
        bind.execute(sa.update(rows).where(rows.c.id == key).values(**values))
    if postgres:
        op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")


def upgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("window_processed", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("window_failed", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("active_seconds", sa.Float(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_step_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("halt", postgresql.JSONB().with_variant(sa.JSON(), "sqlite"), nullable=True)
        )
    _backfill()


def downgrade() -> None:
    # Dropped in place (SQLite >= 3.35 drops a plain column): copying the table, as batch
    # mode would, fails on SQLite while migration items point at it (revision 0009).
    with op.batch_alter_table(TABLE, schema=None, recreate="never") as batch_op:
        batch_op.drop_column("halt")
        batch_op.drop_column("next_step_at")
        batch_op.drop_column("active_seconds")
        batch_op.drop_column("window_failed")
        batch_op.drop_column("window_processed")
        batch_op.drop_column("window_started_at")
