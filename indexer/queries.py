"""Query functions over the index. Every one takes the tenant: there is no unscoped read."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Select, and_, bindparam, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from indexer.models import AuditEntry, Review, ReviewEvent, Workflow, WorkflowVersion
from indexer.pagination import cursor_int, cursor_time, cursor_uuid, decode_cursor, encode_cursor


def _workflow_query(*, lock: bool, deleted_ok: bool) -> "Select[Workflow]":
    query = select(Workflow).where(
        Workflow.id == bindparam("workflow_id"), Workflow.tenant_id == bindparam("tenant_id")
    )
    if not deleted_ok:
        query = query.where(Workflow.deleted_at.is_(None))
    return query.with_for_update() if lock else query


# Built once, like ``_BY_ID`` below: every write starts here, and composing the statement
# cost three times what running it did.
_WORKFLOW = {
    (lock, deleted_ok): _workflow_query(lock=lock, deleted_ok=deleted_ok)
    for lock in (False, True)
    for deleted_ok in (False, True)
}


def get_workflow(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, *, lock: bool = False, deleted_ok: bool = False
) -> Workflow | None:
    """The workflow row (a deleted one only when ``deleted_ok``); ``lock`` takes the
    per-workflow write lock (row lock on PostgreSQL)."""
    query = _WORKFLOW[(lock, deleted_ok)]
    return session.scalars(query, {"workflow_id": workflow_id, "tenant_id": tenant_id}).one_or_none()


def tenant_workflows(session: Session, tenant_id: str) -> list[Workflow]:
    """Every workflow row of the tenant, deleted ones included, in no order."""
    return list(session.scalars(select(Workflow).where(Workflow.tenant_id == tenant_id)))


def _page(session: Session, query: Select[Any], limit: int) -> tuple[Sequence[Any], bool]:
    rows = session.scalars(query.limit(limit + 1)).all()
    return rows[:limit], len(rows) > limit


def list_workflows(
    session: Session, tenant_id: str, *, limit: int, cursor: str | None
) -> tuple[Sequence[Workflow], str | None]:
    """Newest first, deleted ones left out."""
    query = select(Workflow).where(Workflow.tenant_id == tenant_id, Workflow.deleted_at.is_(None))
    if cursor:
        created, last_id = decode_cursor(cursor, cursor_time, cursor_uuid)
        query = query.where(tuple_(Workflow.created_at, Workflow.id) < (created, last_id))
    query = query.order_by(Workflow.created_at.desc(), Workflow.id.desc())
    rows, more = _page(session, query, limit)
    last = rows[-1] if rows and more else None
    return rows, encode_cursor(last.created_at.isoformat(), str(last.id)) if last else None


def _version_query(match: Any) -> "Select[WorkflowVersion]":
    return select(WorkflowVersion).where(
        WorkflowVersion.tenant_id == bindparam("tenant_id"),
        WorkflowVersion.workflow_id == bindparam("workflow_id"),
        match,
    )


_VERSION_BY_ID = _version_query(WorkflowVersion.id == bindparam("ref", type_=WorkflowVersion.id.type))
_VERSION_BY_NUMBER = _version_query(WorkflowVersion.version_number == bindparam("ref"))


def get_version(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, ref: uuid.UUID | int
) -> WorkflowVersion | None:
    """A version by id or by number, within its workflow and tenant."""
    query = _VERSION_BY_ID if isinstance(ref, uuid.UUID) else _VERSION_BY_NUMBER
    params = {"tenant_id": tenant_id, "workflow_id": workflow_id, "ref": ref}
    return session.scalars(query, params).one_or_none()


def _workflow_and_version(match: Any) -> "Select[Workflow, WorkflowVersion]":
    tenant: BindParameter[str] = bindparam("tenant_id")
    return (
        select(Workflow, WorkflowVersion)
        .outerjoin(
            WorkflowVersion,
            and_(WorkflowVersion.workflow_id == Workflow.id, WorkflowVersion.tenant_id == tenant, match),
        )
        .where(Workflow.id == bindparam("workflow_id"), Workflow.tenant_id == tenant)
        .where(Workflow.deleted_at.is_(None))
    )


# Built once: composing the statement cost more than running it (SQLAlchemy caches the SQL).
_BY_ID = _workflow_and_version(WorkflowVersion.id == bindparam("ref", type_=WorkflowVersion.id.type))
_BY_NUMBER = _workflow_and_version(WorkflowVersion.version_number == bindparam("ref"))


def get_workflow_and_version(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, ref: uuid.UUID | int
) -> tuple[Workflow, WorkflowVersion | None] | None:
    """The workflow and one of its versions in one query (the version None when the
    workflow has no such version; None when there is no such workflow): a read of one
    version is the API's most frequent request."""
    query = _BY_ID if isinstance(ref, uuid.UUID) else _BY_NUMBER
    row = session.execute(
        query, {"tenant_id": tenant_id, "workflow_id": workflow_id, "ref": ref}
    ).one_or_none()
    return (row[0], row[1]) if row is not None else None


