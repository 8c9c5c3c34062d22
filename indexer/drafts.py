"""The draft rows (``workflow_version_drafts``): one per user and version, content opaque
(sealed by the service). Every function takes the tenant; writes are conditional on the
revision so that a late or repeated write never moves a draft backwards."""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from indexer.models import VersionDraft, Workflow, WorkflowVersion

_TABLE = cast(Table, VersionDraft.__table__)
_UNIQUE = ["workflow_id", "version_id", "user_id"]


@dataclass(frozen=True)
class DraftKey:
    """Whose draft of which version."""

    tenant_id: str
    workflow_id: uuid.UUID
    version_id: uuid.UUID
    user_id: str


@dataclass(frozen=True)
class DraftRow:
    revision: int
    content: bytes
    last_saved_at: datetime
    created_at: datetime


@dataclass(frozen=True)
class VersionTarget:
    """What a draft route needs to know of the version it names."""

    version_id: uuid.UUID
    version_number: int
    status: str
    deleted: bool


def _target_query(*, by_id: bool, lock: bool) -> Select[uuid.UUID, int, str, datetime | None]:
    ref = WorkflowVersion.id if by_id else WorkflowVersion.version_number
    query = (
        select(
            WorkflowVersion.id,
            WorkflowVersion.version_number,
            WorkflowVersion.status,
            WorkflowVersion.deleted_at,
        )
        .join(Workflow, Workflow.id == WorkflowVersion.workflow_id)
        .where(
            Workflow.tenant_id == bindparam("tenant"),
            WorkflowVersion.tenant_id == bindparam("tenant"),
            WorkflowVersion.workflow_id == bindparam("workflow"),
            ref == bindparam("ref"),
        )
    )
    return query.with_for_update(read=True, of=Workflow) if lock else query


# The hot statements are built once: building a SQLAlchemy expression costs more than
# running these queries does.
_TARGETS = {
    (by_id, lock): _target_query(by_id=by_id, lock=lock) for by_id in (True, False) for lock in (True, False)
}
_DRAFT = (
    VersionDraft.tenant_id == bindparam("tenant"),
    VersionDraft.workflow_id == bindparam("workflow"),
    VersionDraft.version_id == bindparam("version"),
    VersionDraft.user_id == bindparam("user"),
)
_GET = select(
    VersionDraft.revision, VersionDraft.content, VersionDraft.last_saved_at, VersionDraft.created_at
).where(*_DRAFT)
_GET_LOCKED = _GET.with_for_update()
_UPDATE = (
    update(_TABLE)
    .where(*_DRAFT, VersionDraft.revision == bindparam("expected"))
    .values(
        revision=bindparam("new_revision"),
        content=bindparam("new_content"),
        last_saved_at=bindparam("saved_at"),
    )
    .returning(VersionDraft.__table__.c.id)
)


def _key_params(key: "DraftKey") -> dict[str, Any]:
    return {
        "tenant": key.tenant_id,
        "workflow": key.workflow_id,
        "version": key.version_id,
        "user": key.user_id,
    }


def find_target(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    ref: uuid.UUID | int,
    *,
    share_lock: bool = False,
) -> VersionTarget | None:
    """One light query. ``share_lock`` holds the workflow row in SHARE mode, so a publish
    (which takes it FOR UPDATE) cannot slip between this check and the draft write."""
    query = _TARGETS[(isinstance(ref, uuid.UUID), share_lock)]
    row = session.execute(query, {"tenant": tenant_id, "workflow": workflow_id, "ref": ref}).one_or_none()
    if row is None:
        return None
    return VersionTarget(row.id, row.version_number, row.status, row.deleted_at is not None)


def version_definition(session: Session, tenant_id: str, version_id: uuid.UUID) -> dict[str, Any]:
    found: dict[str, Any] = session.scalars(
        select(WorkflowVersion.definition).where(
            WorkflowVersion.tenant_id == tenant_id, WorkflowVersion.id == version_id
        )
    ).one()
    return found


