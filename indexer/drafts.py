"""The draft tables: ``workflow_version_drafts`` (one row per user and version: the
revision it is at, when it was saved) and ``workflow_version_draft_revisions`` (the kept
revisions' sealed documents, opaque here). Every function takes the tenant; writes are
conditional on the revision, or made under the row's lock, so that a late or repeated
write never moves a draft backwards."""

import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from indexer.models import VersionDraft, VersionDraftRevision, Workflow, WorkflowVersion

_TABLE = cast(Table, VersionDraft.__table__)
_REVISIONS = cast(Table, VersionDraftRevision.__table__)
_UNIQUE = ["workflow_id", "version_id", "user_id"]


@dataclass(frozen=True)
class DraftKey:
    """Whose draft of which version."""

    tenant_id: str
    workflow_id: uuid.UUID
    version_id: uuid.UUID
    user_id: str


class Revisions(Mapping[int, bytes]):
    """Sealed documents by revision number: the numbers are known, the documents are read
    when first asked for (``rest``, once), so a save that only adds a revision never reads
    the ones before it."""

    def __init__(
        self,
        numbers: Iterable[int],
        known: Mapping[int, bytes] | None = None,
        rest: Callable[[], Mapping[int, bytes]] | None = None,
    ) -> None:
        self._numbers = sorted(numbers)
        self._known = dict(known or {})
        self._rest = rest

    def __getitem__(self, number: int) -> bytes:
        if number in self._known:
            return self._known[number]
        if number not in self._numbers or self._rest is None:
            raise KeyError(number)
        rest, self._rest = self._rest(), None
        self._known.update((n, rest[n]) for n in self._numbers if n not in self._known)
        return self._known[number]

    def __contains__(self, number: object) -> bool:
        return number in self._numbers

    def __iter__(self) -> Iterator[int]:
        return iter(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)


@dataclass(frozen=True)
class DraftRow:
    """A draft as the database holds it. A tombstone has no document at its revision."""

    id: uuid.UUID
    revision: int
    last_saved_at: datetime
    created_at: datetime
    tokens: Mapping[int, bytes]


@dataclass(frozen=True)
class DraftWrite:
    """Where a save leaves a draft: ``tokens`` are its revisions from now on (``stored``,
    what the row had when read, tells which to add and which to drop)."""

    key: DraftKey
    stored: DraftRow | None
    revision: int
    saved_at: datetime
    created_at: datetime
    tokens: Mapping[int, bytes]


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
            Workflow.deleted_at.is_(None),
            WorkflowVersion.tenant_id == bindparam("tenant"),
            WorkflowVersion.workflow_id == bindparam("workflow"),
            ref == bindparam("ref"),
        )
    )
    return query.with_for_update(read=True, of=Workflow) if lock else query


# The hot statements are built once (building a SQLAlchemy expression costs more than
# running these queries does), of table columns, and run on the session's connection:
# the ORM's statement handling would more than double what each costs.
_TARGETS = {
    (by_id, lock): _target_query(by_id=by_id, lock=lock) for by_id in (True, False) for lock in (True, False)
}
_D = _TABLE.c
_R = _REVISIONS.c
_HEADS = (
    select(_D.id, _D.user_id, _D.revision, _D.last_saved_at, _D.created_at, _R.revision.label("kept"))
    .outerjoin(_REVISIONS, _R.draft_id == _D.id)
    .where(
        _D.tenant_id == bindparam("tenant"),
        _D.workflow_id == bindparam("workflow"),
        _D.version_id == bindparam("version"),
        _D.user_id.in_(bindparam("users", expanding=True)),
    )
    .order_by(_D.user_id)  # every batch locks its rows in this order: no deadlocks
)
_HEADS_LOCKED = _HEADS.with_for_update(of=_TABLE)
_TOKENS = select(_R.revision, _R.content).where(
    _R.tenant_id == bindparam("tenant"), _R.draft_id == bindparam("draft")
)
_MOVE_HEAD = (
    update(_TABLE)
    .where(_D.id == bindparam("draft"), _D.revision == bindparam("expected"))
    .values(revision=bindparam("new_revision"), last_saved_at=bindparam("saved_at"))
)
_ADD_REVISION = insert(_REVISIONS).values(
    draft_id=bindparam("draft"),
    revision=bindparam("number"),
    tenant_id=bindparam("tenant"),
    content=bindparam("token"),
)
_DROP_OLDER = delete(_REVISIONS).where(_R.draft_id == bindparam("draft"), _R.revision < bindparam("below"))
_DROP_ALL = delete(_REVISIONS).where(_R.draft_id == bindparam("draft"))
_DROP_VERSION = delete(_TABLE).where(
    _D.tenant_id == bindparam("tenant"), _D.version_id == bindparam("version")
)


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
    params = {"tenant": tenant_id, "workflow": workflow_id, "ref": ref}
    row = session.connection().execute(query, params).one_or_none()
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


def _tokens(session: Session, tenant_id: str, draft_id: uuid.UUID) -> dict[int, bytes]:
    found = session.connection().execute(_TOKENS, {"tenant": tenant_id, "draft": draft_id})
    return {number: bytes(content) for number, content in found}


