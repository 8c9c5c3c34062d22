from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChangeSummary")


@_attrs_define
class ChangeSummary:
    """
    Attributes:
        parent_version_number (int | None): the number of the version this one was made from; null for the first version
        text (str): one line, as the compare view words it: "1 action removed, 2 modified; trigger changed", "no
            changes" when the documents are the same, "first version" when there is no parent
        actions_added (int | Unset):  Default: 0.
        actions_removed (int | Unset):  Default: 0.
        actions_modified (int | Unset):  Default: 0.
        actions_moved (int | Unset):  Default: 0.
        trigger_changed (bool | Unset):  Default: False.
        conditions_changed (bool | Unset):  Default: False.
        settings_changed (bool | Unset):  Default: False.
    """

    parent_version_number: int | None
    text: str
    actions_added: int | Unset = 0
    actions_removed: int | Unset = 0
    actions_modified: int | Unset = 0
    actions_moved: int | Unset = 0
    trigger_changed: bool | Unset = False
    conditions_changed: bool | Unset = False
    settings_changed: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parent_version_number: int | None
        parent_version_number = self.parent_version_number

        text = self.text

        actions_added = self.actions_added

        actions_removed = self.actions_removed

        actions_modified = self.actions_modified

        actions_moved = self.actions_moved

        trigger_changed = self.trigger_changed

        conditions_changed = self.conditions_changed

        settings_changed = self.settings_changed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parent_version_number": parent_version_number,
                "text": text,
            }
        )
        if actions_added is not UNSET:
            field_dict["actions_added"] = actions_added
        if actions_removed is not UNSET:
            field_dict["actions_removed"] = actions_removed
        if actions_modified is not UNSET:
            field_dict["actions_modified"] = actions_modified
        if actions_moved is not UNSET:
            field_dict["actions_moved"] = actions_moved
        if trigger_changed is not UNSET:
            field_dict["trigger_changed"] = trigger_changed
        if conditions_changed is not UNSET:
            field_dict["conditions_changed"] = conditions_changed
        if settings_changed is not UNSET:
            field_dict["settings_changed"] = settings_changed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_parent_version_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        parent_version_number = _parse_parent_version_number(d.pop("parent_version_number"))

        text = d.pop("text")

        actions_added = d.pop("actions_added", UNSET)

        actions_removed = d.pop("actions_removed", UNSET)

        actions_modified = d.pop("actions_modified", UNSET)

        actions_moved = d.pop("actions_moved", UNSET)

        trigger_changed = d.pop("trigger_changed", UNSET)

        conditions_changed = d.pop("conditions_changed", UNSET)

        settings_changed = d.pop("settings_changed", UNSET)

        change_summary = cls(
            parent_version_number=parent_version_number,
            text=text,
            actions_added=actions_added,
            actions_removed=actions_removed,
            actions_modified=actions_modified,
            actions_moved=actions_moved,
            trigger_changed=trigger_changed,
            conditions_changed=conditions_changed,
            settings_changed=settings_changed,
        )

        change_summary.additional_properties = d
        return change_summary

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
