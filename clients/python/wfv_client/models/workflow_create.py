from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.workflow_definition import WorkflowDefinition


T = TypeVar("T", bound="WorkflowCreate")


@_attrs_define
class WorkflowCreate:
    """
    Attributes:
        name (str):
        definition (WorkflowDefinition): A whole workflow version: what ``git show vN:workflow.json`` prints.
    """

    name: str
    definition: WorkflowDefinition

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        definition = self.definition.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "definition": definition,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_definition import WorkflowDefinition  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        definition = WorkflowDefinition.from_dict(d.pop("definition"))

        workflow_create = cls(
            name=name,
            definition=definition,
        )

        return workflow_create
