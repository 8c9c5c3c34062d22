"""Background work on drafts: the write-behind from Redis to the database, and removing
drafts nobody saved for ``WFV_DRAFT_RETENTION_DAYS``. Called by the Huey tasks in
``tasks/drafts.py``; safe to run in several workers at once (every write is conditional).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from indexer import drafts as rows
from indexer.drafts import DraftKey
from repo_store import RepoNotFound
from service.container import Container
from service.drafts.records import DraftRecord, row_from_record
from service.drafts.redis_store import RedisDraftCache, key_name

log = logging.getLogger("wfv.drafts")
BATCH = 500
MAX_ROUNDS = 20


@dataclass
class FlushSummary:
    written: int = 0  # drafts copied into the database
    dropped: int = 0  # drafts of versions that stopped being drafts (published, deleted)
    gone: int = 0  # dirty marks whose draft had already left Redis


def flush_dirty(container: Container) -> FlushSummary:
    """Copy every dirty Redis draft into the database, in batches, one transaction per tenant."""
    summary = FlushSummary()
    cache = container.draft_cache
    if cache is None:
        return summary
    cache.clear_flush_flag()  # saves from now on schedule the next flush
    for _ in range(MAX_ROUNDS):
        names = cache.dirty(BATCH)
        found = cache.load_many(names)
        by_tenant: dict[str, list[tuple[str, DraftKey, DraftRecord]]] = defaultdict(list)
        for name, entry in found.items():
            if entry is None:
                cache.mark_clean(name, -1)
                summary.gone += 1
            else:
                by_tenant[entry[0].tenant_id].append((name, *entry))
        for tenant, drafts in by_tenant.items():
            _flush_tenant(container, cache, tenant, drafts, summary)
        if len(names) < BATCH:
            break
    return summary


def flush_one(container: Container, cache: RedisDraftCache, key: DraftKey) -> None:
    """The write-behind of one draft, now (``WFV_DRAFT_ACK_AFTER_DATABASE``): the save is
    answered only once the database holds it, or a newer save that includes it. A
    database error propagates: the caller is told the save is not yet durable (503)."""
    name = key_name(key)
    entry = cache.load_many([name])[name]
    if entry is not None:
        _flush_tenant(container, cache, key.tenant_id, [(name, *entry)], FlushSummary())


def _flush_tenant(
    container: Container,
    cache: RedisDraftCache,
    tenant: str,
    drafts: list[tuple[str, DraftKey, DraftRecord]],
    summary: FlushSummary,
) -> None:
    with container.uow(tenant, write=True) as uow:
        # Holding the workflows in SHARE mode: a publish either finished before (its version
        # is no longer open) or waits until this commits (and then deletes what we wrote).
        workflow_ids = {key.workflow_id for _, key, _ in drafts}
        still_open = rows.open_versions(
            uow.session, tenant, workflow_ids, {key.version_id for _, key, _ in drafts}
        )
        for _, key, record in drafts:
            if key.version_id in still_open:
                rows.put_if_newer(uow.session, key, row_from_record(record))
        uow.commit()
    for name, key, record in drafts:
        if key.version_id in still_open:
            cache.mark_clean(name, record.revision)
            summary.written += 1
        else:
            cache.forget(key, record.revision)
            summary.dropped += 1


def delete_stale_drafts(container: Container, now: datetime) -> int:
    """Delete database drafts last saved more than the retention ago, tenant by tenant
    (row-level security scopes each pass); Redis copies expire by their own TTL."""
    days = container.settings.draft_retention_days
    cutoff = now - timedelta(days=days)
    removed = 0
    for tenant in tenants(container):
        with container.uow(tenant, write=True) as uow:
            removed += rows.delete_saved_before(uow.session, tenant, cutoff)
            uow.commit()
    log.info("deleted %d draft(s) not saved for %d days", removed, days)
    return removed


def tenants(container: Container) -> list[str]:
    """Every tenant with a repository: the tenant each tenant folder's first repo records."""
    found: dict[str, str] = {}
    for path in container.store.iter_repos():
        folder = str(path.parent)
        if folder not in found:
            try:
                tenant = container.store.open_path(path).get_meta("tenant")
            except RepoNotFound:
                continue  # a creation in flight: the folder's next repository says
            if tenant:
                found[folder] = tenant
    return sorted(set(found.values()))
