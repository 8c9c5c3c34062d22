from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kept_by import KeptBy

if TYPE_CHECKING:
    from ..models.version_drain import VersionDrain


T = TypeVar("T", bound="VersionCandidate")


@_attrs_define
class VersionCandidate:
    """
    Attributes:
        workflow_id (UUID):
        version_id (UUID):
        version_number (int):
        last_activity_at (None | str):
        kept_by (list[KeptBy]): every rule that keeps it; empty for a candidate
        active_executions (int): active and waiting executions of this version
        drain (VersionDrain): A version's pace of emptying, measured over the last 24 hours.
    """

    workflow_id: UUID
    version_id: UUID
    version_number: int
    last_activity_at: None | str
    kept_by: list[KeptBy]
    active_executions: int
    drain: VersionDrain
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id = str(self.workflow_id)

        version_id = str(self.version_id)

        version_number = self.version_number

        last_activity_at: None | str
        last_activity_at = self.last_activity_at

        kept_by = []
        for kept_by_item_data in self.kept_by:
            kept_by_item = kept_by_item_data.value
            kept_by.append(kept_by_item)

        active_executions = self.active_executions

        drain = self.drain.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workflow_id": workflow_id,
                "version_id": version_id,
                "version_number": version_number,
                "last_activity_at": last_activity_at,
                "kept_by": kept_by,
                "active_executions": active_executions,
                "drain": drain,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.version_drain import VersionDrain  # noqa: PLC0415

        d = dict(src_dict)
        workflow_id = UUID(d.pop("workflow_id"))

        version_id = UUID(d.pop("version_id"))

        version_number = d.pop("version_number")

        def _parse_last_activity_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_activity_at = _parse_last_activity_at(d.pop("last_activity_at"))

        kept_by = []
        _kept_by = d.pop("kept_by")
        for kept_by_item_data in _kept_by:
            kept_by_item = KeptBy(kept_by_item_data)

            kept_by.append(kept_by_item)

        active_executions = d.pop("active_executions")

        drain = VersionDrain.from_dict(d.pop("drain"))

        version_candidate = cls(
            workflow_id=workflow_id,
            version_id=version_id,
            version_number=version_number,
            last_activity_at=last_activity_at,
            kept_by=kept_by,
            active_executions=active_executions,
            drain=drain,
        )

        version_candidate.additional_properties = d
        return version_candidate

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
