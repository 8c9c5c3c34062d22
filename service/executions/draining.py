"""Draining versions: each version's live executions, how many left it over the last 24
hours and when, at that pace, it will be empty (``schemas.drain``), for the versions list,
one version's read and the archival candidates.

The versions list and a version's read are the API's most frequent reads, so either costs
one statement whatever the page's length (live counts, terminal departures and whether a
migration may have moved contacts in the window, as one UNION ALL; the moves themselves
only when one may have: ``indexer.departures``, which also says what counts as leaving).

The clock: the window ends at the clock of record (``service.clock.utcnow``) for the
versions list and a version's read, the clock that stamps every execution's
``updated_at``; the archival preview passes its own ``now`` (the container's clock its
cutoff is computed from), so a preview "as of" a moment measures the 24 hours before it.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from indexer import departures as sql
from indexer.models import WorkflowVersion
from indexer.rollouts import active_rollout
from schemas.drain import WINDOW, VersionDrain, project
from schemas.status import VersionStatus
from service.auth import Principal
from service.clock import utcnow
from service.uow import UnitOfWork
from service.versions.workflows import load_workflow


@dataclass(frozen=True)
class Shown:
    """What a version's answer needs besides its row: whether new contacts enrol on it
    (the current version, or the target of the workflow's guarded rollout) decides the state."""

    id: uuid.UUID
    workflow_id: uuid.UUID
    enrolling: bool
    draft: bool = False  # only a draft can be a rollout's target


@dataclass(frozen=True)
class Drained:
    live: int
    drain: VersionDrain


def _rollout_target(uow: UnitOfWork, tenant_id: str, workflow_id: uuid.UUID) -> uuid.UUID | None:
    """The draft a guarded rollout not over sends new contacts to (an indexed lookup)."""
    rollout = active_rollout(uow.session, tenant_id, workflow_id)
    return rollout.target_version_id if rollout is not None else None


def measure(
    uow: UnitOfWork, tenant_id: str, versions: Sequence[Shown], now: datetime
) -> dict[uuid.UUID, Drained]:
    """Live count and drain of each version (of any workflows of the tenant), set-based."""
    if not versions:
        return {}
    workflow_ids = list(dict.fromkeys(v.workflow_id for v in versions))
    found = sql.counts(uow.session, tenant_id, workflow_ids, [v.id for v in versions], now - WINDOW)
    return {
        v.id: Drained(
            found[v.id].live,
            project(live=found[v.id].live, departed=found[v.id].departed, enrolling=v.enrolling, now=now),
        )
        for v in versions
    }


def of_listed(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, versions: Sequence[Shown]
) -> dict[uuid.UUID, Drained]:
    """A versions list page's live counts and drains, as of the clock of record."""
    workflow = load_workflow(uow, principal, workflow_id)
    target = _rollout_target(uow, workflow.tenant_id, workflow_id) if any(v.draft for v in versions) else None
    shown = [Shown(v.id, v.workflow_id, v.enrolling or v.id == target) for v in versions]
    return measure(uow, workflow.tenant_id, shown, utcnow())


def of_one(*, uow: UnitOfWork, version: WorkflowVersion) -> Drained:
    """One version its caller has just read (a read that checked its tenant and the
    reader's permission), so its answer carries what the list shows."""
    now = utcnow()
    enrolling = version.is_current or (
        version.status == VersionStatus.DRAFT.value
        and version.id == _rollout_target(uow, version.tenant_id, version.workflow_id)
    )
    found = sql.counts_of_one(uow.session, version.tenant_id, version.workflow_id, version.id, now - WINDOW)
    return Drained(
        found.live, project(live=found.live, departed=found.departed, enrolling=enrolling, now=now)
    )
