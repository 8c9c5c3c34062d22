"""Is a document complete, i.e. publishable? A draft may be incomplete; a version may not.

Each problem names the element and field at fault, so an editor can point at it.
"""

from dataclasses import dataclass

from schemas.workflow import Action, WorkflowDefinition


@dataclass(frozen=True)
class StructureProblem:
    """One reason a document cannot be published."""

    path: str
    message: str
    action_id: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"path": self.path, "action_id": self.action_id, "message": self.message}


def _targets(action: Action) -> list[tuple[str, str | None]]:
    """The (field, action id) pairs an action points to."""
    if action.type == "if_else":
        return [
            ("config.then", action.config.get("then")),
            ("config.else", action.config.get("else")),
        ]
    return [("next", action.next)]


def _branch_problems(index: int, action: Action, condition_ids: set[str]) -> list[StructureProblem]:
    where = f"actions[{index}].config"
    problems = []
    condition = action.config.get("condition")
    if not isinstance(condition, str):
        problems.append(StructureProblem(f"{where}.condition", "if_else needs a condition id", action.id))
    elif condition not in condition_ids:
        problems.append(
            StructureProblem(f"{where}.condition", f"names unknown condition '{condition}'", action.id)
        )
    for branch in ("then", "else"):
        value = action.config.get(branch)
        if value is not None and not isinstance(value, str):
            problems.append(StructureProblem(f"{where}.{branch}", "must be an action id or null", action.id))
    return problems


def _reference_problems(definition: WorkflowDefinition, action_ids: set[str]) -> list[StructureProblem]:
    problems = []
    condition_ids = {condition.id for condition in definition.conditions}
    if definition.trigger.next is None:
        problems.append(StructureProblem("trigger.next", "the trigger must name the first action"))
    elif definition.trigger.next not in action_ids:
        problems.append(StructureProblem("trigger.next", f"names missing action '{definition.trigger.next}'"))
    for index, action in enumerate(definition.actions):
        if action.type == "if_else":
            problems.extend(_branch_problems(index, action, condition_ids))
        for field, target in _targets(action):
            if isinstance(target, str) and target not in action_ids:
                problems.append(
                    StructureProblem(
                        f"actions[{index}].{field}", f"names missing action '{target}'", action.id
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


def structure_problems(definition: WorkflowDefinition) -> list[StructureProblem]:
    """Every reason ``definition`` cannot be published; empty when it is complete."""
    problems: list[StructureProblem] = []
    seen: set[str] = set()
    for index, action in enumerate(definition.actions):
        if action.id in seen:
            problems.append(StructureProblem(f"actions[{index}].id", "duplicate action id", action.id))
        seen.add(action.id)
    condition_ids = [condition.id for condition in definition.conditions]
    for index, condition_id in enumerate(condition_ids):
        if condition_id in condition_ids[:index]:
            problems.append(
                StructureProblem(f"conditions[{index}].id", f"duplicate condition id '{condition_id}'")
            )
    problems.extend(_reference_problems(definition, seen))
    reachable = _reachable(definition)
    for index, action in enumerate(definition.actions):
        if action.id not in reachable:
            problems.append(StructureProblem(f"actions[{index}]", "unreachable from the trigger", action.id))
    return problems
