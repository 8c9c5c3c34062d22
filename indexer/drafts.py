"""The draft rows (``workflow_version_drafts``): one per user and version, content opaque
(sealed by the service). Every function takes the tenant; writes are conditional on the
revision so that a late or repeated write never moves a draft backwards."""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Update, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from indexer.models import VersionDraft, Workflow, WorkflowVersion

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


def find_target(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, ref: uuid.UUID | int, *, share_lock: bool = False
) -> VersionTarget | None:
    """One light query. ``share_lock`` holds the workflow row in SHARE mode, so a publish
    (which takes it FOR UPDATE) cannot slip between this check and the draft write."""
    query = (
        select(
            WorkflowVersion.id,
            WorkflowVersion.version_number,
            WorkflowVersion.status,
            WorkflowVersion.deleted_at,
        )
        .join(Workflow, Workflow.id == WorkflowVersion.workflow_id)
        .where(
            Workflow.tenant_id == tenant_id,
            WorkflowVersion.tenant_id == tenant_id,
            WorkflowVersion.workflow_id == workflow_id,
        )
    )
    if isinstance(ref, uuid.UUID):
        query = query.where(WorkflowVersion.id == ref)
    else:
        query = query.where(WorkflowVersion.version_number == ref)
    if share_lock:
        query = query.with_for_update(read=True, of=Workflow)
    row = session.execute(query).one_or_none()
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


def _match(key: DraftKey) -> tuple[Any, ...]:
    return (
        VersionDraft.tenant_id == key.tenant_id,
        VersionDraft.workflow_id == key.workflow_id,
        VersionDraft.version_id == key.version_id,
        VersionDraft.user_id == key.user_id,
    )


def get_draft(session: Session, key: DraftKey, *, for_update: bool = False) -> DraftRow | None:
    query = select(
        VersionDraft.revision, VersionDraft.content, VersionDraft.last_saved_at, VersionDraft.created_at
    ).where(*_match(key))
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).one_or_none()
    return DraftRow(row.revision, row.content, row.last_saved_at, row.created_at) if row else None


def _insert(session: Session, key: DraftKey, row: DraftRow) -> Any:
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(VersionDraft).values(
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
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def put_draft(session: Session, key: DraftKey, row: DraftRow, *, expected_revision: int | None) -> bool:
    """Compare-and-set: insert when ``expected_revision`` is None, else update the row only
    if it is still at that revision. False: another writer got there first."""
    if expected_revision is None:
        return _changed(session, _insert(session, key, row).on_conflict_do_nothing(index_elements=_UNIQUE))
    statement: Update = (
        update(VersionDraft)
        .where(*_match(key), VersionDraft.revision == expected_revision)
        .values(revision=row.revision, content=row.content, last_saved_at=row.last_saved_at)
    )
    return _changed(session, statement)


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
