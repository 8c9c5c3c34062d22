"""Read every version's record back out of a repository (for reindex and healing).

A version N is its ``drafts/vN`` branch (created by a ``create`` commit, then edits and
perhaps a ``delete``) plus, once published, tag ``vN`` on a ``main`` commit.
"""

import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pygit2

from repo_store.errors import RepoError
from repo_store.store import CommitInfo, WorkflowRepo
from schemas.history import (
    MAIN_REF,
    WATERMARK_REF,
    Trailer,
    VersionEvent,
    VersionRecord,
    draft_number,
    tag_ref,
    trailer_count,
)


class HistoryUnreadable(ValueError):
    """A commit on a version's line that wfv would not have written (a trailer missing or
    malformed, a document that is not a JSON object): its version cannot be rebuilt."""


def _count(info: CommitInfo, key: str) -> int:
    raw = info.trailers.get(key)
    found = trailer_count(raw)
    if found is None:
        raise HistoryUnreadable(f"commit {info.sha[:12]} has {key} {raw!r}, not a positive integer")
    return found


def _version_id(info: CommitInfo, key: str) -> str | None:
    raw = info.trailers.get(key)
    if raw is None:
        return None
    try:
        uuid.UUID(raw)
    except ValueError:
        raise HistoryUnreadable(f"commit {info.sha[:12]} has {key} {raw!r}, not a version id") from None
    return raw


def _own_id(info: CommitInfo) -> str:
    found = _version_id(info, Trailer.VERSION_ID)
    if found is None:
        raise HistoryUnreadable(f"commit {info.sha[:12]} has no {Trailer.VERSION_ID} trailer")
    return found


def _document(repo: WorkflowRepo, sha: str) -> dict[str, Any]:
    try:
        found = json.loads(repo.read_document(sha))
    except RepoError as exc:
        raise HistoryUnreadable(f"commit {sha[:12]}: {exc}") from exc
    except ValueError as exc:
        raise HistoryUnreadable(f"commit {sha[:12]}'s workflow.json does not parse: {exc}") from exc
    if not isinstance(found, dict):
        raise HistoryUnreadable(f"commit {sha[:12]}'s workflow.json is not a JSON object")
    return found


def watermark(repo: WorkflowRepo) -> str | None:
    """The watermark ref: compared with the index's ``git_head`` to see if git is ahead."""
    return repo.ref_target(WATERMARK_REF)


def _created(repo: WorkflowRepo, head: str, version_id: str) -> CommitInfo:
    for info in repo.first_parent_walk(head):
        if info.trailers.get(Trailer.VERSION_ID) != version_id:
            break
        if info.trailers.get(Trailer.EVENT) == VersionEvent.CREATE:
            return info
    raise HistoryUnreadable(f"draft branch at {head[:12]} has no create commit for {version_id}")


def read_version(repo: WorkflowRepo, number: int, draft_head: str, current_id: str | None) -> VersionRecord:
    """Version ``number`` as git tells it.

    Raises:
        HistoryUnreadable: a commit on its line is not one wfv wrote (the message names
            the commit and the trailer or document at fault).
    """
    try:
        return _read_version(repo, number, draft_head, current_id)
    except HistoryUnreadable as exc:
        raise HistoryUnreadable(f"v{number}: {exc}") from exc
    except (KeyError, ValueError, RepoError, pygit2.GitError) as exc:
        raise HistoryUnreadable(f"v{number}: {type(exc).__name__}: {exc}") from exc


def _read_version(repo: WorkflowRepo, number: int, draft_head: str, current_id: str | None) -> VersionRecord:
    head = repo.commit_info(draft_head)
    version_id = _own_id(head)
    created = _created(repo, draft_head, version_id)
    tag = repo.ref_target(tag_ref(number))
    published = repo.commit_info(repo.peel_to_commit(tag)) if tag else None
    shown = published or head
    lock = max(_count(c, Trailer.LOCK) for c in (head, published) if c)
    deleted = head.trailers.get(Trailer.EVENT) == VersionEvent.DELETE
    return VersionRecord(
        id=version_id,
        number=number,
        lock_version=lock,
        commit_sha=shown.sha,
        tree_sha=shown.tree_sha,
        parent_version_id=_version_id(created, Trailer.PARENT_ID),
        rollback_of_version_id=_version_id(created, Trailer.ROLLBACK_OF_ID),
        created_by=created.trailers.get(Trailer.AUTHOR_ID, created.author_name),
        created_at=created.committed_at,
        published_by=published.trailers.get(Trailer.AUTHOR_ID) if published else None,
        published_at=published.committed_at if published else None,
        deleted_at=head.committed_at if deleted else None,
        is_current=version_id == current_id,
        definition=_document(repo, shown.sha),
    )


def read_versions(repo: WorkflowRepo) -> list[VersionRecord]:
    """Every version in the repository, oldest first.

    Raises:
        HistoryUnreadable: a version's line holds a commit wfv would not have written.
    """
    main = repo.ref_target(MAIN_REF)
    current_id = repo.commit_info(main).trailers.get(Trailer.VERSION_ID) if main else None
    drafts = []
    for name, target in repo.refs("refs/heads/drafts/").items():
        number = draft_number(name)
        if number is not None:
            drafts.append((number, target))
    return [read_version(repo, number, head, current_id) for number, head in sorted(drafts)]


def published_line(repo: WorkflowRepo) -> Iterator[tuple[CommitInfo, bytes]]:
    """``main`` oldest first: each publish commit with its document bytes."""
    main = repo.ref_target(MAIN_REF)
    if main is None:
        return
    for info in reversed(list(repo.first_parent_walk(main))):
        yield info, repo.read_document(info.sha)


def claimed_commits(
    repo: WorkflowRepo, claim: str, *, since: datetime, limit: int = 1000, lines: str = "refs/heads/"
) -> list[CommitInfo]:
    """The commits a request wrote under Idempotency claim ``claim`` (its trailer), on any
    of the ``lines`` (a ref prefix: every branch by default, or the retention state's one
    ref): each walked back from its tip to the claim's time, ``limit`` commits in all (a
    retry's look for its earlier attempt's effect, which is at or near the tips)."""
    found: dict[str, CommitInfo] = {}
    walked = 0
    for tip in repo.refs(lines).values():
        for info in repo.first_parent_walk(tip):
            walked += 1
            if info.committed_at < since or walked > limit:
                break
            if info.trailers.get(Trailer.CLAIM) == claim:
                found[info.sha] = info
    return list(found.values())
