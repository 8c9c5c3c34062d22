"""Draft auto-save: a user's working copy of a draft version, saved every few seconds by
the editor, restored after a crash, discarded, or committed as the version's next edit.

Where a save goes: Redis when configured (one round trip in the usual case; the
write-behind task copies it into the database within seconds), else the database. A save
is acknowledged only once one of them holds it. When Redis fails, the save goes to the
database instead and the caller never knows. Reads take the newer of the two copies.
The database's side of saving is ``service.drafts.batches`` (group commit); what both
stores' saves share is ``service.drafts.common``.

Plain saves are not audited (every few seconds per user would drown the trail); a discard
is, and a commit is audited as the version edit it becomes (``update``).
"""

import logging
import uuid
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
from service.auth import Principal
from service.clock import utcnow
from service.container import Container
from service.drafts.batches import save_to_database
from service.drafts.common import (
    DraftBusy,
    DraftChanged,
    DraftNotFound,
    SavedDraft,
    VersionClosed,
    VersionNotDraft,
    counted,
    draft_key,
    editable,
    locate,
    save_context,
)
from service.drafts.plan import plan_save, sealed_definition, validated
from service.drafts.records import DraftRecord, newest, record_from_row
from service.drafts.redis_store import CacheUnavailable, PutResult, RedisDraftCache, key_name
from service.drafts.upkeep import flush_one
from service.ops import metrics, tracing
from service.uow import UnitOfWork
from service.versions import editing as versions
from service.versions.editing import VersionRef, find_version
from service.versions.workflows import load_workflow

log = logging.getLogger("wfv.drafts")
_ATTEMPTS = 8  # a retry means another save won: eight concurrent tabs all get through


@dataclass(frozen=True)
class RestoredDraft:
    definition: dict[str, Any]
    revision: int
    saved_at: datetime


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
    key = draft_key(principal, workflow_id, target)
    guess = _next_revision(container, key, change)
    try:
        result = await cache.put_quickly(key, expected=change.revision, record=guess)
    except CacheUnavailable as exc:
        metrics.DRAFT_SAVES.labels("redis", "unavailable").inc()
        log.warning("Redis unavailable, draft saved to the database instead: %s", exc)
        return None
    if not result.ok:
        return None
    metrics.DRAFT_SAVES.labels("redis", "saved").inc()
    if result.schedule_flush or container.settings.draft_ack_after_database:
        return await to_thread.run_sync(_acknowledge, container, key, result, guess, None)
    return SavedDraft(guess.revision, guess.saved_at)


def _next_revision(container: Container, key: DraftKey, change: DraftSave) -> DraftRecord:
    """A whole definition as the revision after ``change.revision``: right whenever that
    is still the latest, which the store's compare-and-set decides."""
    now = container.clock()
    revision = change.revision + 1
    return DraftRecord(
        revision, now, now, {revision: sealed_definition(change, container.draft_cipher.bound(key))}
    )


def save_draft(
    *, container: Container, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef, change: DraftSave
) -> SavedDraft:
    """Save the caller's working copy: Redis first when there is one, else the database."""
    cache = container.draft_cache
    if cache is not None and cache.available():
        key = draft_key(principal, workflow_id, _save_target(container, principal, workflow_id, ref))
        try:
            with counted("redis") as count:
                return count(_save_to_cache(container, cache, key, change))
        except CacheUnavailable as exc:
            log.warning("Redis unavailable, draft saved to the database instead: %s", exc)
        except VersionClosed:
            # Published or deleted since this process looked: say so as the database does.
            cache.targets.forget_version(key.version_id)
            _save_target(container, principal, workflow_id, ref)
            raise VersionNotDraft("the version is no longer a draft", version_status="closed") from None
    return save_to_database(
        container=container, principal=principal, workflow_id=workflow_id, ref=ref, change=change
    )


def _save_target(
    container: Container, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef
) -> VersionTarget:
    """The draft version a save names; with Redis, remembered a minute (``RecentTargets``)."""
    cache = container.draft_cache
    target = cache.targets.get(principal.tenant_id, workflow_id, ref) if cache else None
    if target is None:
        with container.uow(principal.tenant_id) as uow:
            target = editable(locate(uow, principal, workflow_id, ref))
        if cache is not None:
            cache.targets.put(principal.tenant_id, workflow_id, ref, target)
    return target


