from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_public_details import AuditPublicDetails


T = TypeVar("T", bound="AuditPublic")


@_attrs_define
class AuditPublic:
    """
    Attributes:
        id (int):
        action (str):
        workflow_id (None | UUID): null for a tenant-wide entry (an archival report)
        version_id (None | UUID):
        actor_id (str):
        created_at (str):
        details (AuditPublicDetails):
    """

    id: int
    action: str
    workflow_id: None | UUID
    version_id: None | UUID
    actor_id: str
    created_at: str
    details: AuditPublicDetails
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        action = self.action

        workflow_id: None | str
        if isinstance(self.workflow_id, UUID):
            workflow_id = str(self.workflow_id)
        else:
            workflow_id = self.workflow_id

        version_id: None | str
        if isinstance(self.version_id, UUID):
            version_id = str(self.version_id)
        else:
            version_id = self.version_id

        actor_id = self.actor_id

        created_at = self.created_at

        details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "action": action,
                "workflow_id": workflow_id,
                "version_id": version_id,
                "actor_id": actor_id,
                "created_at": created_at,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_public_details import AuditPublicDetails  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        action = d.pop("action")

        def _parse_workflow_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                workflow_id_type_0 = UUID(data)

                return workflow_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id"))

        def _parse_version_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                version_id_type_0 = UUID(data)

                return version_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        version_id = _parse_version_id(d.pop("version_id"))

        actor_id = d.pop("actor_id")

        created_at = d.pop("created_at")

        details = AuditPublicDetails.from_dict(d.pop("details"))

        audit_public = cls(
            id=id,
            action=action,
            workflow_id=workflow_id,
            version_id=version_id,
            actor_id=actor_id,
            created_at=created_at,
            details=details,
        )

        audit_public.additional_properties = d
        return audit_public

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
