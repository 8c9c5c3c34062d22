from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.impact_position_bucket import ImpactPositionBucket
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImpactPosition")


@_attrs_define
class ImpactPosition:
    """One source position: where its contacts go and in which bucket. ``count`` is its
    contacts that are not pinned (those are in ``bucket``), ``pinned`` the others.

        Attributes:
            from_version (int):
            from_action (None | str):
            to_action (None | str): the target action; null when they fail or exit
            bucket (ImpactPositionBucket):
            count (int):
            pinned (int):
            old_duration (None | str | Unset): timer buckets: the wait's duration now
            new_duration (None | str | Unset): timer buckets: its duration in the target
    """

    from_version: int
    from_action: None | str
    to_action: None | str
    bucket: ImpactPositionBucket
    count: int
    pinned: int
    old_duration: None | str | Unset = UNSET
    new_duration: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_version = self.from_version

        from_action: None | str
        from_action = self.from_action

        to_action: None | str
        to_action = self.to_action

        bucket = self.bucket.value

        count = self.count

        pinned = self.pinned

        old_duration: None | str | Unset
        if isinstance(self.old_duration, Unset):
            old_duration = UNSET
        else:
            old_duration = self.old_duration

        new_duration: None | str | Unset
        if isinstance(self.new_duration, Unset):
            new_duration = UNSET
        else:
            new_duration = self.new_duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from_version": from_version,
                "from_action": from_action,
                "to_action": to_action,
                "bucket": bucket,
                "count": count,
                "pinned": pinned,
            }
        )
        if old_duration is not UNSET:
            field_dict["old_duration"] = old_duration
        if new_duration is not UNSET:
            field_dict["new_duration"] = new_duration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_version = d.pop("from_version")

        def _parse_from_action(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_action = _parse_from_action(d.pop("from_action"))

        def _parse_to_action(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        to_action = _parse_to_action(d.pop("to_action"))

        bucket = ImpactPositionBucket(d.pop("bucket"))

        count = d.pop("count")

        pinned = d.pop("pinned")

        def _parse_old_duration(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        old_duration = _parse_old_duration(d.pop("old_duration", UNSET))

        def _parse_new_duration(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        new_duration = _parse_new_duration(d.pop("new_duration", UNSET))

        impact_position = cls(
            from_version=from_version,
            from_action=from_action,
            to_action=to_action,
            bucket=bucket,
            count=count,
            pinned=pinned,
            old_duration=old_duration,
            new_duration=new_duration,
        )

        impact_position.additional_properties = d
        return impact_position

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
