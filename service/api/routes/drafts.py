"""Draft auto-save routes: the caller's own working copy of a draft version."""

import uuid
from functools import partial

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Response, status

from schemas.api import VersionDetail
from schemas.drafts import DraftCommit, DraftPublic, DraftSave, DraftSaved
from schemas.history import VersionEvent
from service.api.budgets import Budget, charged_as
from service.api.deps import (
    ContainerDep,
    Editor,
    IfMatch,
    Reader,
    VersionPath,
    expected_lock,
    stale_answered_as,
    version_detail,
)
from service.api.idempotency import Idempotent
from service.drafts import autosave as drafts
from service.drafts import batches as draft_batches

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}/versions/{version}/draft", tags=["drafts"])


# A save to Redis that cannot go the event loop's way (a merge, a version not looked up
# lately) is about a millisecond of CPU under the GIL: two threads at a time do them
# faster than a thread per request, which mostly hand the GIL around.
_REDIS_SAVERS = CapacityLimiter(2)


@router.post("", response_model=DraftSaved)
@charged_as(Budget.DRAFT_SAVES)
async def save_draft(
    workflow_id: uuid.UUID, principal: Editor, version: VersionPath, body: DraftSave, container: ContainerDep
) -> DraftSaved:
    """Auto-save your working copy: a whole `definition` or a JSON merge `patch`, and its base `revision`.

    The working copy may be incomplete or invalid (it is what the editor holds); it is
    bounded by the format's size limits, and validated when the draft is committed."""
    saved = await drafts.save_draft_quickly(
        container=container, principal=principal, workflow_id=workflow_id, ref=version, change=body
    )
    cache = container.draft_cache
    if saved is None and (cache is None or not cache.available()):
        saved = await draft_batches.save_draft_to_database(
            container=container, principal=principal, workflow_id=workflow_id, ref=version, change=body
        )
    if saved is None:
        save = partial(
            drafts.save_draft,
            container=container,
            principal=principal,
            workflow_id=workflow_id,
            ref=version,
            change=body,
        )
        saved = await to_thread.run_sync(save, limiter=_REDIS_SAVERS)
    return DraftSaved(
        revision=saved.revision,
        saved_at=saved.saved_at,
        merged=saved.merged is not None,
        definition=saved.merged,
    )


@router.get("", response_model=DraftPublic)
def restore_draft(
    workflow_id: uuid.UUID, version: VersionPath, principal: Reader, container: ContainerDep
) -> DraftPublic:
    """Your latest save of this version's draft (404 when there is none)."""
    with container.uow(principal.tenant_id) as uow:
        found = drafts.restore_draft(uow=uow, principal=principal, workflow_id=workflow_id, ref=version)
    return DraftPublic(definition=found.definition, revision=found.revision, saved_at=found.saved_at)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def discard_draft(
    workflow_id: uuid.UUID, version: VersionPath, principal: Editor, container: ContainerDep
) -> None:
    """Discard your working copy (the version itself is untouched)."""
    with container.uow(principal.tenant_id, write=True) as uow:
        drafts.discard_draft(uow=uow, principal=principal, workflow_id=workflow_id, ref=version)
        uow.commit()


@router.post("/commit", response_model=VersionDetail)
def commit_draft(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    if_match: IfMatch,
    body: DraftCommit,
    idem: Idempotent,
) -> VersionDetail | Response:
    """Turn your working copy into the version's next edit; needs If-Match or lock_version."""
    expected = expected_lock(if_match, body.lock_version, required=True)
    with stale_answered_as(expected), container.uow(principal.tenant_id, write=True) as uow:
        row = idem.earlier_version(uow, principal, workflow_id, VersionEvent.EDIT)
        if row is None:
            row = drafts.commit_draft(
                uow=uow,
                principal=principal,
                workflow_id=workflow_id,
                ref=version,
                expected_lock=expected.value,
                revision=body.revision,
                message=body.message,
            )
        answer = idem.answer(uow, lambda: version_detail(row, response), response)
        uow.commit()
    return answer
