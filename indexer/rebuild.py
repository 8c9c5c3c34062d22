"""(Re)build a workflow's version rows from the records git holds.

Used by ``wfv reindex`` (from nothing) and by healing (git ahead of the index after a
crash between the ref move and the SQL commit). Idempotent: applying the same records
twice changes nothing the second time.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from indexer.models import Workflow, WorkflowVersion
from schemas.history import VersionRecord
from schemas.state import VersionState
from schemas.status import VersionStatus
from schemas.summaries import stored, summary_of

FIELDS = (
    "version_number",
    "lock_version",
    "commit_sha",
    "tree_sha",
    "parent_version_id",
    "rollback_of_version_id",
    "created_by",
    "created_at",
    "published_by",
    "published_at",
    "deleted_at",
    "definition",
)


def row_values(record: VersionRecord) -> dict[str, object]:
    """The columns of a version's row as git tells them (``FIELDS``), status apart."""
    return {
        "version_number": record.number,
        "lock_version": record.lock_version,
        "commit_sha": record.commit_sha,
        "tree_sha": record.tree_sha,
        "parent_version_id": _uuid(record.parent_version_id),
        "rollback_of_version_id": _uuid(record.rollback_of_version_id),
        "created_by": record.created_by,
        "created_at": record.created_at,
        "published_by": record.published_by,
        "published_at": record.published_at,
        "deleted_at": record.deleted_at,
        "definition": record.definition,
    }


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


_RETENTION = (
    "archived_at",
    "unarchived_at",
    "legal_hold_reason",
    "legal_hold_by",
    "legal_hold_at",
)


@dataclass(frozen=True)
class GitState:
    """What ``refs/wfv/state`` holds: its commit and each version's state.

    ``commit`` None with the index knowing none either is an index older than the ref:
    rows keep their retention columns (``wfv check`` reports them until backfilled)."""

    commit: str | None
    versions: Mapping[int, VersionState]


def retention_values(state: VersionState | None) -> dict[str, object]:
    """The retention columns a version's git state gives (none: never archived or held)."""
    hold = state.legal_hold if state is not None else None
    return {
        "archived_at": state.archived_at if state is not None else None,
        "unarchived_at": state.unarchived_at if state is not None else None,
        "legal_hold_reason": hold.reason if hold else None,
        "legal_hold_by": hold.by if hold else None,
        "legal_hold_at": hold.at if hold else None,
    }


def status_of(published: bool, state: VersionState | None) -> str:
    """Draft until published; then archived exactly while git's state says so."""
    if not published:
        return VersionStatus.DRAFT.value
    if state is not None and state.archived_at is not None:
        return VersionStatus.ARCHIVED.value
    return VersionStatus.ACTIVE.value


def row_status(record: VersionRecord, existing: WorkflowVersion | None) -> str:
    """The status as the version's own line tells it (draft, else published): whether a
    published version is archived is ``refs/wfv/state``'s to say, checked apart
    (``service.healing.invariants.state_findings``), so an archived row passes here."""
    if record.published and existing is not None and existing.status == VersionStatus.ARCHIVED.value:
        return VersionStatus.ARCHIVED.value
    return status_of(record.published, None)


def _retention(
    record: VersionRecord, row: WorkflowVersion | None, state: GitState, legacy: bool
) -> dict[str, object]:
    if legacy and row is not None:  # git has no state yet: the row's is all there is
        kept = {name: getattr(row, name) for name in _RETENTION}
        still = record.published and row.status == VersionStatus.ARCHIVED.value
        status = VersionStatus.ARCHIVED.value if still else status_of(record.published, None)
        return kept | {"status": status}
    found = state.versions.get(record.number)
    return retention_values(found) | {"status": status_of(record.published, found)}


def apply_records(
    session: Session,
    workflow: Workflow,
    records: Sequence[VersionRecord],
    git_head: str | None,
    state: GitState,
) -> list[int]:
    """Make the workflow's rows say what ``records`` and ``state`` say; returns the
    version numbers changed."""
    legacy = state.commit is None and workflow.state_head is None
    rows = {
        row.id: row
        for row in session.scalars(select(WorkflowVersion).where(WorkflowVersion.workflow_id == workflow.id))
    }
    changed: list[int] = []
    rewritten: set[uuid.UUID] = set()  # versions whose document or parent this changes
    current_id: uuid.UUID | None = None
    # Clear the current flag first: the partial unique index allows one at a time.
    session.execute(
        update(WorkflowVersion)
        .where(WorkflowVersion.workflow_id == workflow.id, WorkflowVersion.is_current)
        .values(is_current=False)
    )
    session.flush()
    for record in records:
        version_id = uuid.UUID(record.id)
        row = rows.get(version_id)
        values = row_values(record) | _retention(record, row, state, legacy)
        if row is None:
            row = WorkflowVersion(id=version_id, tenant_id=workflow.tenant_id, workflow_id=workflow.id)
            session.add(row)
            rows[version_id] = row
            changed.append(record.number)
        elif any(getattr(row, name) != value for name, value in values.items()):
            changed.append(record.number)
        if row.change_summary is None or any(
            getattr(row, name) != values[name] for name in ("definition", "parent_version_id")
        ):
            rewritten.add(version_id)
        for name, value in values.items():
            setattr(row, name, value)
        row.is_current = False
        if record.is_current:
            current_id = version_id
    _summarise(rows, rewritten)
    session.flush()
    if current_id is not None:
        rows[current_id].is_current = True  # after the flush: one current row at a time
    if workflow.current_version_id != current_id:
        workflow.current_version_id = current_id
    top = max((r.number for r in records), default=0)
    workflow.last_version_number = max(workflow.last_version_number, top)
    workflow.git_head, workflow.state_head = git_head, state.commit
    session.flush()
    return changed


def _summarise(rows: Mapping[uuid.UUID, WorkflowVersion], rewritten: set[uuid.UUID]) -> None:
    """Change summaries from the documents as rebuilt: for the versions ``rewritten`` (new,
    edited, or with none yet) and those made from one of them. Not counted as a change:
    the summary derives from what git says, it is no disagreement with it."""
    for row in rows.values():
        if row.id not in rewritten and row.parent_version_id not in rewritten:
            continue
        parent = rows.get(row.parent_version_id) if row.parent_version_id is not None else None
        found = (parent.version_number, parent.definition) if parent is not None else None
        row.change_summary = stored(summary_of(row.definition, row.parent_version_id, found))
