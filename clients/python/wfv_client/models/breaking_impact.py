from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.breaking_impact_kind import BreakingImpactKind

T = TypeVar("T", bound="BreakingImpact")


@_attrs_define
class BreakingImpact:
    """A breaking change with the contacts it hits right now (``from`` version's executions).

    Attributes:
        kind (BreakingImpactKind):
        element_id (None | str):
        message (str):
        affected_actions (list[str]):
        live_contacts (int):
        warning (str):
    """

    kind: BreakingImpactKind
    element_id: None | str
    message: str
    affected_actions: list[str]
    live_contacts: int
    warning: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        element_id: None | str
        element_id = self.element_id

        message = self.message

        affected_actions = self.affected_actions

        live_contacts = self.live_contacts

        warning = self.warning

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "element_id": element_id,
                "message": message,
                "affected_actions": affected_actions,
                "live_contacts": live_contacts,
                "warning": warning,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = BreakingImpactKind(d.pop("kind"))

        def _parse_element_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        element_id = _parse_element_id(d.pop("element_id"))

        message = d.pop("message")

        affected_actions = cast(list[str], d.pop("affected_actions"))

        live_contacts = d.pop("live_contacts")

        warning = d.pop("warning")

        breaking_impact = cls(
            kind=kind,
            element_id=element_id,
            message=message,
            affected_actions=affected_actions,
            live_contacts=live_contacts,
            warning=warning,
        )

        breaking_impact.additional_properties = d
        return breaking_impact

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
