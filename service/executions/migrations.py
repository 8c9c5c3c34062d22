"""Migrations of contacts in flight: plan (dry run), start, read, pause, resume, cancel.

Starting only records the migration and its effective position map (every action of
every source version -> a target action, ``exit`` or nothing) and enqueues the runner
after the commit; the batches themselves are in ``service.executions.runner``.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from indexer import executions as execution_rows
from indexer import migration_batches as batches
from indexer.models import MigrationItem, VersionMigration, Workflow, WorkflowVersion
from schemas.migrations import (
    EXIT,
    MigrationCreate,
    MigrationHalt,
    MigrationPlan,
    MigrationPublic,
    MigrationResume,
    PlanRow,
    mapping_problems,
    position_map,
)
from schemas.status import VersionStatus
from service.auth import Principal
from service.clock import utcnow
from service.compare.comparison import document_diff
from service.errors import Problem
from service.executions.buckets import Rules, measure
from service.executions.eta import estimate
from service.executions.window import close_window, threshold
from service.ops import tracing
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, audit, find_version, find_versions
from service.versions.workflows import load_workflow
from service.webhooks.events import Event, emit


class MigrationNotFound(Problem):
    status_code, title, slug = 404, "Migration not found", "migration-not-found"


class MigrationConflict(Problem):
    status_code, title, slug = 409, "Migration conflict", "migration-conflict"


class MappingInvalid(Problem):
    status_code, title, slug = 422, "Invalid mapping", "mapping-invalid"


class NothingToMigrate(Problem):
    """A migration that would move no one: accepted, it would "complete" at once and look
    like work done; refused, the caller learns that the contacts are elsewhere (often on the
    current version already). The dry run still answers with its empty plan."""

    status_code, title, slug = 409, "Nothing to migrate", "nothing-to-migrate"


def action_ids(version: WorkflowVersion) -> set[str]:
    """The ids of a version's actions: the positions a migration maps (also from a
    rollout's migrate-back, ``service.rollouts.migrate_back``)."""
    return {a["id"] for a in version.definition.get("actions", []) if isinstance(a, dict) and "id" in a}


def _versions(
    uow: UnitOfWork, workflow: Workflow, target_ref: VersionRef, request: MigrationCreate
) -> tuple[WorkflowVersion, list[WorkflowVersion]]:
    target = find_version(uow, workflow, target_ref)
    if target.status != VersionStatus.ACTIVE.value:
        raise MigrationConflict(
            f"v{target.version_number} is {target.status}; contacts move only to an active version"
        )
    sources = find_versions(uow, workflow, *dict.fromkeys(request.from_versions))
    if any(source.id == target.id for source in sources):
        raise MigrationConflict(f"v{target.version_number} cannot be both source and target")
    return target, sources


def effective_map(
    target: WorkflowVersion, sources: Sequence[WorkflowVersion], mapping: dict[str, str], unmapped: str
) -> dict[str, dict[str, str | None]]:
    """Per source version id, where each of its actions goes (``position_map``); a mapping
    that names what exists nowhere is refused (422). The impact preview takes the same."""
    target_actions = action_ids(target)
    all_sources = set().union(*(action_ids(s) for s in sources))
    problems = mapping_problems(all_sources, target_actions, mapping, unmapped)
    if problems:
        raise MappingInvalid(problems[0], problems=problems, field="mapping")
    return {str(s.id): position_map(action_ids(s), target_actions, mapping, unmapped) for s in sources}


def _effective(
    target: WorkflowVersion, sources: Sequence[WorkflowVersion], request: MigrationCreate
) -> dict[str, dict[str, str | None]]:
    return effective_map(target, sources, request.mapping, request.unmapped)


def _plan(
    uow: UnitOfWork,
    workflow: Workflow,
    target: WorkflowVersion,
    sources: Sequence[WorkflowVersion],
    effective: dict[str, dict[str, str | None]],
    listed: Sequence[str] | None,
) -> MigrationPlan:
    numbers = {s.id: s.version_number for s in sources}
    plan: list[PlanRow] = []
    unmappable: list[PlanRow] = []
    ids = None if listed is None else [uuid.UUID(i) for i in listed]
    for version_id, action, count in batches.plan_counts(
        uow.session, workflow.tenant_id, workflow.id, list(numbers), ids
    ):
        to = effective[str(version_id)].get(action) if action else None
        outcome = "exit" if to == EXIT else "fail" if to is None else "migrate"
        row = PlanRow(
            from_version=numbers[version_id],
            from_action=action,
            to_action=None if to == EXIT else to,
            outcome=outcome,
            count=count,
        )
        (plan if outcome == "migrate" else unmappable).append(row)
    warnings = [
        f"v{s.version_number} -> v{target.version_number}: {change.message}"
        for s in sources
        for change in document_diff(uow, s, target).breaking
    ]
    key = lambda r: (r.from_version, r.from_action or "")  # noqa: E731
    total = sum(r.count for r in plan + unmappable)
    return MigrationPlan(
        target_version=target.version_number,
        total=total,
        plan=sorted(plan, key=key),
        unmappable=sorted(unmappable, key=key),
        warnings=warnings,
    )


