from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.part_diff import PartDiff


T = TypeVar("T", bound="VersionComparisonParts")


@_attrs_define
class VersionComparisonParts:
    additional_properties: dict[str, PartDiff] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.part_diff import PartDiff  # noqa: PLC0415

        d = dict(src_dict)
        version_comparison_parts = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = PartDiff.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        version_comparison_parts.additional_properties = additional_properties
        return version_comparison_parts

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> PartDiff:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: PartDiff) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
