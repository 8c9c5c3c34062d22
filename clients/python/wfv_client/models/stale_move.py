from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stale_move_status import StaleMoveStatus

T = TypeVar("T", bound="StaleMove")


@_attrs_define
class StaleMove:
    """A move refused because its base is no longer the execution's: where it is now.

    Attributes:
        index (int): the move's place in the request's `moves`
        execution_id (UUID):
        contact_id (str):
        version_id (UUID):
        action_id (None | str):
        status (StaleMoveStatus):
        revision (int):
    """

    index: int
    execution_id: UUID
    contact_id: str
    version_id: UUID
    action_id: None | str
    status: StaleMoveStatus
    revision: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        execution_id = str(self.execution_id)

        contact_id = self.contact_id

        version_id = str(self.version_id)

        action_id: None | str
        action_id = self.action_id

        status = self.status.value

        revision = self.revision

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "execution_id": execution_id,
                "contact_id": contact_id,
                "version_id": version_id,
                "action_id": action_id,
                "status": status,
                "revision": revision,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        execution_id = UUID(d.pop("execution_id"))

        contact_id = d.pop("contact_id")

        version_id = UUID(d.pop("version_id"))

        def _parse_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        action_id = _parse_action_id(d.pop("action_id"))

        status = StaleMoveStatus(d.pop("status"))

        revision = d.pop("revision")

        stale_move = cls(
            index=index,
            execution_id=execution_id,
            contact_id=contact_id,
            version_id=version_id,
            action_id=action_id,
            status=status,
            revision=revision,
        )

        stale_move.additional_properties = d
        return stale_move

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
