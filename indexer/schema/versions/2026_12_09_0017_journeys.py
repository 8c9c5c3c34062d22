"""Journeys: every change of an execution's position kept (``execution_journey``), a
revision per execution, pins, and migration reverts.

On PostgreSQL the journey is partitioned by ``at``, a partition per UTC week (from
Monday) plus a default one (a row never fails for want of a partition). A week, not a
day: an as-of read plans every kept partition up to its instant, and 90 days kept are 14
weeks but 90 days (planning dominated its time with daily ones). The service's role owns
no table, so partitions are made and dropped by ``wfv_journey_partitions(keep_days,
ahead_days)``, a ``SECURITY DEFINER`` function owned by the schema owner: it makes the
partitions from yesterday's week to ``ahead_days`` ahead, drops those whose upper bound is
older than ``keep_days`` days (read from the partition's bound, whatever its span), deletes
the default partition's expired rows, and returns how many partitions it dropped. The
daily task calls it; this migration calls it once.

Row-level security on PostgreSQL like every tenant table: the service role reads and
inserts journey rows (never updates one: history is appended), reads, inserts and deletes
pins, and reads, inserts and updates reverts.

Revision ID: 0017_journeys
Revises: 0016_rollouts
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_journeys"
down_revision: str | None = "0016_rollouts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOURNEY, PINS, REVERTS = "execution_journey", "execution_pins", "migration_reverts"
WHEN = sa.DateTime(timezone=True)
TENANT = sa.String(length=128)
USER = sa.String(length=255)
MATCH = "tenant_id = current_setting('app.tenant_id', true)"
CAUSES = "cause IN ('enrolment', 'engine', 'migration', 'revert')"
OUTCOMES_BEFORE = "outcome IN ('failed', 'exited', 'skipped')"
OUTCOMES = "outcome IN ('failed', 'exited', 'skipped', 'pinned')"
ITEMS = "workflow_version_migration_items"

PARTITIONS_FUNCTION = """
CREATE FUNCTION wfv_journey_partitions(keep_days integer, ahead_days integer)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    today date := (now() AT TIME ZONE 'UTC')::date;
    cutoff timestamptz := (today - keep_days)::timestamp AT TIME ZONE 'UTC';
    week date;
    part record;
    dropped integer := 0;
    upper_bound timestamptz;
BEGIN
    FOR week IN
        SELECT generate_series(date_trunc('week', today - 1), today + ahead_days, interval '7 days')::date
    LOOP
        IF to_regclass('execution_journey_p' || to_char(week, 'YYYYMMDD')) IS NULL THEN
            BEGIN
                EXECUTE format(
                    'CREATE TABLE %I PARTITION OF execution_journey FOR VALUES FROM (%L) TO (%L)',
                    'execution_journey_p' || to_char(week, 'YYYYMMDD'),
                    week::timestamp AT TIME ZONE 'UTC',
                    (week + 7)::timestamp AT TIME ZONE 'UTC');
            EXCEPTION WHEN check_violation THEN
                -- The default partition holds rows of that week: they stay there.
                NULL;
            END;
        END IF;
    END LOOP;
    IF keep_days IS NULL THEN
        RETURN 0;
    END IF;
    FOR part IN
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'execution_journey'::regclass AND c.relname ~ '^execution_journey_p[0-9]{8}$'
    LOOP
        upper_bound := substring(part.bound FROM 'TO \\(''([^'']+)''\\)')::timestamptz;
        IF upper_bound <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    DELETE FROM execution_journey_default WHERE at < cutoff;
    RETURN dropped;
