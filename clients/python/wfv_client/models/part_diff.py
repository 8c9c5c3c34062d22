from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.element_change import ElementChange


T = TypeVar("T", bound="PartDiff")


@_attrs_define
class PartDiff:
    """
    Attributes:
        added (list[ElementChange] | Unset):
        removed (list[ElementChange] | Unset):
        modified (list[ElementChange] | Unset):
        moved (list[ElementChange] | Unset):
    """

    added: list[ElementChange] | Unset = UNSET
    removed: list[ElementChange] | Unset = UNSET
    modified: list[ElementChange] | Unset = UNSET
    moved: list[ElementChange] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        added: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.added, Unset):
            added = []
            for added_item_data in self.added:
                added_item = added_item_data.to_dict()
                added.append(added_item)

        removed: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.removed, Unset):
            removed = []
            for removed_item_data in self.removed:
                removed_item = removed_item_data.to_dict()
                removed.append(removed_item)

        modified: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.modified, Unset):
            modified = []
            for modified_item_data in self.modified:
                modified_item = modified_item_data.to_dict()
                modified.append(modified_item)

        moved: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.moved, Unset):
            moved = []
            for moved_item_data in self.moved:
                moved_item = moved_item_data.to_dict()
                moved.append(moved_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if added is not UNSET:
            field_dict["added"] = added
        if removed is not UNSET:
            field_dict["removed"] = removed
        if modified is not UNSET:
            field_dict["modified"] = modified
        if moved is not UNSET:
            field_dict["moved"] = moved

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.element_change import ElementChange  # noqa: PLC0415

        d = dict(src_dict)
        _added = d.pop("added", UNSET)
        added: list[ElementChange] | Unset = UNSET
        if _added is not UNSET:
            added = []
            for added_item_data in _added:
                added_item = ElementChange.from_dict(added_item_data)

                added.append(added_item)

        _removed = d.pop("removed", UNSET)
        removed: list[ElementChange] | Unset = UNSET
        if _removed is not UNSET:
            removed = []
            for removed_item_data in _removed:
                removed_item = ElementChange.from_dict(removed_item_data)

                removed.append(removed_item)

        _modified = d.pop("modified", UNSET)
        modified: list[ElementChange] | Unset = UNSET
        if _modified is not UNSET:
            modified = []
            for modified_item_data in _modified:
                modified_item = ElementChange.from_dict(modified_item_data)

                modified.append(modified_item)

        _moved = d.pop("moved", UNSET)
        moved: list[ElementChange] | Unset = UNSET
        if _moved is not UNSET:
            moved = []
            for moved_item_data in _moved:
                moved_item = ElementChange.from_dict(moved_item_data)

                moved.append(moved_item)

        part_diff = cls(
            added=added,
            removed=removed,
            modified=modified,
            moved=moved,
        )

        part_diff.additional_properties = d
        return part_diff

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