def get_drafts(
    session: Session, keys: Collection[DraftKey], *, for_update: bool = False
) -> dict[DraftKey, DraftRow]:
    """The rows of ``keys`` (one query per version they name), documents read on use."""
    by_version: dict[tuple[str, uuid.UUID, uuid.UUID], list[DraftKey]] = {}
    for key in keys:
        by_version.setdefault((key.tenant_id, key.workflow_id, key.version_id), []).append(key)
    found: dict[DraftKey, DraftRow] = {}
    connection = session.connection()
    for (tenant, workflow, version), group in by_version.items():
        params = {
            "tenant": tenant,
            "workflow": workflow,
            "version": version,
            "users": sorted({key.user_id for key in group}),
        }
        heads: dict[str, Any] = {}
        kept: dict[str, list[int]] = {}
        for row in connection.execute(_HEADS_LOCKED if for_update else _HEADS, params):
            heads[row.user_id] = row
            kept.setdefault(row.user_id, [])
            if row.kept is not None:
                kept[row.user_id].append(row.kept)
        for user, head in heads.items():
            tokens = Revisions(kept[user], rest=_loader(session, tenant, head.id))
            key = DraftKey(tenant, workflow, version, user)
            found[key] = DraftRow(head.id, head.revision, head.last_saved_at, head.created_at, tokens)
    return found


def _loader(session: Session, tenant_id: str, draft_id: uuid.UUID) -> Callable[[], dict[int, bytes]]:
    return lambda: _tokens(session, tenant_id, draft_id)


def get_draft(session: Session, key: DraftKey, *, for_update: bool = False) -> DraftRow | None:
    return get_drafts(session, [key], for_update=for_update).get(key)


def _insert_head(session: Session, key: DraftKey, *, revision: int, at: datetime, created: datetime) -> Any:
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(_TABLE).values(
        id=uuid.uuid4(),
        tenant_id=key.tenant_id,
        workflow_id=key.workflow_id,
        version_id=key.version_id,
        user_id=key.user_id,
        revision=revision,
        last_saved_at=at,
        created_at=created,
    )


def _written(session: Session, statement: Any) -> uuid.UUID | None:
    """The id of the row a conditional write wrote, if it did (RETURNING: psycopg reports
    no rowcount for an upsert)."""
    row = session.connection().execute(statement.returning(_D.id)).first()
    return row[0] if row else None


def write_drafts(session: Session, writes: Collection[DraftWrite]) -> bool:
    """Leave each draft as its write says, in a handful of statements for all of them
    (each run for every draft at once). The caller holds the rows it read (BEGIN IMMEDIATE
    on SQLite, FOR UPDATE on PostgreSQL), so every conditional write lands; False only
    when another writer created one of the new drafts first (the caller starts again)."""
    heads: list[dict[str, Any]] = []
    drop_older: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for write in writes:
        numbers = set(write.tokens)
        if write.stored is None:
            insert_head = _insert_head(
                session, write.key, revision=write.revision, at=write.saved_at, created=write.created_at
            )
            draft_id = _written(session, insert_head.on_conflict_do_nothing(index_elements=_UNIQUE))
            if draft_id is None:
                return False
            stored: set[int] = set()
        else:
            draft_id, stored = write.stored.id, set(write.stored.tokens)
            heads.append(
                {
                    "draft": draft_id,
                    "expected": write.stored.revision,
                    "new_revision": write.revision,
                    "saved_at": write.saved_at,
                }
            )
            if stored - numbers:
                # The newest are kept: what goes is everything below the oldest that stays.
                drop_older.append({"draft": draft_id, "below": min(numbers, default=write.revision + 1)})
        tenant = write.key.tenant_id
        for number in sorted(numbers - stored):
            added.append(
                {"draft": draft_id, "number": number, "tenant": tenant, "token": write.tokens[number]}
            )
    connection = session.connection()
    if heads:
        moved = connection.execute(_MOVE_HEAD, heads).rowcount
        if moved != len(heads):  # the caller's locks make this impossible: say so loudly
            raise RuntimeError(f"{len(heads) - moved} draft(s) moved under a held lock")
    for statement, rows in ((_DROP_OLDER, drop_older), (_ADD_REVISION, added)):
        if rows:
            connection.execute(statement, rows)
    return True


def put_if_newer(session: Session, key: DraftKey, row: DraftRow) -> bool:
    """The write-behind's upsert: only a higher revision replaces what is there, so a
    flush that lost a race with a newer save, a discard or a commit changes nothing."""
    insert_head = _insert_head(
        session, key, revision=row.revision, at=row.last_saved_at, created=row.created_at
    )
    statement = insert_head.on_conflict_do_update(
        index_elements=_UNIQUE,
        set_={"revision": insert_head.excluded.revision, "last_saved_at": insert_head.excluded.last_saved_at},
        where=_D.revision < insert_head.excluded.revision,
    )
    draft_id = _written(session, statement)
    if draft_id is None:
        return False
    connection = session.connection()
    connection.execute(_DROP_ALL, {"draft": draft_id})
    rows = [
        {"draft": draft_id, "number": number, "tenant": key.tenant_id, "token": token}
        for number, token in row.tokens.items()
    ]
    if rows:
        connection.execute(_ADD_REVISION, rows)
    return True


def bury_draft(session: Session, key: DraftKey, *, revision: int, at: datetime) -> None:
    """Leave a tombstone (no document) at ``revision``: everything up to it is gone, and a
    newer save made meanwhile survives."""
    insert_head = _insert_head(session, key, revision=revision, at=at, created=at)
    statement = insert_head.on_conflict_do_update(
        index_elements=_UNIQUE,
        set_={"revision": revision, "last_saved_at": at},
        where=_D.revision <= revision,
    )
    draft_id = _written(session, statement)
    if draft_id is not None:
        session.connection().execute(_DROP_ALL, {"draft": draft_id})


def delete_version_drafts(session: Session, tenant_id: str, version_id: uuid.UUID) -> int:
    """Every user's draft of a version (their revisions go by the foreign key's cascade).
    A Core statement on the unit's connection, built once: run through the ORM it would
    first flush the publish's pending rows, one flush more on every publish."""
    result = session.connection().execute(_DROP_VERSION, {"tenant": tenant_id, "version": version_id})
    return int(result.rowcount)


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
