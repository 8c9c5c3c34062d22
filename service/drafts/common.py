"""What every draft save shares, whichever store takes it: the problems a save answers
with, its answer, the draft version it names (and whose draft), its planning context and
its metric."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from indexer import drafts as rows
from indexer.drafts import DraftKey, VersionTarget
from service.auth import Principal
from service.container import Container
from service.drafts.plan import SaveContext
from service.drafts.redis_store import CacheUnavailable
from service.errors import Problem, VersionNotFound
from service.ops import metrics
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, find_version
from service.versions.workflows import load_workflow


class VersionClosed(Exception):
    """Redis says the version was published or deleted (``service.drafts.endings``)."""


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


def editable(target: VersionTarget) -> VersionTarget:
    if target.status != "draft":
        raise VersionNotDraft(
            f"v{target.version_number} is {target.status}; only a draft version takes draft saves",
            version_status=target.status,
        )
    return target


def draft_key(principal: Principal, workflow_id: uuid.UUID, target: VersionTarget) -> DraftKey:
    return DraftKey(principal.tenant_id, workflow_id, target.version_id, principal.user_id)


@contextmanager
def counted(store: str) -> Iterator[Callable[[SavedDraft], SavedDraft]]:
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
    except (Problem, VersionClosed):
        outcome = "rejected"
        raise
    finally:
        metrics.DRAFT_SAVES.labels(store, outcome).inc()


def save_context(container: Container, key: DraftKey, version_document: Any) -> SaveContext:
    return SaveContext(
        cipher=container.draft_cipher.bound(key),
        keep=container.settings.draft_history,
        now=container.clock(),
        version_document=version_document,
    )
