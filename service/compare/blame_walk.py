"""Blame's answer from a sequence of (commit, action as that commit has it), and the plain
walk that reads every document of ``main`` to get it.

The walk is the definition: O(versions), one document parsed per published version. The
cached path (``service.compare.blame_cache``) feeds the same :func:`history_from` only the
commits where the action changed, so both give the same entries by construction; the
tests compare the two on every kind of history.
"""

from collections.abc import Iterable
from typing import Any

from repo_store.main_line import OddCommit, main_commit, main_since, publication, read_step
from repo_store.store import CommitInfo, WorkflowRepo
from schemas.blame import ActionHistory, ActionHistoryEntry, SkippedCommit
from schemas.compare import field_changes

Point = tuple[CommitInfo, dict[str, Any] | None]


def _entry(
    info: CommitInfo, previous: dict[str, Any] | None, current: dict[str, Any] | None
) -> ActionHistoryEntry:
    published = publication(info)
    change = "added" if previous is None else "removed" if current is None else "modified"
    return ActionHistoryEntry(
        version_number=published.version_number,
        version_id=published.version_id,
        commit_sha=info.sha,
        change=change,
        author_id=published.author_id,
        published_at=info.committed_at,
        message=info.summary,
        rollback_of=published.rollback_of,
        fields=field_changes(previous, current) if change == "modified" else [],
        action=current,
    )


def history_from(action_id: str, points: Iterable[Point], skipped: list[SkippedCommit]) -> ActionHistory:
    """An entry for each readable commit, oldest first, whose action differs from the last
    one reported (``points`` may leave out commits where it did not change)."""
    entries: list[ActionHistoryEntry] = []
    previous: dict[str, Any] | None = None
    for info, current in points:
        if current == previous:
            continue
        entries.append(_entry(info, previous, current))
        previous = current
    return ActionHistory(action_id=action_id, entries=entries, skipped=skipped)


def walk_history(repo: WorkflowRepo, action_id: str) -> ActionHistory:
    """Blame by reading every commit of ``main`` (the reference the cache must equal)."""
    walk = main_since(repo, main_commit(repo), ())
    skipped = [SkippedCommit(commit_sha=walk.broken[0], reason=walk.broken[1])] if walk.broken else []
    points: list[Point] = []
    previous_tree: str | None = None
    for info in walk.commits:
        try:
            actions = read_step(repo, info, previous_tree)
        except OddCommit as odd:
            skipped.append(SkippedCommit(commit_sha=info.sha, reason=str(odd)))
            continue
        if actions is None:
            continue  # same content (e.g. a republish): nothing can have changed
        previous_tree = info.tree_sha
        points.append((info, actions.get(action_id)))
    return history_from(action_id, points, skipped)
