"""What a retried request finds of its earlier attempt.

A request with an ``Idempotency-Key`` that died after its ref move and before its SQL
commit left its effect in git alone (healing indexes it) and its claim ``running``. The
retry that takes the lapsed claim over (``service.idempotency``) must not do the work a
second time: it looks for the commits the earlier attempt wrote (each carries that
attempt's claim in its ``Idempotency-Claim`` trailer) and, when it finds them, answers
from what they made, indexed, exactly as the first attempt would have answered.
"""

import uuid
from collections.abc import Iterable
from datetime import timedelta

from indexer.models import Workflow, WorkflowVersion
from repo_store.history import claimed_commits
from schemas.history import Trailer, VersionEvent
from schemas.state import STATE_REF
from service.auth import Principal
from service.container import Container
from service.healing.scan import IndexSummary, index_repository
from service.idempotency import Lapsed, workflow_id_for
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, find_version
from service.versions.workflows import load_workflow

# Git's times are whole seconds; the claim's are the clock of record's too, but a second
# either way costs nothing on this rare path.
_SLACK = timedelta(seconds=2)


def earlier_version(
    uow: UnitOfWork,
    workflow: Workflow,
    lapsed: Lapsed,
    events: Iterable[VersionEvent],
) -> WorkflowVersion | None:
    """The version an earlier attempt's commit of one of ``events`` names (the first
    event in the order given that one of its commits has), or None: that attempt moved no
    ref, and the retry does the work. The caller loaded ``workflow`` locked, so healing
    has indexed whatever git holds."""
    commits = claimed_commits(uow.repo(workflow.id), str(lapsed.claim_id), since=lapsed.claimed_at - _SLACK)
    by_event = {info.trailers.get(Trailer.EVENT): info for info in commits}
    for event in events:
        info = by_event.get(event.value)
        if info is None:
            continue
        version = uow.session.get(WorkflowVersion, uuid.UUID(info.trailers[Trailer.VERSION_ID]))
        if (
            version is not None
            and version.workflow_id == workflow.id
            and version.tenant_id == workflow.tenant_id
        ):
            return version
    return None


def earlier_state_change(
    uow: UnitOfWork, workflow: Workflow, lapsed: Lapsed, ref: VersionRef
) -> WorkflowVersion | None:
    """Version ``ref`` as an earlier attempt's retention change left it (an unarchive or a
    legal hold: a state commit carrying that attempt's claim), or None: that attempt moved
    no ref, and the retry does the work. Done again, an unarchive would be refused (the
    version is active already) and a hold recorded twice."""
    repo = uow.repo(workflow.id)
    if not claimed_commits(repo, str(lapsed.claim_id), since=lapsed.claimed_at - _SLACK, lines=STATE_REF):
        return None
    return find_version(uow, workflow, ref)


def earlier_workflow(container: Container, principal: Principal, lapsed: Lapsed) -> uuid.UUID | None:
    """The id of the workflow an earlier attempt of a create made (named after its claim),
    indexed from its repository if the attempt died before its SQL commit; None when it
    moved no ref (the retry creates the workflow). Owns its transactions: call it before
    opening the route's unit."""
    workflow_id = workflow_id_for(lapsed.claim_id)
    path = container.store.path_for(principal.tenant_id, workflow_id)
    if not path.is_dir():
        return None
    summary = IndexSummary()
    index_repository(container, path, summary)
    return None if summary.abandoned else workflow_id


def created(
    uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID
) -> tuple[Workflow, WorkflowVersion]:
    """A workflow :func:`earlier_workflow` found, and its version 1, as its create answered."""
    workflow = load_workflow(uow, principal, workflow_id)
    return workflow, find_version(uow, workflow, 1, deleted_ok=True)
