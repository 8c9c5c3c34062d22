"""The reads of the consistency check (``service.healing.check``, ``wfv check``): one
workflow's audit trail, executions and migrations, tallied in SQL so the check reads
counts rather than every execution row.

Each takes the tenant and filters by it; ``tenants_with_rows`` alone reads across
tenants, for SQLite, where no row-level security hides them and a tenant may have rows
but no repository left.
"""

import uuid
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexer.executions import LIVE
from indexer.models import AuditEntry, Execution, MigrationItem, VersionMigration, Workflow


class MigrationTally(NamedTuple):
    """A migration's counters, and the failed items it recorded (the two must agree)."""

    id: uuid.UUID
    status: str
    total: int
    migrated: int
    skipped: int
    failed: int
    failed_items: int


def tenants_with_rows(session: Session) -> set[str]:
    """Every tenant that has a workflow row (only meaningful without row-level security)."""
    return set(session.scalars(select(Workflow.tenant_id).distinct()))


def workflow_ids(session: Session, tenant_id: str) -> list[uuid.UUID]:
    """The tenant's workflow ids, deleted ones included, in id order."""
    query = select(Workflow.id).where(Workflow.tenant_id == tenant_id).order_by(Workflow.id)
    return list(session.scalars(query))


def audit_trail(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> list[tuple[Any, str, Any]]:
    """``(version_id, action, details)`` of every audit entry of the workflow, in no order."""
    rows = session.execute(
        select(AuditEntry.version_id, AuditEntry.action, AuditEntry.details).where(
            AuditEntry.tenant_id == tenant_id, AuditEntry.workflow_id == workflow_id
        )
    )
    return [(version_id, action, details) for version_id, action, details in rows]


def execution_positions(
    session: Session, tenant_id: str, workflow_id: uuid.UUID
) -> list[tuple[Any, str, str | None, int]]:
    """How many executions of the workflow sit at each (version, status, action)."""
    rows = session.execute(
        select(Execution.version_id, Execution.status, Execution.current_action_id, func.count())
        .where(Execution.tenant_id == tenant_id, Execution.workflow_id == workflow_id)
        .group_by(Execution.version_id, Execution.status, Execution.current_action_id)
    )
    return [(version, status, action, int(count)) for version, status, action, count in rows]


def contacts_live_twice(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> list[tuple[str, int]]:
    """Contacts with more than one live execution on the workflow, with how many."""
    rows = session.execute(
        select(Execution.contact_id, func.count())
        .where(
            Execution.tenant_id == tenant_id, Execution.workflow_id == workflow_id, Execution.status.in_(LIVE)
        )
        .group_by(Execution.contact_id)
        .having(func.count() > 1)
    )
    return [(contact, int(count)) for contact, count in rows]


def migration_tallies(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> list[MigrationTally]:
    """Every migration of the workflow with its counters and its failed items counted."""
    failed_items = (
        select(func.count())
        .where(
            MigrationItem.tenant_id == tenant_id,
            MigrationItem.migration_id == VersionMigration.id,
            MigrationItem.outcome == "failed",
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            VersionMigration.id,
            VersionMigration.status,
            VersionMigration.total,
            VersionMigration.migrated,
            VersionMigration.skipped,
            VersionMigration.failed,
            failed_items,
        ).where(VersionMigration.tenant_id == tenant_id, VersionMigration.workflow_id == workflow_id)
    )
    return [MigrationTally(*row) for row in rows]