def _nothing_to_move(
    target: WorkflowVersion, sources: Sequence[WorkflowVersion], *, listed: bool
) -> NothingToMigrate:
    numbers = sorted(s.version_number for s in sources)
    named = ", ".join(f"v{n}" for n in numbers)
    whom = "none of the listed executions or contacts is" if listed else "no execution is"
    return NothingToMigrate(
        f"nothing to move to v{target.version_number}: {whom} active or waiting on {named}",
        from_versions=numbers,
        target_version=target.version_number,
    )


def _check_no_overlap(uow: UnitOfWork, workflow: Workflow, sources: Sequence[WorkflowVersion]) -> None:
    """Two unfinished migrations may not claim the same executions (same source version)."""
    wanted = {str(s.id) for s in sources}
    for other in batches.unfinished_migrations(uow.session, workflow.tenant_id, workflow.id):
        if wanted & set(other.source_version_ids):
            raise MigrationConflict(
                f"migration {other.id} ({other.status}) already moves contacts of these versions",
                migration_id=str(other.id),
            )


def _manual_ids(
    uow: UnitOfWork, workflow: Workflow, sources: Sequence[WorkflowVersion], request: MigrationCreate
) -> list[str]:
    """The listed executions that are live on a source version, in id order."""
    found = batches.live_listed(
        uow.session,
        workflow.tenant_id,
        workflow.id,
        [s.id for s in sources],
        ids=list(request.execution_ids or []),
        contacts=list(request.contact_ids or []),
    )
    return sorted(str(i) for i in found)


