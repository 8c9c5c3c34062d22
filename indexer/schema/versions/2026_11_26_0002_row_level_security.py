"""Row-level security on PostgreSQL, and the service role it binds.

Every tenant table gets RLS enabled *and forced* (so even the owner's sessions obey it)
with one policy: a row is visible and writable only when its ``tenant_id`` equals the
transaction's ``app.tenant_id`` setting, which the service sets per transaction
(``set_config(..., true)``, i.e. ``SET LOCAL``). The service connects as ``wfv_app``, a
role that owns nothing and may not UPDATE or DELETE audit entries. Migrations run as the
owner. SQLite has no RLS: this revision does nothing there.

Revision ID: 0002_row_level_security
Revises: 0001_core_tables
Create Date: 2026-11-26 02:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_row_level_security"
down_revision: str | None = "0001_core_tables"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "wfv_app"
READ_WRITE = [
    "workflows",
    "workflow_versions",
    "workflow_version_migrations",
    "workflow_version_drafts",
    "executions",
]
APPEND_ONLY = ["workflow_version_audit_logs"]
POLICY = "tenant_isolation"
MATCH = "tenant_id = current_setting('app.tenant_id', true)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') "
        f"THEN CREATE ROLE {APP_ROLE} LOGIN; END IF; END $$"
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    op.execute(f"GRANT SELECT ON alembic_version TO {APP_ROLE}")
    for table in READ_WRITE + APPEND_ONLY:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON {table} USING ({MATCH}) WITH CHECK ({MATCH})")
    for table in READ_WRITE:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
    for table in APPEND_ONLY:
        op.execute(f"GRANT SELECT, INSERT ON {table} TO {APP_ROLE}")
        op.execute(f"GRANT USAGE ON SEQUENCE {table}_id_seq TO {APP_ROLE}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in READ_WRITE + APPEND_ONLY:
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM {APP_ROLE}")
    op.execute(f"REVOKE ALL ON alembic_version FROM {APP_ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}")
