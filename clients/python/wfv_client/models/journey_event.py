from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.journey_event_cause import JourneyEventCause
from ..models.journey_event_from_status_type_0 import JourneyEventFromStatusType0
from ..models.journey_event_status import JourneyEventStatus

T = TypeVar("T", bound="JourneyEvent")


@_attrs_define
class JourneyEvent:
    """One change of position: where the execution went (``version_*``, ``action_id``,
    ``status``; ``revision``: the execution's revision after it), where it was
    (``from_*``, null for an enrolment), when, and why (``cause``; ``cause_id``: the
    migration or revert that moved it). ``seq`` orders events of the same instant.

        Attributes:
            seq (int):
            at (str):
            execution_id (UUID):
            version_id (UUID):
            version_number (int):
            commit_sha (str):
            action_id (None | str):
            status (JourneyEventStatus):
            revision (int):
            cause (JourneyEventCause):
            cause_id (None | UUID):
            from_version_id (None | UUID):
            from_version_number (int | None):
            from_action_id (None | str):
            from_status (JourneyEventFromStatusType0 | None):
    """

    seq: int
    at: str
    execution_id: UUID
    version_id: UUID
    version_number: int
    commit_sha: str
    action_id: None | str
    status: JourneyEventStatus
    revision: int
    cause: JourneyEventCause
    cause_id: None | UUID
    from_version_id: None | UUID
    from_version_number: int | None
    from_action_id: None | str
    from_status: JourneyEventFromStatusType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        at = self.at

        execution_id = str(self.execution_id)

        version_id = str(self.version_id)

        version_number = self.version_number

        commit_sha = self.commit_sha

        action_id: None | str
        action_id = self.action_id

        status = self.status.value

        revision = self.revision

        cause = self.cause.value

        cause_id: None | str
        if isinstance(self.cause_id, UUID):
            cause_id = str(self.cause_id)
        else:
            cause_id = self.cause_id

        from_version_id: None | str
        if isinstance(self.from_version_id, UUID):
            from_version_id = str(self.from_version_id)
        else:
            from_version_id = self.from_version_id

        from_version_number: int | None
        from_version_number = self.from_version_number

        from_action_id: None | str
        from_action_id = self.from_action_id

        from_status: None | str
        if isinstance(self.from_status, JourneyEventFromStatusType0):
            from_status = self.from_status.value
        else:
            from_status = self.from_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "at": at,
                "execution_id": execution_id,
                "version_id": version_id,
                "version_number": version_number,
                "commit_sha": commit_sha,
                "action_id": action_id,
                "status": status,
                "revision": revision,
                "cause": cause,
                "cause_id": cause_id,
                "from_version_id": from_version_id,
                "from_version_number": from_version_number,
                "from_action_id": from_action_id,
                "from_status": from_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seq = d.pop("seq")

        at = d.pop("at")

        execution_id = UUID(d.pop("execution_id"))

        version_id = UUID(d.pop("version_id"))

        version_number = d.pop("version_number")

        commit_sha = d.pop("commit_sha")

        def _parse_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        action_id = _parse_action_id(d.pop("action_id"))

        status = JourneyEventStatus(d.pop("status"))

        revision = d.pop("revision")

        cause = JourneyEventCause(d.pop("cause"))

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

        def _parse_from_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_action_id = _parse_from_action_id(d.pop("from_action_id"))

        def _parse_from_status(data: object) -> JourneyEventFromStatusType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_status_type_0 = JourneyEventFromStatusType0(data)

                return from_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JourneyEventFromStatusType0 | None, data)

        from_status = _parse_from_status(d.pop("from_status"))

        journey_event = cls(
            seq=seq,
            at=at,
            execution_id=execution_id,
            version_id=version_id,
            version_number=version_number,
            commit_sha=commit_sha,
            action_id=action_id,
            status=status,
            revision=revision,
            cause=cause,
            cause_id=cause_id,
            from_version_id=from_version_id,
            from_version_number=from_version_number,
            from_action_id=from_action_id,
            from_status=from_status,
        )

        journey_event.additional_properties = d
        return journey_event

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