@tracing.use_case("migration.start")
def start_migration(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    target_ref: VersionRef,
    request: MigrationCreate,
) -> VersionMigration | MigrationPlan:
    """The dry-run plan, or a queued migration whose runner starts after the commit."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    target, sources = _versions(uow, workflow, target_ref, request)
    effective = _effective(target, sources, request)
    # A manual migration moves only its listed executions: its plan counts those alone.
    manual = _manual_ids(uow, workflow, sources, request) if request.strategy == "manual" else None
    plan = _plan(uow, workflow, target, sources, effective, manual)
    if request.dry_run:
        rules = Rules(target, sources, effective, request.unmapped)
        ids = None if manual is None else [uuid.UUID(i) for i in manual]
        plan.impact = measure(uow.session, workflow.tenant_id, workflow.id, rules, ids).counts
        return plan
    if plan.total == 0:
        raise _nothing_to_move(target, sources, listed=manual is not None)
    _check_no_overlap(uow, workflow, sources)
    options: dict[str, Any] = {
        "effective": effective,
        "unmapped": request.unmapped,
        "batch_size": request.batch_size,
        "step_percent": request.step_percent,
        "interval_seconds": request.interval_seconds,
        "failure_threshold": request.failure_threshold,
    }
    listed = len(set(request.execution_ids or [])) + len(set(request.contact_ids or []))
    if manual is not None:
        options["execution_ids"] = manual
    now = utcnow()
    migration = VersionMigration(
        id=uuid.uuid4(),
        tenant_id=workflow.tenant_id,
        workflow_id=workflow.id,
        target_version_id=target.id,
        source_version_ids=[str(s.id) for s in sources],
        strategy=request.strategy,
        status="queued",
        mapping=dict(request.mapping),
        options=options,
        total=listed if request.strategy == "manual" else plan.total,
        migrated=0,
        skipped=0,
        failed=0,
        lock_version=1,
        created_by=principal.user_id,
        created_at=now,
        source_index=0,
        sweep=0,
        step=1,
        generation=1,
    )
    uow.session.add(migration)
    audit(
        uow,
        workflow,
        target,
        "migration_start",
        principal,
        now,
        migration_id=str(migration.id),
        strategy=request.strategy,
        sources=[s.version_number for s in sources],
        total=migration.total,
    )
    data = {
        "migration_id": str(migration.id),
        "target_version_id": str(target.id),
        "target_version_number": target.version_number,
        "source_version_numbers": [s.version_number for s in sources],
        "strategy": request.strategy,
        "total": migration.total,
        "actor_id": principal.user_id,
    }
    emit(uow, workflow.tenant_id, Event("migration.started", workflow.id, data, now))
    jobs = uow.services.jobs
    uow.after_commit("enqueue the migration", lambda: jobs.run_migration(workflow.tenant_id, migration.id, 1))
    return migration


def load_migration(
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    *,
    lock: bool = False,
) -> tuple[Workflow, VersionMigration]:
    workflow = load_workflow(uow, principal, workflow_id, lock=lock)
    migration = batches.get_migration(uow.session, workflow.tenant_id, workflow.id, migration_id, lock=lock)
    if migration is None:
        raise MigrationNotFound(f"workflow {workflow_id} has no migration {migration_id}")
    return workflow, migration


def public(migration: VersionMigration) -> MigrationPublic:
    now = utcnow()
    known = estimate(migration, migration.finished_at or now)
    return MigrationPublic(
        id=migration.id,
        workflow_id=migration.workflow_id,
        target_version_id=migration.target_version_id,
        source_version_ids=[uuid.UUID(s) for s in migration.source_version_ids],
        strategy=migration.strategy,
        status=migration.status,
        status_reason=migration.status_reason,
        total=migration.total,
        migrated=migration.migrated,
        skipped=migration.skipped,
        failed=migration.failed,
        rate_per_second=known.rate_per_second,
        eta_seconds=known.eta_seconds,
        eta_reason=known.eta_reason,
        step=migration.step,
        next_step_at=migration.next_step_at,
        failure_threshold=threshold(migration),
        halt=MigrationHalt.model_validate(migration.halt) if migration.halt else None,
        created_by=migration.created_by,
        created_at=migration.created_at,
        started_at=migration.started_at,
        finished_at=migration.finished_at,
    )


_MOVES = {
    "cancel": ({"queued", "running", "paused"}, "cancelled"),
    "pause": ({"queued", "running"}, "paused"),
    "resume": ({"paused"}, "running"),
}


@tracing.use_case("migration.change_status")
def change_status(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    move: str,
    resume: MigrationResume | None = None,
) -> VersionMigration:
    """Cancel, pause or resume. The runner checks the status under the same row lock
    before every batch, so a cancel stops it between batches; what moved stays moved.

    A pause or cancel closes the current window; a resume clears the halt and lets the
    next batch open a new window (the halt rule judges the batches since the resume), with
    ``resume.failure_threshold`` in force from then on if given. The audit entry of a
    resume names the halt it lifted and both thresholds."""
    workflow, migration = load_migration(uow, principal, workflow_id, migration_id, lock=True)
    allowed, target = _MOVES[move]
    if migration.status not in allowed:
        raise MigrationConflict(f"cannot {move} a migration that is {migration.status}")
    now = utcnow()
    details: dict[str, Any] = {"migration_id": str(migration.id)}
    close_window(migration, now)
    if target == "running":
        details |= {"halt": migration.halt, "failure_threshold": threshold(migration)}
        if resume is not None and resume.failure_threshold is not None:
            details["previous_failure_threshold"] = threshold(migration)
            details["failure_threshold"] = resume.failure_threshold
            # A new dict: the JSON column sees a reassignment, not an edit in place.
            migration.options = {**migration.options, "failure_threshold": resume.failure_threshold}
        migration.halt = None
    migration.status, migration.status_reason = target, f"{move} by {principal.user_id}"
    if target == "cancelled":
        migration.finished_at = now
    version = uow.session.get(WorkflowVersion, migration.target_version_id)
    assert version is not None
    audit(uow, workflow, version, f"migration_{move}", principal, now, **details)
    if target == "running":
        # A new chain: a job scheduled before the pause, still queued, exits when it fires.
        migration.generation += 1
        generation, jobs = migration.generation, uow.services.jobs
        uow.after_commit(
            "resume the migration", lambda: jobs.run_migration(workflow.tenant_id, migration.id, generation)
        )
    return migration


def newest(
    uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, *, limit: int = 200
) -> list[VersionMigration]:
    """The workflow's migrations, newest first."""
    workflow = load_workflow(uow, principal, workflow_id)
    return list(batches.newest_migrations(uow.session, workflow.tenant_id, workflow.id, limit))


def item_page(
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    *,
    outcome: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[MigrationItem], str | None]:
    """The executions a migration did not move, with the reason, one page."""
    workflow, migration = load_migration(uow, principal, workflow_id, migration_id)
    page, next_cursor = execution_rows.list_items(
        uow.session, workflow.tenant_id, migration.id, outcome=outcome, limit=limit, cursor=cursor
    )
    return list(page), next_cursor
