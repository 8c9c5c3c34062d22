"""Which objects the refs a fetch may see reach: what upload-pack may be asked for.

git's upload-pack serves any object a protocol v2 ``want`` names, and over HTTP checks a
v0 ``want`` only when it is a commit; a ``shallow`` line with ``deepen`` sends the
parents of whatever commit it names. So the service asks here first, and refuses ids that
no visible ref reaches (objects of a refused push, objects only an internal ref keeps).

Cheap where fetches are usual: a want that is a ref's own value (a clone, a fetch of new
tips) is answered from the ref list alone; anything else walks history from the visible
tips, commits first and trees only while a non-commit is still unaccounted for, and stops
as soon as every id is found.
"""

from collections.abc import Iterable, Sequence
from pathlib import Path

import pygit2
from pygit2.enums import ObjectType, SortMode


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
    wanted = list(dict.fromkeys(oids))
    repo = pygit2.Repository(str(repo_path))
    tips = _visible_targets(repo, hidden)
    missing = {oid for oid in wanted if oid not in tips}
    if missing:
        _walk(repo, tips, missing)
    return [oid for oid in wanted if oid in missing]


def _visible_targets(repo: pygit2.Repository, hidden: Sequence[str]) -> set[str]:
    """Every object a visible ref names, with the chain of annotated tags peeled."""
    found: set[str] = set()
    for name in repo.references:
        if is_hidden(name, hidden):
            continue
        try:
            target = repo.references[name].resolve().target
            obj = repo[target]
        except (KeyError, ValueError, pygit2.GitError):
            continue  # a dangling ref reaches nothing
        while True:
            found.add(str(obj.id))
            if not isinstance(obj, pygit2.Tag):
                break
            obj = obj.get_object()
    return found


def _walk(repo: pygit2.Repository, tips: set[str], missing: set[str]) -> None:
    """Remove from ``missing`` what history from ``tips`` reaches; stop once it is empty."""
    commit_tips = [tip for tip in tips if repo[tip].type == ObjectType.COMMIT]
    loose = [tip for tip in tips if repo[tip].type in (ObjectType.TREE, ObjectType.BLOB)]
    seen_trees: set[str] = set()
    for tip in loose:  # a tag of a tree or a blob
        _tree_or_blob(repo, repo[tip], missing, seen_trees)
    if not missing or not commit_tips:
        return
    need_trees = _has_non_commit(repo, missing)
    walker = repo.walk(None, SortMode.NONE)
    for tip in commit_tips:
        walker.push(pygit2.Oid(hex=tip))
    for commit in walker:
        missing.discard(str(commit.id))
        if need_trees:
            _tree_or_blob(repo, commit.tree, missing, seen_trees)
        if not missing:
            return


def _has_non_commit(repo: pygit2.Repository, ids: set[str]) -> bool:
    for oid in ids:
        try:
            kind = repo[oid].type
        except (KeyError, ValueError):
            continue  # not in the repository: nothing reaches it, no tree walk finds it
        if kind != ObjectType.COMMIT:
            return True
    return False


def _tree_or_blob(repo: pygit2.Repository, obj: pygit2.Object, missing: set[str], seen: set[str]) -> None:
    """Depth-first through a tree, each tree once (history shares most of them)."""
    stack = [obj]
    while stack and missing:
        current = stack.pop()
        oid = str(current.id)
        missing.discard(oid)
        if not isinstance(current, pygit2.Tree) or oid in seen:
            continue
        seen.add(oid)
        for entry in current:
            if entry.type == ObjectType.TREE:
                stack.append(repo[entry.id])
            else:
                missing.discard(str(entry.id))  # blobs and submodule commits need no lookup
