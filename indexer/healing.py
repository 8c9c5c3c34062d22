"""The reads of healing (``service.healing``) and of the state backfill the reconcile task
runs (``service.archival.backfill``): what the index holds of each workflow's refs, so a
scan compares it with git without reading any document, and the workflow lock they take
by id.

The scans visit one tenant at a time, and every read here names the tenant: row-level
security scopes a PostgreSQL unit, but SQLite has none, and a scan of one tenant must
never pick up another's workflows there either.
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


def lock_workflow_by_id(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> Workflow | None:
    """The tenant's workflow row by id, locked, deleted or not: the id comes from a
    repository's config (reindex, reconcile) or from :func:`awaiting_state`."""
    query = select(Workflow).where(Workflow.tenant_id == tenant_id, Workflow.id == workflow_id)
    return session.scalars(query.with_for_update()).one_or_none()


def awaiting_state(session: Session, tenant_id: str) -> list[uuid.UUID]:
    """Workflows with archived, unarchived or held versions and no retention state in git
    yet (an index older than ``refs/wfv/state``): the state backfill's work."""
    version = WorkflowVersion
    query = (
        select(version.workflow_id)
        .distinct()
        .join(Workflow, Workflow.id == version.workflow_id)
        .where(
            version.tenant_id == tenant_id,
            Workflow.tenant_id == tenant_id,
            Workflow.state_head.is_(None),
            or_(
                version.archived_at.is_not(None),
                version.unarchived_at.is_not(None),
                version.legal_hold_reason.is_not(None),
            ),
        )
    )
    return list(session.scalars(query))


def watermarks(session: Session, tenant_id: str) -> dict[uuid.UUID, str | None]:
    """Each of the tenant's workflows' watermark as the index recorded it (git ahead of it
    means "heal")."""
    query = select(Workflow.id, Workflow.git_head).where(Workflow.tenant_id == tenant_id)
    return {row.id: row.git_head for row in session.execute(query)}


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