END
$$
"""


def _journey_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("tenant_id", TENANT, nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("execution_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.String(length=255), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=16), nullable=False),
        sa.Column("cause_id", sa.Uuid(), nullable=True),
        sa.Column("from_version_id", sa.Uuid(), nullable=True),
        sa.Column("from_action_id", sa.String(length=64), nullable=True),
        sa.Column("from_status", sa.String(length=16), nullable=True),
    ]


def _journey_indexes() -> None:
    op.create_index(f"ix_{JOURNEY}_execution_id_at_seq", JOURNEY, ["execution_id", "at", "seq"])
    op.create_index(
        f"ix_{JOURNEY}_workflow_id_contact_id_at_seq", JOURNEY, ["workflow_id", "contact_id", "at", "seq"]
    )
    op.create_index(
        f"ix_{JOURNEY}_cause_id",
        JOURNEY,
        ["cause_id", "execution_id"],
        postgresql_where=sa.text("cause_id IS NOT NULL"),
        sqlite_where=sa.text("cause_id IS NOT NULL"),
    )
    op.create_index(
        f"ix_{JOURNEY}_cause_id_seq",
        JOURNEY,
        ["cause_id", "seq"],
        postgresql_where=sa.text("cause_id IS NOT NULL"),
        sqlite_where=sa.text("cause_id IS NOT NULL"),
    )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table(ITEMS, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{ITEMS}_outcome"), type_="check")
        batch_op.create_check_constraint("outcome", OUTCOMES)

    if postgres:
        columns = ",\n".join(
            f"{c.name} {c.type.compile(op.get_bind().dialect)}{'' if c.nullable else ' NOT NULL'}"
            for c in _journey_columns()
        )
        op.execute(
            f"CREATE TABLE {JOURNEY} (seq BIGSERIAL NOT NULL,\n{columns},\n"
            f"CONSTRAINT ck_{JOURNEY}_cause CHECK ({CAUSES})) PARTITION BY RANGE (at)"
        )
        op.execute(f"CREATE TABLE {JOURNEY}_default PARTITION OF {JOURNEY} DEFAULT")
    else:
        op.create_table(
            JOURNEY,
            sa.Column("seq", sa.Integer(), nullable=False),
            *_journey_columns(),
            sa.CheckConstraint(CAUSES, name=op.f(f"ck_{JOURNEY}_cause")),
            sa.PrimaryKeyConstraint("seq", name=op.f(f"pk_{JOURNEY}")),
        )
    _journey_indexes()

    op.create_table(
        PINS,
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.String(length=255), nullable=False),
        sa.Column("tenant_id", TENANT, nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=True),
        sa.Column("pinned_by", USER, nullable=False),
        sa.Column("pinned_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f(f"fk_{PINS}_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workflow_id", "contact_id", name=op.f(f"pk_{PINS}")),
    )
    op.create_table(
        REVERTS,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", TENANT, nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("migration_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("restored", sa.Integer(), nullable=False),
        sa.Column("moved_since", sa.Integer(), nullable=False),
        sa.Column("pinned", sa.Integer(), nullable=False),
        sa.Column("blocked", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("heartbeat_at", WHEN, nullable=True),
        sa.Column("created_by", USER, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("started_at", WHEN, nullable=True),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'completed', 'failed')", name=op.f(f"ck_{REVERTS}_status")
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f(f"fk_{REVERTS}_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["migration_id"],
            ["workflow_version_migrations.id"],
            name=op.f(f"fk_{REVERTS}_migration_id_workflow_version_migrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{REVERTS}")),
    )
    op.create_index(
        f"ix_{REVERTS}_tenant_id_workflow_id_created_at", REVERTS, ["tenant_id", "workflow_id", "created_at"]
    )
    op.create_index(f"ix_{REVERTS}_migration_id", REVERTS, ["migration_id"])

    if postgres:
        op.execute(PARTITIONS_FUNCTION)
        op.execute("REVOKE ALL ON FUNCTION wfv_journey_partitions(integer, integer) FROM PUBLIC")
        op.execute("GRANT EXECUTE ON FUNCTION wfv_journey_partitions(integer, integer) TO wfv_app")
        op.execute("SELECT wfv_journey_partitions(NULL, 7)")
        grants = {
            JOURNEY: "SELECT, INSERT",
            PINS: "SELECT, INSERT, DELETE",
            REVERTS: "SELECT, INSERT, UPDATE",
        }
        for table, allowed in grants.items():
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({MATCH}) WITH CHECK ({MATCH})")
            op.execute(f"GRANT {allowed} ON {table} TO wfv_app")
        op.execute(f"GRANT USAGE ON SEQUENCE {JOURNEY}_seq_seq TO wfv_app")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS wfv_journey_partitions(integer, integer)")
        for table in (JOURNEY, PINS, REVERTS):
            op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
            op.execute(f"REVOKE ALL ON {table} FROM wfv_app")
    op.drop_table(REVERTS)
    op.drop_table(PINS)
    op.drop_table(JOURNEY)  # on PostgreSQL its partitions go with it
    op.execute(f"DELETE FROM {ITEMS} WHERE outcome = 'pinned'")
    with op.batch_alter_table(ITEMS, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{ITEMS}_outcome"), type_="check")
        batch_op.create_check_constraint("outcome", OUTCOMES_BEFORE)
    with op.batch_alter_table("executions", schema=None) as batch_op:
        batch_op.drop_column("revision")
