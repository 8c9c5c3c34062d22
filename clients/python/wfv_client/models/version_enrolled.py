from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VersionEnrolled")


@_attrs_define
class VersionEnrolled:
    """
    Attributes:
        version_id (UUID):
        version_number (int):
        enrolled (int):
    """

    version_id: UUID
    version_number: int
    enrolled: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version_id = str(self.version_id)

        version_number = self.version_number

        enrolled = self.enrolled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version_id": version_id,
                "version_number": version_number,
                "enrolled": enrolled,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version_id = UUID(d.pop("version_id"))

        version_number = d.pop("version_number")

        enrolled = d.pop("enrolled")

        version_enrolled = cls(
            version_id=version_id,
            version_number=version_number,
            enrolled=enrolled,
        )

        version_enrolled.additional_properties = d
        return version_enrolled

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
