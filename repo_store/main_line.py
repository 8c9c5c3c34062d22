"""``main`` as blame reads it: the publish commits, and the odd ones it must leave out.

wfv writes onto ``main`` only publish commits with their trailers and a JSON workflow. A
commit put there by hand may have neither; blame names it and reads on (``OddCommit``)
instead of failing every reader. What makes a commit odd depends on the commit alone,
so a verdict, like everything else read from a commit, can be kept.
"""

import json
import uuid
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

import pygit2

from repo_store.errors import RepoError
from repo_store.store import CommitInfo, WorkflowRepo
from schemas.history import MAIN_REF, Trailer


class OddCommit(Exception):
    """A commit on ``main`` that is not a readable published version; the text says why."""


@dataclass(frozen=True)
class Publication:
    """Who published which version, from a publish commit's trailers."""

    version_number: int
    version_id: uuid.UUID
    author_id: str
    rollback_of: int | None


def _number(info: CommitInfo, trailer: Trailer) -> int:
    raw = info.trailers[trailer]
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise OddCommit(f"trailer {trailer} is {raw!r}, not a version number")
    return int(raw)


def publication(info: CommitInfo) -> Publication:
    """The commit's trailers, or :class:`OddCommit` if a version's are missing or malformed."""
    for required in (Trailer.VERSION, Trailer.VERSION_ID):
        if required not in info.trailers:
            raise OddCommit(f"no {required} trailer: not a publish commit wfv wrote")
    try:
        version_id = uuid.UUID(info.trailers[Trailer.VERSION_ID])
    except ValueError:
        raise OddCommit(
            f"trailer {Trailer.VERSION_ID} is {info.trailers[Trailer.VERSION_ID]!r}, not a UUID"
        ) from None
    return Publication(
        version_number=_number(info, Trailer.VERSION),
        version_id=version_id,
        author_id=info.trailers.get(Trailer.AUTHOR_ID, info.author_name),
        rollback_of=_number(info, Trailer.ROLLBACK_OF) if Trailer.ROLLBACK_OF in info.trailers else None,
    )


def actions_by_id(data: bytes) -> dict[str, Any]:
    """Each action of a ``workflow.json`` by its id (the first, if an id repeats, as a
    search from the top finds it), or :class:`OddCommit` if it is not a JSON workflow."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise OddCommit(f"workflow.json is not JSON ({type(exc).__name__})") from None
    if not isinstance(document, dict):
        raise OddCommit(f"workflow.json holds a JSON {type(document).__name__}, not an object")
    actions = document.get("actions", [])
    if not isinstance(actions, list):
        raise OddCommit("workflow.json's actions are not a list")
    found: dict[str, Any] = {}
    for action in actions:
        if isinstance(action, dict):
            key = action.get("id")
            if isinstance(key, str) and key not in found:
                found[key] = action
    return found


def read_step(repo: WorkflowRepo, info: CommitInfo, base_tree: str | None) -> dict[str, Any] | None:
    """A publish commit's actions, or None when its tree is ``base_tree`` (the last
    readable commit's: nothing can differ); :class:`OddCommit` for anything blame cannot
    read. Trailers are checked first, so an odd commit is named even when it changes
    nothing."""
    publication(info)
    if info.tree_sha == base_tree:
        return None
    try:
        data = repo.read_document(info.sha)
    except RepoError as exc:
        raise OddCommit(str(exc)) from None
    return actions_by_id(data)


@dataclass(frozen=True)
class MainWalk:
    """Commits of ``main`` not yet known, oldest first; ``broken`` names where the walk
    had to stop (a ref or parent that is not a readable commit)."""

    commits: list[CommitInfo]
    broken: tuple[str, str] | None = None


def main_commit(repo: WorkflowRepo) -> str | None:
    """The commit ``main`` is at (peeled, should a hand have pointed it at a tag); its
    raw target if that is no commit, for :func:`main_since` to report."""
    target = repo.ref_target(MAIN_REF)
    if target is None:
        return None
    try:
        return repo.peel_to_commit(target)
    except (KeyError, ValueError, pygit2.GitError):
        return target


def main_since(repo: WorkflowRepo, start: str | None, known: Container[str]) -> MainWalk:
    """From ``start`` back along first parents until a ``known`` commit (or the root)."""
    current = start
    found: list[CommitInfo] = []
    broken = None
    while current is not None and current not in known:
        try:
            info = repo.commit_info(current)
        except (KeyError, ValueError, pygit2.GitError) as exc:
            broken = (current, f"not a readable commit ({type(exc).__name__}): main's history stops here")
            break
        found.append(info)
        current = info.parents[0] if info.parents else None
    found.reverse()
    return MainWalk(found, broken)
