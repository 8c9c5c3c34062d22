"""The workflow document (format 1), as ``../shared/WORKFLOW_FORMAT.md`` defines it.

Models are strict (no coercion: ``"1"`` is not ``1``) and keep unknown fields, so a
document validated here and dumped with ``exclude_unset`` is the document that was sent,
field for field: extending the format never loses data, and ``next`` left out stays left out.
"""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ACTION_ID_PATTERN = r"^[A-Za-z0-9_.?-]{1,64}$"
TYPE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"

MAX_ACTIONS = 1000
MAX_CONDITIONS = 1000
MAX_RULES = 100

ElementId = Annotated[str, StringConstraints(pattern=ACTION_ID_PATTERN)]
TypeName = Annotated[str, StringConstraints(pattern=TYPE_PATTERN)]
ShortText = Annotated[str, StringConstraints(max_length=1024)]


class _Element(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class Trigger(_Element):
    type: TypeName
    config: dict[str, Any] = Field(default_factory=dict)
    next: ElementId | None = None


class Action(_Element):
    id: ElementId
    type: TypeName
    name: ShortText | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    next: ElementId | None = None


class Rule(_Element):
    field: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    op: Literal["eq", "neq", "gt", "lt", "contains", "exists"]
    value: Any = None


class Condition(_Element):
    id: ElementId
    match: Literal["all", "any"]
    rules: list[Rule] = Field(default_factory=list, max_length=MAX_RULES)


class WorkflowDefinition(_Element):
    """A whole workflow version: what ``git show vN:workflow.json`` prints."""

    format: Literal[1]
    trigger: Trigger
    actions: list[Action] = Field(default_factory=list, max_length=MAX_ACTIONS)
    conditions: list[Condition] = Field(default_factory=list, max_length=MAX_CONDITIONS)
    settings: dict[str, Any] = Field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        """The JSON document as sent: unknown fields kept, unset fields left out."""
        return self.model_dump(mode="json", exclude_unset=True)
