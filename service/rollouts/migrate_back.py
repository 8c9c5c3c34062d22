"""Migrate back: after a halt, the new version's live contacts moved to the baseline by the
migration engine, as a user's immediate migration would move them.

The mapping is by action id: every action of the new version whose id the baseline also
has maps to itself; a contact on an action the baseline lacks gets the engine's
``unmapped`` policy (``fail`` by default: it stays where it is and is reported in the
migration's items, nobody is exited or moved to a guessed place). The explicit mapping is
recorded with the migration, so its record says what was moved where.

Both functions go through ``service.executions.migrations.start_migration``, the one
place migrations are planned and started (checks, overlap, audit, webhook, the runner
enqueued after the commit). With no user behind the halt (the worker's schedule), the
principal is ``system_actor(tenant)``: ``system:rollout``, which no token can be.
"""

import uuid

from pydantic import ValidationError

from indexer.models import VersionMigration, WorkflowVersion
from schemas.migrations import FAIL, MigrationCreate, MigrationPlan
from service.auth import Principal
from service.auth.system import system_principal
from service.executions.migrations import MappingInvalid, NothingToMigrate, action_ids, start_migration
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, find_versions
from service.versions.workflows import load_workflow

ROLE = "rollout"


def system_actor(tenant_id: str) -> Principal:
    """Who migrates back when the guard halted the rollout on the worker."""
    return system_principal(tenant_id, ROLE)


def mapping(target: WorkflowVersion, baseline: WorkflowVersion) -> dict[str, str]:
    """Each action of ``target`` that ``baseline`` has too, to itself (sorted: the
    record reads the same every time)."""
    return {action: action for action in sorted(action_ids(target) & action_ids(baseline))}


def _request(
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    target: VersionRef,
    baseline: VersionRef,
    unmapped: str,
    *,
    dry_run: bool,
) -> tuple[uuid.UUID, MigrationCreate]:
    """The baseline's id and the migration request moving ``target``'s live contacts to it."""
    workflow = load_workflow(uow, principal, workflow_id, lock=not dry_run)
    new, old = find_versions(uow, workflow, target, baseline)
    try:
        request = MigrationCreate(
            from_versions=[new.id],
            strategy="immediate",
            mapping=mapping(new, old),
            unmapped=unmapped,
            dry_run=dry_run,
        )
    except ValidationError as exc:
        raise MappingInvalid(
            f"unmapped must be 'fail', 'exit' or 'to:<action>', not {unmapped!r}", field="unmapped"
        ) from exc
    return old.id, request


def dry_run(
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    target: VersionRef,
    baseline: VersionRef,
    *,
    unmapped: str = FAIL,
) -> MigrationPlan:
    """What migrating back would do now: the engine's own dry run for this mapping
    (counts per position, the unmappable, the compare's warnings). Changes nothing."""
    baseline_id, request = _request(uow, principal, workflow_id, target, baseline, unmapped, dry_run=True)
    plan = start_migration(
        uow=uow, principal=principal, workflow_id=workflow_id, target_ref=baseline_id, request=request
    )
    assert isinstance(plan, MigrationPlan)
    return plan


def start(
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    target: VersionRef,
    baseline: VersionRef,
    *,
    unmapped: str = FAIL,
) -> VersionMigration | None:
    """Start the immediate migration of ``target``'s live contacts to ``baseline``; its
    runner is enqueued after the caller commits. ``None`` when no contact is live on
    ``target`` (nothing to move is not a failure of the halt).

    Other refusals are the engine's problems (``MigrationConflict`` when another unfinished
    migration already moves the new version's contacts, ``MappingInvalid``...). Call it in
    a unit of its own, after the halt has committed, so a refusal never undoes the halt."""
    baseline_id, request = _request(uow, principal, workflow_id, target, baseline, unmapped, dry_run=False)
    try:
        migration = start_migration(
            uow=uow, principal=principal, workflow_id=workflow_id, target_ref=baseline_id, request=request
        )
    except NothingToMigrate:
        return None
    assert isinstance(migration, VersionMigration)
    return migration
