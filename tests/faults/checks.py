"""What every fault scenario ends with: the index agrees with git, and every write the
service acknowledged is durable and audited."""

import uuid
from collections import Counter

from sqlalchemy import select

from indexer.models import AuditEntry, Workflow, WorkflowVersion
from repo_store.history import head_mark, read_versions
from service.container import Container
from tests.faults.load import Ack

_AUDITED_AS = {
    "create_workflow": "create_workflow",
    "create_version": "create",
    "edit": "update",
    "publish": "publish",
}


def _rows(
    container: Container, org: str
) -> tuple[list[Workflow], dict[uuid.UUID, WorkflowVersion], list[AuditEntry]]:
    with container.uow(org) as uow:
        workflows = list(uow.session.scalars(select(Workflow)))
        versions = {v.id: v for v in uow.session.scalars(select(WorkflowVersion))}
        audit = list(uow.session.scalars(select(AuditEntry)))
    return workflows, versions, audit


def index_problems(container: Container, org: str = "acme") -> list[str]:
    """Differences between a tenant's rows and its repositories, one line each."""
    workflows, versions, audit = _rows(container, org)
    problems: list[str] = []
    known = {w.id for w in workflows}
    for path in container.store.iter_repos():
        repo = container.store.open_path(path)
        if repo.get_meta("tenant") == org and uuid.UUID(str(repo.get_meta("workflowId"))) not in known:
            if head_mark(repo) is not None:
                problems.append(f"{path.name}: repository with commits but no workflow row")
    reconciled = {
        (e.workflow_id, n) for e in audit if e.action == "reconcile" for n in e.details.get("versions", [])
    }
    created = {e.version_id for e in audit if e.action in ("create_workflow", "create", "rollback")}
    for workflow in workflows:
        repo = container.store.open(org, workflow.id)
        if head_mark(repo) != workflow.git_head:
            problems.append(
                f"{workflow.id}: git_head {workflow.git_head} but git's watermark {head_mark(repo)}"
            )
        rows = {v.id: v for v in versions.values() if v.workflow_id == workflow.id}
        records = {uuid.UUID(r.id): r for r in read_versions(repo)}
        if set(rows) != set(records):
            problems.append(
                f"{workflow.id}: rows {sorted(v.version_number for v in rows.values())} "
                f"but git has {sorted(r.number for r in records.values())}"
            )
        for key, row in rows.items():
            record = records.get(key)
            if record is None:
                continue
            if (row.version_number, row.commit_sha, row.is_current) != (
                record.number,
                record.commit_sha,
                record.is_current,
            ):
                problems.append(
                    f"{workflow.id} v{row.version_number}: row {row.commit_sha} current={row.is_current}, "
                    f"git {record.commit_sha} current={record.is_current}"
                )
            if (row.status != "draft") != (record.published_at is not None):
                problems.append(
                    f"{workflow.id} v{row.version_number}: {row.status} but published {record.published_at}"
                )
            if key not in created and (workflow.id, row.version_number) not in reconciled:
                problems.append(f"{workflow.id} v{row.version_number}: no audit entry created or healed it")
        if sum(v.is_current for v in rows.values()) > 1:
            problems.append(f"{workflow.id}: more than one current version")
    return problems


def durability_problems(container: Container, acks: list[Ack], org: str = "acme") -> list[str]:
    """Every acknowledged write is in the index and in git, and has its audit entry."""
    _, versions, audit = _rows(container, org)
    problems = []
    entries = Counter((e.version_id, e.action) for e in audit)
    wanted = Counter((uuid.UUID(a.version_id), _AUDITED_AS[a.op]) for a in acks)
    for (version_id, action), count in wanted.items():
        if entries[(version_id, action)] < count:
            problems.append(
                f"{version_id}: {count} acknowledged {action}, {entries[(version_id, action)]} audited"
            )
    for ack in acks:
        row = versions.get(uuid.UUID(ack.version_id))
        if row is None:
            problems.append(f"acknowledged {ack.op} of {ack.workflow_id} v{ack.version_number} has no row")
            continue
        if row.lock_version < ack.lock_version:
            problems.append(
                f"{ack.op} v{ack.version_number}: lock {row.lock_version} < acknowledged {ack.lock_version}"
            )
        repo = container.store.open(org, uuid.UUID(ack.workflow_id))
        if ack.op == "publish":
            tag = repo.ref_target(f"refs/tags/v{ack.version_number}")
            if row.status == "draft" or tag is None or repo.peel_to_commit(tag) != ack.commit_sha:
                problems.append(f"acknowledged publish of {ack.workflow_id} v{ack.version_number} is lost")
        elif row.status == "draft" and not _has(repo, row.commit_sha, ack.commit_sha):
            problems.append(
                f"acknowledged {ack.op} {ack.commit_sha} is not on v{ack.version_number}'s branch"
            )
    return problems


def _has(repo: object, head: str, commit: str) -> bool:
    from repo_store import WorkflowRepo

    assert isinstance(repo, WorkflowRepo)
    return any(info.sha == commit for info in repo.first_parent_walk(head))
