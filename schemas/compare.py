"""Compare two workflow documents: what changed, per part, and how much it matters.

Pure and cacheable (the answer depends only on the two documents, i.e. on two tree
ids). Elements are matched by id, never by position; identical elements are skipped by
equality and only the differing ones go through deepdiff (about 60 µs a node, so a whole
document diff would cost tens of milliseconds). Reordering is found by comparing id
sequences: the longest run kept in order stays, the rest "moved".

Live impact (how many contacts a breaking change hits) is not here: it changes by the
second, so the service adds it from the executions index to a cached comparison. What
*kind* of hit it is, is here: ``default_buckets`` puts each ``old`` action in its impact
bucket under a default migration (``schemas.buckets.default_buckets``, the preview's rule).
"""

from bisect import bisect_left
from typing import Any, Literal

from deepdiff import DeepDiff
from pydantic import BaseModel, Field

from schemas.buckets import default_buckets
from schemas.impact import Bucket

Part = Literal["trigger", "actions", "conditions", "settings"]
Kind = Literal["added", "removed", "modified", "moved"]
Classification = Literal["cosmetic", "behavioural", "breaking"]
BreakingKind = Literal["trigger_type_changed", "action_removed", "action_type_changed", "branch_removed"]

COSMETIC_FIELDS = {"name", "description", "notes", "ui", "position", "color"}
_LABELS = {"trigger": "trigger", "actions": "action", "conditions": "condition", "settings": "settings"}


class FieldChange(BaseModel):
    path: str
    change: Literal["added", "removed", "changed"]
    old: Any = None
    new: Any = None


class ElementChange(BaseModel):
    part: Part
    element_id: str | None
    kind: Kind
    classification: Classification
    fields: list[FieldChange] = Field(default_factory=list)
    old_index: int | None = None
    new_index: int | None = None
    old_type: str | None = None
    new_type: str | None = None


class PartDiff(BaseModel):
    added: list[ElementChange] = Field(default_factory=list)
    removed: list[ElementChange] = Field(default_factory=list)
    modified: list[ElementChange] = Field(default_factory=list)
    moved: list[ElementChange] = Field(default_factory=list)

    def add(self, change: ElementChange) -> None:
        getattr(self, change.kind).append(change)

    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.modified) + len(self.moved)


class BreakingChange(BaseModel):
    """A change that can hurt contacts in flight; ``affected_actions`` are the positions
    (in the ``from`` version) whose contacts it hits."""

    kind: BreakingKind
    element_id: str | None
    message: str
    affected_actions: list[str]


class DocumentDiff(BaseModel):
    parts: dict[Part, PartDiff]
    breaking: list[BreakingChange]
    summary: str
    # The bucket of each ``old`` action under a default migration to ``new`` (by id,
    # unmapped=fail): a fact about the two documents, so it is cached with the diff.
    default_buckets: dict[str, Bucket] = Field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(part.count() for part in self.parts.values())


def field_changes(old: Any, new: Any) -> list[FieldChange]:
    """Field-level differences between two JSON values, with dotted paths.

    Objects are walked key by key here (cheap: only differing keys are visited); lists and
    anything else that differs go to deepdiff, whose fixed cost (~100 µs a call) is then
    paid only where list items need matching.
    """
    changes: list[FieldChange] = []
    _walk(old, new, [], changes)
    return sorted(changes, key=lambda c: c.path)


