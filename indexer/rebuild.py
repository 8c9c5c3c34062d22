"""(Re)build a workflow's version rows from the records git holds.

Used by ``wfv reindex`` (from nothing) and by healing (git ahead of the index after a
crash between the ref move and the SQL commit). Idempotent: applying the same records
twice changes nothing the second time.
"""

import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from indexer.models import Workflow, WorkflowVersion
from schemas.history import VersionRecord
from schemas.status import VersionStatus

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


def row_status(record: VersionRecord, existing: WorkflowVersion | None) -> str:
    # Archival is index-only state (git keeps history whole), so a row git still calls
    # published keeps its archived status.
    if not record.published:
        return VersionStatus.DRAFT.value
    if existing is not None and existing.status == VersionStatus.ARCHIVED.value:
        return VersionStatus.ARCHIVED.value
    return VersionStatus.ACTIVE.value


def apply_records(
    session: Session, workflow: Workflow, records: Sequence[VersionRecord], git_head: str | None
) -> list[int]:
    """Make the workflow's rows say what ``records`` say; returns the version numbers changed."""
    rows = {
        row.id: row
        for row in session.scalars(select(WorkflowVersion).where(WorkflowVersion.workflow_id == workflow.id))
    }
    changed: list[int] = []
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
        values = row_values(record)
        status = row_status(record, row)
        if row is None:
            row = WorkflowVersion(id=version_id, tenant_id=workflow.tenant_id, workflow_id=workflow.id)
            session.add(row)
            rows[version_id] = row
            changed.append(record.number)
        elif any(getattr(row, name) != values[name] for name in FIELDS) or row.status != status:
            changed.append(record.number)
        for name, value in values.items():
            setattr(row, name, value)
        row.status = status
        row.is_current = False
        if record.is_current:
            current_id = version_id
    session.flush()
    if current_id is not None:
        rows[current_id].is_current = True  # after the flush: one current row at a time
    if workflow.current_version_id != current_id:
        workflow.current_version_id = current_id
    top = max((r.number for r in records), default=0)
    workflow.last_version_number = max(workflow.last_version_number, top)
    workflow.git_head = git_head
    session.flush()
    return changed