def get_versions(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, refs: Sequence[uuid.UUID | int]
) -> list[WorkflowVersion]:
    """Several versions (by id or number) in one query; the caller matches them to refs."""
    ids = [ref for ref in refs if isinstance(ref, uuid.UUID)]
    numbers = [ref for ref in refs if isinstance(ref, int)]
    return list(
        session.scalars(
            select(WorkflowVersion).where(
                WorkflowVersion.tenant_id == tenant_id,
                WorkflowVersion.workflow_id == workflow_id,
                or_(WorkflowVersion.id.in_(ids), WorkflowVersion.version_number.in_(numbers)),
            )
        )
    )


@dataclass(frozen=True)
class Relative:
    """A version next to an edited one: its parent, or one made from it."""

    id: uuid.UUID
    version_number: int
    parent_version_id: uuid.UUID | None
    definition: dict[str, Any]


_V = WorkflowVersion
# Built once, like ``_WORKFLOW``: every edit runs it, and composing it cost more than running it.
_RELATIVES = select(_V.id, _V.version_number, _V.parent_version_id, _V.definition).where(
    _V.tenant_id == bindparam("tenant_id"),
    _V.workflow_id == bindparam("workflow_id"),
    or_(
        _V.id == bindparam("parent_id", type_=_V.id.type),
        _V.parent_version_id == bindparam("id", type_=_V.id.type),
    ),
)


def relatives(session: Session, version: WorkflowVersion) -> list[Relative]:
    """The parent of ``version`` and the versions made from it, in one statement (Core:
    no ORM execution layer on the path of every edit)."""
    parameters = {
        "tenant_id": version.tenant_id,
        "workflow_id": version.workflow_id,
        "parent_id": version.parent_version_id,
        "id": version.id,
    }
    return [Relative(*row) for row in session.connection().execute(_RELATIVES, parameters)]


def list_versions(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    *,
    status: str | None,
    include_deleted: bool,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[WorkflowVersion], str | None]:
    """Newest first, by version number."""
    query = select(WorkflowVersion).where(
        WorkflowVersion.tenant_id == tenant_id, WorkflowVersion.workflow_id == workflow_id
    )
    if status:
        query = query.where(WorkflowVersion.status == status)
    if not include_deleted:
        query = query.where(WorkflowVersion.deleted_at.is_(None))
    if cursor:
        (number,) = decode_cursor(cursor, cursor_int)
        query = query.where(WorkflowVersion.version_number < number)
    query = query.order_by(WorkflowVersion.version_number.desc())
    rows, more = _page(session, query, limit)
    return rows, encode_cursor(rows[-1].version_number) if rows and more else None


_NEWEST = (
    select(WorkflowVersion)
    .where(
        WorkflowVersion.tenant_id == bindparam("tenant_id"),
        WorkflowVersion.workflow_id == bindparam("workflow_id"),
        WorkflowVersion.deleted_at.is_(None),
    )
    .order_by(WorkflowVersion.version_number.desc())
    .limit(1)
)


def versions_of(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, *, in_order: bool, definitions: bool = True
) -> list[WorkflowVersion]:
    """Every version row of a workflow, deleted ones included; ``in_order`` by number,
    ``definitions=False`` leaves the documents unread (a check of refs needs none)."""
    query = select(WorkflowVersion).where(
        WorkflowVersion.tenant_id == tenant_id, WorkflowVersion.workflow_id == workflow_id
    )
    if not definitions:
        query = query.options(defer(WorkflowVersion.definition))
    if in_order:
        query = query.order_by(WorkflowVersion.version_number)
    return list(session.scalars(query))


@dataclass(frozen=True)
class Demoted:
    """What a publish needs of the version that stopped being current: its number for the
    audit entry and the event, its commit as the parent of the new one on main."""

    id: uuid.UUID
    version_number: int
    commit_sha: str


# Run on the unit's connection (Core): the ORM's bulk-update machinery is work without a use here.
_DEMOTE = (
    update(WorkflowVersion)
    .where(
        WorkflowVersion.tenant_id == bindparam("b_tenant"),
        WorkflowVersion.workflow_id == bindparam("b_workflow"),
        WorkflowVersion.is_current,
    )
    .values(is_current=False)
    .returning(WorkflowVersion.id, WorkflowVersion.version_number, WorkflowVersion.commit_sha)
)


