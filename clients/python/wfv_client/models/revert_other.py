from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.revert_other_reason import RevertOtherReason

T = TypeVar("T", bound="RevertOther")


@_attrs_define
class RevertOther:
    """An execution not put back, why, and where it is now.

    Attributes:
        execution_id (UUID):
        contact_id (str):
        reason (RevertOtherReason):
        version_number (int | None):
        action_id (None | str):
        status (None | str):
    """

    execution_id: UUID
    contact_id: str
    reason: RevertOtherReason
    version_number: int | None
    action_id: None | str
    status: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        execution_id = str(self.execution_id)

        contact_id = self.contact_id

        reason = self.reason.value

        version_number: int | None
        version_number = self.version_number

        action_id: None | str
        action_id = self.action_id

        status: None | str
        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "execution_id": execution_id,
                "contact_id": contact_id,
                "reason": reason,
                "version_number": version_number,
                "action_id": action_id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        execution_id = UUID(d.pop("execution_id"))

        contact_id = d.pop("contact_id")

        reason = RevertOtherReason(d.pop("reason"))

        def _parse_version_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        version_number = _parse_version_number(d.pop("version_number"))

        def _parse_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        action_id = _parse_action_id(d.pop("action_id"))

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        revert_other = cls(
            execution_id=execution_id,
            contact_id=contact_id,
            reason=reason,
            version_number=version_number,
            action_id=action_id,
            status=status,
        )

        revert_other.additional_properties = d
        return revert_other

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
