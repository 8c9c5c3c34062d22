"""What every fault scenario ends with: the consistency check (``service.healing.check``),
and every write the service acknowledged durable and audited."""

import uuid
from collections import Counter

from sqlalchemy import select

from indexer.models import AuditEntry, WorkflowVersion
from repo_store import WorkflowRepo
from service.container import Container
from service.healing.check import check_consistency
from tests.faults.load import Ack

_AUDITED_AS = {
    "create_workflow": "create_workflow",
    "create_version": "create",
    "edit": "update",
    "publish": "publish",
    "rollback": "rollback",
}


def behind_git(container: Container) -> set[uuid.UUID | None]:
    """Workflows whose index is merely behind git (healable), after asserting that the
    check finds nothing else wrong: a crash may leave git ahead, never anything worse."""
    report = check_consistency(container)
    assert report.problems == [], report.problems
    return {p.workflow_id for p in report.healable}


def consistency_problems(container: Container) -> list[str]:
    """``wfv check``: git and the index agree, one current version, an audit entry for
    every change, executions neither lost nor doubled. Nothing may be left to heal."""
    report = check_consistency(container)
    return [
        f"{p.kind} {p.workflow_id} v{p.version_number}: {p.detail}" for p in report.problems + report.healable
    ]


def durability_problems(container: Container, acks: list[Ack], org: str = "acme") -> list[str]:
    """Every acknowledged write is in the index and in git, and has its audit entry."""
    with container.uow(org) as uow:
        versions = {v.id: v for v in uow.session.scalars(select(WorkflowVersion))}
        audit = list(uow.session.scalars(select(AuditEntry)))
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
        if ack.op in ("publish", "rollback"):  # a rollback publishes the version it creates
            tag = repo.ref_target(f"refs/tags/v{ack.version_number}")
            if row.status == "draft" or tag is None or repo.peel_to_commit(tag) != ack.commit_sha:
                problems.append(f"acknowledged publish of {ack.workflow_id} v{ack.version_number} is lost")
        elif row.status == "draft" and not _has(repo, row.commit_sha, ack.commit_sha):
            problems.append(
                f"acknowledged {ack.op} {ack.commit_sha} is not on v{ack.version_number}'s branch"
            )
    return problems


def _has(repo: WorkflowRepo, head: str, commit: str) -> bool:
    return any(info.sha == commit for info in repo.first_parent_walk(head))
