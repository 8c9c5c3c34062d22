"""Scans of every repository: **reindex** indexes what all of them hold (``wfv
reindex``, from git alone); **reconcile** only the workflows whose git is ahead of the
index (the periodic task), one at a time with ``service.healing.reconcile``.

A repository with no workflow row (a crash after the create's ref move) is indexed too:
its config carries the workflow's id, tenant, name and creator.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from indexer.healing import lock_workflow_by_id, watermarks
from indexer.models import Workflow
from repo_store import RepoError, RepoNotFound, WorkflowRepo
from repo_store.history import watermark
from repo_store.paths import tenant_dir_name
from service.container import Container
from service.errors import RefsMoved
from service.healing.reconcile import reconcile
from service.healing.ref_guard import record_moved
from service.healing.repo_meta import sync_meta
from service.rollouts.restore import restore_rollouts

log = logging.getLogger("wfv.reindex")


@dataclass
class IndexSummary:
    repositories: int = 0
    workflows_created: int = 0
    versions_changed: int = 0
    abandoned: int = 0  # repositories of creations cut before their ref move: skipped
    meta_rewritten: int = 0  # repositories whose name or deletion lagged the index
    rollouts_restored: int = 0  # rollout rows made or brought up to refs/notes/rollouts
    errors: list[str] = field(default_factory=list)


def _workflow_from_meta(repo: WorkflowRepo) -> Workflow:
    values = {key: repo.get_meta(key) for key in ("workflowId", "tenant", "name", "createdBy", "createdAt")}
    missing = [key for key, value in values.items() if not value]
    if missing:
        raise ValueError(f"{repo.path} lacks wfv.{', wfv.'.join(missing)} in its config")
    created = datetime.fromisoformat(str(values["createdAt"]))
    deleted = repo.get_meta("deletedAt")  # a deleted workflow comes back deleted
    return Workflow(
        id=uuid.UUID(str(values["workflowId"])),
        tenant_id=str(values["tenant"]),
        name=str(values["name"]),
        last_version_number=0,
        created_by=str(values["createdBy"]),
        created_at=created,
        updated_at=created,
        deleted_at=datetime.fromisoformat(deleted) if deleted else None,
        deleted_by=repo.get_meta("deletedBy") if deleted else None,
    )


def _tenant_of(repo: WorkflowRepo) -> str:
    """The repository's tenant, checked against the folder it sits in (a repo moved into
    another tenant's folder is refused, not indexed for the wrong tenant)."""
    tenant = repo.get_meta("tenant")
    if not tenant or tenant_dir_name(tenant) != repo.path.parent.name:
        raise ValueError(f"{repo.path} is not in its tenant's folder")
    return tenant


def _abandoned(repo: WorkflowRepo) -> bool:
    """A creation that never reached its ref move (its process died first): git holds no
    version, so there is nothing to index, and its config may be incomplete."""
    return watermark(repo) is None and not repo.refs("refs/")


def index_repository(container: Container, path: Path, summary: IndexSummary) -> None:
    """Bring one workflow's rows up to its repository, under the workflow's lock.

    Refs moved by hand are not indexed: the refusal is recorded in the workflow's audit
    trail (``ref_moved``) and reported as this repository's error.
    """
    found = container.store.open_path(path)
    if _abandoned(found):
        summary.abandoned += 1
        return
    try:
        _index(container, found, summary)
    except RefsMoved as exc:
        _record_refusal(container, found, [str(r["detail"]) for r in exc.extra["refs"]])
        raise ValueError(exc.detail) from exc


def _record_refusal(container: Container, found: WorkflowRepo, problems: list[str]) -> None:
    workflow_id, tenant = uuid.UUID(str(found.get_meta("workflowId"))), _tenant_of(found)
    with container.uow(tenant, write=True) as uow:
        workflow = lock_workflow_by_id(uow.session, tenant, workflow_id)
        if workflow is not None and record_moved(uow, workflow, problems):
            uow.commit()


