"""Repository upkeep: pack repositories that have grown, clear what killed processes left.

Each repository is looked at without a lock (counting files), and only one that needs
work is worked on, under its workflow's write lock: no writer of ours runs meanwhile, so
a lock file older than ``WFV_GIT_STALE_LOCK_SECONDS`` can only be a dead process's, and
``git gc`` never races a ref move of ours. One tenant at a time, as row-level security
wants.
"""

import logging
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from indexer import queries
from repo_store import RepoError
from repo_store.paths import tenant_dir_name
from repo_store.upkeep import Condition, clear_litter, inspect, repack
from service.container import Container

log = logging.getLogger("wfv.git_upkeep")


@dataclass
class UpkeepSummary:
    repositories: int = 0
    repacked: int = 0
    cleared: int = 0  # stale lock files and abandoned push quarantines removed
    errors: list[str] = field(default_factory=list)


def _owner(container: Container, path: Path) -> tuple[str, uuid.UUID]:
    """(tenant, workflow id) from the repository's own config, checked against its folder."""
    repo = container.store.open_path(path)
    tenant, workflow_id = repo.get_meta("tenant"), repo.get_meta("workflowId")
    if not tenant or not workflow_id or tenant_dir_name(tenant) != path.parent.name:
        raise ValueError(f"{path} does not say which tenant's workflow it is")
    return tenant, uuid.UUID(workflow_id)


def _needs_work(container: Container, condition: Condition) -> bool:
    settings = container.settings
    grown = condition.needs_repack(
        loose_limit=settings.git_repack_loose_objects, pack_limit=settings.git_repack_max_packs
    )
    return grown or condition.litter


def upkeep_repository(container: Container, path: Path, summary: UpkeepSummary, now: float) -> None:
    """Look after one repository, under its workflow's lock when there is work."""
    stale_after = container.settings.git_stale_lock_seconds
    if not _needs_work(container, inspect(path, stale_after=stale_after, now=now)):
        return
    tenant, workflow_id = _owner(container, path)
    with container.uow(tenant, write=True) as uow:
        if queries.get_workflow(uow.session, tenant, workflow_id, lock=True) is None:
            raise ValueError(f"{path} is not indexed yet; reconcile indexes it first")
        condition = inspect(path, stale_after=stale_after, now=now)  # again, now that we hold the lock
        summary.cleared += clear_litter(condition)
        settings = container.settings
        if condition.needs_repack(
            loose_limit=settings.git_repack_loose_objects, pack_limit=settings.git_repack_max_packs
        ):
            repack(path)
            summary.repacked += 1
    # The unit of work wrote nothing: leaving it releases the lock.


def upkeep_all(container: Container, now: float | None = None) -> UpkeepSummary:
    """Every repository; one failing is reported and the others still looked after."""
    summary = UpkeepSummary()
    moment = time.time() if now is None else now
    for path in container.store.iter_repos():
        summary.repositories += 1
        try:
            upkeep_repository(container, path, summary, moment)
        except (ValueError, RepoError, OSError) as exc:
            summary.errors.append(f"{path}: {exc}")
            log.error("git upkeep of %s failed: %s", path, exc)
    return summary
