"""Event webhooks: tenants' endpoints, the outbox of events written in the same transaction
as each change, one delivery per (event, endpoint) and every attempt of it.

Row-level security on PostgreSQL like every tenant table: the service role reads and
writes its tenant's rows; it never deletes one (an endpoint is deleted softly, and its
deliveries' history stays), and attempts are append-only.

Revision ID: 0015_webhooks
Revises: 0013_migration_generation
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015_webhooks"
down_revision: str | None = "0014_idempotency_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENDPOINTS = "webhook_endpoints"
EVENTS = "webhook_events"
DELIVERIES = "webhook_deliveries"
ATTEMPTS = "webhook_delivery_attempts"
JSON = postgresql.JSONB().with_variant(sa.JSON(), "sqlite")
WHEN = sa.DateTime(timezone=True)
# What the service role may do with each table's rows (its own tenant's, by the policy).
GRANTS = {
    ENDPOINTS: "SELECT, INSERT, UPDATE",
    EVENTS: "SELECT, INSERT",
    DELIVERIES: "SELECT, INSERT, UPDATE",
    ATTEMPTS: "SELECT, INSERT",
}


def upgrade() -> None:
    op.create_table(
        ENDPOINTS,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("event_types", JSON, nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("deleted_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{ENDPOINTS}")),
    )
    with op.batch_alter_table(ENDPOINTS, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f(f"ix_{ENDPOINTS}_tenant_id_created_at_id"), ["tenant_id", "created_at", "id"]
        )
    op.create_table(
        EVENTS,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("traceparent", sa.Text(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{EVENTS}")),
    )
    with op.batch_alter_table(EVENTS, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{EVENTS}_tenant_id_created_at"), ["tenant_id", "created_at"])
    op.create_table(
        DELIVERIES,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=True),
        sa.Column("lease_until", WHEN, nullable=True),
        sa.Column("retry_until", WHEN, nullable=False),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'delivering', 'delivered', 'failed', 'cancelled')",
            name=op.f(f"ck_{DELIVERIES}_state"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            [f"{EVENTS}.id"],
            name=op.f(f"fk_{DELIVERIES}_event_id_{EVENTS}"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            [f"{ENDPOINTS}.id"],
            name=op.f(f"fk_{DELIVERIES}_endpoint_id_{ENDPOINTS}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{DELIVERIES}")),
        sa.UniqueConstraint("event_id", "endpoint_id", name=op.f(f"uq_{DELIVERIES}_event_id_endpoint_id")),
    )
    with op.batch_alter_table(DELIVERIES, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f(f"ix_{DELIVERIES}_tenant_id_state_next_attempt_at"),
            ["tenant_id", "state", "next_attempt_at"],
        )
        batch_op.create_index(
            batch_op.f(f"ix_{DELIVERIES}_tenant_id_endpoint_id_created_at_id"),
            ["tenant_id", "endpoint_id", "created_at", "id"],
        )
    op.create_table(
        ATTEMPTS,
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("attempted_at", WHEN, nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            [f"{DELIVERIES}.id"],
            name=op.f(f"fk_{ATTEMPTS}_delivery_id_{DELIVERIES}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{ATTEMPTS}")),
    )
    with op.batch_alter_table(ATTEMPTS, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{ATTEMPTS}_delivery_id_id"), ["delivery_id", "id"])

    if op.get_bind().dialect.name == "postgresql":
        match = "tenant_id = current_setting('app.tenant_id', true)"
        for table, grants in GRANTS.items():
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({match}) WITH CHECK ({match})")
            op.execute(f"GRANT {grants} ON {table} TO wfv_app")
        op.execute(f"GRANT USAGE ON SEQUENCE {ATTEMPTS}_id_seq TO wfv_app")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in GRANTS:
            op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
            op.execute(f"REVOKE ALL ON {table} FROM wfv_app")
    for table in (ATTEMPTS, DELIVERIES, EVENTS, ENDPOINTS):
        op.drop_table(table)
