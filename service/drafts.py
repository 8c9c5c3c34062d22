"""Draft auto-save: a user's working copy of a draft version, saved every few seconds by
the editor, restored after a crash, discarded, or committed as the version's next edit.

Where a save goes: Redis when configured (one round trip in the usual case; the
write-behind task copies it into the database within seconds), else the database. A save
is acknowledged only once one of them holds it. When Redis fails, the save goes to the
database instead and the caller never knows. Reads take the newer of the two copies.

Plain saves are not audited (every few seconds per user would drown the trail); a discard
is, and a commit is audited as the version edit it becomes (``update``).
"""

import asyncio
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from anyio import to_thread

from indexer import drafts as rows
from indexer.drafts import DraftKey, VersionTarget
from indexer.models import WorkflowVersion
from schemas.drafts import DraftSave
from schemas.workflow import WorkflowDefinition
from service import metrics, versions
from service.auth import Principal
from service.clock import utcnow
from service.container import Container
from service.draft_cache import CacheUnavailable, PutResult, RedisDraftCache, key_name
from service.draft_crypto import DraftRecord, newest, record_from_row
from service.draft_plan import SaveContext, plan_save, sealed_definition, validated
from service.errors import CommitOutcomeUnknown, Problem, StaleLock, VersionNotFound
from service.group_commit import GroupCommit
from service.uow import UnitOfWork
from service.versions import VersionRef, find_version
from service.workflows import load_workflow

log = logging.getLogger("wfv.drafts")
_ATTEMPTS = 8  # a retry means another save won: eight concurrent tabs all get through


class DraftNotFound(Problem):
    status_code, title, slug = 404, "Draft not found", "draft-not-found"


class VersionNotDraft(Problem):
    status_code, title, slug = 409, "Version is not a draft", "version-not-draft"


class DraftChanged(Problem):
    status_code, title, slug = 409, "Draft changed", "draft-changed"


class DraftBusy(Problem):
    status_code, title, slug = 409, "Draft busy", "draft-busy"


@dataclass(frozen=True)
class SavedDraft:
    revision: int
    saved_at: datetime
    merged: dict[str, Any] | None = None


@dataclass(frozen=True)
class RestoredDraft:
    definition: dict[str, Any]
    revision: int
    saved_at: datetime


def locate(
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    ref: VersionRef,
    *,
    share_lock: bool = False,
) -> VersionTarget:
    """The version a draft route names, in the caller's tenant; 404 as the version routes say."""
    target = rows.find_target(uow.session, principal.tenant_id, workflow_id, ref, share_lock=share_lock)
    if target is None:
        # Which one is missing, worded as elsewhere (and an index behind git healed: in
        # place when this unit writes, as its SQLite write lock would block a healer's).
        find_version(uow, load_workflow(uow, principal, workflow_id, lock=uow.write), ref)
        target = rows.find_target(uow.session, principal.tenant_id, workflow_id, ref, share_lock=share_lock)
    if target is None or target.deleted:
        raise VersionNotFound(f"workflow {workflow_id} has no version {ref}")
    return target


def _editable(target: VersionTarget) -> VersionTarget:
    if target.status != "draft":
        raise VersionNotDraft(
            f"v{target.version_number} is {target.status}; only a draft version takes draft saves",
            version_status=target.status,
        )
    return target


def _key(principal: Principal, workflow_id: uuid.UUID, target: VersionTarget) -> DraftKey:
    return DraftKey(principal.tenant_id, workflow_id, target.version_id, principal.user_id)


async def save_draft_quickly(
    *, container: Container, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef, change: DraftSave
) -> SavedDraft | None:
    """The usual save (a whole definition on top of the latest revision, Redis up, the
    version looked up within the last minute) in the event loop: one Redis round trip,
    no worker thread. None when it is not that save: ``save_draft`` then decides."""
    cache = container.draft_cache
    if cache is None or change.definition is None or not cache.takes_quick_saves():
        return None
    target = cache.targets.get(principal.tenant_id, workflow_id, ref)
    if target is None:
        return None
    guess = _next_revision(container, change)
    try:
        result = await cache.put_quickly(
            _key(principal, workflow_id, target), expected=change.revision, record=guess
        )
    except CacheUnavailable as exc:
        metrics.DRAFT_SAVES.labels("redis", "unavailable").inc()
        log.warning("Redis unavailable, draft saved to the database instead: %s", exc)
        return None
    if not result.ok:
        return None
    metrics.DRAFT_SAVES.labels("redis", "saved").inc()
    if result.schedule_flush:
        return await to_thread.run_sync(_acknowledge, container, result, guess, None)
    return SavedDraft(guess.revision, guess.saved_at)


