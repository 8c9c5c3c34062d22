"""History nobody can erase: a workflow is deleted softly, and nothing cascades into the
append-only tables.

``wfv_app`` could not delete review events or migration items itself, but it could
delete a workflow (or a version, or a migration), and the foreign keys' ``ON DELETE
CASCADE`` then removed them on its behalf: cascades run as the table's owner. Now:

- ``workflows`` gains ``deleted_at``/``deleted_by``: a delete hides the workflow and keeps
  its rows (the audit trail records who deleted it);
- the foreign keys of review events and migration items no longer cascade, so deleting a
  workflow, version, review or migration that has them fails, whoever runs it;
- ``wfv_app`` loses DELETE on workflows, versions and migrations, which it never needs.

Revision ID: 0009_history_kept
Revises: 0008_state_head
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_history_kept"
down_revision: str | None = "0008_state_head"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS = "workflow_version_review_events"
ITEMS = "workflow_version_migration_items"
# (table, column, referred table) of every foreign key into an append-only table's parent.
APPEND_ONLY_KEYS = [
    (EVENTS, "workflow_id", "workflows"),
    (EVENTS, "review_id", "workflow_version_reviews"),
    (ITEMS, "workflow_id", "workflows"),
    (ITEMS, "migration_id", "workflow_version_migrations"),
]
NO_DELETE = ["workflows", "workflow_versions", "workflow_version_migrations"]


def _rebuild_keys(ondelete: str | None) -> None:
    """Each key dropped and made again with ``ondelete``. The two tables are leaves (no key
    points at them), so SQLite's copy of each table to alter it takes nothing with it."""
    for table in (EVENTS, ITEMS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column, referred in APPEND_ONLY_KEYS:
                if name != table:
                    continue
                key = op.f(f"fk_{table}_{column}_{referred}")
                batch_op.drop_constraint(key, type_="foreignkey")
                batch_op.create_foreign_key(key, referred, [column], ["id"], ondelete=ondelete)


def upgrade() -> None:
    with op.batch_alter_table("workflows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deleted_by", sa.String(length=255), nullable=True))
    _rebuild_keys(None)
    if op.get_bind().dialect.name == "postgresql":
        for table in NO_DELETE:
            op.execute(f"REVOKE DELETE ON {table} FROM wfv_app")


def _deleted_workflows() -> int:
    """How many workflows are deleted, every tenant's (row-level security binds the owner
    too: lifted for the count)."""
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE workflows NO FORCE ROW LEVEL SECURITY")
    workflows = sa.table("workflows", sa.column("deleted_at"))
    count = bind.scalar(
        sa.select(sa.func.count()).select_from(workflows).where(workflows.c.deleted_at.isnot(None))
    )
    if postgres:
        op.execute("ALTER TABLE workflows FORCE ROW LEVEL SECURITY")
    return int(count or 0)


def downgrade() -> None:
    deleted = _deleted_workflows()
    if deleted:
        raise RuntimeError(
            f"{deleted} workflow(s) are deleted: below revision 0009 they would show again;"
            " keep this revision (or remove those workflows' rows by hand first)"
        )
    if op.get_bind().dialect.name == "postgresql":
        for table in NO_DELETE:
            op.execute(f"GRANT DELETE ON {table} TO wfv_app")
    _rebuild_keys("CASCADE")
    # In place (SQLite 3.35+ drops a column itself): a batch copy of ``workflows`` would
    # drop the old table, and its cascades would take every version and draft with it.
    with op.batch_alter_table("workflows", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("deleted_by")
        batch_op.drop_column("deleted_at")
