"""Reviews of drafts, pull-request style: open one against the current version, comment
(anchored to an action or a JSON path), approve or request changes, and gate publishing.

The thread lives in SQL and is mirrored into git as a note on the draft's head commit
(``refs/notes/reviews``), moved by compare-and-swap like every ref, so a clone carries it.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from indexer import queries
from indexer.models import Review, ReviewEvent, Workflow, WorkflowVersion
from repo_store import RefUpdate
from schemas.reviews import ReviewState, Verdict, Vote, review_state
from schemas.status import VersionStatus
from schemas.structure import publish_problems
from schemas.webhooks import EventType
from schemas.workflow import WorkflowDefinition
from service.auth import Principal
from service.clock import utcnow
from service.compare.review_note import render_note
from service.errors import Problem
from service.ops import tracing
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, audit, find_version
from service.versions.workflows import load_workflow
from service.versions.write_path import move_refs
from service.webhooks.events import Event, emit

NOTES_REF = "refs/notes/reviews"


class ReviewNotFound(Problem):
    status_code, title, slug = 404, "Review not found", "review-not-found"


class ReviewConflict(Problem):
    status_code, title, slug = 409, "Review conflict", "review-conflict"


class SelfApproval(Problem):
    status_code, title, slug = 403, "Authors cannot approve", "self-approval"


class UnknownAnchor(Problem):
    status_code, title, slug = 422, "Unknown anchor", "unknown-anchor"


class PublishBlocked(Problem):
    status_code, title, slug = 409, "Review required", "publish-blocked"


@dataclass(frozen=True)
class Thread:
    review: Review
    version: WorkflowVersion
    events: Sequence[ReviewEvent]
    state: ReviewState


def _events(uow: UnitOfWork, review: Review) -> Sequence[ReviewEvent]:
    return queries.review_events(uow.session, review.tenant_id, review.id)


def state_of(
    uow: UnitOfWork, workflow: Workflow, version: WorkflowVersion, events: Sequence[ReviewEvent]
) -> ReviewState:
    votes = [
        Vote(e.author_id, "approve" if e.kind == "approve" else "request_changes", e.lock_version)
        for e in events
        if e.kind != "comment"
    ]
    authors = queries.version_authors(uow.session, version)
    document = None
    if version.status == VersionStatus.DRAFT.value:  # what publishing it would check
        document = publish_problems(
            WorkflowDefinition.model_validate(version.definition), uow.services.action_types
        )
    return review_state(
        votes,
        lock_version=version.lock_version,
        required=workflow.required_approvals,
        authors=authors,
        document=document,
    )


def _thread(uow: UnitOfWork, workflow: Workflow, review: Review) -> Thread:
    version = uow.session.get(WorkflowVersion, review.version_id)
    assert version is not None
    events = _events(uow, review)
    return Thread(review, version, events, state_of(uow, workflow, version, events))


def _mirror_to_git(uow: UnitOfWork, workflow: Workflow, review: Review, principal: Principal) -> None:
    """Write the whole thread as the note of the draft's head commit."""
    version = uow.session.get(WorkflowVersion, review.version_id)
    assert version is not None
    repo = uow.repo(workflow.id)
    old, new = repo.write_note(
        notes_ref=NOTES_REF,
        target=version.commit_sha,
        text=render_note(review, version, _events(uow, review)),
        author=principal.identity,
        when=utcnow(),
    )
    note = [RefUpdate(NOTES_REF, old, new)]
    move_refs(uow, workflow, repo, note, head=None, reflog=f"review of v{version.version_number}")


