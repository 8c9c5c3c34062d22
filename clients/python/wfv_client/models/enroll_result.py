from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EnrollResult")


@_attrs_define
class EnrollResult:
    """
    Attributes:
        enrolled (int):
        already_enrolled (int):
        version_id (UUID):
        version_number (int):
        action_id (str):
    """

    enrolled: int
    already_enrolled: int
    version_id: UUID
    version_number: int
    action_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enrolled = self.enrolled

        already_enrolled = self.already_enrolled

        version_id = str(self.version_id)

        version_number = self.version_number

        action_id = self.action_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enrolled": enrolled,
                "already_enrolled": already_enrolled,
                "version_id": version_id,
                "version_number": version_number,
                "action_id": action_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enrolled = d.pop("enrolled")

        already_enrolled = d.pop("already_enrolled")

        version_id = UUID(d.pop("version_id"))

        version_number = d.pop("version_number")

        action_id = d.pop("action_id")

        enroll_result = cls(
            enrolled=enrolled,
            already_enrolled=already_enrolled,
            version_id=version_id,
            version_number=version_number,
            action_id=action_id,
        )

        enroll_result.additional_properties = d
        return enroll_result

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