def demote_current(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> Demoted | None:
    """The current version stops being current, in the database now (a publish then makes
    another current: the partial unique index checks each row, so this UPDATE comes
    first), and in memory if the unit loaded it; returns what it was (None: there was no
    current version). One statement where a read of the row and an UPDATE of it were
    two, about a twentieth of a publish (``bench/core.py``): a Core statement on the
    unit's connection, as nothing staged in the unit touches the versions' current flag."""
    found = (
        session.connection()
        .execute(_DEMOTE, {"b_tenant": tenant_id, "b_workflow": workflow_id})
        .one_or_none()
    )
    if found is None:
        return None
    demoted = Demoted(found.id, found.version_number, found.commit_sha)
    loaded = session.identity_map.get(identity_key(WorkflowVersion, demoted.id))
    if loaded is not None:
        set_committed_value(loaded, "is_current", False)
    return demoted


def copy_source(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, current_id: uuid.UUID | None
) -> WorkflowVersion | None:
    """What a new version starts from when none is named: the current version (the
    workflow row names it: one read by primary key), else the newest one not deleted. Its
    document is read with it: the new version's change summary is against it
    (``service.versions.summaries``), and left to load when touched it cost a second
    query, a tenth of a creation (``bench/core.py``)."""
    if current_id is not None:
        current = session.get(WorkflowVersion, current_id)
        if current is not None and current.tenant_id == tenant_id and current.workflow_id == workflow_id:
            return current
    params = {"tenant_id": tenant_id, "workflow_id": workflow_id}
    return session.scalars(_NEWEST, params).first()


def add_audit(
    session: Session,
    *,
    workflow: Workflow,
    version_id: uuid.UUID | None,
    action: str,
    actor_id: str,
    at: datetime,
    details: dict[str, Any],
) -> None:
    """Insert the entry now, in the unit's transaction, as one Core statement: nothing
    reads it back in the unit, so the ORM's flush (an object to track, an id to fetch)
    is work without a use on every write."""
    session.connection().execute(
        _ADD_AUDIT,
        {
            "tenant_id": workflow.tenant_id,
            "workflow_id": workflow.id,
            "version_id": version_id,
            "action": action,
            "actor_id": actor_id,
            "created_at": at,
            "details": details,
        },
    )


_ADD_AUDIT = insert(AuditEntry)


def add_tenant_audit(
    session: Session, *, tenant_id: str, action: str, actor_id: str, at: datetime, details: dict[str, Any]
) -> None:
    """An entry of no one workflow (a webhook endpoint registered or deleted): the tenant's
    own trail, in the unit's transaction."""
    session.connection().execute(
        _ADD_AUDIT,
        {
            "tenant_id": tenant_id,
            "workflow_id": None,
            "version_id": None,
            "action": action,
            "actor_id": actor_id,
            "created_at": at,
            "details": details,
        },
    )


def list_audit(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    *,
    version_id: uuid.UUID | None,
    action: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[AuditEntry], str | None]:
    """Newest first."""
    query = select(AuditEntry).where(AuditEntry.tenant_id == tenant_id, AuditEntry.workflow_id == workflow_id)
    if version_id:
        query = query.where(AuditEntry.version_id == version_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if cursor:
        (last_id,) = decode_cursor(cursor, cursor_int)
        query = query.where(AuditEntry.id < last_id)
    rows, more = _page(session, query.order_by(AuditEntry.id.desc()), limit)
    return rows, encode_cursor(rows[-1].id) if rows and more else None


def newest_audit_details(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, action: str
) -> dict[str, Any] | None:
    """The details of the workflow's newest audit entry of ``action``, if it has one."""
    return session.scalars(
        select(AuditEntry.details)
        .where(
            AuditEntry.tenant_id == tenant_id,
            AuditEntry.workflow_id == workflow_id,
            AuditEntry.action == action,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()


def all_workflows(session: Session) -> Sequence[Workflow]:
    """Every tenant's workflows: only for operator jobs (reindex, reconcile), never a route."""
    return session.scalars(select(Workflow).order_by(Workflow.tenant_id, Workflow.id)).all()


def close_open_review(session: Session, version: WorkflowVersion, status: str, at: datetime) -> Review | None:
    """Close the draft's open review (``merged`` on publish, ``closed`` on delete)."""
    review = open_review(session, version)
    if review is not None:
        review.status, review.closed_at = status, at
    return review


def version_authors(session: Session, version: WorkflowVersion) -> set[str]:
    """Who wrote this draft's content (created or edited it), from the audit trail."""
    return set(
        session.scalars(
            select(AuditEntry.actor_id)
            .where(
                AuditEntry.tenant_id == version.tenant_id,
                AuditEntry.version_id == version.id,
                AuditEntry.action.in_(("create_workflow", "create", "update")),
            )
            .distinct()
        )
    )


_OPEN_REVIEW = select(Review).where(
    Review.tenant_id == bindparam("tenant_id"),
    Review.version_id == bindparam("version_id"),
    Review.status == "open",
)


def open_review(session: Session, version: WorkflowVersion) -> Review | None:
    params = {"tenant_id": version.tenant_id, "version_id": version.id}
    return session.scalars(_OPEN_REVIEW, params).one_or_none()


def review_events(session: Session, tenant_id: str, review_id: uuid.UUID) -> Sequence[ReviewEvent]:
    """A review's thread (votes and comments), oldest first."""
    return session.scalars(
        select(ReviewEvent)
        .where(ReviewEvent.tenant_id == tenant_id, ReviewEvent.review_id == review_id)
        .order_by(ReviewEvent.id)
    ).all()


def version_reviews(session: Session, tenant_id: str, version_id: uuid.UUID) -> Sequence[Review]:
    """Every review a version had (open, merged, closed), newest first."""
    return session.scalars(
        select(Review)
        .where(Review.tenant_id == tenant_id, Review.version_id == version_id)
        .order_by(Review.opened_at.desc())
    ).all()
