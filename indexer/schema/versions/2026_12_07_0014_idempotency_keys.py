"""Idempotency keys: one row per (tenant, user, key) a caller sent with a POST that
creates or acts, holding its claim and then its first answer (``service/idempotency.py``).

Row-level security like every tenant table (revision 0002), plus one policy of its own:
any transaction may DELETE a row whose ``expires_at`` has passed, whatever its tenant.
The periodic sweep (``tasks/idempotency.py``) runs in no tenant's scope, so it sees no
row at all; a ``DELETE`` without a ``WHERE`` reads nothing either (no SELECT policy is
asked), and this policy alone picks the rows it removes: every tenant's expired keys, and
nothing else. A key past its time is dead already (a lookup treats it as absent), so
deleting one across tenants reveals and changes nothing.

Revision ID: 0014_idempotency_keys
Revises: 0013_migration_generation
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_idempotency_keys"
down_revision: str | None = "0013_migration_generation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "idempotency_keys"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("claim", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("headers", sa.Text(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("state IN ('running', 'done')", name=op.f(f"ck_{TABLE}_state")),
        sa.PrimaryKeyConstraint("tenant_id", "user_id", "key", name=op.f(f"pk_{TABLE}")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{TABLE}_expires_at"), ["expires_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        match = "tenant_id = current_setting('app.tenant_id', true)"
        op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON {TABLE} USING ({match}) WITH CHECK ({match})")
        op.execute(f"CREATE POLICY expired_sweep ON {TABLE} FOR DELETE USING (expires_at < now())")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {TABLE} TO wfv_app")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP POLICY IF EXISTS expired_sweep ON {TABLE}")
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {TABLE}")
        op.execute(f"REVOKE ALL ON {TABLE} FROM wfv_app")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{TABLE}_expires_at"))
    op.drop_table(TABLE)
