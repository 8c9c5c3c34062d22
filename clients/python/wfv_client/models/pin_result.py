from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PinResult")


@_attrs_define
class PinResult:
    """``pinned``/``unpinned``: contacts whose pin this call made or removed;
    ``unchanged``: the others (already pinned, or not pinned).

        Attributes:
            unchanged (int):
            pinned (int | Unset):  Default: 0.
            unpinned (int | Unset):  Default: 0.
    """

    unchanged: int
    pinned: int | Unset = 0
    unpinned: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        unchanged = self.unchanged

        pinned = self.pinned

        unpinned = self.unpinned

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "unchanged": unchanged,
            }
        )
        if pinned is not UNSET:
            field_dict["pinned"] = pinned
        if unpinned is not UNSET:
            field_dict["unpinned"] = unpinned

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        unchanged = d.pop("unchanged")

        pinned = d.pop("pinned", UNSET)

        unpinned = d.pop("unpinned", UNSET)

        pin_result = cls(
            unchanged=unchanged,
            pinned=pinned,
            unpinned=unpinned,
        )

        pin_result.additional_properties = d
        return pin_result

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