def get_draft(session: Session, key: DraftKey, *, for_update: bool = False) -> DraftRow | None:
    row = session.execute(_GET_LOCKED if for_update else _GET, _key_params(key)).one_or_none()
    return DraftRow(row.revision, row.content, row.last_saved_at, row.created_at) if row else None


def _insert(session: Session, key: DraftKey, row: DraftRow) -> Any:
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(VersionDraft.__table__).values(
        id=uuid.uuid4(),
        tenant_id=key.tenant_id,
        workflow_id=key.workflow_id,
        version_id=key.version_id,
        user_id=key.user_id,
        revision=row.revision,
        content=row.content,
        last_saved_at=row.last_saved_at,
        created_at=row.created_at,
    )


def _changed(session: Session, statement: Any) -> bool:
    """Did the conditional write write? (RETURNING: psycopg reports no rowcount for an upsert.)"""
    return session.execute(statement.returning(VersionDraft.__table__.c.id)).first() is not None


def put_draft(session: Session, key: DraftKey, row: DraftRow, *, expected_revision: int | None) -> bool:
    """Compare-and-set: insert when ``expected_revision`` is None, else update the row only
    if it is still at that revision. False: another writer got there first."""
    if expected_revision is None:
        return _changed(session, _insert(session, key, row).on_conflict_do_nothing(index_elements=_UNIQUE))
    params = {
        **_key_params(key),
        "expected": expected_revision,
        "new_revision": row.revision,
        "new_content": row.content,
        "saved_at": row.last_saved_at,
    }
    return session.execute(_UPDATE, params).first() is not None


def put_if_newer(session: Session, key: DraftKey, row: DraftRow) -> bool:
    """The write-behind's upsert: only a higher revision replaces what is there, so a
    flush that lost a race with a newer save, a discard or a commit changes nothing."""
    insert = _insert(session, key, row)
    statement = insert.on_conflict_do_update(
        index_elements=_UNIQUE,
        set_={
            "revision": insert.excluded.revision,
            "content": insert.excluded.content,
            "last_saved_at": insert.excluded.last_saved_at,
        },
        where=VersionDraft.revision < insert.excluded.revision,
    )
    return _changed(session, statement)


def bury_draft(session: Session, key: DraftKey, *, revision: int, at: datetime) -> None:
    """Leave a tombstone (no content) at ``revision``: everything up to it is gone, and a
    newer save made meanwhile survives."""
    insert = _insert(session, key, DraftRow(revision, b"", at, at))
    session.execute(
        insert.on_conflict_do_update(
            index_elements=_UNIQUE,
            set_={"revision": revision, "content": b"", "last_saved_at": at},
            where=VersionDraft.revision <= revision,
        )
    )


def delete_version_drafts(session: Session, tenant_id: str, version_id: uuid.UUID) -> int:
    statement = delete(VersionDraft).where(
        VersionDraft.tenant_id == tenant_id, VersionDraft.version_id == version_id
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def delete_saved_before(session: Session, tenant_id: str, cutoff: datetime) -> int:
    statement = delete(VersionDraft).where(
        VersionDraft.tenant_id == tenant_id, VersionDraft.last_saved_at < cutoff
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def open_versions(
    session: Session, tenant_id: str, workflow_ids: Collection[uuid.UUID], version_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of ``version_ids`` still take drafts (undeleted drafts), read while holding
    their workflows in SHARE mode (in id order, as every writer locks one workflow)."""
    session.execute(
        select(Workflow.id)
        .where(Workflow.tenant_id == tenant_id, Workflow.id.in_(sorted(workflow_ids)))
        .order_by(Workflow.id)
        .with_for_update(read=True)
    ).all()
    rows = session.scalars(
        select(WorkflowVersion.id).where(
            WorkflowVersion.tenant_id == tenant_id,
            WorkflowVersion.id.in_(list(version_ids)),
            WorkflowVersion.status == "draft",
            WorkflowVersion.deleted_at.is_(None),
        )
    )
    return set(rows)