def _next_revision(container: Container, change: DraftSave) -> DraftRecord:
    """A whole definition as the revision after ``change.revision``: right whenever that
    is still the latest, which the store's compare-and-set decides."""
    now = container.clock()
    revision = change.revision + 1
    return DraftRecord(revision, now, now, {revision: sealed_definition(change, container.draft_cipher)})


def save_draft(
    *, container: Container, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef, change: DraftSave
) -> SavedDraft:
    """Save the caller's working copy: Redis first when there is one, else the database."""
    cache = container.draft_cache
    if cache is not None and cache.available():
        key = _key(principal, workflow_id, _save_target(container, principal, workflow_id, ref))
        try:
            with _counted("redis") as count:
                return count(_save_to_cache(container, cache, key, change))
        except CacheUnavailable as exc:
            log.warning("Redis unavailable, draft saved to the database instead: %s", exc)
        except _VersionClosed:
            # Published or deleted since this process looked: say so as the database does.
            cache.targets.forget_version(key.version_id)
            _save_target(container, principal, workflow_id, ref)
            raise VersionNotDraft("the version is no longer a draft", version_status="closed") from None
    with _counted("database") as count:
        key, saved = _save_to_database(container, principal, workflow_id, ref, change)
        count(saved)
    if cache is not None:
        cache.remember_stale(key, saved.revision)
    return saved


@contextmanager
def _counted(store: str) -> Iterator[Callable[[SavedDraft], SavedDraft]]:
    """``wfv_draft_saves_total{store, outcome}``: saved, merged (three-way, another tab's
    edit kept), rejected (a problem the caller is told about), unavailable (Redis went
    away mid-save: the database takes it) or error."""
    outcome = "error"

    def count(saved: SavedDraft) -> SavedDraft:
        nonlocal outcome
        outcome = "merged" if saved.merged is not None else "saved"
        return saved

    try:
        yield count
    except CacheUnavailable:
        outcome = "unavailable"
        raise
    except (Problem, _VersionClosed):
        outcome = "rejected"
        raise
    finally:
        metrics.DRAFT_SAVES.labels(store, outcome).inc()


def _save_target(
    container: Container, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef
) -> VersionTarget:
    """The draft version a save names; with Redis, remembered a minute (``RecentTargets``)."""
    cache = container.draft_cache
    target = cache.targets.get(principal.tenant_id, workflow_id, ref) if cache else None
    if target is None:
        with container.uow(principal.tenant_id) as uow:
            target = _editable(locate(uow, principal, workflow_id, ref))
        if cache is not None:
            cache.targets.put(principal.tenant_id, workflow_id, ref, target)
    return target


class _VersionClosed(Exception):
    """Redis says the version was published or deleted (``service.draft_endings``)."""


def _put(cache: RedisDraftCache, key: DraftKey, **put: Any) -> PutResult:
    result = cache.put(key, **put)
    if result.closed:
        raise _VersionClosed
    return result


def _context(container: Container, version_document: Any) -> SaveContext:
    return SaveContext(
        cipher=container.draft_cipher,
        keep=container.settings.draft_history,
        now=container.clock(),
        version_document=version_document,
    )


def _version_document(container: Container, key: DraftKey) -> dict[str, Any]:
    with container.uow(key.tenant_id) as uow:
        return rows.version_definition(uow.session, key.tenant_id, key.version_id)


def _stored(container: Container, key: DraftKey) -> DraftRecord | None:
    with container.uow(key.tenant_id) as uow:
        row = rows.get_draft(uow.session, key)
        return record_from_row(row).loaded() if row else None


def _save_to_cache(
    container: Container, cache: RedisDraftCache, key: DraftKey, change: DraftSave
) -> SavedDraft:
    ctx = _context(container, partial(_version_document, container, key))
    if change.definition is not None:
        # The usual case, one tab sending its whole document: one round trip, nothing read.
        guess = _next_revision(container, change)
        result = _put(cache, key, expected=change.revision, record=guess, fields=guess.history)
        if result.ok:
            return _acknowledge(container, result, guess, None)
    for _ in range(_ATTEMPTS):
        cached = cache.load(key)
        current = cached
        if cached is None or change.revision > cached.revision:
            current = newest(cached, _stored(container, key))  # Redis lost it, or never had it
        expected = cached.revision if cached else None
        if current is not None and current is not cached and current.live:
            # The database is ahead (a Redis restart, an outage): Redis takes its copy first.
            seed = current.history
            _put(cache, key, expected=expected, record=current, fields=seed, replace=True, dirty=False)
            continue
        planned = plan_save(current, change, ctx)
        replace = planned.fresh or current is not cached
        fields = planned.record.history if replace else planned.fields
        result = _put(cache, key, expected=expected, record=planned.record, fields=fields, replace=replace)
        if result.ok:
            return _acknowledge(container, result, planned.record, planned.merged)
    raise DraftBusy("the draft kept changing while this save was merged; save again")


