"""``git push`` to drafts: what may change, every pushed commit checked, and an accepted
update recorded through the same use cases as the REST API.

- ``refs/heads/drafts/v<N>``: an open draft (not deleted, not published), fast-forward
  only, from the head the client read ("fetch first" otherwise).
- ``refs/heads/drafts/new``: the next version, as a draft, from the pushed content.
- ``main``, tags, notes, any other ref, and deletions are refused: publishing and
  reviewing stay API actions with their checks.

Every commit the push brings, and the pushed tip, must hold exactly ``workflow.json``,
which parses and validates as a workflow. A push is all or nothing: one unit of work under
the workflow's lock. Each accepted ref is one edit (lock_version + 1, one audit entry),
as a ``PATCH`` of the tip's content would be. wfv then writes its own commit, with the
trailers reindex reads: first parent the draft's previous head, second parent the pushed
tip, so the pushed history stays reachable and ``git pull --ff-only`` brings the pusher
onto it.
"""

import re
from dataclasses import dataclass, field

from indexer import queries
from indexer.models import Workflow, WorkflowVersion
from repo_store import RepoError, WorkflowRepo
from repo_store.incoming import Incoming, PackRejected, quarantine
from repo_store.wire import (
    ZERO_ID,
    Command,
    PushRequest,
    RefStatus,
    WireError,
    advertisement,
    parse_push_request,
    report,
)
from schemas.history import MAIN_REF, draft_ref
from schemas.status import InvalidTransition, VersionStatus
from service import versions
from service.auth import Principal
from service.container import Container
from service.errors import Problem, StaleLock
from service.git_access import NEW_DRAFT_REF, GitTarget
from service.git_checks import MAX_PUSHED_COMMITS, Checked, Refused, check_commits
from service.uow import UnitOfWork
from service.workflows import load_workflow

_DRAFT = re.compile(r"^refs/heads/drafts/v([1-9][0-9]{0,8})$")


class MalformedPush(Problem):
    status_code, title, slug = 400, "Malformed push", "malformed-push"


@dataclass
class Outcome:
    """What the client is told: per ref, plus ``remote:`` lines."""

    statuses: list[RefStatus]
    messages: list[str] = field(default_factory=list)
    unpack_error: str | None = None


@dataclass(frozen=True)
class Accepted:
    command: Command
    checked: Checked
    version: WorkflowVersion | None  # None: drafts/new


def advertise(container: Container, target: GitTarget) -> bytes:
    """The refs a pusher sees: what a clone sees (``refs/wfv/*`` is internal)."""
    repo = container.store.open(target.tenant_id, target.workflow_id)
    refs = sorted(repo.refs("refs/").items())
    return advertisement([(sha, name) for name, sha in refs if not name.startswith("refs/wfv/")])


def receive(*, container: Container, principal: Principal, target: GitTarget, body: bytes) -> bytes:
    """Answer one ``git-receive-pack`` request with git's report (refusals included)."""
    try:
        request = parse_push_request(body)
    except WireError as exc:
        raise MalformedPush(str(exc)) from exc
    outcome = _receive(container, principal, target, request)
    return report(
        unpack_error=outcome.unpack_error,
        statuses=outcome.statuses,
        messages=outcome.messages,
        sideband=request.sideband,
    )


def ref_rule(command: Command) -> str | None:
    """Why a ref may never be pushed (None: it may, subject to the draft checks)."""
    ref = command.ref
    if command.deletes:
        return "deleting refs is refused: delete a draft through the API"
    if ref == NEW_DRAFT_REF or _DRAFT.fullmatch(ref):
        return None
    if ref == MAIN_REF:
        return "main is written by publishing (POST …/versions/<N>/publish), never pushed"
    if ref.startswith("refs/tags/"):
        return "tags are written by publishing, never pushed"
    if ref.startswith("refs/notes/"):
        return "review notes are written by the review API, never pushed"
    if ref.startswith("refs/heads/drafts/"):
        return "push to drafts/v<N> (an open draft) or drafts/new"
    return "only refs/heads/drafts/v<N> and refs/heads/drafts/new accept pushes"


def _refused(commands: tuple[Command, ...], reasons: dict[str, Refused]) -> Outcome:
    """Nothing is applied: each refused ref says why, the others that they were held back."""
    statuses, messages = [], []
    for command in commands:
        refusal = reasons.get(command.ref)
        if refusal is None:
            statuses.append(RefStatus(command.ref, "not applied: another ref of this push was refused"))
            continue
        statuses.append(RefStatus(command.ref, refusal.reason))
        messages.append(f"error: {command.ref}: {refusal.reason}")
    return Outcome(statuses, messages)


