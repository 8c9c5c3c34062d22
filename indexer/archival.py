"""The SQL of archival: which versions a batch of workflows holds (with the facts the
retention rules need), the guarded status change, and the run records.

Every function takes the tenant explicitly and filters by it, as every query here does;
row-level security on PostgreSQL is the second fence, not the first.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import ScalarSelect, Select, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from indexer.executions import LIVE
from indexer.models import ArchivalRun, AuditEntry, Execution, Workflow, WorkflowVersion

_CHUNK = 5000


@dataclass(frozen=True)
class VersionFacts:
    """What the retention rules look at for one version (drafts and archived included:
    archived versions still count towards the newest N of their workflow)."""

    id: uuid.UUID
    workflow_id: uuid.UUID
    version_number: int
    status: str
    is_current: bool
    held: bool
    published_at: datetime | None
    unarchived_at: datetime | None
    live: bool
    last_execution_at: datetime | None
    commit_sha: str


class Archived(NamedTuple):
    """A version an archival UPDATE changed, with what its git state needs besides."""

    id: uuid.UUID
    workflow_id: uuid.UUID
    number: int
    unarchived_at: datetime | None


def workflow_batch(
    session: Session,
    tenant_id: str,
    *,
    after: uuid.UUID | None,
    limit: int,
    only: uuid.UUID | None,
    lock: bool,
) -> list[uuid.UUID]:
    """The next ``limit`` workflow ids after ``after`` (keyset order), locked when ``lock``.

    The lock is the same row lock every writer of a workflow takes first, so a publish, a
    rollback or an unarchive never interleaves with the archival of that workflow, and a
    second archival run waits here, then sees the first one's result.
    """
    live = (Workflow.tenant_id == tenant_id, Workflow.deleted_at.is_(None))  # a deleted one is frozen
    query = select(Workflow.id).where(*live).order_by(Workflow.id).limit(limit)
    if after is not None:
        query = query.where(Workflow.id > after)
    if only is not None:
        query = query.where(Workflow.id == only)
    if lock:
        query = query.with_for_update()
    return list(session.scalars(query))


def _live_probe(version: type[WorkflowVersion]) -> ScalarSelect[bool]:
    """True when the version has a live execution, else NULL. A scalar probe, not EXISTS:
    PostgreSQL may turn an EXISTS into a hash of every live execution of the tenant (per
    batch, growing with the table); this stays one index lookup per version."""
    return (
        select(literal(True))
        .where(
            Execution.workflow_id == version.workflow_id,
            Execution.version_id == version.id,
            Execution.status.in_(LIVE),
        )
        .limit(1)
        .scalar_subquery()
    )


def candidate_query(tenant_id: str, workflow_ids: Sequence[uuid.UUID]) -> Select[Any]:
    """One row per non-deleted version of these workflows with its live flag and latest
    execution time, each answered by an index (``executions (workflow_id, version_id,
    status, ...)`` and ``executions (version_id, updated_at)``)."""
    version = WorkflowVersion
    live = _live_probe(version).is_not(None)
    last = select(func.max(Execution.updated_at)).where(Execution.version_id == version.id).scalar_subquery()
    query = select(
        version.id,
        version.workflow_id,
        version.version_number,
        version.status,
        version.is_current,
        version.legal_hold_reason.is_not(None),
        version.published_at,
        version.unarchived_at,
        live,
        last,
        version.commit_sha,
    ).where(
        version.tenant_id == tenant_id,
        version.workflow_id.in_(workflow_ids),
        version.deleted_at.is_(None),
    )
    return cast("Select[Any]", query)  # eleven typed columns are past SQLAlchemy's overloads


def version_facts(session: Session, tenant_id: str, workflow_ids: Sequence[uuid.UUID]) -> list[VersionFacts]:
    if not workflow_ids:
        return []
    return [VersionFacts(*row) for row in session.execute(candidate_query(tenant_id, workflow_ids))]


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def workflows(session: Session, tenant_id: str, workflow_ids: Sequence[uuid.UUID]) -> Sequence[Workflow]:
    """These workflows' rows, in one query (the batch holds their locks already)."""
    if not workflow_ids:
        return []
    query = select(Workflow).where(Workflow.tenant_id == tenant_id, Workflow.id.in_(workflow_ids))
    return session.scalars(query.order_by(Workflow.id)).all()


