"""The consistency check: do git and the index agree, and do the index's own invariants hold?

A product feature (``wfv check``, ``GET /api/v1/admin/workflows/consistency``) as much as
the last step of every fault test. It goes tenant by tenant (row-level security: no session
sees two tenants) and workflow by workflow:

- every version row's commit exists, and its ref (``drafts/vN`` or tag ``vN``) points at it
  with matching trailers; every draft branch has its row; ``main`` is at the current
  version's commit; refs wfv did not write (``repo_store.refcheck``) are ``ref-moved``;
- each version's status, archival dates and legal hold are what ``refs/wfv/state`` says;
- version numbers 1..N, one current version once one was published;
- an audit entry for every change (creation, each edit, publish/rollback, delete, archive);
- executions on live versions of their workflow, at actions those versions have, a contact
  live at most once; completed migrations account for every execution once.

A live service writes while we read, so a workflow is first read without locks, and only
one with findings is read again under its write lock (``SELECT … FOR UPDATE`` /
SQLite's ``BEGIN IMMEDIATE``), where no write of ours can be half done: what remains is
real. Where git's watermark (``refs/wfv/head``) is ahead of the index's, differences are
*healable* (the next access or the reconcile task indexes git), reported apart from problems.
"""

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from indexer import consistency, queries
from indexer.models import Workflow, WorkflowVersion
from repo_store import RepoNotFound
from repo_store.paths import tenant_dir_name
from repo_store.refcheck import read_refs
from schemas.history import WATERMARK_REF
from service.container import Container
from service.healing import invariants as checks
from service.healing.history_check import history_findings
from service.healing.ref_guard import repo_behind_index
from service.healing.repo_meta import meta_drift
from service.healing.scan import known_tenants
from service.uow import UnitOfWork


@dataclass(frozen=True)
class ConsistencyProblem:
    """One broken invariant. ``healable``: the index is merely behind git."""

    kind: str
    tenant_id: str
    workflow_id: uuid.UUID | None
    version_number: int | None
    detail: str
    healable: bool = False
    ref: str | None = None

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["workflow_id"] = str(self.workflow_id) if self.workflow_id else None
        return found


@dataclass
class ConsistencyReport:
    """``problems`` are real inconsistencies; ``healable`` lists an index behind git."""

    problems: list[ConsistencyProblem] = field(default_factory=list)
    healable: list[ConsistencyProblem] = field(default_factory=list)
    tenants_checked: int = 0
    workflows_checked: int = 0
    versions_checked: int = 0
    executions_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "tenants_checked": self.tenants_checked,
            "workflows_checked": self.workflows_checked,
            "versions_checked": self.versions_checked,
            "executions_checked": self.executions_checked,
            "problems": [p.as_dict() for p in self.problems],
            "healable": [p.as_dict() for p in self.healable],
        }


@dataclass
class _WorkflowResult:
    findings: list[checks.Finding]
    versions: int = 0
    executions: int = 0


def check_consistency(container: Container, *, tenant_ids: Iterable[str] | None = None) -> ConsistencyReport:
    """Check every tenant (those with repositories or rows), or only ``tenant_ids``."""
    report = ConsistencyReport()
    for tenant in sorted(set(tenant_ids) if tenant_ids is not None else _all_tenants(container)):
        _check_tenant(container, tenant, report)
    return report


def unknown_tenants(container: Container, tenant_ids: Iterable[str]) -> list[str]:
    """Of ``tenant_ids``, those with no workflow row (deleted ones count) and no repository
    folder: a mistyped id (``wfv check --tenant acmee``) that checking would call clean."""
    unknown = []
    for tenant in dict.fromkeys(tenant_ids):
        with container.uow(tenant) as uow:
            has_rows = bool(consistency.workflow_ids(uow.session, tenant))
        if not has_rows and not (container.store.root / tenant_dir_name(tenant)).is_dir():
            unknown.append(tenant)
    return unknown


def _all_tenants(container: Container) -> set[str]:
    """Tenants with a repository; on SQLite (no row-level security) also those with rows."""
    tenants = known_tenants(container)
    if container.engine.dialect.name == "sqlite":
        with container.uow(None) as uow:
            tenants.update(consistency.tenants_with_rows(uow.session))
    return tenants


def _check_tenant(container: Container, tenant: str, report: ConsistencyReport) -> None:
    report.tenants_checked += 1
    with container.uow(tenant) as uow:
        ids = consistency.workflow_ids(uow.session, tenant)
    for workflow_id in ids:
        result = _check_workflow(container, tenant, workflow_id, locked=False)
        if result is not None and result.findings:
            result = _check_workflow(container, tenant, workflow_id, locked=True)
        if result is None:
            continue  # deleted meanwhile
        report.workflows_checked += 1
        report.versions_checked += result.versions
        report.executions_checked += result.executions
        for finding in result.findings:
            problem = ConsistencyProblem(
                finding.kind,
                tenant,
                workflow_id,
                finding.version_number,
                finding.detail,
                finding.healable,
                finding.ref,
            )
            (report.healable if finding.healable else report.problems).append(problem)
    _unindexed_repos(container, tenant, set(ids), report)


