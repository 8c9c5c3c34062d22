from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.migration_item_public_outcome import MigrationItemPublicOutcome

T = TypeVar("T", bound="MigrationItemPublic")


@_attrs_define
class MigrationItemPublic:
    """
    Attributes:
        id (int):
        execution_id (UUID):
        contact_id (str):
        from_version_id (UUID):
        from_action_id (None | str):
        outcome (MigrationItemPublicOutcome):
        reason (str):
        created_at (str):
    """

    id: int
    execution_id: UUID
    contact_id: str
    from_version_id: UUID
    from_action_id: None | str
    outcome: MigrationItemPublicOutcome
    reason: str
    created_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        execution_id = str(self.execution_id)

        contact_id = self.contact_id

        from_version_id = str(self.from_version_id)

        from_action_id: None | str
        from_action_id = self.from_action_id

        outcome = self.outcome.value

        reason = self.reason

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "execution_id": execution_id,
                "contact_id": contact_id,
                "from_version_id": from_version_id,
                "from_action_id": from_action_id,
                "outcome": outcome,
                "reason": reason,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        execution_id = UUID(d.pop("execution_id"))

        contact_id = d.pop("contact_id")

        from_version_id = UUID(d.pop("from_version_id"))

        def _parse_from_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_action_id = _parse_from_action_id(d.pop("from_action_id"))

        outcome = MigrationItemPublicOutcome(d.pop("outcome"))

        reason = d.pop("reason")

        created_at = d.pop("created_at")

        migration_item_public = cls(
            id=id,
            execution_id=execution_id,
            contact_id=contact_id,
            from_version_id=from_version_id,
            from_action_id=from_action_id,
            outcome=outcome,
            reason=reason,
            created_at=created_at,
        )

        migration_item_public.additional_properties = d
        return migration_item_public

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
