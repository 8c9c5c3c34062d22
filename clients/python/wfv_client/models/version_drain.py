from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.version_drain_state import VersionDrainState

T = TypeVar("T", bound="VersionDrain")


@_attrs_define
class VersionDrain:
    """A version's pace of emptying, measured over the last 24 hours.

    Attributes:
        state (VersionDrainState): enrolling: new contacts still enrol on it (the current version, a rollout's target;
            no projection); empty: no live executions; draining: live executions and some left in the last 24 hours;
            not_draining: live executions and none left in the last 24 hours
        departed (int): executions of this version that left in the last 24 hours: reached completed, exited or failed,
            or were moved to another version by a migration
        rate_per_hour (float): departed / 24, rounded to two decimals
        empty_by (None | str): now + live executions / rate: when the version will be empty at this pace; null unless
            the state is draining
    """

    state: VersionDrainState
    departed: int
    rate_per_hour: float
    empty_by: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        departed = self.departed

        rate_per_hour = self.rate_per_hour

        empty_by: None | str
        empty_by = self.empty_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "departed": departed,
                "rate_per_hour": rate_per_hour,
                "empty_by": empty_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = VersionDrainState(d.pop("state"))

        departed = d.pop("departed")

        rate_per_hour = d.pop("rate_per_hour")

        def _parse_empty_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        empty_by = _parse_empty_by(d.pop("empty_by"))

        version_drain = cls(
            state=state,
            departed=departed,
            rate_per_hour=rate_per_hour,
            empty_by=empty_by,
        )

        version_drain.additional_properties = d
        return version_drain

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