def _unindexed_repos(
    container: Container, tenant: str, indexed: set[uuid.UUID], report: ConsistencyReport
) -> None:
    """A repository without a workflow row: a create whose SQL commit never happened."""
    folder = container.store.root / tenant_dir_name(tenant)
    for path in sorted(folder.glob("*.git")) if folder.is_dir() else []:
        try:
            workflow_id = uuid.UUID(path.name.removesuffix(".git"))
        except ValueError:
            report.problems.append(
                ConsistencyProblem("repo-unknown", tenant, None, None, f"{path.name} is no workflow's")
            )
            continue
        if workflow_id in indexed:
            continue
        try:
            mark = container.store.open_path(path).ref_target("refs/wfv/head")
        except RepoNotFound:
            continue  # a creation in flight (or being undone): not a repository yet
        if mark is not None:
            report.healable.append(
                ConsistencyProblem(
                    "index-behind",
                    tenant,
                    workflow_id,
                    None,
                    "a repository with no workflow row (reconcile indexes it)",
                    True,
                )
            )


def _check_workflow(
    container: Container, tenant: str, workflow_id: uuid.UUID, *, locked: bool
) -> _WorkflowResult | None:
    with container.uow(tenant, write=locked) as uow:
        workflow = queries.get_workflow(uow.session, tenant, workflow_id, lock=locked, deleted_ok=True)
        if workflow is None:
            return None
        rows = queries.versions_of(uow.session, tenant, workflow_id, in_order=True)
        result = _WorkflowResult(findings=[], versions=len(rows))
        result.findings.extend(_git_findings(uow, workflow, rows))
        result.findings.extend(
            checks.audit_findings(rows, consistency.audit_trail(uow.session, tenant, workflow_id))
        )
        positions = consistency.execution_positions(uow.session, tenant, workflow_id)
        duplicates = consistency.contacts_live_twice(uow.session, tenant, workflow_id)
        executions, result.executions = checks.execution_findings(rows, positions, duplicates)
        result.findings.extend(executions)
        result.findings.extend(
            checks.migration_findings(consistency.migration_tallies(uow.session, tenant, workflow_id))
        )
        return result


def _git_findings(uow: UnitOfWork, workflow: Workflow, rows: list[WorkflowVersion]) -> list[checks.Finding]:
    try:
        repo = uow.repo(workflow.id)
    except RepoNotFound:
        return [checks.Finding("repo-missing", None, f"no repository for workflow {workflow.id}")]
    if repo.interrupted_update():
        detail = "a ref update was cut short by a crash (the next write or the reconcile task finishes it)"
        return [checks.Finding("refs-cut", None, detail, healable=True)]
    snapshot = read_refs(repo)
    behind = snapshot.watermark != workflow.git_head
    found = [
        checks.Finding(
            "commit-missing",
            row.version_number,
            f"v{row.version_number}'s commit {row.commit_sha} is not in git",
        )
        for row in rows
        if row.commit_sha not in repo.repo
    ]
    found.extend(checks.ref_findings(snapshot, workflow, rows))
    found.extend(checks.state_findings(snapshot, workflow, rows))
    found.extend(checks.row_findings(workflow, rows, behind))
    found.extend(history_findings(repo, snapshot, workflow, rows))
    drift = meta_drift(repo, workflow)
    if drift:
        detail = (
            f"the repository's config lags the index on {', '.join(sorted(drift))} (reconcile rewrites it)"
        )
        found.append(checks.Finding("meta-behind", None, detail, healable=True))
    if repo_behind_index(repo, workflow):
        return _index_ahead(workflow, found)
    return found


def _index_ahead(workflow: Workflow, found: list[checks.Finding]) -> list[checks.Finding]:
    """The repository is older than the index (restored from a copy taken before the
    database dump): the watermarks differ, but git is behind, so nothing heals. What the
    invariants called "index behind" is the index ahead, and a problem."""
    detail = (
        f"the repository lacks the index's watermark {str(workflow.git_head)[:12]}: it is older than the "
        "index (restored from a copy taken before the database dump?); versions and edits written since "
        "are not in git"
    )
    ahead = [checks.Finding("index-ahead", None, detail, ref=WATERMARK_REF)]
    for finding in found:
        if finding.kind == "meta-behind":  # the config is rewritten from the index: still healable
            ahead.append(finding)
            continue
        kind = "index-ahead" if finding.kind == "index-behind" else finding.kind
        ahead.append(finding._replace(kind=kind, healable=False))
    return ahead