def _put(cache: RedisDraftCache, key: DraftKey, **put: Any) -> PutResult:
    result = cache.put(key, **put)
    if result.closed:
        raise VersionClosed
    return result


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
    ctx = save_context(container, key, partial(_version_document, container, key))
    if change.definition is not None:
        # The usual case, one tab sending its whole document: one round trip, nothing read.
        guess = _next_revision(container, key, change)
        result = _put(cache, key, expected=change.revision, record=guess, fields=guess.history)
        if result.ok:
            return _acknowledge(container, key, result, guess, None)
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
            return _acknowledge(container, key, result, planned.record, planned.merged)
    raise DraftBusy("the draft kept changing while this save was merged; save again")


def _acknowledge(
    container: Container, key: DraftKey, result: PutResult, record: DraftRecord, merged: dict[str, Any] | None
) -> SavedDraft:
    """The answer to a save Redis holds: once the database holds it too when
    ``WFV_DRAFT_ACK_AFTER_DATABASE`` asks for that, else at once (the write-behind follows)."""
    if container.settings.draft_ack_after_database and container.draft_cache is not None:
        flush_one(container, container.draft_cache, key)
        return SavedDraft(record.revision, record.saved_at, merged)
    scheduler = container.draft_flush_scheduler
    if result.schedule_flush and scheduler is not None:
        try:
            scheduler()
        except Exception:
            # The save is durable in Redis; the workers' periodic sweep flushes it anyway.
            log.exception("could not schedule the draft write-behind; the periodic sweep will")
    return SavedDraft(record.revision, record.saved_at, merged)


def _cached(cache: RedisDraftCache | None, key: DraftKey) -> DraftRecord | None:
    if cache is None or not cache.available():
        return None
    try:
        return cache.load(key)
    except CacheUnavailable as exc:
        log.warning("Redis unavailable, reading the draft from the database: %s", exc)
        return None


def _latest(uow: UnitOfWork, key: DraftKey) -> DraftRecord:
    row = rows.get_draft(uow.session, key)
    record = newest(_cached(uow.services.draft_cache, key), record_from_row(row) if row else None)
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
    key = draft_key(principal, workflow_id, target)
    record = _latest(uow, key)
    return RestoredDraft(
        uow.services.draft_cipher.open(record.current, key), record.revision, record.saved_at
    )


@tracing.use_case("draft.discard")
def discard_draft(*, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef) -> int:
    """Throw the working copy away (audited); returns the revision discarded."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    version = find_version(uow, workflow, ref)
    key = DraftKey(principal.tenant_id, workflow.id, version.id, principal.user_id)
    record = _latest(uow, key)
    rows.bury_draft(uow.session, key, revision=record.revision, at=uow.services.clock())
    versions.audit(uow, workflow, version, "draft_discard", principal, utcnow(), revision=record.revision)
    _forget_after_commit(uow, key, record.revision)
    return record.revision


@tracing.use_case("draft.commit")
def commit_draft(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    ref: VersionRef,
    expected_lock: int | None,
    revision: int | None,
    message: str | None,
) -> WorkflowVersion:
    """The working copy becomes the version's next edit (a commit on its draft branch,
    optimistic locking as for any edit); the draft ends with it."""
    target = editable(locate(uow, principal, workflow_id, ref))
    key = draft_key(principal, workflow_id, target)
    record = _latest(uow, key)
    if revision is not None and revision != record.revision:
        raise DraftChanged(
            f"the draft is at revision {record.revision}, not {revision}: restore it before committing",
            revision=record.revision,
        )
    document = validated(uow.services.draft_cipher.open(record.current, key))
    version = versions.update_version(
        uow=uow,
        principal=principal,
        workflow_id=workflow_id,
        ref=target.version_id,
        definition=WorkflowDefinition.model_validate(document),
        expected_lock=expected_lock,
        message=message or f"Commit draft of v{target.version_number} (revision {record.revision})",
    )
    rows.bury_draft(uow.session, key, revision=record.revision, at=uow.services.clock())
    _forget_after_commit(uow, key, record.revision)
    return version


def _forget_after_commit(uow: UnitOfWork, key: DraftKey, revision: int) -> None:
    cache = uow.services.draft_cache
    if cache is not None:
        uow.after_commit(f"evict draft {key_name(key)} from Redis", partial(cache.forget, key, revision))
