"""Publishing: a complete draft becomes the one current version (a commit on ``main``,
tag ``vN``), and rollback, which is a new version with an old one's content, published."""

import uuid
from datetime import datetime

from indexer import queries
from indexer import rollouts as rollout_rows
from indexer.models import Workflow, WorkflowVersion
from repo_store import RefUpdate
from schemas.history import draft_ref
from schemas.status import Transition, VersionStatus, apply_transition
from schemas.structure import PublishCheck, publish_problems
from schemas.workflow import WorkflowDefinition
from service.auth import Principal
from service.clock import utcnow
from service.compare import reviews
from service.drafts.endings import end_drafts_of
from service.errors import DefinitionIncomplete, RolloutInProgress, VersionConflict
from service.healing.ref_guard import expect_refs
from service.ops import metrics, tracing
from service.uow import UnitOfWork
from service.versions.editing import (
    VersionRef,
    audit,
    check_lock,
    find_version,
    new_version,
    rollback_trailers,
    summary,
)
from service.versions.workflows import load_workflow
from service.versions.write_path import move_refs, write_publish_commit
from service.webhooks.events import Event, emit


def _make_current(
    uow: UnitOfWork,
    workflow: Workflow,
    version: WorkflowVersion,
    principal: Principal,
    *,
    message: str,
    now: datetime,
    extra: dict[str, str] | None = None,
    check_types: bool = True,
) -> queries.Demoted | None:
    """Publish ``version`` (a complete draft); returns the version that stopped being current.

    A rollback passes ``check_types=False``: its content passed the catalogue when it was
    first published, and a catalogue changed since (a type removed, a schema tightened)
    must not block an emergency return to it. Its structure is checked as ever (it cannot
    have changed)."""
    definition = WorkflowDefinition.model_validate(version.definition)
    refuse_incomplete(
        version, publish_problems(definition, uow.services.action_types if check_types else None)
    )
    status = apply_transition(Transition.PUBLISH, VersionStatus(version.status)).value
    end_drafts_of(uow, version)
    repo = uow.repo(workflow.id)
    # What is published is the draft as the index knows it: a draft branch moved by hand
    # is refused as a ref the publish itself would move is (it would leave a published
    # version whose branch says something else).
    branch = draft_ref(version.version_number)
    expect_refs(repo, workflow, [RefUpdate(branch, version.commit_sha, version.commit_sha)])
    lock = version.lock_version + 1
    # One current at a time, checked row by row: the current one stops being current first.
    previous = queries.demote_current(uow.session, workflow.tenant_id, workflow.id)
    written = write_publish_commit(
        repo,
        version=version,
        main=previous.commit_sha if previous else None,
        lock=lock,
        message=message,
        actor=principal.identity,
        when=now,
        extra=extra,
    )
    # Changed after the demotion, so the version's row takes one UPDATE, not two.
    version.status, version.is_current = status, True
    version.lock_version, version.commit_sha = lock, written.commit
    version.published_by, version.published_at = principal.user_id, now
    workflow.current_version_id, workflow.updated_at = version.id, now
    move_refs(
        uow, workflow, repo, written.refs, head=written.commit, reflog=f"publish v{version.version_number}"
    )
    uow.after_commit("count the published version", metrics.VERSIONS_PUBLISHED.inc)
    return previous


def refuse_incomplete(version: WorkflowVersion, found: PublishCheck) -> None:
    """422 listing each problem (the first ``MAX_PROBLEMS``) by pointer, action and message."""
    if found:
        count = f"more than {len(found.problems)}" if found.truncated else str(len(found.problems))
        first = found.problems[0]
        raise DefinitionIncomplete(
            f"version {version.version_number} cannot be published: {count} problem(s), "
            f"first: {first.pointer}: {first.message}",
            problems=[problem.as_dict() for problem in found.problems],
            problems_truncated=found.truncated,
        )


