from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan_row_outcome import PlanRowOutcome

T = TypeVar("T", bound="PlanRow")


@_attrs_define
class PlanRow:
    """
    Attributes:
        from_version (int):
        from_action (None | str):
        to_action (None | str):
        outcome (PlanRowOutcome):
        count (int):
    """

    from_version: int
    from_action: None | str
    to_action: None | str
    outcome: PlanRowOutcome
    count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_version = self.from_version

        from_action: None | str
        from_action = self.from_action

        to_action: None | str
        to_action = self.to_action

        outcome = self.outcome.value

        count = self.count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from_version": from_version,
                "from_action": from_action,
                "to_action": to_action,
                "outcome": outcome,
                "count": count,
            }
        )

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

        outcome = PlanRowOutcome(d.pop("outcome"))

        count = d.pop("count")

        plan_row = cls(
            from_version=from_version,
            from_action=from_action,
            to_action=to_action,
            outcome=outcome,
            count=count,
        )

        plan_row.additional_properties = d
        return plan_row

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