def _receive(container: Container, principal: Principal, target: GitTarget, request: PushRequest) -> Outcome:
    rules = {c.ref: Refused(reason) for c in request.commands if (reason := ref_rule(c)) is not None}
    if rules:
        return _refused(request.commands, rules)  # before any object is looked at
    try:
        with quarantine(target.path, request.pack) as pushed:
            return _check_and_apply(container, principal, target, request.commands, pushed)
    except PackRejected as exc:
        return Outcome(
            [RefStatus(c.ref, "unpacker error") for c in request.commands],
            [f"error: the pushed pack was refused: {exc}"],
            unpack_error=str(exc),
        )


def _check_and_apply(
    container: Container,
    principal: Principal,
    target: GitTarget,
    commands: tuple[Command, ...],
    pushed: Incoming,
) -> Outcome:
    with container.uow(principal.tenant_id, write=True) as uow:
        workflow = load_workflow(uow, principal, target.workflow_id, lock=True)
        repo = uow.repo(workflow.tenant_id, workflow.id)
        plans, reasons = [], {}
        for command in commands:
            try:
                plans.append(_plan(uow, workflow, repo, pushed, command))
            except Refused as refusal:
                reasons[command.ref] = refusal
        if reasons:
            return _refused(commands, reasons)
        pushed.keep()  # objects first: our commits name the pushed tips as parents
        try:
            messages = [_apply(uow, principal, workflow, plan) for plan in plans]
        except (Problem, InvalidTransition, RepoError) as exc:
            # Leaving without commit moves every ref back; the kept objects, which no ref
            # names, are garbage that ``git gc`` prunes.
            return _refused(commands, {c.ref: Refused(str(exc)) for c in commands})
        uow.commit()
    return Outcome([RefStatus(c.ref) for c in commands], messages)


def _open_draft(uow: UnitOfWork, workflow: Workflow, command: Command) -> WorkflowVersion | None:
    """The draft ``drafts/v<N>`` names (None for ``drafts/new``), if it may change."""
    match = _DRAFT.fullmatch(command.ref)
    if match is None:
        if command.old != ZERO_ID:
            raise Refused("drafts/new never exists on the server: push to it without a lease")
        return None
    number = int(match.group(1))
    version = queries.get_version(uow.session, workflow.tenant_id, workflow.id, number)
    if version is None:
        raise Refused(f"there is no v{number}: push to drafts/new to create a draft")
    if version.deleted_at is not None:
        raise Refused(f"v{number} is deleted: push to drafts/new to start a new draft")
    if version.status != VersionStatus.DRAFT.value:
        raise Refused(f"v{number} is {version.status}: published versions never change; push to drafts/new")
    return version


def _plan(
    uow: UnitOfWork, workflow: Workflow, repo: WorkflowRepo, pushed: Incoming, command: Command
) -> Accepted:
    version = _open_draft(uow, workflow, command)
    if version is not None:
        head = repo.ref_target(draft_ref(version.version_number)) or ZERO_ID
        name = f"drafts/v{version.version_number}"
        if command.old != head:
            raise Refused(f"fetch first: {name} is at {head[:12]}, your push expected {command.old[:12]}")
        try:
            forward = pushed.descends_from(command.new, head)
        except PackRejected as exc:
            raise Refused(str(exc)) from exc
        if not forward:
            raise Refused(f"non-fast-forward: your commit does not contain {name}'s head; pull and retry")
    limits = uow.container.settings
    checked = check_commits(pushed, command.new, max_bytes=limits.max_body_bytes, limit=MAX_PUSHED_COMMITS)
    return Accepted(command, checked, version)


def _apply(uow: UnitOfWork, principal: Principal, workflow: Workflow, plan: Accepted) -> str:
    """Record one accepted ref as the API would; returns the line the pusher reads."""
    pushed = plan.command.new
    if plan.version is None:
        created = versions.create_version(
            uow=uow,
            principal=principal,
            workflow_id=workflow.id,
            definition=plan.checked.definition,
            message=f"Create draft v{workflow.last_version_number + 1} from a push: {plan.checked.subject}",
            merge_parent=pushed,
        )
        number, sha = created.version_number, created.commit_sha[:12]
        return f"wfv: drafts/new -> created draft v{number} (refs/heads/drafts/v{number} at {sha})"
    version = plan.version
    before = version.lock_version
    edited = versions.update_version(
        uow=uow,
        principal=principal,
        workflow_id=workflow.id,
        ref=version.id,
        definition=plan.checked.definition,
        expected_lock=before,  # read under the workflow lock, like the ref's old value
        stale_error=StaleLock,
        message=f"Push to drafts/v{version.version_number}: {plan.checked.subject}",
        merge_parent=pushed,
    )
    name = f"drafts/v{edited.version_number}"
    if edited.lock_version == before:
        return f"wfv: {name}: workflow.json is unchanged, nothing recorded"
    return (
        f"wfv: {name}: recorded as {edited.commit_sha[:12]} (lock_version {edited.lock_version}, "
        f"{plan.checked.commits} pushed commit(s)); git pull --ff-only brings you onto it"
    )