@tracing.use_case("version.publish")
def publish_version(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    ref: VersionRef,
    expected_lock: int | None,
    message: str | None = None,
) -> WorkflowVersion:
    """Make a complete draft the one current version: a commit on main, tag ``vN``."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    refuse_during_rollout(uow, workflow, "published")
    version = find_version(uow, workflow, ref)
    check_lock(version, expected_lock)
    return publish_found(uow, principal, workflow, version, message=message)


def publish_found(
    uow: UnitOfWork,
    principal: Principal,
    workflow: Workflow,
    version: WorkflowVersion,
    *,
    message: str | None = None,
    details: dict[str, str] | None = None,
) -> WorkflowVersion:
    """The publish of a version found under the workflow's lock: the review gate, the
    commit on main and the tag, drafts ended, the review merged, the audit entry and the
    ``version.published`` event. A rollout's publish comes through here too (``details``
    names it in the audit entry and the event), so both are the same publish."""
    review = reviews.require_publishable(uow, workflow, version)
    now = utcnow()
    before = summary(version)
    previous = _make_current(
        uow,
        workflow,
        version,
        principal,
        now=now,
        message=message or f"Publish v{version.version_number}",
    )
    reviews.close_after_publish(uow, workflow, review, principal)
    audit(
        uow,
        workflow,
        version,
        "publish",
        principal,
        now,
        before=before,
        after=summary(version),
        previous_current=previous.version_number if previous else None,
        **(details or {}),
    )
    data = _published(version, previous, principal) | {"review_id": str(review.id) if review else None}
    emit(uow, workflow.tenant_id, Event("version.published", workflow.id, data | (details or {}), now))
    return version


def refuse_during_rollout(uow: UnitOfWork, workflow: Workflow, what: str) -> None:
    """409 while a guarded rollout of the workflow is not over: its end publishes (or its
    abort leaves the current version as it is); a publish or rollback meanwhile would
    change the baseline under the contacts it is measured against."""
    active = rollout_rows.active_rollout(uow.session, workflow.tenant_id, workflow.id)
    if active is not None:
        raise RolloutInProgress(
            f"the workflow cannot be {what} while rollout {active.id} is {active.state}: "
            "promote or abort the rollout first",
            rollout_id=str(active.id),
            rollout_state=active.state,
        )


def _published(
    version: WorkflowVersion, previous: queries.Demoted | None, principal: Principal
) -> dict[str, object]:
    """What a publish or a rollback event says of the version now current."""
    return {
        "version_id": str(version.id),
        "version_number": version.version_number,
        "commit_id": version.commit_sha,
        "previous_version_number": previous.version_number if previous else None,
        "actor_id": principal.user_id,
    }


@tracing.use_case("version.rollback")
def rollback_version(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    ref: VersionRef,
    message: str | None = None,
) -> WorkflowVersion:
    """A new version with the target's content, published at once ("Rollback to vN")."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    refuse_during_rollout(uow, workflow, "rolled back")
    target = find_version(uow, workflow, ref)
    if target.status == VersionStatus.DRAFT.value:
        raise VersionConflict(
            f"v{target.version_number} is a draft; only a published version can be rolled back to"
        )
    if target.status == VersionStatus.ARCHIVED.value:
        raise VersionConflict(f"v{target.version_number} is archived; unarchive it before rolling back to it")
    if target.is_current:
        raise VersionConflict(f"v{target.version_number} is already the current version")
    repo = uow.repo(workflow.id)
    now = utcnow()
    title = message or f"Rollback to v{target.version_number}"
    version = new_version(
        uow,
        workflow,
        repo,
        principal,
        document=dict(target.definition),
        source=target,
        rollback_of=target,
        message=title,
        now=now,
    )
    previous = _make_current(
        uow,
        workflow,
        version,
        principal,
        message=title,
        now=now,
        extra=rollback_trailers(target),
        check_types=False,
    )
    audit(
        uow,
        workflow,
        version,
        "rollback",
        principal,
        now,
        rollback_of=target.version_number,
        previous_current=previous.version_number if previous else None,
        after=summary(version),
    )
    data = _published(version, previous, principal) | {
        "rollback_of_version_id": str(target.id),
        "rollback_of_version_number": target.version_number,
    }
    emit(uow, workflow.tenant_id, Event("version.rolled_back", workflow.id, data, now))
    return version
