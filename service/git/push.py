"""``git push`` to drafts: what may change, every pushed commit checked, and an accepted
update recorded through the same use cases as the REST API.

- ``refs/heads/drafts/v<N>``: an open draft (not deleted, not published), fast-forward
  only, from the head the client read ("fetch first" otherwise).
- ``refs/heads/drafts/new``: the next version, as a draft, from the pushed content.
- ``main``, tags, notes, any other ref, and deletions are refused: publishing and
  reviewing stay API actions with their checks.

A push is bounded before it can hold anything: its pack is measured (objects, inflated
bytes), received into a quarantine, and its commits are checked (tree shape and size for
each, the tips parsed and validated) before the workflow's lock is taken or a transaction
opened. Under the lock there is only what must be: the refs compared with the index, the
rows, the ref compare-and-swap. Only the objects the accepted commits reach are kept.

The pushed commit becomes the draft's head as it is, so the pusher's next push is a plain
fast-forward; wfv's record of it (version, event, lock version, author, time) goes to
``refs/wfv/records``, which nobody can push (``service.versions.write_path.record_pushed``). Each
accepted ref is one edit (lock_version + 1, one audit entry), as a ``PATCH`` would be.
Pushing again a commit that already made a draft answers with that draft.
"""

from dataclasses import dataclass, field

from indexer import queries
from indexer.models import Workflow, WorkflowVersion
from repo_store import RepoError, WorkflowRepo
from repo_store.incoming import Incoming, PackRejected, PushLimits, PushTooBig, quarantine
from repo_store.wire import (
    FLUSH,
    ZERO_ID,
    Command,
    PushRequest,
    RefStatus,
    WireError,
    advertisement,
    parse_push_request,
    report,
)
from schemas.history import MAIN_REF, Trailer, VersionEvent, draft_number, draft_ref
from schemas.status import InvalidTransition, VersionStatus
from service.auth import Principal
from service.container import Container
from service.errors import Problem
from service.git.access import NEW_DRAFT_REF, GitTarget
from service.git.checks import Checked, Refused, check_commits
from service.git.http_backend import HIDDEN_REFS
from service.ops import tracing
from service.settings import Settings
from service.uow import UnitOfWork
from service.versions import editing as versions
from service.versions.workflows import load_workflow


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
    made: int | None = None  # drafts/new again with the same commit: the draft it made


def limits_of(settings: Settings) -> PushLimits:
    return PushLimits(
        commits=settings.git_push_max_commits,
        inflated_bytes=settings.git_push_max_inflated_bytes,
        document_bytes=settings.max_body_bytes,
    )


def advertise(container: Container, target: GitTarget) -> bytes:
    """The refs a pusher sees: what a clone sees (``refs/wfv/*`` is internal)."""
    repo = container.store.open(target.tenant_id, target.workflow_id)
    refs = sorted(repo.refs("refs/").items())
    return advertisement([(sha, name) for name, sha in refs if not name.startswith(HIDDEN_REFS)])


@tracing.use_case("git.push")
def receive(*, container: Container, principal: Principal, target: GitTarget, body: bytes) -> bytes:
    """Answer one ``git-receive-pack`` request with git's report (refusals included).

    A lone flush is git's probe before a push too large for one buffer (``probe_rpc`` in
    git's remote-curl): it checks the credentials and expects an empty answer, as git's own
    receive-pack gives.
    """
    if body == FLUSH:
        return b""
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
    if ref == NEW_DRAFT_REF or draft_number(ref) is not None:
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
    moving = tuple(c for c in request.commands if c.old != c.new)
    if not moving:  # git never sends this; a crafted request keeps nothing and records nothing
        return Outcome([RefStatus(c.ref) for c in request.commands], ["wfv: nothing to update"])
    try:
        with quarantine(target.path, request.pack, limits_of(container.settings)) as pushed:
            try:
                checked, commits = check_commits(
                    pushed, [c.new for c in moving], limits_of(container.settings)
                )
            except Refused as refusal:
                return _refused(request.commands, {c.ref: refusal for c in moving})
            pushed.select(commits)
            new = {str(commit.id) for commit in commits}
            return _apply_under_lock(
                container, principal, target, request.commands, moving, checked, new, pushed
            )
    except PushTooBig as exc:
        reason = _too_big(exc, container.settings)
        return Outcome(
            [RefStatus(c.ref, "push too big") for c in request.commands],
            [f"error: the push was refused: {reason}"],
            unpack_error=reason,
        )
    except PackRejected as exc:
        return Outcome(
            [RefStatus(c.ref, "unpacker error") for c in request.commands],
            [f"error: the pushed pack was refused: {exc}"],
            unpack_error=str(exc),
        )


def _too_big(exc: PushTooBig, settings: Settings) -> str:
    """The line the pusher reads: what was too much, and the setting that says so."""
    if exc.bound == "inflated":
        return f"{exc} (WFV_GIT_PUSH_MAX_INFLATED_BYTES); push fewer or smaller commits"
    commits = settings.git_push_max_commits
    return f"{exc}: at most {commits} commits per push (WFV_GIT_PUSH_MAX_COMMITS); push in parts"


