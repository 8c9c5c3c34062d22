"""Read a repository's refs and say whether wfv could have written them.

wfv writes only ``main`` (publish commits), ``drafts/v<N>`` (create/edit/delete commits of
version N), annotated tags ``v<N>`` on publish commits, review notes, the ``refs/wfv/head``
watermark, ``refs/wfv/records`` (what it knows of pushed commits) and ``refs/wfv/state``
(retention state: one ``state.json`` naming versions of its draft branches), and every
commit it writes carries its trailers (a pushed draft head, its record). A ref that breaks
those rules was moved behind the service's back (``git update-ref`` in the bare
repository, a restore from an old backup...). Healing and the consistency check use this
before they trust git: the index must never be rebuilt from refs wfv did not write.
"""

import uuid
from dataclasses import dataclass, field

import pygit2

from repo_store.state import StateInvalid, read_states
from repo_store.store import CommitInfo, WorkflowRepo
from schemas.history import (
    MAIN_REF,
    RECORDS_REF,
    WATERMARK_REF,
    Trailer,
    VersionEvent,
    draft_number,
    tag_number,
    trailer_count,
)
from schemas.state import STATE_REF, VersionState

_NOTES = "refs/notes/"
_DRAFT_EVENTS = {VersionEvent.CREATE.value, VersionEvent.EDIT.value, VersionEvent.DELETE.value}


@dataclass(frozen=True)
class RefIssue:
    """One ref that is not where wfv would have put it."""

    ref: str
    target: str | None
    detail: str


@dataclass
class RefSnapshot:
    """The refs of one repository as read now (the watermark read last)."""

    main: CommitInfo | None = None
    drafts: dict[int, CommitInfo] = field(default_factory=dict)
    tags: dict[int, CommitInfo] = field(default_factory=dict)
    state: str | None = None  # refs/wfv/state's commit, once its tree checked out
    states: dict[int, VersionState] = field(default_factory=dict)
    watermark: str | None = None
    issues: list[RefIssue] = field(default_factory=list)


def _commit(repo: WorkflowRepo, name: str, target: str, snapshot: RefSnapshot) -> CommitInfo | None:
    try:
        return repo.commit_info(target)
    except (KeyError, ValueError, pygit2.GitError) as exc:
        snapshot.issues.append(
            RefIssue(name, target, f"{name} points at {target}, not a commit here ({exc})")
        )
        return None


def _version_of(info: CommitInfo) -> int | None:
    return trailer_count(info.trailers.get(Trailer.VERSION))


def _lock_ok(info: CommitInfo) -> bool:
    return trailer_count(info.trailers.get(Trailer.LOCK)) is not None


def _has_version_id(info: CommitInfo) -> bool:
    try:
        uuid.UUID(info.trailers.get(Trailer.VERSION_ID, ""))
    except ValueError:
        return False
    return True


def _check_draft(name: str, number: int, info: CommitInfo) -> str | None:
    if _version_of(info) != number or not _has_version_id(info) or not _lock_ok(info):
        return (
            f"{name} is at {info.sha[:12]}, which is not a commit wfv wrote for v{number} "
            "(its trailers are missing or malformed)"
        )
    if info.trailers.get(Trailer.EVENT) not in _DRAFT_EVENTS:
        event = info.trailers.get(Trailer.EVENT)
        return f"{name} is at {info.sha[:12]}, a commit of event '{event}', not a draft's"
    return None


def _check_publish(name: str, number: int | None, info: CommitInfo) -> str | None:
    found = _version_of(info)
    if (
        found is None
        or not _has_version_id(info)
        or not _lock_ok(info)
        or info.trailers.get(Trailer.EVENT) != VersionEvent.PUBLISH
    ):
        return f"{name} is at {info.sha[:12]}, which is not a publish commit wfv wrote"
    if number is not None and found != number:
        return f"{name} is at {info.sha[:12]}, the publish commit of v{found}"
    return None


def is_wfv_ref(name: str) -> bool:
    """A name wfv writes (whatever it points at)."""
    return (
        name in (MAIN_REF, WATERMARK_REF, RECORDS_REF, STATE_REF)
        or name.startswith(_NOTES)
        or draft_number(name) is not None
        or tag_number(name) is not None
    )


