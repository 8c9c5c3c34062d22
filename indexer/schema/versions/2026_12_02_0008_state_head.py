"""Where the index left ``refs/wfv/state``, the ref that keeps archival and legal holds in
git (so ``wfv reindex`` restores them): the compare-and-swap expectation of its next move.

Revision ID: 0008_state_head
Revises: 0007_blame_cache
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_state_head"
down_revision: str | None = "0007_blame_cache"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases (SQLite has ADD/DROP COLUMN): a batch "move and
# copy" would drop ``workflows``, and with it, by ON DELETE CASCADE, every row under it.


def upgrade() -> None:
    op.add_column("workflows", sa.Column("state_head", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("workflows", "state_head")
