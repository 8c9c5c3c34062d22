"""Departures: how many executions left each version since a moment (the rate in
``schemas.drain``), read with the live counts. Set-based: one statement for any number of
versions (a versions list page, one version, an archival preview's candidates), two more
only while a migration may have moved contacts in the window; never one per version.

An execution **left** version V in the window ``[since, now]`` when either

1. it is on V and reached a terminal status (``completed``, ``exited``, ``failed``) with
   ``updated_at >= since``. A terminal execution never changes again (position reports
   and migrations touch live ones only), so its ``updated_at`` is the moment it ended.
   Exits by a migration's ``exit`` policy are among them (the row stays on V, exited); or
2. a migration whose one source is V moved it to its target: ``last_migration_id`` names
   that migration, the row is no longer on V, and ``updated_at >= since``. The row keeps
   no time of the move itself, only its latest change; a move in the window always passes
   this test (a later position report only moves ``updated_at`` later), and a move before
   the window passes it only if the engine reported the contact again inside it, which a
   migration that started inside the window rules out (its moves all happened after
   ``since``). Migrations that finished before ``since`` are not looked at.

What is not counted, by decision: a move by a migration from several versions at once
(the row does not say which source it came from, and counting it for each would overstate
every one of them: the projection errs late, never early; that migration's own ETA is the
figure to read then), and a move whose record a later migration overwrote (moved again
from the target: it counts for the later move's source only). Deleting a workflow ends
nothing here (its executions are gone with it).

Indexes: live counts come from ``executions (workflow_id, version_id, status, ...)``;
terminal departures are a range per version on ``executions (version_id, updated_at)``
(rows changed in the window, not every execution the version ever had); moves a lookup on
``executions (last_migration_id)`` for the few migrations still running or finished in the
window, skipped when there are none (most reads). No new index.
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Uuid,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from indexer.executions import LIVE
from indexer.models import Execution, VersionMigration

TERMINAL = ("completed", "exited", "failed")


class Counts(NamedTuple):
    """A version's live executions and its departures since the moment asked."""

    live: int
    departed: int


def counts(
    session: Session,
    tenant_id: str,
    workflow_ids: Sequence[uuid.UUID],
    version_ids: Sequence[uuid.UUID],
    since: datetime,
) -> dict[uuid.UUID, Counts]:
    """Live executions and departures since ``since`` of each of these versions (of these
    workflows). One round trip in the common case: the live counts, the terminal
    departures and the number of migrations that may have moved contacts in the window
    are the three arms of one UNION ALL, each answered by its own index; the moves are
    read only when that number is not zero."""
    if not version_ids or not workflow_ids:
        return {}
    scope = (
        Execution.tenant_id == tenant_id,
        Execution.workflow_id.in_(workflow_ids),
        Execution.version_id.in_(version_ids),
    )
    live = (
        select(literal("live"), Execution.version_id, func.count())
        .where(*scope, Execution.status.in_(LIVE))
        .group_by(Execution.version_id)
    )
    ended = (
        select(literal("ended"), Execution.version_id, func.count())
        .where(*scope, Execution.updated_at >= since, Execution.status.in_(TERMINAL))
        .group_by(Execution.version_id)
    )
    recent = select(literal("migrations"), literal(None, Uuid), func.count()).where(
        _recent_migrations(tenant_id, workflow_ids, since)
    )
    found: dict[str, Counter[uuid.UUID]] = {"live": Counter(), "ended": Counter()}
    migrations = 0
    for kind, version, count in session.execute(union_all(live, ended, recent)):
        if kind == "migrations":
            migrations = int(count)
        else:
            found[kind][version] += int(count)
    if migrations:
        found["ended"].update(_moved(session, tenant_id, workflow_ids, set(version_ids), since))
    return {v: Counts(found["live"][v], found["ended"][v]) for v in version_ids}


def counts_of_one(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, version_id: uuid.UUID, since: datetime
) -> Counts:
    """:func:`counts` for one version, with a statement built once and run as Core: every
    read of a version shows it, the API's most frequent request."""
    parameters = {
        "tenant_id": tenant_id,
        "workflow_id": workflow_id,
        "version_id": version_id,
        "since": since,
    }
    found = {kind: int(count) for kind, count in session.connection().execute(_ONE, parameters)}
    departed = found["ended"]
    if found["migrations"]:
        departed += _moved(session, tenant_id, [workflow_id], {version_id}, since)[version_id]
    return Counts(found["live"], departed)


def _one_statement() -> CompoundSelect[Any]:
    scope = (
        Execution.tenant_id == bindparam("tenant_id"),
        Execution.workflow_id == bindparam("workflow_id"),
        Execution.version_id == bindparam("version_id"),
    )
    return union_all(
        select(literal("live"), func.count()).where(*scope, Execution.status.in_(LIVE)),
        select(literal("ended"), func.count()).where(
            *scope, Execution.updated_at >= bindparam("since"), Execution.status.in_(TERMINAL)
        ),
        select(literal("migrations"), func.count()).where(
            VersionMigration.tenant_id == bindparam("tenant_id"),
            VersionMigration.workflow_id == bindparam("workflow_id"),
            VersionMigration.started_at.is_not(None),
            or_(VersionMigration.finished_at.is_(None), VersionMigration.finished_at >= bindparam("since")),
        ),
    )


def _recent_migrations(
    tenant_id: str, workflow_ids: Sequence[uuid.UUID], since: datetime
) -> ColumnElement[bool]:
    """Migrations of these workflows that may have moved executions since ``since``:
    started, and running still or finished in the window."""
    return and_(
        VersionMigration.tenant_id == tenant_id,
        VersionMigration.workflow_id.in_(workflow_ids),
        VersionMigration.started_at.is_not(None),
        or_(VersionMigration.finished_at.is_(None), VersionMigration.finished_at >= since),
    )


def _moved(
    session: Session,
    tenant_id: str,
    workflow_ids: Sequence[uuid.UUID],
    version_ids: set[uuid.UUID],
    since: datetime,
) -> Counter[uuid.UUID]:
    """Executions moved away from each version by a single-source migration in the window."""
    recent = session.execute(
        select(VersionMigration.id, VersionMigration.source_version_ids).where(
            _recent_migrations(tenant_id, workflow_ids, since)
        )
    )
    source_of = {
        migration: uuid.UUID(sources[0])
        for migration, sources in recent
        if len(sources) == 1 and uuid.UUID(sources[0]) in version_ids
    }
    moved: Counter[uuid.UUID] = Counter()
    if not source_of:
        return moved
    rows = session.execute(
        select(Execution.last_migration_id, Execution.version_id, func.count())
        .where(
            Execution.tenant_id == tenant_id,
            Execution.last_migration_id.in_(list(source_of)),
            Execution.updated_at >= since,
        )
        .group_by(Execution.last_migration_id, Execution.version_id)
    )
    for migration, version, count in rows:
        source = source_of.get(migration) if migration else None  # never None: the IN
        if (
            source is not None and version != source
        ):  # still on the source: exited by the policy, counted as ended
            moved[source] += int(count)
    return moved


_ONE = _one_statement()