def _apply_under_lock(
    container: Container,
    principal: Principal,
    target: GitTarget,
    commands: tuple[Command, ...],
    moving: tuple[Command, ...],
    checked: dict[str, Checked],
    new: set[str],
    pushed: Incoming,
) -> Outcome:
    with container.uow(principal.tenant_id, write=True) as uow:
        workflow = load_workflow(uow, principal, target.workflow_id, lock=True)
        repo = uow.repo(workflow.id)
        plans, reasons = [], {}
        for command in moving:
            try:
                plans.append(_plan(uow, workflow, repo, pushed, command, checked[command.new], new))
            except Refused as refusal:
                reasons[command.ref] = refusal
        if reasons:
            return _refused(commands, reasons)
        pushed.keep()  # objects first: the refs about to move name them
        try:
            messages = [_apply(uow, principal, workflow, plan) for plan in plans]
        except (Problem, InvalidTransition, RepoError) as exc:
            # Leaving without commit moves every ref back; the kept objects, which no ref
            # names, are garbage that ``git gc`` prunes.
            return _refused(commands, {c.ref: Refused(str(exc)) for c in moving})
        uow.commit()
    return Outcome([RefStatus(c.ref) for c in commands], messages)


def _open_draft(uow: UnitOfWork, workflow: Workflow, command: Command) -> WorkflowVersion | None:
    """The draft ``drafts/v<N>`` names (None for ``drafts/new``), if it may change."""
    number = draft_number(command.ref)
    if number is None:
        if command.old != ZERO_ID:
            raise Refused("drafts/new never exists on the server: push to it without a lease")
        return None
    version = queries.get_version(uow.session, workflow.tenant_id, workflow.id, number)
    if version is None:
        raise Refused(f"there is no v{number}: push to drafts/new to create a draft")
    if version.deleted_at is not None:
        raise Refused(f"v{number} is deleted: push to drafts/new to start a new draft")
    if version.status != VersionStatus.DRAFT.value:
        raise Refused(f"v{number} is {version.status}: published versions never change; push to drafts/new")
    return version


def _made_before(
    uow: UnitOfWork, workflow: Workflow, repo: WorkflowRepo, command: Command, new: set[str]
) -> int | None:
    """The draft an earlier push of this very commit made (None: the commit is new here).

    A commit the repository already has cannot become another version's head: its record,
    or wfv's own trailers, already say which version it is.
    """
    try:
        record = repo.record(command.new)
    except ValueError as exc:
        raise Refused(str(exc)) from exc
    if record is None:
        if command.new not in new:
            raise Refused(
                f"{command.new[:12]} is already in this repository (a version's commit or its history); "
                "commit a change on top of it and push that"
            )
        return None
    trailers = dict(record["trailers"])  # type: ignore[call-overload]
    number = int(trailers.get(Trailer.VERSION, 0))
    if command.ref == NEW_DRAFT_REF and trailers.get(Trailer.EVENT) == VersionEvent.CREATE.value:
        version = queries.get_version(uow.session, workflow.tenant_id, workflow.id, number)
        if version is not None and str(version.id) == trailers.get(Trailer.VERSION_ID):
            return number
    raise Refused(f"{command.new[:12]} is already v{number}'s; commit a change on top of it and push that")


def _plan(
    uow: UnitOfWork,
    workflow: Workflow,
    repo: WorkflowRepo,
    pushed: Incoming,
    command: Command,
    checked: Checked,
    new: set[str],
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
    made = _made_before(uow, workflow, repo, command, new)
    if made is not None:
        return Accepted(command, checked, None, made)
    return Accepted(command, checked, version)


def _apply(uow: UnitOfWork, principal: Principal, workflow: Workflow, plan: Accepted) -> str:
    """Record one accepted ref as the API would; returns the line the pusher reads."""
    pushed = plan.command.new
    if plan.made is not None:
        return f"wfv: drafts/new -> draft v{plan.made} was made from this commit already; nothing recorded"
    if plan.version is None:
        created = versions.create_version(
            uow=uow,
            principal=principal,
            workflow_id=workflow.id,
            definition=plan.checked.definition,
            message=f"Create draft v{workflow.last_version_number + 1} from a push: {plan.checked.subject}",
            pushed=pushed,
        )
        number = created.version_number
        return f"wfv: drafts/new -> created draft v{number} (refs/heads/drafts/v{number} at {pushed[:12]})"
    version = plan.version
    edited = versions.update_version(
        uow=uow,
        principal=principal,
        workflow_id=workflow.id,
        ref=version.id,
        definition=plan.checked.definition,
        expected_lock=version.lock_version,  # read under the workflow lock, like the ref's old value
        message=f"Push to drafts/v{version.version_number}: {plan.checked.subject}",
        pushed=pushed,
    )
    return (
        f"wfv: drafts/v{edited.version_number} -> {pushed[:12]} (lock_version {edited.lock_version}, "
        f"{plan.checked.commits} new commit(s))"
    )