@tracing.use_case("review.open")
def open_review(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef, title: str | None
) -> Thread:
    """Open the draft's review against the version current now (one open review per draft)."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    version = find_version(uow, workflow, ref)
    if version.status != VersionStatus.DRAFT.value:
        raise ReviewConflict(f"v{version.version_number} is {version.status}; only drafts are reviewed")
    if queries.open_review(uow.session, version) is not None:
        raise ReviewConflict(f"v{version.version_number} already has an open review")
    now = utcnow()
    review = Review(
        id=uuid.uuid4(),
        tenant_id=workflow.tenant_id,
        workflow_id=workflow.id,
        version_id=version.id,
        base_version_id=workflow.current_version_id,
        status="open",
        title=title or f"Review of v{version.version_number}",
        opened_by=principal.user_id,
        opened_at=now,
    )
    uow.session.add(review)
    audit(uow, workflow, version, "review_open", principal, now, review_id=str(review.id))
    _mirror_to_git(uow, workflow, review, principal)
    return _thread(uow, workflow, review)


def _open_review_for(
    uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, review_id: uuid.UUID
) -> tuple[Workflow, Review, WorkflowVersion]:
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    review = uow.session.get(Review, review_id)
    if review is None or review.workflow_id != workflow.id or review.tenant_id != workflow.tenant_id:
        raise ReviewNotFound(f"workflow {workflow_id} has no review {review_id}")
    if review.status != "open":
        raise ReviewConflict(f"the review is {review.status}")
    version = uow.session.get(WorkflowVersion, review.version_id)
    assert version is not None
    return workflow, review, version


def _add_event(
    uow: UnitOfWork,
    principal: Principal,
    workflow: Workflow,
    review: Review,
    version: WorkflowVersion,
    *,
    kind: str,
    body: str,
    action_id: str | None = None,
    path: str | None = None,
) -> Thread:
    now = utcnow()
    uow.session.add(
        ReviewEvent(
            tenant_id=workflow.tenant_id,
            workflow_id=workflow.id,
            review_id=review.id,
            kind=kind,
            author_id=principal.user_id,
            body=body,
            action_id=action_id,
            json_path=path,
            lock_version=version.lock_version,
            commit_sha=version.commit_sha,
            created_at=now,
        )
    )
    audit(
        uow,
        workflow,
        version,
        f"review_{kind}",
        principal,
        now,
        review_id=str(review.id),
        action_id=action_id,
    )
    _mirror_to_git(uow, workflow, review, principal)
    return _thread(uow, workflow, review)


@tracing.use_case("review.comment")
def add_comment(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    review_id: uuid.UUID,
    body: str,
    action_id: str | None,
    path: str | None,
) -> Thread:
    workflow, review, version = _open_review_for(uow, principal, workflow_id, review_id)
    if action_id is not None and action_id not in {
        a.get("id") for a in version.definition.get("actions", [])
    }:
        raise UnknownAnchor(f"v{version.version_number} has no action '{action_id}'", field="action_id")
    return _add_event(
        uow, principal, workflow, review, version, kind="comment", body=body, action_id=action_id, path=path
    )


@tracing.use_case("review.verdict")
def add_verdict(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    review_id: uuid.UUID,
    verdict: Verdict,
    body: str | None,
) -> Thread:
    workflow, review, version = _open_review_for(uow, principal, workflow_id, review_id)
    if verdict == "approve" and principal.user_id in queries.version_authors(uow.session, version):
        raise SelfApproval(f"{principal.user_id} wrote this draft and cannot approve it")
    text = body or ("Approved" if verdict == "approve" else "Changes requested")
    thread = _add_event(uow, principal, workflow, review, version, kind=verdict, body=text)
    data = {
        "review_id": str(review.id),
        "version_id": str(version.id),
        "version_number": version.version_number,
        "lock_version": version.lock_version,
        "commit_id": version.commit_sha,
        "actor_id": principal.user_id,
    }
    event_type: EventType = "review.approved" if verdict == "approve" else "review.changes_requested"
    emit(uow, workflow.tenant_id, Event(event_type, workflow.id, data, utcnow()))
    return thread


def require_publishable(uow: UnitOfWork, workflow: Workflow, version: WorkflowVersion) -> Review | None:
    """The publish gate: the workflow's approval rule and every standing request for changes.
    Returns the draft's open review (None: none), for :func:`close_after_publish`: the
    workflow is locked, so it is still the one open review when the publish ends."""
    if version.status != VersionStatus.DRAFT.value:
        return None  # not publishable anyway: the state machine names the refused transition
    review = queries.open_review(uow.session, version)
    if review is None:
        if workflow.required_approvals:
            raise PublishBlocked(
                f"publishing needs {workflow.required_approvals} approval(s): open a review first",
                missing=["an open review"],
            )
        return None
    state = state_of(uow, workflow, version, _events(uow, review))
    if state.missing:  # the document's own problems are publishing's to refuse (422)
        raise PublishBlocked(
            f"v{version.version_number} cannot be published yet: {'; '.join(state.missing)}",
            missing=state.missing,
            review_id=str(review.id),
        )
    return review


def close_after_publish(
    uow: UnitOfWork, workflow: Workflow, review: Review | None, principal: Principal
) -> None:
    """Mark the review (:func:`require_publishable`'s) merged; its thread becomes the note
    of the publish commit on main, so ``git log --notes=reviews main`` shows who approved
    each published version."""
    if review is not None:
        review.status, review.closed_at = "merged", utcnow()
        _mirror_to_git(uow, workflow, review, principal)


def get_review(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, review_id: uuid.UUID
) -> Thread:
    workflow = load_workflow(uow, principal, workflow_id)
    review = uow.session.get(Review, review_id)
    if review is None or review.workflow_id != workflow.id or review.tenant_id != workflow.tenant_id:
        raise ReviewNotFound(f"workflow {workflow_id} has no review {review_id}")
    return _thread(uow, workflow, review)


def list_reviews(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef
) -> list[Thread]:
    workflow = load_workflow(uow, principal, workflow_id)
    version = find_version(uow, workflow, ref, deleted_ok=True)
    reviews = queries.version_reviews(uow.session, workflow.tenant_id, version.id)
    return [_thread(uow, workflow, review) for review in reviews]
