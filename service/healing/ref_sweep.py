"""The reconcile task's watch for refs moved behind the service's back.

Healing only looks at workflows whose watermark moved, and a ``git update-ref`` by hand does
not move it. So every reconcile pass also compares, per tenant, the refs wfv writes next
(``main``, the branches of drafts, the retention state ``refs/wfv/state``) with the index,
and looks for refs wfv never writes: a dictionary lookup per ref, no object reads. A
workflow that differs is checked again in full (``repo_store.refcheck`` + the consistency
rules) under its lock, where no write of ours can be half done; what remains is logged at
ERROR and recorded once as an audit entry ``ref_moved``. Tags and the branches of published
versions are never written again, so they are left to ``wfv check``.
"""

import logging
import uuid
from dataclasses import dataclass, field

from indexer import queries
from indexer.healing import branch_heads, ref_marks
from repo_store import RepoNotFound, WorkflowRepo
from repo_store.refcheck import is_wfv_ref, read_refs
from schemas.history import MAIN_REF, WATERMARK_REF, draft_number, draft_ref
from schemas.state import STATE_REF
from service.container import Container
from service.healing.invariants import ref_findings
from service.healing.ref_guard import record_moved
from service.healing.scan import known_tenants

log = logging.getLogger("wfv.refs")


@dataclass(frozen=True)
class MovedRefs:
    tenant_id: str
    workflow_id: uuid.UUID
    problems: list[str]
    recorded: bool


@dataclass
class _Expected:
    """What the index says of one workflow's refs."""

    git_head: str | None
    state_head: str | None
    last_number: int
    refs: dict[str, str] = field(default_factory=dict)


def _looks_moved(repo: WorkflowRepo, expected: _Expected) -> bool:
    if repo.interrupted_update():
        return False  # a ref update cut short: healing finishes it before anyone judges refs
    refs = repo.refs("refs/")
    if refs.get(WATERMARK_REF) != expected.git_head:
        return False  # git ahead: healing's business, and healing refuses refs we did not write
    if any(not is_wfv_ref(name) for name in refs):
        return True
    if MAIN_REF in refs and MAIN_REF not in expected.refs:
        return True
    if any((draft_number(name) or 0) > expected.last_number for name in refs):
        return True  # a draft branch beyond the last number the index gave out
    if refs.get(STATE_REF) != expected.state_head:
        return True
    return any(refs.get(name) != sha for name, sha in expected.refs.items())


def _expected(tenant: str, container: Container) -> dict[uuid.UUID, _Expected]:
    """Per workflow: the index's watermark and where main and each draft branch should be."""
    with container.uow(tenant) as uow:
        found = {
            wid: _Expected(head, state, last) for wid, head, state, last in ref_marks(uow.session, tenant)
        }
        for workflow_id, number, current, sha in branch_heads(uow.session, tenant):
            # On PostgreSQL each statement reads its own snapshot: a workflow created between
            # the two has branches but no marks yet, and waits for the next sweep.
            if workflow_id in found:
                found[workflow_id].refs[MAIN_REF if current else draft_ref(number)] = sha
    return found


def _confirm(container: Container, tenant: str, workflow_id: uuid.UUID) -> MovedRefs | None:
    """The full check under the workflow's lock; records what is really moved."""
    with container.uow(tenant, write=True) as uow:
        workflow = queries.get_workflow(uow.session, tenant, workflow_id, lock=True, deleted_ok=True)
        if workflow is None:
            return None
        rows = queries.versions_of(uow.session, tenant, workflow_id, in_order=False, definitions=False)
        snapshot = read_refs(uow.repo(workflow_id))
        findings = [f for f in ref_findings(snapshot, workflow, rows) if not f.healable]
        if not findings:
            return None
        for finding in findings:
            log.error(
                "ref moved outside wfv: tenant=%s workflow=%s ref=%s: %s",
                tenant,
                workflow_id,
                finding.ref,
                finding.detail,
            )
        problems = [finding.detail for finding in findings]
        recorded = record_moved(uow, workflow, problems)
        uow.commit()
    return MovedRefs(tenant, workflow_id, problems, recorded)


def sweep_moved_refs(container: Container) -> list[MovedRefs]:
    """Every workflow whose refs are not where the index says, with or without healing."""
    found = []
    for tenant in sorted(known_tenants(container)):
        for workflow_id, expected in _expected(tenant, container).items():
            try:
                repo = container.store.open(tenant, workflow_id)
            except RepoNotFound:
                continue  # the consistency check reports it (repo-missing)
            if _looks_moved(repo, expected):
                moved = _confirm(container, tenant, workflow_id)
                if moved is not None:
                    found.append(moved)
    return found
