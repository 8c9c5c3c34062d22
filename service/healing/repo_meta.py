"""The repository's copy of its workflow's name and deletion (git config ``wfv.name``,
``wfv.deletedAt``, ``wfv.deletedBy``), kept equal to the index.

A rename or a deletion writes that copy after its SQL commit, so a change the database
refused never reaches git. A crash between the two leaves the copy behind, and a reindex
from git alone (``wfv reindex`` into an empty database) would bring back the old name or
the deleted workflow. The consistency check reports such a copy as healable; the reconcile
task writes it again, under the workflow's write lock so that a rename in flight cannot be
overwritten with the name it replaces.
"""

from collections.abc import Mapping

from indexer import queries
from indexer.models import Workflow
from repo_store import WorkflowRepo
from service.container import Container

TRACKED = ("name", "deletedAt", "deletedBy")


def wanted_meta(workflow: Workflow) -> dict[str, str | None]:
    deleted = workflow.deleted_at is not None
    return {
        "name": workflow.name,
        "deletedAt": workflow.deleted_at.isoformat() if workflow.deleted_at is not None else None,
        "deletedBy": workflow.deleted_by if deleted else None,
    }


def meta_drift(repo: WorkflowRepo, workflow: Workflow) -> dict[str, str | None]:
    """What the repository's copy lacks: the name, and whether (and by whom) it was
    deleted. The deletion time is compared by presence only: the database may give it
    back at another precision or without its zone, and the instant is in the audit log."""
    wanted = wanted_meta(workflow)
    have: Mapping[str, str | None] = {key: repo.get_meta(key) for key in TRACKED}
    drift = {}
    if have["name"] != wanted["name"]:
        drift["name"] = wanted["name"]
    if (have["deletedAt"] is None) != (wanted["deletedAt"] is None):
        drift["deletedAt"] = wanted["deletedAt"]
    if have["deletedBy"] != wanted["deletedBy"]:
        drift["deletedBy"] = wanted["deletedBy"]
    return drift


def sync_meta(container: Container, tenant: str, repos: Mapping[str, WorkflowRepo]) -> int:
    """Write the copy again for each of ``repos`` (by workflow id) that drifted; returns
    how many were written. One unlocked read finds them, a locked one confirms each."""
    if not repos:
        return 0
    with container.uow(tenant) as uow:
        rows = queries.tenant_workflows(uow.session, tenant)
        drifted = [row.id for row in rows if str(row.id) in repos and meta_drift(repos[str(row.id)], row)]
    written = 0
    for workflow_id in drifted:
        with container.uow(tenant, write=True) as uow:
            workflow = queries.get_workflow(uow.session, tenant, workflow_id, lock=True, deleted_ok=True)
            repo = repos[str(workflow_id)]
            drift = meta_drift(repo, workflow) if workflow is not None else {}
            if drift:
                repo.set_meta(drift)
                written += 1
    return written
