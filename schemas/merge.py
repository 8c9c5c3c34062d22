"""Merging workflow documents, for draft auto-save. Pure functions, no I/O.

Two things an editor needs: RFC 7386 JSON merge patches (a save that sends only what
changed), and a three-way merge for a save based on an older revision (another tab, another
device). The three-way merge matches ``actions`` and ``conditions`` by id, not by position,
so two tabs that edit, add or remove different actions merge cleanly; only the same field
changed two ways (or an element changed on one side and removed on the other) conflicts.

Conflicts are JSON Pointers (RFC 6901) into the document, except that a step into
``actions`` or ``conditions`` names the element's id, not its index:
``/actions/welcome/config/template``. ``/actions`` alone means both sides reordered the
list differently; ``""`` means the whole document.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

KEYED_LISTS = frozenset({"actions", "conditions"})


class _Missing:
    """An absent value: a key or element one side does not have."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class MergeResult:
    document: dict[str, Any]
    conflicts: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: ``null`` removes a member, an object merges, anything else replaces.

    Neither argument is modified; untouched parts of ``target`` are shared, not copied.
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def three_way_merge(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> MergeResult:
    """Merge ``mine`` and ``theirs``, both edited from ``base``. Where both changed the same
    value differently the result keeps ``mine`` and the path is reported as a conflict."""
    conflicts: list[str] = []
    merged = _merge(base, mine, theirs, "", conflicts, keyed=False)
    document = merged if isinstance(merged, dict) else mine
    return MergeResult(document=document, conflicts=conflicts)


def same(a: Any, b: Any) -> bool:
    """JSON equality: ``True`` is not ``1``, and key order does not matter."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def pointer(path: str, token: str) -> str:
    """``path`` one step deeper (RFC 6901 escaping)."""
    return f"{path}/{token.replace('~', '~0').replace('/', '~1')}"


def _merge(base: Any, mine: Any, theirs: Any, path: str, conflicts: list[str], *, keyed: bool) -> Any:
    if same(mine, theirs):
        return mine
    if same(mine, base):
        return theirs
    if same(theirs, base):
        return mine
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return _merge_objects(base, mine, theirs, path, conflicts)
    if keyed and _ids(mine) is not None and _ids(theirs) is not None:
        base_list = base if isinstance(base, list) and _ids(base) is not None else []
        return _merge_keyed(base_list, mine, theirs, path, conflicts)
    conflicts.append(path)
    return mine


def _merge_objects(
    base: Any, mine: dict[str, Any], theirs: dict[str, Any], path: str, conflicts: list[str]
) -> dict[str, Any]:
    before = base if isinstance(base, dict) else {}
    result: dict[str, Any] = {}
    for key in _union(mine, theirs):
        value = _merge(
            before.get(key, MISSING),
            mine.get(key, MISSING),
            theirs.get(key, MISSING),
            pointer(path, key),
            conflicts,
            keyed=path == "" and key in KEYED_LISTS,
        )
        if value is not MISSING:
            result[key] = value
    return result


def _ids(value: Any) -> list[str] | None:
    """The element ids of a list of objects with distinct string ids, else None."""
    if not isinstance(value, list):
        return None
    ids: list[str] = []
    for item in value:
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str):
            return None
        ids.append(item_id)
    return ids if len(set(ids)) == len(ids) else None


def _merge_keyed(
    base: list[Any], mine: list[Any], theirs: list[Any], path: str, conflicts: list[str]
) -> list[Any]:
    by_id = [{item["id"]: item for item in side} for side in (base, mine, theirs)]
    merged: dict[str, Any] = {}
    for item_id in _union(by_id[1], by_id[2], by_id[0]):
        value = _merge(
            by_id[0].get(item_id, MISSING),
            by_id[1].get(item_id, MISSING),
            by_id[2].get(item_id, MISSING),
            pointer(path, item_id),
            conflicts,
            keyed=False,
        )
        if value is not MISSING:
            merged[item_id] = value
    order = merge_order(
        [item["id"] for item in base],
        [item["id"] for item in mine],
        [item["id"] for item in theirs],
        keep=set(merged),
    )
    if order is None:
        conflicts.append(path)
        order = [item_id for item_id in _union(by_id[1], by_id[2]) if item_id in merged]
    return [merged[item_id] for item_id in order]


def merge_order(base: list[str], mine: list[str], theirs: list[str], keep: set[str]) -> list[str] | None:
    """The merged sequence of ids, or None when both sides reordered differently.

    The side that kept the base's relative order yields to the one that moved elements;
    ids added by the other side go right after their nearest predecessor there.
    """
    shared = set(base) & set(mine) & set(theirs)
    relative = [[item for item in seq if item in shared] for seq in (base, mine, theirs)]
    if relative[1] == relative[0]:
        primary, secondary = theirs, mine
    elif relative[2] in (relative[0], relative[1]):
        primary, secondary = mine, theirs
    else:
        return None
    result = [item for item in primary if item in keep]
    placed = set(result)
    for index, item in enumerate(secondary):
        if item in keep and item not in placed:
            anchor = next((prev for prev in reversed(secondary[:index]) if prev in placed), None)
            result.insert(result.index(anchor) + 1 if anchor is not None else 0, item)
            placed.add(item)
    return result


def _union(*sides: Iterable[str]) -> list[str]:
    """Keys of every side, in first-seen order."""
    seen: dict[str, None] = {}
    for side in sides:
        seen.update(dict.fromkeys(side))
    return list(seen)