def _classify(repo: WorkflowRepo, name: str, target: str, snapshot: RefSnapshot) -> None:
    if not is_wfv_ref(name):
        snapshot.issues.append(RefIssue(name, target, f"{name} is not a ref wfv writes"))
        return
    if name in (WATERMARK_REF, RECORDS_REF) or name.startswith(_NOTES):
        return
    if name == STATE_REF:
        _read_state(repo, target, snapshot)
        return
    draft, tag = draft_number(name), tag_number(name)
    info = _commit(repo, name, target, snapshot)
    if info is None:
        return
    if draft is not None:
        problem = _check_draft(name, draft, info)
        if problem is None:
            snapshot.drafts[draft] = info
    else:
        number = tag
        problem = _check_publish(name, number, info)
        if problem is None and number is not None:
            snapshot.tags[number] = info
        elif problem is None:
            snapshot.main = info
    if problem is not None:
        snapshot.issues.append(RefIssue(name, info.sha, problem))


def _read_state(repo: WorkflowRepo, target: str, snapshot: RefSnapshot) -> None:
    try:
        snapshot.states = read_states(repo, target)
    except StateInvalid as exc:
        snapshot.issues.append(RefIssue(STATE_REF, target, f"{STATE_REF} is at {target[:12]}: {exc}"))
        return
    snapshot.state = target


def _check_states(snapshot: RefSnapshot) -> None:
    """Each state file is of the version its draft branch names; only a published one
    (tag ``vN``) can be archived."""
    for number, state in sorted(snapshot.states.items()):
        draft = snapshot.drafts.get(number)
        problem = None
        if draft is None or draft.trailers[Trailer.VERSION_ID] != str(state.version_id):
            problem = f"{STATE_REF} holds a state for v{number} ({state.version_id}), which git does not have"
        elif state.archived_at is not None and number not in snapshot.tags:
            problem = f"{STATE_REF} says v{number} is archived, but it was never published"
        if problem is not None:
            snapshot.issues.append(RefIssue(STATE_REF, snapshot.state, problem))
            return


def _check_main_line(repo: WorkflowRepo, snapshot: RefSnapshot) -> None:
    """``main`` holds exactly the tagged publish commits: one per publish, none lost.

    A ``main`` moved back to an older publish commit passes every trailer check; that the
    newer tags are no longer on it is what gives it away.
    """
    main = snapshot.main
    tagged = {info.sha: number for number, info in snapshot.tags.items()}
    line: set[str] = set()
    for info in repo.first_parent_walk(main.sha) if main is not None else iter(()):
        number = _version_of(info)
        if tagged.get(info.sha) != number:
            snapshot.issues.append(
                RefIssue(
                    MAIN_REF,
                    main.sha if main else None,
                    f"main's commit {info.sha[:12]} has no tag v{number}",
                )
            )
            return
        line.add(info.sha)
    for number, info in sorted(snapshot.tags.items()):
        if info.sha not in line:
            where = main.sha[:12] if main else "nothing"
            snapshot.issues.append(
                RefIssue(
                    MAIN_REF,
                    main.sha if main else None,
                    f"main (at {where}) lacks v{number}'s publish commit",
                )
            )
            return


def _check_pairs(snapshot: RefSnapshot) -> None:
    """Tag vN and branch drafts/vN are the same version (same ``Version-Id``)."""
    for number, tag in snapshot.tags.items():
        draft = snapshot.drafts.get(number)
        if draft is None:
            snapshot.issues.append(
                RefIssue(f"refs/tags/v{number}", tag.sha, f"v{number} has a tag but no draft branch")
            )
        elif draft.trailers[Trailer.VERSION_ID] != tag.trailers[Trailer.VERSION_ID]:
            snapshot.issues.append(
                RefIssue(
                    f"refs/tags/v{number}",
                    tag.sha,
                    f"tag v{number} and drafts/v{number} name different versions",
                )
            )


def read_refs(repo: WorkflowRepo, *, deep: bool = True) -> RefSnapshot:
    """Every ref, classified; ``deep`` also walks ``main`` against the tags.

    The watermark is read last: a writer moves it together with its other refs, so a
    watermark equal to the index's means no write of ours moved a ref while we read.
    """
    snapshot = RefSnapshot()
    for name in sorted(repo.repo.references):
        target = repo.ref_target(name)
        if target is not None:
            _classify(repo, name, target, snapshot)
    _check_pairs(snapshot)
    _check_states(snapshot)
    if deep and not any(issue.ref == MAIN_REF for issue in snapshot.issues):
        _check_main_line(repo, snapshot)
    snapshot.watermark = repo.ref_target(WATERMARK_REF)
    return snapshot
