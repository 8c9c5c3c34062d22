"""Draft saves to the database, by group commit (``service.drafts.group_commit``): the saves
that arrive while this process's writer is busy wait for its next batch, one transaction,
and each is answered once that transaction has committed. Taken when Redis is not
configured, or is down."""

import asyncio
import logging
import uuid
from dataclasses import dataclass
from functools import partial

from indexer import drafts as rows
from indexer.drafts import DraftKey, VersionTarget
from schemas.drafts import DraftSave
from service.auth import Principal
from service.container import Container
from service.drafts.common import DraftBusy, SavedDraft, counted, draft_key, editable, locate, save_context
from service.drafts.group_commit import GroupCommit
from service.drafts.plan import plan_save
from service.drafts.records import DraftRecord, record_from_row
from service.errors import CommitOutcomeUnknown, Problem
from service.uow import UnitOfWork
from service.versions.editing import VersionRef

log = logging.getLogger("wfv.drafts")


@dataclass(frozen=True)
class DatabaseSave:
    """One save waiting for the database writer's next batch."""

    principal: Principal
    workflow_id: uuid.UUID
    ref: VersionRef
    change: DraftSave


_WrittenSave = tuple[DraftKey, SavedDraft]


def database_writer(container: Container) -> GroupCommit[DatabaseSave, _WrittenSave]:
    """This process's database saves, a transaction per batch (``service.drafts.group_commit``)."""
    return container.group_commit("draft-saves", partial(write_save_batch, container))


def save_to_database(
    *, container: Container, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef, change: DraftSave
) -> SavedDraft:
    """The save from a worker thread (Redis failed mid-save): waits until it is written."""
    written = database_writer(container).submit(DatabaseSave(principal, workflow_id, ref, change))
    with counted("database") as count:
        return count(_written(container, written.result()))


async def save_draft_to_database(
    *, container: Container, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef, change: DraftSave
) -> SavedDraft:
    """The save when Redis is not configured or is down, from the event loop: no thread
    of its own, it waits for its place in the database writer's next batch."""
    written = database_writer(container).submit(DatabaseSave(principal, workflow_id, ref, change))
    with counted("database") as count:
        return count(_written(container, await asyncio.wrap_future(written)))


def _written(container: Container, written: _WrittenSave) -> SavedDraft:
    """A save the database holds: its older Redis copy, if any, is evicted when Redis answers."""
    key, saved = written
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
                planned = plan_save(current[key], saves[index].change, save_context(container, key, loader))
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
                target = editable(locate(uow, principal, workflow_id, ref, share_lock=True))
            except Problem as exc:
                target = exc
            targets[(workflow_id, ref)] = target
        if isinstance(target, Problem):
            refused[index] = target
        else:
            keys[index] = draft_key(principal, workflow_id, target)
    return keys
