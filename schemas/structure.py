"""Is a document complete, i.e. publishable? A draft may be incomplete; a version may not.

Complete is two checks: the structure (ids unique, every reference names something,
every action reachable), which needs nothing but the document, and the action types
(each action's type is in the catalogue and its config passes the type's schema).

Each problem names the place at fault by a JSON pointer (RFC 6901) into the document, and
the action it is in, so an editor can point at it.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from schemas.catalogue import ActionTypes
from schemas.workflow import Action, WorkflowDefinition

# Problems listed at most: a hostile document of a thousand broken actions gets an answer
# of a few kilobytes, and the type check stops as soon as it has found this many.
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class DocumentProblem:
    """One reason a document cannot be published."""

    pointer: str
    message: str
    action_id: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"pointer": self.pointer, "action_id": self.action_id, "message": self.message}


@dataclass(frozen=True)
class PublishCheck:
    """The first problems found (at most ``MAX_PROBLEMS``), and whether there are more."""

    problems: tuple[DocumentProblem, ...]
    truncated: bool

    def __bool__(self) -> bool:
        return bool(self.problems)


def pointer(*parts: str | int) -> str:
    """A JSON pointer from its parts: ``~`` and ``/`` escaped as RFC 6901 says."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _targets(action: Action) -> list[tuple[tuple[str, ...], str | None]]:
    """The (where in the action, action id) pairs an action points to."""
    if action.type == "if_else":
        return [
            (("config", "then"), action.config.get("then")),
            (("config", "else"), action.config.get("else")),
        ]
    return [(("next",), action.next)]


def _branch_problems(index: int, action: Action, condition_ids: set[str]) -> list[DocumentProblem]:
    where = ("actions", index, "config")
    problems = []
    condition = action.config.get("condition")
    if not isinstance(condition, str):
        problems.append(
            DocumentProblem(pointer(*where, "condition"), "if_else needs a condition id", action.id)
        )
    elif condition not in condition_ids:
        problems.append(
            DocumentProblem(pointer(*where, "condition"), f"names unknown condition '{condition}'", action.id)
        )
    for branch in ("then", "else"):
        value = action.config.get(branch)
        if value is not None and not isinstance(value, str):
            problems.append(
                DocumentProblem(pointer(*where, branch), "must be an action id or null", action.id)
            )
    return problems


def _reference_problems(definition: WorkflowDefinition, action_ids: set[str]) -> list[DocumentProblem]:
    problems = []
    condition_ids = {condition.id for condition in definition.conditions}
    if definition.trigger.next is None:
        problems.append(DocumentProblem("/trigger/next", "the trigger must name the first action"))
    elif definition.trigger.next not in action_ids:
        problems.append(DocumentProblem("/trigger/next", f"names missing action '{definition.trigger.next}'"))
    for index, action in enumerate(definition.actions):
        if action.type == "if_else":
            problems.extend(_branch_problems(index, action, condition_ids))
        for field, target in _targets(action):
            if isinstance(target, str) and target not in action_ids:
                problems.append(
                    DocumentProblem(
                        pointer("actions", index, *field), f"names missing action '{target}'", action.id
                    )
                )
    return problems


def _reachable(definition: WorkflowDefinition) -> set[str]:
    by_id = {action.id: action for action in definition.actions}
    seen: set[str] = set()
    stack = [definition.trigger.next] if definition.trigger.next else []
    while stack:
        current = stack.pop()
        if current in seen or current not in by_id:
            continue
        seen.add(current)
        stack.extend(t for _, t in _targets(by_id[current]) if isinstance(t, str))
    return seen


def structure_problems(definition: WorkflowDefinition) -> list[DocumentProblem]:
    """Every reason ``definition``'s structure is incomplete; empty when it is complete."""
    problems: list[DocumentProblem] = []
    seen: set[str] = set()
    for index, action in enumerate(definition.actions):
        if action.id in seen:
            problems.append(
                DocumentProblem(pointer("actions", index, "id"), "duplicate action id", action.id)
            )
        seen.add(action.id)
    conditions: set[str] = set()
    for index, condition in enumerate(definition.conditions):
        if condition.id in conditions:
            problems.append(
                DocumentProblem(
                    pointer("conditions", index, "id"), f"duplicate condition id '{condition.id}'"
                )
            )
        conditions.add(condition.id)
    problems.extend(_reference_problems(definition, seen))
    reachable = _reachable(definition)
    for index, action in enumerate(definition.actions):
        if action.id not in reachable:
            problems.append(
                DocumentProblem(pointer("actions", index), "unreachable from the trigger", action.id)
            )
    return problems


def type_problems(definition: WorkflowDefinition, types: ActionTypes) -> Iterator[DocumentProblem]:
    """Actions of a type the catalogue lacks, and configs their type's schema refuses,
    lazily and in document order: each config is validated once, so the cost is linear."""
    for index, action in enumerate(definition.actions):
        if action.type not in types:
            guess = types.closest(action.type)
            hint = f" (did you mean '{guess}'?)" if guess else ""
            yield DocumentProblem(
                pointer("actions", index, "type"), f"unknown action type '{action.type}'{hint}", action.id
            )
            continue
        for error in types.config_errors(action.type, action.config):
            yield DocumentProblem(pointer("actions", index, "config", *error.path), error.message, action.id)


def publish_problems(
    definition: WorkflowDefinition, types: ActionTypes | None, *, limit: int = MAX_PROBLEMS
) -> PublishCheck:
    """Why ``definition`` cannot be published (nothing: it can), the structure's problems
    first, then the types' (``types`` None: the structure's only). A place the structure
    already faults (an ``if_else`` without a condition) is not reported twice."""
    structure = structure_problems(definition)
    faulted = {problem.pointer for problem in structure}
    checked = type_problems(definition, types) if types is not None else iter(())
    types_found = (p for p in checked if p.pointer not in faulted)
    found = [*structure[: limit + 1], *islice(types_found, max(0, limit + 1 - len(structure)))]
    return PublishCheck(tuple(found[:limit]), truncated=len(found) > limit)
