from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.execution_public_status import ExecutionPublicStatus

T = TypeVar("T", bound="ExecutionPublic")


@_attrs_define
class ExecutionPublic:
    """
    Attributes:
        id (UUID):
        workflow_id (UUID):
        version_id (UUID):
        contact_id (str):
        current_action_id (None | str):
        status (ExecutionPublicStatus):
        enrolled_at (str):
        updated_at (str):
        last_migration_id (None | UUID):
        revision (int):
    """

    id: UUID
    workflow_id: UUID
    version_id: UUID
    contact_id: str
    current_action_id: None | str
    status: ExecutionPublicStatus
    enrolled_at: str
    updated_at: str
    last_migration_id: None | UUID
    revision: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        workflow_id = str(self.workflow_id)

        version_id = str(self.version_id)

        contact_id = self.contact_id

        current_action_id: None | str
        current_action_id = self.current_action_id

        status = self.status.value

        enrolled_at = self.enrolled_at

        updated_at = self.updated_at

        last_migration_id: None | str
        if isinstance(self.last_migration_id, UUID):
            last_migration_id = str(self.last_migration_id)
        else:
            last_migration_id = self.last_migration_id

        revision = self.revision

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "workflow_id": workflow_id,
                "version_id": version_id,
                "contact_id": contact_id,
                "current_action_id": current_action_id,
                "status": status,
                "enrolled_at": enrolled_at,
                "updated_at": updated_at,
                "last_migration_id": last_migration_id,
                "revision": revision,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        workflow_id = UUID(d.pop("workflow_id"))

        version_id = UUID(d.pop("version_id"))

        contact_id = d.pop("contact_id")

        def _parse_current_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        current_action_id = _parse_current_action_id(d.pop("current_action_id"))

        status = ExecutionPublicStatus(d.pop("status"))

        enrolled_at = d.pop("enrolled_at")

        updated_at = d.pop("updated_at")

        def _parse_last_migration_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_migration_id_type_0 = UUID(data)

                return last_migration_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        last_migration_id = _parse_last_migration_id(d.pop("last_migration_id"))

        revision = d.pop("revision")

        execution_public = cls(
            id=id,
            workflow_id=workflow_id,
            version_id=version_id,
            contact_id=contact_id,
            current_action_id=current_action_id,
            status=status,
            enrolled_at=enrolled_at,
            updated_at=updated_at,
            last_migration_id=last_migration_id,
            revision=revision,
        )

        execution_public.additional_properties = d
        return execution_public

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
