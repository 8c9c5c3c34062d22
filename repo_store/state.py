"""The retention state of a workflow's versions on ``refs/wfv/state`` (see
``schemas.state``): read a state commit's tree, write the next one. No ref moves here; the
caller moves the ref by compare-and-swap once its rows are staged.
"""

from collections.abc import Mapping
from datetime import datetime

import pygit2

from repo_store.errors import RepoError
from repo_store.store import WorkflowRepo
from schemas.state import VersionState, state_file, state_number

# State commits are wfv's bookkeeping: who did what is in the audit trail and the hold's
# ``by``; the commit carries no user text at all, not even a name from a token.
STATE_AUTHOR = ("wfv", "wfv@localhost")
_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's id of the tree with nothing in it


class StateInvalid(RepoError):
    """A state commit whose tree wfv could not have written."""


def _tree(repo: WorkflowRepo, commit: str) -> pygit2.Tree:
    try:
        return repo.repo[commit].peel(pygit2.Commit).tree
    except (KeyError, ValueError, pygit2.GitError) as exc:
        raise StateInvalid(f"{commit} is not a commit here ({exc})") from exc


def read_states(repo: WorkflowRepo, commit: str | None) -> dict[int, VersionState]:
    """Version number -> state, from the tree of ``commit`` (None: no state yet).

    Raises:
        StateInvalid: an entry that is not a ``v<N>.json`` file of a valid state.
    """
    if commit is None:
        return {}
    found = {}
    for entry in _tree(repo, commit):
        number = state_number(entry.name or "")
        blob = repo.repo[entry.id]
        if number is None or not isinstance(blob, pygit2.Blob) or entry.filemode != pygit2.GIT_FILEMODE_BLOB:
            raise StateInvalid(f"{entry.name!r} in state commit {commit[:12]} is not a file wfv writes")
        try:
            found[number] = VersionState.from_bytes(bytes(blob.data))
        except ValueError as exc:
            raise StateInvalid(f"{entry.name} in state commit {commit[:12]} is not a valid state") from exc
    return found


def write_state_commit(
    repo: WorkflowRepo,
    *,
    parent: str | None,
    changes: Mapping[int, VersionState],
    message: str,
    when: datetime,
) -> tuple[str, str] | None:
    """A commit on top of ``parent`` whose tree has ``changes`` applied (an empty state
    removes its file): (commit id, tree id), or None when the tree would not change.
    Objects only, no ref moves."""
    before = _tree(repo, parent).id if parent else pygit2.Oid(hex=_EMPTY_TREE)
    builder = repo.repo.TreeBuilder(str(before)) if parent else repo.repo.TreeBuilder()
    for number, state in sorted(changes.items()):
        name = state_file(number)
        if state.empty:
            if builder.get(name) is not None:
                builder.remove(name)
        else:
            builder.insert(name, repo.repo.create_blob(state.to_bytes()), pygit2.GIT_FILEMODE_BLOB)
    tree = builder.write()
    if tree == before:
        return None
    signature = pygit2.Signature(*STATE_AUTHOR, int(when.timestamp()), 0)
    commit = repo.repo.create_commit(None, signature, signature, message, tree, [parent] if parent else [])
    return str(commit), str(tree)
