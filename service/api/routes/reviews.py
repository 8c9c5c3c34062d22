"""Review routes: open a review of a draft, comment, approve or request changes."""

import uuid

from fastapi import APIRouter, Response, status

from schemas.reviews import (
    CommentCreate,
    ReviewCreate,
    ReviewEventPublic,
    ReviewList,
    ReviewPublic,
    VerdictCreate,
)
from service.api.deps import ContainerDep, Editor, Reader, VersionPath
from service.api.idempotency import Idempotent
from service.compare import reviews

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}", tags=["reviews"])


def _public(thread: reviews.Thread) -> ReviewPublic:
    review, lock = thread.review, thread.version.lock_version
    events = [
        ReviewEventPublic.model_validate(event).model_copy(
            update={"stale": event.kind == "approve" and event.lock_version != lock}
        )
        for event in thread.events
    ]
    return ReviewPublic(
        id=review.id,
        workflow_id=review.workflow_id,
        version_id=review.version_id,
        base_version_id=review.base_version_id,
        status=review.status,
        title=review.title,
        opened_by=review.opened_by,
        opened_at=review.opened_at,
        closed_at=review.closed_at,
        state=thread.state,
        events=events,
    )


@router.post("/versions/{version}/reviews", status_code=status.HTTP_201_CREATED, response_model=ReviewPublic)
def open_review(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
    body: ReviewCreate | None = None,
) -> ReviewPublic | Response:
    """Open a review of a draft against the current version (one open review per draft)."""
    with container.uow(principal.tenant_id, write=True) as uow:
        thread = reviews.open_review(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            ref=version,
            title=body.title if body else None,
        )
        response.headers["Location"] = f"/api/v1/workflows/{workflow_id}/reviews/{thread.review.id}"
        answer = idem.answer(uow, lambda: _public(thread), response)
        uow.commit()
    return answer


@router.get("/versions/{version}/reviews", response_model=ReviewList)
def list_reviews(
    workflow_id: uuid.UUID, version: VersionPath, principal: Reader, container: ContainerDep
) -> ReviewList:
    """The reviews of a version, newest first, with their threads and publish state."""
    with container.uow(principal.tenant_id) as uow:
        threads = reviews.list_reviews(uow=uow, principal=principal, workflow_id=workflow_id, ref=version)
        return ReviewList(items=[_public(thread) for thread in threads])


@router.get("/reviews/{review_id}", response_model=ReviewPublic)
def get_review(
    workflow_id: uuid.UUID, review_id: uuid.UUID, principal: Reader, container: ContainerDep
) -> ReviewPublic:
    """One review with its thread and whether the draft may be published."""
    with container.uow(principal.tenant_id) as uow:
        return _public(
            reviews.get_review(uow=uow, principal=principal, workflow_id=workflow_id, review_id=review_id)
        )


@router.post(
    "/reviews/{review_id}/comments", status_code=status.HTTP_201_CREATED, response_model=ReviewPublic
)
def add_comment(
    workflow_id: uuid.UUID,
    review_id: uuid.UUID,
    body: CommentCreate,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> ReviewPublic | Response:
    """Comment on the draft, optionally anchored to an action id or a JSON path."""
    with container.uow(principal.tenant_id, write=True) as uow:
        thread = reviews.add_comment(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            review_id=review_id,
            body=body.body,
            action_id=body.action_id,
            path=body.path,
        )
        answer = idem.answer(uow, lambda: _public(thread), response)
        uow.commit()
        return answer


@router.post(
    "/reviews/{review_id}/verdicts", status_code=status.HTTP_201_CREATED, response_model=ReviewPublic
)
def add_verdict(
    workflow_id: uuid.UUID,
    review_id: uuid.UUID,
    body: VerdictCreate,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> ReviewPublic | Response:
    """Approve the draft as it is now, or request changes (authors cannot approve)."""
    with container.uow(principal.tenant_id, write=True) as uow:
        thread = reviews.add_verdict(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            review_id=review_id,
            verdict=body.verdict,
            body=body.body,
        )
        answer = idem.answer(uow, lambda: _public(thread), response)
        uow.commit()
        return answer