def _acknowledge(
    container: Container, result: PutResult, record: DraftRecord, merged: dict[str, Any] | None
) -> SavedDraft:
    scheduler = container.draft_flush_scheduler
    if result.schedule_flush and scheduler is not None:
        try:
            scheduler()
        except Exception:
            # The save is durable in Redis; the workers' periodic sweep flushes it anyway.
            log.exception("could not schedule the draft write-behind; the periodic sweep will")
    return SavedDraft(record.revision, record.saved_at, merged)


@dataclass(frozen=True)
class DatabaseSave:
    """One save waiting for the database writer's next batch."""

    principal: Principal
    workflow_id: uuid.UUID
    ref: VersionRef
    change: DraftSave


_WrittenSave = tuple[DraftKey, SavedDraft]


def _database_writer(container: Container) -> GroupCommit[DatabaseSave, _WrittenSave]:
    """This process's database saves, a transaction per batch (``service.group_commit``)."""
    return container.group_commit("draft-saves", partial(write_save_batch, container))


def _save_to_database(
    container: Container,
    principal: Principal,
    workflow_id: uuid.UUID,
    ref: VersionRef,
    change: DraftSave,
) -> _WrittenSave:
    return _database_writer(container).submit(DatabaseSave(principal, workflow_id, ref, change)).result()


async def save_draft_to_database(
    *, container: Container, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef, change: DraftSave
) -> SavedDraft:
    """The save when Redis is not configured or is down, from the event loop: no thread
    of its own, it waits for its place in the database writer's next batch."""
    written = _database_writer(container).submit(DatabaseSave(principal, workflow_id, ref, change))
    with _counted("database") as count:
        key, saved = await asyncio.wrap_future(written)
        count(saved)
    if container.draft_cache is not None:
        container.draft_cache.remember_stale(key, saved.revision)
    return saved


def write_save_batch(container: Container, saves: list[DatabaseSave]) -> list[_WrittenSave | Exception]:
    """One write transaction per tenant. A save refused (a problem the caller is told
    about) leaves the others alone; a database error fails the transaction, and then each
    save is tried again in a transaction of its own, so one cannot sink the rest."""
    outcomes: list[_WrittenSave | Exception] = [DraftBusy("not written")] * len(saves)
    by_tenant: dict[str, list[int]] = {}
    for index, save in enumerate(saves):
        by_tenant.setdefault(save.principal.tenant_id, []).append(index)
    for tenant, indexes in sorted(by_tenant.items()):
        # Rows locked in one order by every batch: two processes' batches cannot deadlock.
        indexes.sort(key=lambda i: (str(saves[i].workflow_id), saves[i].principal.user_id))
        try:
            _write_tenant_batch(container, tenant, saves, indexes, outcomes)
        except CommitOutcomeUnknown as exc:
            # Perhaps committed: written again, they would come back as merges of themselves.
            for index in indexes:
                outcomes[index] = exc
        except Exception as exc:
            if len(indexes) == 1:
                outcomes[indexes[0]] = exc
                continue
            log.warning("a batch of %d draft saves failed (%s); writing them one by one", len(indexes), exc)
            for index in indexes:
                try:
                    _write_tenant_batch(container, tenant, saves, [index], outcomes)
                except Exception as alone:
                    outcomes[index] = alone
    return outcomes


def _write_tenant_batch(
    container: Container,
    tenant: str,
    saves: list[DatabaseSave],
    indexes: list[int],
    outcomes: list[_WrittenSave | Exception],
) -> None:
    """The batch's saves in order, in one transaction: each version checked once (under
    the workflow's SHARE lock, so a publish cannot slip in before the commit), every draft
    row read at once (and locked), the saves planned one after the other (two tabs' saves
    in one batch merge as they would one after the other), then the final state of each
    draft written for all of them at once."""
    written: dict[int, _WrittenSave | Exception] = {}
    with container.uow(tenant, write=True) as uow:
        keys = _batch_keys(uow, saves, indexes, written)
        # In batch order (the saves are sorted): every batch locks its drafts in one order.
        stored = rows.get_drafts(uow.session, list(dict.fromkeys(keys.values())), for_update=True)
        current: dict[DraftKey, DraftRecord | None] = {
            key: record_from_row(stored[key]) if key in stored else None for key in keys.values()
        }
        for index, key in keys.items():
            loader = partial(rows.version_definition, uow.session, key.tenant_id, key.version_id)
            try:
                planned = plan_save(current[key], saves[index].change, _context(container, loader))
            except Problem as exc:
                written[index] = exc
                continue
            current[key] = planned.record
            written[index] = (
                key,
                SavedDraft(planned.record.revision, planned.record.saved_at, planned.merged),
            )
        changed = [
            rows.DraftWrite(
                key, stored.get(key), record.revision, record.saved_at, record.created_at, record.history
            )
            for key, record in current.items()
            if record is not None and (key not in stored or record.revision != stored[key].revision)
        ]
        if not rows.write_drafts(uow.session, changed):
            raise DraftBusy("another save created this draft at the same moment; save again")
        uow.commit()
    for index, outcome in written.items():
        outcomes[index] = outcome