def _index(container: Container, found: WorkflowRepo, summary: IndexSummary) -> None:
    tenant = _tenant_of(found)
    with container.uow(tenant, write=True) as uow:
        meta = _workflow_from_meta(found)
        workflow = lock_workflow_by_id(uow.session, tenant, meta.id)
        if workflow is None:
            uow.session.add(meta)
            uow.session.flush()
            workflow, summary.workflows_created = meta, summary.workflows_created + 1
        summary.versions_changed += len(reconcile(uow, workflow))
        summary.rollouts_restored += restore_rollouts(uow, workflow)
        uow.commit()


def _each(container: Container, paths: list[Path], progress: Callable[[Path], None] | None) -> IndexSummary:
    summary = IndexSummary()
    for path in paths:
        summary.repositories += 1
        try:
            index_repository(container, path, summary)
        except (ValueError, KeyError, RepoError) as exc:
            summary.errors.append(f"{path}: {exc}")
        if progress is not None:
            progress(path)
    return summary


def reindex_all(container: Container, progress: Callable[[Path], None] | None = None) -> IndexSummary:
    """Rebuild every workflow's version rows from git alone."""
    return _each(container, list(container.store.iter_repos()), progress)


def _openable(container: Container, path: Path) -> WorkflowRepo | None:
    """The repository, or None for one a creation in flight (or being undone) holds half
    made: a scan beside live writers meets those, and they are nobody's yet."""
    try:
        return container.store.open_path(path)
    except RepoNotFound:
        return None


def _placed_tenant(repo: WorkflowRepo) -> str | None:
    try:
        return _tenant_of(repo)
    except ValueError:
        return None


def _behind_in_tenant(container: Container, repos: list[WorkflowRepo]) -> list[Path]:
    """One query per tenant folder, one ref read per repo."""
    tenant = next((t for t in map(_placed_tenant, repos) if t is not None), None)
    if tenant is None:
        return [repo.path for repo in repos]  # indexing reports the misplaced repositories
    with container.uow(tenant) as uow:
        known = watermarks(uow.session, tenant)
    behind = []
    for repo in repos:
        workflow_id = repo.get_meta("workflowId")
        key = uuid.UUID(workflow_id) if workflow_id else None
        if key not in known and _abandoned(repo):
            continue
        if key not in known or watermark(repo) != known[key] or repo.interrupted_update():
            behind.append(repo.path)
    return behind


def reconcile_all(container: Container) -> IndexSummary:
    """Index only the repositories whose watermark differs from the index's (or unindexed),
    and finish ref updates cut short by a crash."""
    by_tenant: dict[Path, list[WorkflowRepo]] = {}
    for path in container.store.iter_repos():
        repo = _openable(container, path)
        if repo is not None:
            by_tenant.setdefault(path.parent, []).append(repo)
    behind = [path for repos in by_tenant.values() for path in _behind_in_tenant(container, repos)]
    summary = _each(container, behind, None)
    for repos in by_tenant.values():
        tenant = next((t for t in map(_placed_tenant, repos) if t is not None), None)
        if tenant is not None:
            ids = {str(repo.get_meta("workflowId")): repo for repo in repos}
            summary.meta_rewritten += sync_meta(container, tenant, ids)
    return summary


def known_tenants(container: Container) -> set[str]:
    """Every tenant that has a repository: how cross-tenant jobs visit tenants one at a
    time under row-level security (no session ever sees two tenants)."""
    found = set()
    for tenant_dir in sorted(container.store.root.iterdir()) if container.store.root.is_dir() else []:
        # The first repository that says whose it is: a creation cut short may have left
        # one with no config at all, which must not hide its tenant.
        paths = sorted(p for p in tenant_dir.glob("*.git") if (p / "HEAD").is_file())
        repos = (repo for repo in (_openable(container, p) for p in paths) if repo is not None)
        tenant = next((t for t in map(_placed_tenant, repos) if t is not None), None)
        if tenant is not None:
            found.add(tenant)
        elif paths:
            log.error("skipping %s: no repository in it says which tenant it belongs to", tenant_dir)
    return found
