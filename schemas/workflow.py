"""The workflow document (format 1), as ``../shared/WORKFLOW_FORMAT.md`` defines it.

Models are strict (no coercion: ``"1"`` is not ``1``) and keep unknown fields, so a
document validated here and dumped with ``exclude_unset`` is the document that was sent,
field for field: extending the format never loses data, and ``next`` left out stays left out.
"""

from math import isfinite
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    model_validator,
)

ACTION_ID_PATTERN = r"^[A-Za-z0-9_.?-]{1,64}$"
TYPE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"

MAX_ACTIONS = 1000
MAX_CONDITIONS = 1000
MAX_RULES = 100
MAX_DEPTH = 12  # nesting of free-form config/settings objects
MAX_STRING = 10_000  # characters in any free-form string
MAX_KEYS = 200  # keys of any free-form object


def _bounded(value: Any, depth: int = 0) -> None:
    """Free-form JSON stays small and shallow: no document can make us recurse or balloon."""
    stack: list[tuple[Any, int]] = []
    _push_checked(value, depth, stack)
    _walk(stack)


def _push_checked(value: Any, depth: int, stack: list[tuple[Any, int]]) -> None:
    """A scalar is checked in place, a container goes on the stack to be walked."""
    kind = type(value)
    if kind is dict or kind is list:
        stack.append((value, depth))
    elif kind is str:
        if len(value) > MAX_STRING:
            raise ValueError(f"a string longer than {MAX_STRING} characters")
    elif kind is float:
        _finite(value)


def _walk(stack: list[tuple[Any, int]]) -> None:
    """Iterative, one stack for a whole document, and scalars checked in place rather
    than visited: this runs on every auto-save of every document, so it must cost little
    more than reading the nodes."""
    pop, push = stack.pop, stack.append
    while stack:
        node, level = pop()
        if level >= MAX_DEPTH:
            raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
        if len(node) > MAX_KEYS:
            kind_name = "object" if type(node) is dict else "list"
            raise ValueError(f"an {kind_name} with more than {MAX_KEYS} entries")
        level += 1
        if type(node) is dict:
            for key in node:
                if len(key) > MAX_STRING:
                    raise ValueError(f"a key longer than {MAX_STRING} characters")
            items = node.values()
        else:
            items = node
        for item in items:
            kind = type(item)
            if kind is str:
                if len(item) > MAX_STRING:
                    raise ValueError(f"a string longer than {MAX_STRING} characters")
            elif kind is dict or kind is list:
                push((item, level))
            elif kind is float:
                _finite(item)


def _finite(number: float) -> None:
    if not isfinite(number):
        raise ValueError("NaN and Infinity are not JSON numbers")


_LONG_LISTS = {"actions": MAX_ACTIONS, "conditions": MAX_CONDITIONS}


def check_document_bounds(document: dict[str, Any]) -> dict[str, Any]:
    """The format's size limits on a document that need not be valid yet (a draft's
    working copy): the free-form bounds everywhere, and the longer lists where the format
    allows them. Cheaper than validating the model, and it is all an auto-save needs to
    store a document safely; the whole model is checked when the draft is committed."""
    if len(document) > MAX_KEYS:
        raise ValueError(f"an object with more than {MAX_KEYS} entries")
    stack: list[tuple[Any, int]] = []
    for key, value in document.items():
        limit = _LONG_LISTS.get(key)
        if limit is not None and type(value) is list:
            if len(value) > limit:
                raise ValueError(f"more than {limit} {key}")
            for item in value:
                _push_checked(item, -1, stack)  # so an element's config is as deep as the model allows
        else:
            if len(key) > MAX_STRING:
                raise ValueError(f"a key longer than {MAX_STRING} characters")
            _push_checked(value, 0, stack)
    _walk(stack)
    return document


def _check_bounded(value: dict[str, Any]) -> dict[str, Any]:
    _bounded(value)
    return value


FreeForm = Annotated[dict[str, Any], AfterValidator(_check_bounded)]

ElementId = Annotated[str, StringConstraints(pattern=ACTION_ID_PATTERN)]
TypeName = Annotated[str, StringConstraints(pattern=TYPE_PATTERN)]
ShortText = Annotated[str, StringConstraints(max_length=1024)]


class _Element(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")

    @model_validator(mode="after")
    def _bounded_extras(self) -> "_Element":
        if self.model_extra:
            _bounded(self.model_extra, 1)
        return self


class Trigger(_Element):
    type: TypeName
    config: FreeForm = Field(default_factory=dict)
    next: ElementId | None = None


class Action(_Element):
    id: ElementId
    type: TypeName
    name: ShortText | None = None
    config: FreeForm = Field(default_factory=dict)
    next: ElementId | None = None


class Rule(_Element):
    field: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    op: Literal["eq", "neq", "gt", "lt", "contains", "exists"]
    value: Any = None

    @model_validator(mode="after")
    def _bounded_value(self) -> "Rule":
        _bounded(self.value, 1)
        return self


class Condition(_Element):
    id: ElementId
    match: Literal["all", "any"]
    rules: list[Rule] = Field(default_factory=list, max_length=MAX_RULES)


class WorkflowDefinition(_Element):
    """A whole workflow version: what ``git show vN:workflow.json`` prints."""

    format: Annotated[StrictInt, Field(ge=1, le=1, description="Document format; only 1 exists.")]
    trigger: Trigger
    actions: list[Action] = Field(default_factory=list, max_length=MAX_ACTIONS)
    conditions: list[Condition] = Field(default_factory=list, max_length=MAX_CONDITIONS)
    settings: FreeForm = Field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        """The JSON document as sent: unknown fields kept, unset fields left out."""
        return self.model_dump(mode="json", exclude_unset=True)
