"""Which objects the refs a fetch may see reach: what upload-pack may be asked for.

git's upload-pack serves any object a protocol v2 ``want`` names, and over HTTP checks a
v0 ``want`` only when it is a commit; a ``shallow`` line with ``deepen`` sends the
parents of whatever commit it names. So the service asks here first, and refuses ids that
no visible ref reaches (objects of a refused push, objects only an internal ref keeps).

Cheap where fetches are usual: a want that is a ref's own value (a clone, a fetch of new
tips) is answered from the ref list alone. Anything else needs everything the refs reach,
one walk of the history, which is kept per set of ref values: objects never change, so
the answer holds until a ref moves, and a partial clone's lazy fetches (one request per
missing blob under ``git log -p``) walk once, not once each.
"""

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pygit2
from pygit2.enums import SortMode

from repo_store.gitenv import OPEN_FLAGS

# Reachable sets kept: one per repository state; a 1,000-version workflow's is ~0.5 MB.
_KEPT_STATES = 16


def is_hidden(name: str, hidden: Sequence[str]) -> bool:
    """git's ``uploadpack.hideRefs`` match: the prefix itself or anything below it."""
    return any(name == prefix.rstrip("/") or name.startswith(prefix.rstrip("/") + "/") for prefix in hidden)


def unreached(repo_path: Path, oids: Iterable[str], *, hidden: Sequence[str]) -> list[str]:
    """The ``oids`` (lower-case hex) no ref outside ``hidden`` reaches, in the order given.

    Args:
        repo_path: the bare repository.
        oids: object ids a client asked for; unknown ids count as unreached.
        hidden: ref prefixes a fetch does not see (as ``uploadpack.hideRefs``).
    """
    tips = ref_values(repo_path, hidden)
    missing = [oid for oid in dict.fromkeys(oids) if oid not in tips]
    if not missing:
        return []
    reachable = _reachable(str(repo_path), tuple(sorted(tips)))
    return [oid for oid in missing if oid not in reachable]


def ref_values(repo_path: Path, hidden: Sequence[str]) -> frozenset[str]:
    """What the visible refs name, read from the refs alone (no object is opened: with
    packed refs, 2,000 refs take about a millisecond)."""
    found: set[str] = set()
    for ref in pygit2.Repository(str(repo_path), OPEN_FLAGS).references.iterator():
        if is_hidden(ref.name, hidden):
            continue
        try:
            target = ref.resolve().target
        except (KeyError, pygit2.GitError):
            continue  # a symbolic ref to nothing reaches nothing
        found.add(str(target))
    return frozenset(found)


@lru_cache(maxsize=_KEPT_STATES)
def _reachable(repo_path: str, tips: tuple[str, ...]) -> frozenset[str]:
    """Every object ``tips`` reach: tags peeled, then commits, their trees and blobs."""
    repo = pygit2.Repository(repo_path, OPEN_FLAGS)
    found: set[str] = set()
    walker = repo.walk(None, SortMode.NONE)
    for tip in tips:
        obj = repo.get(tip)
        while isinstance(obj, pygit2.Tag):
            found.add(str(obj.id))
            obj = repo.get(obj.target)
        if isinstance(obj, pygit2.Commit):
            walker.push(obj.id)
        elif obj is not None:  # a tag of a tree or a blob
            _add_tree(obj, found)
    for commit in walker:
        found.add(str(commit.id))
        _add_tree(commit.tree, found)
    return frozenset(found)


def _add_tree(top: pygit2.Object, found: set[str]) -> None:
    """A tree and what it holds, depth-first, each tree once (history shares most)."""
    stack = [top]
    while stack:
        current = stack.pop()
        oid = str(current.id)
        if oid in found:
            continue
        found.add(oid)
        if isinstance(current, pygit2.Tree):
            for entry in current:
                if isinstance(entry, pygit2.Tree):
                    stack.append(entry)
                else:
                    found.add(str(entry.id))  # blobs, and submodule commits git would not serve
