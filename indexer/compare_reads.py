"""The reads of a comparison: light version heads first, documents only on a cache miss.

A compare used to load both version rows whole (two JSON documents parsed) before it
could even look in its cache; the heads (id, number, status, commit, tree) are all a
cached answer needs, and a tree id names the content, so the documents are read only
when that content pair has not been compared before.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from indexer.models import Workflow, WorkflowVersion


@dataclass(frozen=True)
class VersionHead:
    """What a comparison says about a version, without its document."""

    id: uuid.UUID
    version_number: int
    status: str
    commit_sha: str
    tree_sha: str


@dataclass(frozen=True)
class Heads:
    git_head: str | None  # the git watermark the index recorded (healing compares it)
    versions: list[VersionHead]


_TENANT: BindParameter[str] = bindparam("tenant_id")
_V = WorkflowVersion
# Built once: composing the statement costs more than running it (SQLAlchemy caches the SQL).
# The outer join tells "no such workflow" (no row) from "no such version" (a NULL version).
_HEADS = (
    select(Workflow.git_head, _V.id, _V.version_number, _V.status, _V.commit_sha, _V.tree_sha)
    .select_from(Workflow)
    .outerjoin(
        _V,
        and_(
            _V.workflow_id == Workflow.id,
            _V.tenant_id == _TENANT,
            # Two fixed pairs of parameters, not expanding lists: the SQL is compiled once
            # and cached whole (an expanding IN is rewritten on every execution).
            or_(
                _V.id.in_([bindparam("id_a", type_=_V.id.type), bindparam("id_b", type_=_V.id.type)]),
                _V.version_number.in_([bindparam("number_a"), bindparam("number_b")]),
            ),
        ),
    )
    .where(Workflow.id == bindparam("workflow_id"), Workflow.tenant_id == _TENANT)
    .where(Workflow.deleted_at.is_(None))
)
_DOCUMENTS = select(_V.id, _V.definition).where(
    _V.tenant_id == _TENANT,
    _V.workflow_id == bindparam("workflow_id"),
    _V.id.in_(bindparam("ids", expanding=True, type_=_V.id.type)),
)


def version_heads(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, refs: Sequence[uuid.UUID | int]
) -> Heads | None:
    """The live workflow's watermark and the heads of the versions ``refs`` name (by id or
    number, deleted versions included); None when the tenant has no such live workflow."""
    ids = [ref for ref in refs if isinstance(ref, uuid.UUID)] + [None, None]
    numbers = [ref for ref in refs if isinstance(ref, int)] + [None, None]
    assert len(refs) <= 2, "a comparison names two versions"
    parameters = {"tenant_id": tenant_id, "workflow_id": workflow_id}
    parameters |= {"id_a": ids[0], "id_b": ids[1], "number_a": numbers[0], "number_b": numbers[1]}
    rows = session.connection().execute(_HEADS, parameters).all()  # Core: no ORM execution layer
    if not rows:
        return None
    heads = [VersionHead(*row[1:]) for row in rows if row[1] is not None]
    return Heads(rows[0][0], heads)


def version_documents(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """The documents of these versions of the tenant's workflow, by version id."""
    parameters = {"tenant_id": tenant_id, "workflow_id": workflow_id, "ids": list(ids)}
    rows = session.connection().execute(_DOCUMENTS, parameters)
    return {row[0]: row[1] for row in rows}
