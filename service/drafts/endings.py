"""Publishing or deleting a draft version ends its working copies, every user's.

Apart from ``service.drafts.autosave`` so the version use cases can call it without an import
cycle. In Redis the version is also marked closed (``wfv:drafts:closed:<id>``, kept as
long as a draft would be): a save checks the mark in the same script that writes it, so an
API process that still remembers the version as a draft (``RecentTargets``) cannot take
a save for it after the publish, whichever process published.
"""

import logging
import uuid
from functools import partial

from indexer import drafts as rows
from indexer.models import WorkflowVersion
from service.drafts.redis_store import CacheUnavailable, RedisDraftCache
from service.uow import UnitOfWork

log = logging.getLogger("wfv.drafts")


def end_drafts_of(uow: UnitOfWork, version: WorkflowVersion) -> int:
    """The rows now, in the unit; Redis (mark closed, evict) once the unit commits."""
    removed = rows.delete_version_drafts(uow.session, version.tenant_id, version.id)
    cache = uow.services.draft_cache
    if cache is not None:
        cache.targets.forget_version(version.id)
        what = f"close v{version.version_number} for drafts in Redis"
        uow.after_commit(what, partial(_close_version, cache, version.id))
    return removed


def _close_version(cache: RedisDraftCache, version_id: uuid.UUID) -> None:
    try:
        cache.close_version(version_id)
    except CacheUnavailable as exc:
        # The breaker keeps saves off Redis meanwhile; the write-behind drops drafts of
        # versions that are no longer drafts, and the TTL ends them.
        log.warning("Redis unavailable, drafts of version %s left to the write-behind: %s", version_id, exc)
