"""The retention state of a workflow's versions on ``refs/wfv/state`` (see
``schemas.state``): read a state commit's tree, write the next one. No ref moves here; the
caller moves the ref by compare-and-swap once its rows are staged.
"""

from collections.abc import Mapping
from datetime import datetime

import pygit2

from repo_store.errors import RepoError
from repo_store.store import WorkflowRepo, with_trailers
from schemas.state import STATE_FILE, VersionState, WorkflowState

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
        StateInvalid: a tree other than one ``state.json`` (or nothing), or a file that is
            not a valid state.
    """
    if commit is None:
        return {}
    entries = list(_tree(repo, commit))
    if not entries:
        return {}  # every state lifted
    entry = entries[0]
    blob = repo.repo[entry.id]
    if len(entries) > 1 or entry.name != STATE_FILE or not isinstance(blob, pygit2.Blob):
        names = ", ".join(repr(e.name) for e in entries)
        raise StateInvalid(f"state commit {commit[:12]} holds {names}, not the one {STATE_FILE} wfv writes")
    if entry.filemode != pygit2.GIT_FILEMODE_BLOB:
        raise StateInvalid(f"{STATE_FILE} in state commit {commit[:12]} is not a plain file")
    try:
        return WorkflowState.from_bytes(bytes(blob.data)).by_number()
    except ValueError as exc:
        raise StateInvalid(f"{STATE_FILE} in state commit {commit[:12]} is not a valid state: {exc}") from exc


def write_state_commit(
    repo: WorkflowRepo,
    *,
    parent: str | None,
    changes: Mapping[int, VersionState],
    message: str,
    when: datetime,
    trailers: Mapping[str, str] | None = None,
) -> tuple[str, str] | None:
    """A commit on top of ``parent`` whose ``state.json`` has ``changes`` applied (an empty
    state drops its version): (commit id, tree id), or None when the tree would not change.
    ``trailers``: wfv's own (the claim of the request that made the change, which its
    retry looks for). Objects only, no ref moves."""
    states = read_states(repo, parent) | dict(changes)
    builder = repo.repo.TreeBuilder()
    document = WorkflowState.of(states)
    if document.versions:
        builder.insert(STATE_FILE, repo.repo.create_blob(document.to_bytes()), pygit2.GIT_FILEMODE_BLOB)
    tree = builder.write()
    if tree == (_tree(repo, parent).id if parent else pygit2.Oid(hex=_EMPTY_TREE)):
        return None
    signature = pygit2.Signature(*STATE_AUTHOR, int(when.timestamp()), 0)
    body = with_trailers(message, trailers) if trailers else message
    commit = repo.repo.create_commit(None, signature, signature, body, tree, [parent] if parent else [])
    return str(commit), str(tree)
