"""The change feed of what wfv moved (``GET /api/v1/executions/changes``): the journey's
rows of cause ``migration`` and ``revert``, served in commit order from a cursor.

``seq`` alone cannot be that order on PostgreSQL: a sequence number is drawn at INSERT,
not at COMMIT, so a reader that has seen seq 10 may later see seq 9 commit, and a cursor
at 10 would skip it for good. So every journey row also keeps ``xid``, the id of the
transaction that wrote it (a column DEFAULT, ``pg_current_xact_id()``: every insert path,
present or future, fills it without naming it), and the feed serves only rows whose
transaction is older than every transaction still running (below the snapshot's
``xmin``), ordered by ``(xid, seq)``: nothing can commit behind such a cursor any more.
Rows written before this revision read ``xid`` 0 (a constant default added first, with no
rewrite of the table; then the real default), so they come first, all long committed.

SQLite has one writer at a time, holding the write lock to its commit, so ``seq`` order is
commit order there and ``xid`` stays NULL. Its table is rebuilt with ``AUTOINCREMENT``: a
plain ``INTEGER PRIMARY KEY`` reuses numbers after the newest rows are deleted (a journey
expired whole), and a feed cursor past them would then skip the new rows.

One partial index for the feed on both databases: ``(tenant_id, xid, seq)`` of the rows of
cause migration or revert (on SQLite ``xid`` is NULL throughout, so it orders by ``seq``).

Revision ID: 0018_journey_feed
Revises: 0017_journeys
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_journey_feed"
down_revision: str | None = "0017_journeys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOURNEY = "execution_journey"
INDEX = f"ix_{JOURNEY}_feed"
FEED = "cause IN ('migration', 'revert')"
XID = "pg_current_xact_id()::text::bigint"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {JOURNEY} ADD COLUMN xid bigint DEFAULT 0")
        op.execute(f"ALTER TABLE {JOURNEY} ALTER COLUMN xid SET DEFAULT ({XID})")
    else:
        with op.batch_alter_table(
            JOURNEY, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            batch_op.add_column(sa.Column("xid", sa.Integer(), nullable=True))
    op.create_index(
        INDEX,
        JOURNEY,
        ["tenant_id", "xid", "seq"],
        postgresql_where=sa.text(FEED),
        sqlite_where=sa.text(FEED),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name=JOURNEY)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {JOURNEY} DROP COLUMN xid")
    else:
        with op.batch_alter_table(JOURNEY, recreate="always") as batch_op:
            batch_op.drop_column("xid")
