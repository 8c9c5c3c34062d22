from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.revert_public_status import RevertPublicStatus

T = TypeVar("T", bound="RevertPublic")


@_attrs_define
class RevertPublic:
    """
    Attributes:
        total (int):
        moved_since (int):
        pinned (int):
        blocked (int):
        id (UUID):
        migration_id (UUID):
        status (RevertPublicStatus):
        restored (int):
        created_by (str):
        created_at (str):
        started_at (None | str):
        finished_at (None | str):
    """

    total: int
    moved_since: int
    pinned: int
    blocked: int
    id: UUID
    migration_id: UUID
    status: RevertPublicStatus
    restored: int
    created_by: str
    created_at: str
    started_at: None | str
    finished_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        moved_since = self.moved_since

        pinned = self.pinned

        blocked = self.blocked

        id = str(self.id)

        migration_id = str(self.migration_id)

        status = self.status.value

        restored = self.restored

        created_by = self.created_by

        created_at = self.created_at

        started_at: None | str
        started_at = self.started_at

        finished_at: None | str
        finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total": total,
                "moved_since": moved_since,
                "pinned": pinned,
                "blocked": blocked,
                "id": id,
                "migration_id": migration_id,
                "status": status,
                "restored": restored,
                "created_by": created_by,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total = d.pop("total")

        moved_since = d.pop("moved_since")

        pinned = d.pop("pinned")

        blocked = d.pop("blocked")

        id = UUID(d.pop("id"))

        migration_id = UUID(d.pop("migration_id"))

        status = RevertPublicStatus(d.pop("status"))

        restored = d.pop("restored")

        created_by = d.pop("created_by")

        created_at = d.pop("created_at")

        def _parse_started_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        revert_public = cls(
            total=total,
            moved_since=moved_since,
            pinned=pinned,
            blocked=blocked,
            id=id,
            migration_id=migration_id,
            status=status,
            restored=restored,
            created_by=created_by,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
        )

        revert_public.additional_properties = d
        return revert_public

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
