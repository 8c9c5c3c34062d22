from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.version_public import VersionPublic


T = TypeVar("T", bound="WorkflowCreated")


@_attrs_define
class WorkflowCreated:
    """The new workflow with its first version (a draft).

    Attributes:
        id (UUID):
        name (str):
        current_version_id (None | UUID):
        required_approvals (int):
        created_at (str):
        created_by (str):
        version (VersionPublic):
    """

    id: UUID
    name: str
    current_version_id: None | UUID
    required_approvals: int
    created_at: str
    created_by: str
    version: VersionPublic
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        current_version_id: None | str
        if isinstance(self.current_version_id, UUID):
            current_version_id = str(self.current_version_id)
        else:
            current_version_id = self.current_version_id

        required_approvals = self.required_approvals

        created_at = self.created_at

        created_by = self.created_by

        version = self.version.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "current_version_id": current_version_id,
                "required_approvals": required_approvals,
                "created_at": created_at,
                "created_by": created_by,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.version_public import VersionPublic  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        def _parse_current_version_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                current_version_id_type_0 = UUID(data)

                return current_version_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        current_version_id = _parse_current_version_id(d.pop("current_version_id"))

        required_approvals = d.pop("required_approvals")

        created_at = d.pop("created_at")

        created_by = d.pop("created_by")

        version = VersionPublic.from_dict(d.pop("version"))

        workflow_created = cls(
            id=id,
            name=name,
            current_version_id=current_version_id,
            required_approvals=required_approvals,
            created_at=created_at,
            created_by=created_by,
            version=version,
        )

        workflow_created.additional_properties = d
        return workflow_created

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
