from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.summary_row_status import SummaryRowStatus

T = TypeVar("T", bound="SummaryRow")


@_attrs_define
class SummaryRow:
    """
    Attributes:
        version_id (UUID):
        version_number (int):
        action_id (None | str):
        status (SummaryRowStatus):
        count (int):
    """

    version_id: UUID
    version_number: int
    action_id: None | str
    status: SummaryRowStatus
    count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version_id = str(self.version_id)

        version_number = self.version_number

        action_id: None | str
        action_id = self.action_id

        status = self.status.value

        count = self.count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version_id": version_id,
                "version_number": version_number,
                "action_id": action_id,
                "status": status,
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version_id = UUID(d.pop("version_id"))

        version_number = d.pop("version_number")

        def _parse_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        action_id = _parse_action_id(d.pop("action_id"))

        status = SummaryRowStatus(d.pop("status"))

        count = d.pop("count")

        summary_row = cls(
            version_id=version_id,
            version_number=version_number,
            action_id=action_id,
            status=status,
            count=count,
        )

        summary_row.additional_properties = d
        return summary_row

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
