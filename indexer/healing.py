"""The reads of healing (``service.healing``): what the index holds of each workflow's
refs, so a scan compares it with git without reading any document.

The scans visit one tenant at a time. Those that filter by the tenant say so in their
signature; ``watermarks`` does not (the unit's tenant scopes it through row-level
security on PostgreSQL), as the reconcile scan always did.
"""

import uuid
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from indexer.models import Workflow, WorkflowVersion
from schemas.status import VersionStatus


class RefMarks(NamedTuple):
    """Where the index last left one workflow's watermark and retention state."""

    workflow_id: uuid.UUID
    git_head: str | None
    state_head: str | None
    last_version_number: int


class BranchHead(NamedTuple):
    """A version whose ref wfv writes again: ``main`` (the current one) or a draft branch."""

    workflow_id: uuid.UUID
    version_number: int
    is_current: bool
    commit_sha: str


def watermarks(session: Session) -> dict[uuid.UUID, str | None]:
    """Each workflow's watermark as the index recorded it (git ahead of it means "heal")."""
    return {row.id: row.git_head for row in session.execute(select(Workflow.id, Workflow.git_head))}


def ref_marks(session: Session, tenant_id: str) -> list[RefMarks]:
    """Every workflow of the tenant with the marks its refs must match."""
    query = select(Workflow.id, Workflow.git_head, Workflow.state_head, Workflow.last_version_number).where(
        Workflow.tenant_id == tenant_id
    )
    return [RefMarks(*row) for row in session.execute(query)]


def branch_heads(session: Session, tenant_id: str) -> list[BranchHead]:
    """The tenant's current versions and drafts, with the commit their ref must name."""
    query = select(
        WorkflowVersion.workflow_id,
        WorkflowVersion.version_number,
        WorkflowVersion.is_current,
        WorkflowVersion.commit_sha,
    ).where(
        WorkflowVersion.tenant_id == tenant_id,
        or_(WorkflowVersion.is_current, WorkflowVersion.status == VersionStatus.DRAFT.value),
    )
    return [BranchHead(*row) for row in session.execute(query)]


def version_ids_by_number(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> dict[int, uuid.UUID]:
    """The ids the index gave a workflow's version numbers (healing refuses a renumbering)."""
    rows = session.execute(
        select(WorkflowVersion.version_number, WorkflowVersion.id).where(
            WorkflowVersion.tenant_id == tenant_id, WorkflowVersion.workflow_id == workflow_id
        )
    )
    return {int(row[0]): row[1] for row in rows}