def _walk(old: Any, new: Any, where: list[Any], out: list[FieldChange]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old.keys() | new.keys():
            if key not in new:
                out.append(FieldChange(path=_path([*where, key]), change="removed", old=old[key]))
            elif key not in old:
                out.append(FieldChange(path=_path([*where, key]), change="added", new=new[key]))
            else:
                _walk(old[key], new[key], [*where, key], out)
    elif isinstance(old, list) and isinstance(new, list):
        _deepdiff(old, new, where, out)
    else:
        out.append(FieldChange(path=_path(where), change="changed", old=old, new=new))


def _deepdiff(old: list[Any], new: list[Any], where: list[Any], out: list[FieldChange]) -> None:
    tree = DeepDiff(old, new, verbose_level=2, view="tree", threshold_to_diff_deeper=0)
    for report, items in tree.items():
        for item in items:
            path = _path([*where, *item.path(output_format="list")])
            if "added" in report:
                out.append(FieldChange(path=path, change="added", new=_present(item.t2)))
            elif "removed" in report:
                out.append(FieldChange(path=path, change="removed", old=_present(item.t1)))
            else:
                out.append(
                    FieldChange(path=path, change="changed", old=_present(item.t1), new=_present(item.t2))
                )


def _present(value: Any) -> Any:
    return None if type(value).__name__ == "NotPresent" else value


def _path(parts: list[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _classify_action(old: dict[str, Any], new: dict[str, Any], fields: list[FieldChange]) -> Classification:
    if old.get("type") != new.get("type"):
        return "breaking"
    if all(change.path.split(".")[0].split("[")[0] in COSMETIC_FIELDS for change in fields):
        return "cosmetic"
    return "behavioural"


def _kept_in_order(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Ids on the longest increasing run of old positions: the ones that did not move."""
    position = {element_id: index for index, element_id in enumerate(old_ids)}
    sequence = [position[element_id] for element_id in new_ids if element_id in position]
    tails: list[int] = []
    tails_at: list[int] = []
    parent = [-1] * len(sequence)
    for index, value in enumerate(sequence):
        slot = bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tails_at.append(index)
        else:
            tails[slot], tails_at[slot] = value, index
        parent[index] = tails_at[slot - 1] if slot else -1
    kept: set[str] = set()
    cursor = tails_at[-1] if tails_at else -1
    while cursor != -1:
        kept.add(old_ids[sequence[cursor]])
        cursor = parent[cursor]
    return kept


def _diff_elements(part: Part, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> PartDiff:
    diff = PartDiff()
    old_by_id = {element["id"]: (index, element) for index, element in enumerate(old) if "id" in element}
    new_by_id = {element["id"]: (index, element) for index, element in enumerate(new) if "id" in element}
    for element_id, (index, element) in old_by_id.items():
        if element_id not in new_by_id:
            breaking = part == "actions"
            diff.add(
                ElementChange(
                    part=part,
                    element_id=element_id,
                    kind="removed",
                    old_index=index,
                    old_type=element.get("type"),
                    classification="breaking" if breaking else "behavioural",
                )
            )
    for element_id, (index, element) in new_by_id.items():
        if element_id not in old_by_id:
            diff.add(
                ElementChange(
                    part=part,
                    element_id=element_id,
                    kind="added",
                    new_index=index,
                    new_type=element.get("type"),
                    classification="behavioural",
                )
            )
            continue
        old_index, previous = old_by_id[element_id]
        if previous == element:
            continue
        fields = field_changes(previous, element)
        classification = _classify_action(previous, element, fields) if part == "actions" else "behavioural"
        diff.add(
            ElementChange(
                part=part,
                element_id=element_id,
                kind="modified",
                fields=fields,
                classification=classification,
                old_index=old_index,
                new_index=index,
                old_type=previous.get("type"),
                new_type=element.get("type"),
            )
        )
    if part == "actions":
        old_ids = [e["id"] for e in old if e.get("id") in new_by_id]
        new_ids = [e["id"] for e in new if e.get("id") in old_by_id]
        if old_ids != new_ids:
            kept = _kept_in_order(old_ids, new_ids)
            for element_id in new_ids:
                if element_id not in kept:
                    diff.add(
                        ElementChange(
                            part=part,
                            element_id=element_id,
                            kind="moved",
                            classification="cosmetic",
                            old_index=old_by_id[element_id][0],
                            new_index=new_by_id[element_id][0],
                        )
                    )
    return diff


def _diff_object(part: Part, old: Any, new: Any) -> PartDiff:
    diff = PartDiff()
    if old != new:
        classification: Classification = "behavioural"
        if (
            part == "trigger"
            and isinstance(old, dict)
            and isinstance(new, dict)
            and old.get("type") != new.get("type")
        ):
            classification = "breaking"
        diff.add(
            ElementChange(
                part=part,
                element_id=None,
                kind="modified",
                classification=classification,
                fields=field_changes(old, new),
                old_type=old.get("type") if isinstance(old, dict) else None,
                new_type=new.get("type") if isinstance(new, dict) else None,
            )
        )
    return diff


def _reachable(document: dict[str, Any]) -> set[str]:
    by_id = {a.get("id"): a for a in document.get("actions", []) if isinstance(a, dict)}
    start = (document.get("trigger") or {}).get("next")
    return _reach_from(by_id, [start] if start else [])


def _reach_from(by_id: dict[Any, dict[str, Any]], stack: list[Any]) -> set[str]:
    seen: set[str] = set()
    while stack:
        current = stack.pop()
        if not isinstance(current, str) or current in seen or current not in by_id:
            continue
        seen.add(current)
        action = by_id[current]
        config = action.get("config") or {}
        stack.extend([action.get("next"), config.get("then"), config.get("else")])
    return seen


def _breaking(old: dict[str, Any], new: dict[str, Any], parts: dict[Part, PartDiff]) -> list[BreakingChange]:
    found: list[BreakingChange] = []
    old_trigger, new_trigger = old.get("trigger") or {}, new.get("trigger") or {}
    if old_trigger.get("type") != new_trigger.get("type"):
        found.append(
            BreakingChange(
                kind="trigger_type_changed",
                element_id=None,
                affected_actions=[],
                message=f"the trigger changes from '{old_trigger.get('type')}' to "
                f"'{new_trigger.get('type')}': contacts will be enrolled by a different event",
            )
        )
    for change in parts["actions"].removed:
        found.append(
            BreakingChange(
                kind="action_removed",
                element_id=change.element_id,
                affected_actions=[str(change.element_id)],
                message=f"action '{change.element_id}' is removed: "
                "contacts waiting there have no position in the new version",
            )
        )
    for change in parts["actions"].modified:
        if change.old_type != change.new_type:
            found.append(
                BreakingChange(
                    kind="action_type_changed",
                    element_id=change.element_id,
                    affected_actions=[str(change.element_id)],
                    message=f"action '{change.element_id}' changes type from '{change.old_type}' to "
                    f"'{change.new_type}': contacts waiting on it would resume in a different step",
                )
            )
    found.extend(_removed_branches(old, new, {str(c.element_id) for c in parts["actions"].removed}))
    return found


def _removed_branches(old: dict[str, Any], new: dict[str, Any], removed: set[str]) -> list[BreakingChange]:
    """if/else branches redirected so that actions of the old branch become unreachable."""
    old_by_id = {a.get("id"): a for a in old.get("actions", []) if isinstance(a, dict)}
    new_by_id = {a.get("id"): a for a in new.get("actions", []) if isinstance(a, dict)}
    reachable_now = _reachable(new)
    found = []
    for action_id, action in old_by_id.items():
        if action.get("type") != "if_else" or action_id not in new_by_id:
            continue
        before, after = action.get("config") or {}, new_by_id[action_id].get("config") or {}
        for branch in ("then", "else"):
            target = before.get(branch)
            if not isinstance(target, str) or target == after.get(branch):
                continue
            orphaned = sorted(_reach_from(old_by_id, [target]) - reachable_now - removed)
            if orphaned:
                found.append(
                    BreakingChange(
                        kind="branch_removed",
                        element_id=str(action_id),
                        affected_actions=orphaned,
                        message=f"the '{branch}' branch of '{action_id}' no longer leads to "
                        f"{', '.join(repr(a) for a in orphaned)}: contacts there are cut off",
                    )
                )
    return found


def summary_line(parts: dict[Part, PartDiff]) -> str:
    """The one line the compare view and the versions list both word a change with."""
    pieces = []
    actions = parts["actions"]
    counts = [
        (len(actions.added), "added"),
        (len(actions.removed), "removed"),
        (len(actions.modified), "modified"),
        (len(actions.moved), "moved"),
    ]
    words = [f"{n} {verb}" for n, verb in counts if n]
    if words:
        first_n = next(n for n, _ in counts if n)
        words[0] = f"{first_n} action{'s' if first_n != 1 else ''} {words[0].split(' ', 1)[1]}"
        pieces.append(", ".join(words))
    if parts["trigger"].count():
        pieces.append("trigger changed")
    conditions = parts["conditions"]
    for n, verb in [
        (len(conditions.added), "added"),
        (len(conditions.removed), "removed"),
        (len(conditions.modified), "modified"),
    ]:
        if n:
            pieces.append(f"{n} condition{'s' if n != 1 else ''} {verb}")
    if parts["settings"].count():
        pieces.append("settings changed")
    return "; ".join(pieces) if pieces else "no changes"


def diff_parts(old: dict[str, Any], new: dict[str, Any]) -> dict[Part, PartDiff]:
    """What differs in each part of two documents: the comparison without its judgements
    (breaking changes, migration buckets), which is all a change summary needs."""
    return {
        "trigger": _diff_object("trigger", old.get("trigger"), new.get("trigger")),
        "actions": _diff_elements("actions", old.get("actions", []), new.get("actions", [])),
        "conditions": _diff_elements("conditions", old.get("conditions", []), new.get("conditions", [])),
        "settings": _diff_object("settings", old.get("settings", {}), new.get("settings", {})),
    }


def compare_documents(old: dict[str, Any], new: dict[str, Any]) -> DocumentDiff:
    """Everything that differs between two documents, classified."""
    parts = diff_parts(old, new)
    return DocumentDiff(
        parts=parts,
        breaking=_breaking(old, new, parts),
        summary=summary_line(parts),
        default_buckets=default_buckets(old, new),
    )
