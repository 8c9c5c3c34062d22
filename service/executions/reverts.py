"""Undoing a migration: the dry run, the start (a queued ``MigrationRevert`` whose runner
starts after the commit, ``service.executions.revert_runner``), the revert's state and the
executions it did not put back.

A revert is refused while its migration may still move (queued, running, paused), when a
revert of it is queued, running or completed (one per migration; a failed one may be
followed by another), and when a version to go back to (a source of the migration) is
archived or deleted: contacts cannot be sent to a version that no longer runs."""

import uuid

from indexer import reverts as revert_rows
from indexer.models import MigrationRevert, VersionMigration, Workflow, WorkflowVersion
from schemas.reverts import RevertOther, RevertPlan, RevertPublic
from service.auth import Principal
from service.clock import utcnow
from service.errors import Problem
from service.executions.migrations import load_migration
from service.ops import tracing
from service.uow import UnitOfWork
from service.versions.editing import audit

MAY_STILL_MOVE = ("queued", "running", "paused")


class RevertConflict(Problem):
    status_code, title, slug = 409, "Revert conflict", "revert-conflict"


class RevertNotFound(Problem):
    status_code, title, slug = 404, "Revert not found", "revert-not-found"


def _refuse_if_not_revertible(uow: UnitOfWork, workflow: Workflow, migration: VersionMigration) -> None:
    if migration.status in MAY_STILL_MOVE:
        raise RevertConflict(
            f"migration {migration.id} is {migration.status}: only a completed, cancelled or failed"
            " migration can be reverted",
            migration_status=migration.status,
        )
    earlier = revert_rows.get_revert(uow.session, workflow.tenant_id, migration.id)
    if earlier is not None and earlier.status != "failed":
        raise RevertConflict(
            f"migration {migration.id} already has a revert ({earlier.status})", revert_id=str(earlier.id)
        )
    for source in migration.source_version_ids:
        version = uow.session.get(WorkflowVersion, uuid.UUID(source))
        if version is None or version.deleted_at is not None or version.status == "archived":
            state = "deleted" if version is None or version.deleted_at is not None else "archived"
            number = None if version is None else version.version_number
            raise RevertConflict(
                f"v{number} is {state}: its contacts cannot go back to it", version=number, state=state
            )


def _other(row: revert_rows.Other) -> RevertOther:
    return RevertOther(
        execution_id=row[1],
        contact_id=row[2],
        reason=row[3],
        version_number=row[4],
        action_id=row[5],
        status=row[6],
    )


@tracing.use_case("revert.start")
def start_revert(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, migration_id: uuid.UUID, dry_run: bool
) -> MigrationRevert | RevertPlan:
    """The dry run (counts and the first page of the others), or a queued revert whose
    runner is enqueued after the commit."""
    workflow, migration = load_migration(uow, principal, workflow_id, migration_id, lock=not dry_run)
    _refuse_if_not_revertible(uow, workflow, migration)
    tenant = workflow.tenant_id
    counts = revert_rows.counts(uow.session, tenant, migration.id)
    total = sum(counts.values())
    if dry_run:
        page, next_cursor = revert_rows.others(
            uow.session, tenant, migration.id, revert_id=None, upto=None, limit=100, cursor=None
        )
        return RevertPlan(
            migration_id=migration.id,
            total=total,
            restorable=counts["restorable"],
            moved_since=counts["moved_since"],
            pinned=counts["pinned"],
            blocked=counts["blocked"],
            others=[_other(r) for r in page],
            next_cursor=next_cursor,
        )
    now = utcnow()
    revert = MigrationRevert(
        id=uuid.uuid4(),
        tenant_id=tenant,
        workflow_id=workflow.id,
        migration_id=migration.id,
        status="queued",
        total=total,
        restored=0,
        moved_since=0,
        pinned=0,
        blocked=0,
        cursor=0,
        generation=1,
        created_by=principal.user_id,
        created_at=now,
    )
    uow.session.add(revert)
    target = uow.session.get(WorkflowVersion, migration.target_version_id)
    assert target is not None
    audit(
        uow,
        workflow,
        target,
        "migration_revert_start",
        principal,
        now,
        migration_id=str(migration.id),
        revert_id=str(revert.id),
        total=total,
        restorable=counts["restorable"],
    )
    jobs = uow.services.jobs
    uow.after_commit("enqueue the revert", lambda: jobs.run_revert(tenant, revert.id, 1))
    return revert


def load_revert(
    uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, migration_id: uuid.UUID
) -> MigrationRevert:
    workflow, migration = load_migration(uow, principal, workflow_id, migration_id)
    revert = revert_rows.get_revert(uow.session, workflow.tenant_id, migration.id)
    if revert is None:
        raise RevertNotFound(f"migration {migration_id} has not been reverted")
    return revert


def public(revert: MigrationRevert) -> RevertPublic:
    return RevertPublic(
        id=revert.id,
        migration_id=revert.migration_id,
        status=revert.status,
        total=revert.total,
        restored=revert.restored,
        moved_since=revert.moved_since,
        pinned=revert.pinned,
        blocked=revert.blocked,
        created_by=revert.created_by,
        created_at=revert.created_at,
        started_at=revert.started_at,
        finished_at=revert.finished_at,
    )


def others_page(
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[RevertOther], str | None]:
    """The executions the revert did not put back (so far: up to its cursor), one page."""
    revert = load_revert(uow, principal, workflow_id, migration_id)
    page, next_cursor = revert_rows.others(
        uow.session,
        revert.tenant_id,
        revert.migration_id,
        revert_id=revert.id,
        upto=revert.cursor,
        limit=limit,
        cursor=cursor,
    )
    return [_other(r) for r in page], next_cursor
