"""One live runner chain per migration: ``workflow_version_migrations.generation``.

A runner job re-enqueues itself while its migration runs; a resume (or the watchdog, or
a consumer that starts or sees the queue come back) enqueues another while the first one's
successor may still sit in the queue, and both then drive the migration. Every job now
carries the generation it was started for and exits when the row names another.

Rows already there get 0: jobs queued before the upgrade carry no generation, and one of
them is accepted only while the row is still at 0, claiming it (raising it to 1) so a
second such job, or any after a resume, exits (``tasks.migrations.run_migration``).

Revision ID: 0013_migration_generation
Revises: 0012_migration_window
Create Date: 2026-12-06 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_migration_generation"
down_revision: str | None = "0012_migration_window"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "workflow_version_migrations"


def upgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("generation", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    # Dropped in place, as revision 0012 does (copying the table fails on SQLite while
    # migration items point at it).
    with op.batch_alter_table(TABLE, schema=None, recreate="never") as batch_op:
        batch_op.drop_column("generation")
