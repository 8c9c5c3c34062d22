from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImpactCounts")


@_attrs_define
class ImpactCounts:
    """Contacts per bucket: every bucket present, and they sum to the total.

    Attributes:
        unchanged (int | Unset):  Default: 0.
        changed_in_place (int | Unset):  Default: 0.
        timer_earlier (int | Unset):  Default: 0.
        timer_later (int | Unset):  Default: 0.
        remapped (int | Unset):  Default: 0.
        exits (int | Unset):  Default: 0.
        fails (int | Unset):  Default: 0.
        pinned (int | Unset):  Default: 0.
    """

    unchanged: int | Unset = 0
    changed_in_place: int | Unset = 0
    timer_earlier: int | Unset = 0
    timer_later: int | Unset = 0
    remapped: int | Unset = 0
    exits: int | Unset = 0
    fails: int | Unset = 0
    pinned: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        unchanged = self.unchanged

        changed_in_place = self.changed_in_place

        timer_earlier = self.timer_earlier

        timer_later = self.timer_later

        remapped = self.remapped

        exits = self.exits

        fails = self.fails

        pinned = self.pinned

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if unchanged is not UNSET:
            field_dict["unchanged"] = unchanged
        if changed_in_place is not UNSET:
            field_dict["changed_in_place"] = changed_in_place
        if timer_earlier is not UNSET:
            field_dict["timer_earlier"] = timer_earlier
        if timer_later is not UNSET:
            field_dict["timer_later"] = timer_later
        if remapped is not UNSET:
            field_dict["remapped"] = remapped
        if exits is not UNSET:
            field_dict["exits"] = exits
        if fails is not UNSET:
            field_dict["fails"] = fails
        if pinned is not UNSET:
            field_dict["pinned"] = pinned

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        unchanged = d.pop("unchanged", UNSET)

        changed_in_place = d.pop("changed_in_place", UNSET)

        timer_earlier = d.pop("timer_earlier", UNSET)

        timer_later = d.pop("timer_later", UNSET)

        remapped = d.pop("remapped", UNSET)

        exits = d.pop("exits", UNSET)

        fails = d.pop("fails", UNSET)

        pinned = d.pop("pinned", UNSET)

        impact_counts = cls(
            unchanged=unchanged,
            changed_in_place=changed_in_place,
            timer_earlier=timer_earlier,
            timer_later=timer_later,
            remapped=remapped,
            exits=exits,
            fails=fails,
            pinned=pinned,
        )

        impact_counts.additional_properties = d
        return impact_counts

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
