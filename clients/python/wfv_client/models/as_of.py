from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.as_of_status import AsOfStatus

if TYPE_CHECKING:
    from ..models.journey_event import JourneyEvent


T = TypeVar("T", bound="AsOf")


@_attrs_define
class AsOf:
    """Where a contact was at ``at`` (the instant asked): the version, action and status
    its newest event at or before then left it in, ``since`` then (the event's time), and
    that ``event``. ``left``: its execution had ended then (completed, exited, failed),
    ``left_at`` when; a contact enrolled again later has a newer execution.

        Attributes:
            contact_id (str):
            at (str):
            execution_id (UUID):
            version_id (UUID):
            version_number (int):
            commit_sha (str):
            action_id (None | str):
            status (AsOfStatus):
            left (bool):
            left_at (None | str):
            since (str):
            event (JourneyEvent): One change of position: where the execution went (``version_*``, ``action_id``,
                ``status``; ``revision``: the execution's revision after it), where it was
                (``from_*``, null for an enrolment), when, and why (``cause``; ``cause_id``: the
                migration or revert that moved it). ``seq`` orders events of the same instant.
    """

    contact_id: str
    at: str
    execution_id: UUID
    version_id: UUID
    version_number: int
    commit_sha: str
    action_id: None | str
    status: AsOfStatus
    left: bool
    left_at: None | str
    since: str
    event: JourneyEvent
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contact_id = self.contact_id

        at = self.at

        execution_id = str(self.execution_id)

        version_id = str(self.version_id)

        version_number = self.version_number

        commit_sha = self.commit_sha

        action_id: None | str
        action_id = self.action_id

        status = self.status.value

        left = self.left

        left_at: None | str
        left_at = self.left_at

        since = self.since

        event = self.event.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contact_id": contact_id,
                "at": at,
                "execution_id": execution_id,
                "version_id": version_id,
                "version_number": version_number,
                "commit_sha": commit_sha,
                "action_id": action_id,
                "status": status,
                "left": left,
                "left_at": left_at,
                "since": since,
                "event": event,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.journey_event import JourneyEvent  # noqa: PLC0415

        d = dict(src_dict)
        contact_id = d.pop("contact_id")

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

        status = AsOfStatus(d.pop("status"))

        left = d.pop("left")

        def _parse_left_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        left_at = _parse_left_at(d.pop("left_at"))

        since = d.pop("since")

        event = JourneyEvent.from_dict(d.pop("event"))

        as_of = cls(
            contact_id=contact_id,
            at=at,
            execution_id=execution_id,
            version_id=version_id,
            version_number=version_number,
            commit_sha=commit_sha,
            action_id=action_id,
            status=status,
            left=left,
            left_at=left_at,
            since=since,
            event=event,
        )

        as_of.additional_properties = d
        return as_of

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
