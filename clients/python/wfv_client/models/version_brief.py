from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.version_status import VersionStatus

T = TypeVar("T", bound="VersionBrief")


@_attrs_define
class VersionBrief:
    """
    Attributes:
        id (UUID):
        version_number (int):
        status (VersionStatus):
        commit_sha (str):
    """

    id: UUID
    version_number: int
    status: VersionStatus
    commit_sha: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        version_number = self.version_number

        status = self.status.value

        commit_sha = self.commit_sha

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "version_number": version_number,
                "status": status,
                "commit_sha": commit_sha,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        version_number = d.pop("version_number")

        status = VersionStatus(d.pop("status"))

        commit_sha = d.pop("commit_sha")

        version_brief = cls(
            id=id,
            version_number=version_number,
            status=status,
            commit_sha=commit_sha,
        )

        version_brief.additional_properties = d
        return version_brief

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
