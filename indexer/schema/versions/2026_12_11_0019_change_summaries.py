"""Each version's change summary (``workflow_versions.change_summary``): what changed
against the version it was made from, computed once when the version's content is written
so that the versions list never diffs.

Nullable, no backfill: rows written before this revision read NULL and the service
computes their summary at read time without storing it (a GET writes nothing); healing
stores it the next time it rewrites the workflow's rows. Row-level security is per table,
so the new column is covered as it stands.

Revision ID: 0019_change_summaries
Revises: 0018_journey_feed
Create Date: 2026-12-11 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019_change_summaries"
down_revision: str | None = "0018_journey_feed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases (SQLite has ADD/DROP COLUMN): a batch "move and
# copy" would drop ``workflow_versions``, and with it, by ON DELETE CASCADE, every row
# under it (drafts, reviews).


def upgrade() -> None:
    op.add_column(
        "workflow_versions",
        sa.Column("change_summary", postgresql.JSONB().with_variant(sa.JSON(), "sqlite"), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("workflow_versions", "change_summary")