def _batch_keys(
    uow: UnitOfWork,
    saves: list[DatabaseSave],
    indexes: list[int],
    refused: dict[int, _WrittenSave | Exception],
) -> dict[int, DraftKey]:
    """Each save's draft, in batch order; a save naming no draft version is refused."""
    targets: dict[tuple[uuid.UUID, VersionRef], VersionTarget | Problem] = {}
    keys: dict[int, DraftKey] = {}
    for index in indexes:
        principal, workflow_id, ref = saves[index].principal, saves[index].workflow_id, saves[index].ref
        target = targets.get((workflow_id, ref))
        if target is None:
            try:
                target = _editable(locate(uow, principal, workflow_id, ref, share_lock=True))
            except Problem as exc:
                target = exc
            targets[(workflow_id, ref)] = target
        if isinstance(target, Problem):
            refused[index] = target
        else:
            keys[index] = _key(principal, workflow_id, target)
    return keys


def _cached(container: Container, key: DraftKey) -> DraftRecord | None:
    cache = container.draft_cache
    if cache is None or not cache.available():
        return None
    try:
        return cache.load(key)
    except CacheUnavailable as exc:
        log.warning("Redis unavailable, reading the draft from the database: %s", exc)
        return None


def _latest(uow: UnitOfWork, key: DraftKey) -> DraftRecord:
    row = rows.get_draft(uow.session, key)
    record = newest(_cached(uow.container, key), record_from_row(row) if row else None)
    if record is None or not record.live:
        raise DraftNotFound("you have no saved draft of this version")
    return record


def restore_draft(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef
) -> RestoredDraft:
    """The caller's latest save: the newer of the Redis and database copies."""
    target = locate(uow, principal, workflow_id, ref)
    if target.status != "draft":
        raise DraftNotFound(f"v{target.version_number} is {target.status}: its drafts ended at publish")
    record = _latest(uow, _key(principal, workflow_id, target))
    return RestoredDraft(uow.container.draft_cipher.open(record.current), record.revision, record.saved_at)


def discard_draft(*, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef) -> int:
    """Throw the working copy away (audited); returns the revision discarded."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    version = find_version(uow, workflow, ref)
    key = DraftKey(principal.tenant_id, workflow.id, version.id, principal.user_id)
    record = _latest(uow, key)
    rows.bury_draft(uow.session, key, revision=record.revision, at=uow.container.clock())
    versions.audit(uow, workflow, version, "draft_discard", principal, utcnow(), revision=record.revision)
    _forget_after_commit(uow, key, record.revision)
    return record.revision


def commit_draft(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    ref: VersionRef,
    expected_lock: int | None,
    stale_error: type[StaleLock],
    revision: int | None,
    message: str | None,
) -> WorkflowVersion:
    """The working copy becomes the version's next edit (a commit on its draft branch,
    optimistic locking as for any edit); the draft ends with it."""
    target = _editable(locate(uow, principal, workflow_id, ref))
    key = _key(principal, workflow_id, target)
    record = _latest(uow, key)
    if revision is not None and revision != record.revision:
        raise DraftChanged(
            f"the draft is at revision {record.revision}, not {revision}: restore it before committing",
            revision=record.revision,
        )
    document = validated(uow.container.draft_cipher.open(record.current))
    version = versions.update_version(
        uow=uow,
        principal=principal,
        workflow_id=workflow_id,
        ref=target.version_id,
        definition=WorkflowDefinition.model_validate(document),
        expected_lock=expected_lock,
        stale_error=stale_error,
        message=message or f"Commit draft of v{target.version_number} (revision {record.revision})",
    )
    rows.bury_draft(uow.session, key, revision=record.revision, at=uow.container.clock())
    _forget_after_commit(uow, key, record.revision)
    return version


def _forget_after_commit(uow: UnitOfWork, key: DraftKey, revision: int) -> None:
    cache = uow.container.draft_cache
    if cache is not None:
        uow.after_commit(f"evict draft {key_name(key)} from Redis", partial(cache.forget, key, revision))
