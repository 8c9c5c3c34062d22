from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.execution_change_cause import ExecutionChangeCause
from ..models.execution_change_from_status_type_0 import ExecutionChangeFromStatusType0
from ..models.execution_change_status import ExecutionChangeStatus

T = TypeVar("T", bound="ExecutionChange")


@_attrs_define
class ExecutionChange:
    """One change of position wfv itself made (a migration's move or exit, a revert's
    restore; never the engine's own reports nor an enrolment): the execution, its contact,
    where it was (``from_*``) and where it is now, its ``revision`` after the change, why
    (``cause``, ``cause_id``: the migration or revert) and when. ``cursor``: ask the feed
    ``after`` it to go on just past this change.

        Attributes:
            execution_id (UUID):
            workflow_id (UUID):
            contact_id (str):
            from_version_id (None | UUID):
            from_version_number (int | None):
            version_id (UUID):
            version_number (int):
            from_action_id (None | str):
            action_id (None | str):
            from_status (ExecutionChangeFromStatusType0 | None):
            status (ExecutionChangeStatus):
            revision (int):
            cause (ExecutionChangeCause):
            cause_id (None | UUID):
            at (str):
            cursor (str):
    """

    execution_id: UUID
    workflow_id: UUID
    contact_id: str
    from_version_id: None | UUID
    from_version_number: int | None
    version_id: UUID
    version_number: int
    from_action_id: None | str
    action_id: None | str
    from_status: ExecutionChangeFromStatusType0 | None
    status: ExecutionChangeStatus
    revision: int
    cause: ExecutionChangeCause
    cause_id: None | UUID
    at: str
    cursor: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        execution_id = str(self.execution_id)

        workflow_id = str(self.workflow_id)

        contact_id = self.contact_id

        from_version_id: None | str
        if isinstance(self.from_version_id, UUID):
            from_version_id = str(self.from_version_id)
        else:
            from_version_id = self.from_version_id

        from_version_number: int | None
        from_version_number = self.from_version_number

        version_id = str(self.version_id)

        version_number = self.version_number

        from_action_id: None | str
        from_action_id = self.from_action_id

        action_id: None | str
        action_id = self.action_id

        from_status: None | str
        if isinstance(self.from_status, ExecutionChangeFromStatusType0):
            from_status = self.from_status.value
        else:
            from_status = self.from_status

        status = self.status.value

        revision = self.revision

        cause = self.cause.value

        cause_id: None | str
        if isinstance(self.cause_id, UUID):
            cause_id = str(self.cause_id)
        else:
            cause_id = self.cause_id

        at = self.at

        cursor = self.cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "execution_id": execution_id,
                "workflow_id": workflow_id,
                "contact_id": contact_id,
                "from_version_id": from_version_id,
                "from_version_number": from_version_number,
                "version_id": version_id,
                "version_number": version_number,
                "from_action_id": from_action_id,
                "action_id": action_id,
                "from_status": from_status,
                "status": status,
                "revision": revision,
                "cause": cause,
                "cause_id": cause_id,
                "at": at,
                "cursor": cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        execution_id = UUID(d.pop("execution_id"))

        workflow_id = UUID(d.pop("workflow_id"))

        contact_id = d.pop("contact_id")

        def _parse_from_version_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_version_id_type_0 = UUID(data)

                return from_version_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        from_version_id = _parse_from_version_id(d.pop("from_version_id"))

        def _parse_from_version_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        from_version_number = _parse_from_version_number(d.pop("from_version_number"))

        version_id = UUID(d.pop("version_id"))

        version_number = d.pop("version_number")

        def _parse_from_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_action_id = _parse_from_action_id(d.pop("from_action_id"))

        def _parse_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        action_id = _parse_action_id(d.pop("action_id"))

        def _parse_from_status(data: object) -> ExecutionChangeFromStatusType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_status_type_0 = ExecutionChangeFromStatusType0(data)

                return from_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExecutionChangeFromStatusType0 | None, data)

        from_status = _parse_from_status(d.pop("from_status"))

        status = ExecutionChangeStatus(d.pop("status"))

        revision = d.pop("revision")

        cause = ExecutionChangeCause(d.pop("cause"))

        def _parse_cause_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cause_id_type_0 = UUID(data)

                return cause_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        cause_id = _parse_cause_id(d.pop("cause_id"))

        at = d.pop("at")

        cursor = d.pop("cursor")

        execution_change = cls(
            execution_id=execution_id,
            workflow_id=workflow_id,
            contact_id=contact_id,
            from_version_id=from_version_id,
            from_version_number=from_version_number,
            version_id=version_id,
            version_number=version_number,
            from_action_id=from_action_id,
            action_id=action_id,
            from_status=from_status,
            status=status,
            revision=revision,
            cause=cause,
            cause_id=cause_id,
            at=at,
            cursor=cursor,
        )

        execution_change.additional_properties = d
        return execution_change

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
