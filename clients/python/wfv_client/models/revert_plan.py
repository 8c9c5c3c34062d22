from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.revert_other import RevertOther


T = TypeVar("T", bound="RevertPlan")


@_attrs_define
class RevertPlan:
    """The dry run: what a revert would do now, and the first page of the others.

    Attributes:
        total (int):
        moved_since (int):
        pinned (int):
        blocked (int):
        migration_id (UUID):
        restorable (int):
        others (list[RevertOther]):
        next_cursor (None | str): the rest of the others: GET …/revert/others?cursor=
        dry_run (bool | Unset):  Default: True.
    """

    total: int
    moved_since: int
    pinned: int
    blocked: int
    migration_id: UUID
    restorable: int
    others: list[RevertOther]
    next_cursor: None | str
    dry_run: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        moved_since = self.moved_since

        pinned = self.pinned

        blocked = self.blocked

        migration_id = str(self.migration_id)

        restorable = self.restorable

        others = []
        for others_item_data in self.others:
            others_item = others_item_data.to_dict()
            others.append(others_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        dry_run = self.dry_run

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total": total,
                "moved_since": moved_since,
                "pinned": pinned,
                "blocked": blocked,
                "migration_id": migration_id,
                "restorable": restorable,
                "others": others,
                "next_cursor": next_cursor,
            }
        )
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.revert_other import RevertOther  # noqa: PLC0415

        d = dict(src_dict)
        total = d.pop("total")

        moved_since = d.pop("moved_since")

        pinned = d.pop("pinned")

        blocked = d.pop("blocked")

        migration_id = UUID(d.pop("migration_id"))

        restorable = d.pop("restorable")

        others = []
        _others = d.pop("others")
        for others_item_data in _others:
            others_item = RevertOther.from_dict(others_item_data)

            others.append(others_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        dry_run = d.pop("dry_run", UNSET)

        revert_plan = cls(
            total=total,
            moved_since=moved_since,
            pinned=pinned,
            blocked=blocked,
            migration_id=migration_id,
            restorable=restorable,
            others=others,
            next_cursor=next_cursor,
            dry_run=dry_run,
        )

        revert_plan.additional_properties = d
        return revert_plan

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
