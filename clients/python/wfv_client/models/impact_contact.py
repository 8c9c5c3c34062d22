from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImpactContact")


@_attrs_define
class ImpactContact:
    """A contact of the listed bucket. ``reached_at`` is when it reached its action (the
    execution's last change of position); timer buckets add when its wait ends now
    (``was_waking_at``) and would end on the target (``wakes_at``).

        Attributes:
            execution_id (UUID):
            contact_id (str):
            from_version (int):
            from_action (None | str):
            to_action (None | str):
            reached_at (str):
            was_waking_at (None | str | Unset):
            wakes_at (None | str | Unset):
    """

    execution_id: UUID
    contact_id: str
    from_version: int
    from_action: None | str
    to_action: None | str
    reached_at: str
    was_waking_at: None | str | Unset = UNSET
    wakes_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        execution_id = str(self.execution_id)

        contact_id = self.contact_id

        from_version = self.from_version

        from_action: None | str
        from_action = self.from_action

        to_action: None | str
        to_action = self.to_action

        reached_at = self.reached_at

        was_waking_at: None | str | Unset
        if isinstance(self.was_waking_at, Unset):
            was_waking_at = UNSET
        else:
            was_waking_at = self.was_waking_at

        wakes_at: None | str | Unset
        if isinstance(self.wakes_at, Unset):
            wakes_at = UNSET
        else:
            wakes_at = self.wakes_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "execution_id": execution_id,
                "contact_id": contact_id,
                "from_version": from_version,
                "from_action": from_action,
                "to_action": to_action,
                "reached_at": reached_at,
            }
        )
        if was_waking_at is not UNSET:
            field_dict["was_waking_at"] = was_waking_at
        if wakes_at is not UNSET:
            field_dict["wakes_at"] = wakes_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        execution_id = UUID(d.pop("execution_id"))

        contact_id = d.pop("contact_id")

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

        reached_at = d.pop("reached_at")

        def _parse_was_waking_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        was_waking_at = _parse_was_waking_at(d.pop("was_waking_at", UNSET))

        def _parse_wakes_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        wakes_at = _parse_wakes_at(d.pop("wakes_at", UNSET))

        impact_contact = cls(
            execution_id=execution_id,
            contact_id=contact_id,
            from_version=from_version,
            from_action=from_action,
            to_action=to_action,
            reached_at=reached_at,
            was_waking_at=was_waking_at,
            wakes_at=wakes_at,
        )

        impact_contact.additional_properties = d
        return impact_contact

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
