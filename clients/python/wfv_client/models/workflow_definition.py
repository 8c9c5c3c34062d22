from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action import Action
    from ..models.condition import Condition
    from ..models.trigger import Trigger
    from ..models.workflow_definition_settings import WorkflowDefinitionSettings


T = TypeVar("T", bound="WorkflowDefinition")


@_attrs_define
class WorkflowDefinition:
    """A whole workflow version: what ``git show vN:workflow.json`` prints.

    Attributes:
        format_ (int): Document format; only 1 exists.
        trigger (Trigger):
        actions (list[Action] | Unset):
        conditions (list[Condition] | Unset):
        settings (WorkflowDefinitionSettings | Unset):
    """

    format_: int
    trigger: Trigger
    actions: list[Action] | Unset = UNSET
    conditions: list[Condition] | Unset = UNSET
    settings: WorkflowDefinitionSettings | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        format_ = self.format_

        trigger = self.trigger.to_dict()

        actions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.actions, Unset):
            actions = []
            for actions_item_data in self.actions:
                actions_item = actions_item_data.to_dict()
                actions.append(actions_item)

        conditions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.conditions, Unset):
            conditions = []
            for conditions_item_data in self.conditions:
                conditions_item = conditions_item_data.to_dict()
                conditions.append(conditions_item)

        settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "format": format_,
                "trigger": trigger,
            }
        )
        if actions is not UNSET:
            field_dict["actions"] = actions
        if conditions is not UNSET:
            field_dict["conditions"] = conditions
        if settings is not UNSET:
            field_dict["settings"] = settings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action import Action  # noqa: PLC0415
        from ..models.condition import Condition  # noqa: PLC0415
        from ..models.trigger import Trigger  # noqa: PLC0415
        from ..models.workflow_definition_settings import WorkflowDefinitionSettings  # noqa: PLC0415

        d = dict(src_dict)
        format_ = d.pop("format")

        trigger = Trigger.from_dict(d.pop("trigger"))

        _actions = d.pop("actions", UNSET)
        actions: list[Action] | Unset = UNSET
        if _actions is not UNSET:
            actions = []
            for actions_item_data in _actions:
                actions_item = Action.from_dict(actions_item_data)

                actions.append(actions_item)

        _conditions = d.pop("conditions", UNSET)
        conditions: list[Condition] | Unset = UNSET
        if _conditions is not UNSET:
            conditions = []
            for conditions_item_data in _conditions:
                conditions_item = Condition.from_dict(conditions_item_data)

                conditions.append(conditions_item)

        _settings = d.pop("settings", UNSET)
        settings: WorkflowDefinitionSettings | Unset
        if isinstance(_settings, Unset):
            settings = UNSET
        else:
            settings = WorkflowDefinitionSettings.from_dict(_settings)

        workflow_definition = cls(
            format_=format_,
            trigger=trigger,
            actions=actions,
            conditions=conditions,
            settings=settings,
        )

        workflow_definition.additional_properties = d
        return workflow_definition

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
