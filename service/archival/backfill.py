"""Retention kept before git held it: each workflow whose archived, unarchived or held
versions are in SQL only (an index older than ``refs/wfv/state``) gets its first state
commit, so an upgraded deployment's legal holds reach git without waiting for that
workflow's next archive or hold. The reconcile task runs it; a workflow already in git is
never touched again here, so a pass over an up-to-date index is one query per tenant.
"""

import logging
import uuid

from indexer.healing import awaiting_state, lock_workflow_by_id
from service.archival.state_in_git import StateChange, record_states, with_backfill
from service.clock import utcnow
from service.container import Container
from service.errors import Problem
from service.healing.reconcile import needs_healing
from service.healing.scan import known_tenants

log = logging.getLogger("wfv.state")
MESSAGE = "Record retention kept before the state was in git"


def _waiting(container: Container, tenant: str) -> list[uuid.UUID]:
    """Workflows with retention rows and no state in git yet."""
    with container.uow(tenant) as uow:
        return awaiting_state(uow.session, tenant)


def _backfill_one(container: Container, tenant: str, workflow_id: uuid.UUID) -> bool:
    with container.uow(tenant, write=True) as uow:
        workflow = lock_workflow_by_id(uow.session, tenant, workflow_id)
        if workflow is None or workflow.state_head is not None or needs_healing(uow, workflow):
            return False  # gone, written meanwhile, or healing's first (the reconcile pass)
        states = with_backfill(uow, [workflow], {workflow.id: {}})[workflow.id]
        if not states:
            return False
        record_states(uow, [StateChange(workflow, states, MESSAGE)], when=utcnow())
        uow.commit()
    return True


def backfill_states(container: Container) -> int:
    """Write the first state commit of every workflow that waits for one; returns how many."""
    written = 0
    for tenant in sorted(known_tenants(container)):
        for workflow_id in _waiting(container, tenant):
            try:
                written += _backfill_one(container, tenant, workflow_id)
            except Problem as exc:  # a ref moved by hand: the sweep reports it
                log.error("state backfill: tenant=%s workflow=%s: %s", tenant, workflow_id, exc.detail)
    return written