def archive_versions(
    session: Session, tenant_id: str, version_ids: Sequence[uuid.UUID], at: datetime
) -> list[Archived]:
    """Archive these versions, re-checking in the UPDATE itself what no run may override
    (still active, not current, not held, no live execution); returns each row this
    statement changed, so a version archived by someone else is never counted twice.

    The live-execution re-check is the rule the judge applied to facts read earlier in the
    batch, repeated in the statement: a migration batch (which takes the migration's lock,
    not the workflow's) may have moved contacts onto the version in between, and a version
    with live contacts is never archived."""
    changed: list[Archived] = []
    for chunk in _chunks(version_ids):
        result = session.execute(
            update(WorkflowVersion)
            .where(
                WorkflowVersion.tenant_id == tenant_id,
                WorkflowVersion.id.in_(chunk),
                WorkflowVersion.status == "active",
                WorkflowVersion.is_current.is_(False),
                WorkflowVersion.legal_hold_reason.is_(None),
                _live_probe(WorkflowVersion).is_(None),
            )
            .values(status="archived", archived_at=at)
            .returning(
                WorkflowVersion.id,
                WorkflowVersion.workflow_id,
                WorkflowVersion.version_number,
                WorkflowVersion.unarchived_at,
            )
            .execution_options(synchronize_session=False)
        )
        changed.extend(Archived(*row) for row in result)
    return changed


class Retained(NamedTuple):
    """A version's retention columns (what its git state is made of)."""

    id: uuid.UUID
    workflow_id: uuid.UUID
    version_number: int
    archived_at: datetime | None
    unarchived_at: datetime | None
    legal_hold_reason: str | None
    legal_hold_by: str | None
    legal_hold_at: datetime | None


def retained_versions(session: Session, tenant_id: str, workflow_ids: Sequence[uuid.UUID]) -> list[Retained]:
    """Every version of these workflows with any retention state (archived, unarchived,
    held): columns, not rows, so an archival UPDATE just made is read as it is now."""
    version = WorkflowVersion
    found: list[Retained] = []
    for chunk in _chunks(workflow_ids):
        query = select(
            version.id,
            version.workflow_id,
            version.version_number,
            version.archived_at,
            version.unarchived_at,
            version.legal_hold_reason,
            version.legal_hold_by,
            version.legal_hold_at,
        ).where(
            version.tenant_id == tenant_id,
            version.workflow_id.in_(chunk),
            or_(
                version.archived_at.is_not(None),
                version.unarchived_at.is_not(None),
                version.legal_hold_reason.is_not(None),
            ),
        )
        found.extend(Retained(*row) for row in session.execute(query))
    return found


def add_audits(session: Session, rows: list[dict[str, Any]]) -> None:
    """Audit entries in one statement per chunk (executemany)."""
    for chunk in _chunks(rows):
        session.execute(insert(AuditEntry), list(chunk))


def start_run(session: Session, run: ArchivalRun) -> bool:
    """Insert a ``running`` run; False when the tenant already has one (the partial unique
    index is the guard that holds across processes and machines)."""
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:
        return False
    return True


def running_run(session: Session, tenant_id: str) -> ArchivalRun | None:
    return session.scalars(
        select(ArchivalRun)
        .where(ArchivalRun.tenant_id == tenant_id, ArchivalRun.status == "running")
        .with_for_update()
    ).one_or_none()


def take_over(session: Session, run: ArchivalRun, seen: datetime, now: datetime) -> bool:
    """Claim a stalled run by compare-and-swap on its heartbeat: one resumer wins."""
    result = session.execute(
        update(ArchivalRun)
        .where(ArchivalRun.id == run.id, ArchivalRun.status == "running", ArchivalRun.heartbeat_at == seen)
        .values(heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def get_run(session: Session, tenant_id: str, run_id: uuid.UUID, *, lock: bool = False) -> ArchivalRun | None:
    query = select(ArchivalRun).where(ArchivalRun.tenant_id == tenant_id, ArchivalRun.id == run_id)
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def list_runs(session: Session, tenant_id: str, limit: int) -> Sequence[ArchivalRun]:
    """Newest first."""
    return session.scalars(
        select(ArchivalRun)
        .where(ArchivalRun.tenant_id == tenant_id)
        .order_by(ArchivalRun.started_at.desc(), ArchivalRun.id)
        .limit(limit)
    ).all()
