from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.review_public_status import ReviewPublicStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.review_event_public import ReviewEventPublic
    from ..models.review_state import ReviewState


T = TypeVar("T", bound="ReviewPublic")


@_attrs_define
class ReviewPublic:
    """
    Attributes:
        id (UUID):
        workflow_id (UUID):
        version_id (UUID):
        base_version_id (None | UUID):
        status (ReviewPublicStatus):
        title (str):
        opened_by (str):
        opened_at (str):
        closed_at (None | str):
        state (ReviewState):
        events (list[ReviewEventPublic] | Unset):
    """

    id: UUID
    workflow_id: UUID
    version_id: UUID
    base_version_id: None | UUID
    status: ReviewPublicStatus
    title: str
    opened_by: str
    opened_at: str
    closed_at: None | str
    state: ReviewState
    events: list[ReviewEventPublic] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        workflow_id = str(self.workflow_id)

        version_id = str(self.version_id)

        base_version_id: None | str
        if isinstance(self.base_version_id, UUID):
            base_version_id = str(self.base_version_id)
        else:
            base_version_id = self.base_version_id

        status = self.status.value

        title = self.title

        opened_by = self.opened_by

        opened_at = self.opened_at

        closed_at: None | str
        closed_at = self.closed_at

        state = self.state.to_dict()

        events: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.to_dict()
                events.append(events_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "workflow_id": workflow_id,
                "version_id": version_id,
                "base_version_id": base_version_id,
                "status": status,
                "title": title,
                "opened_by": opened_by,
                "opened_at": opened_at,
                "closed_at": closed_at,
                "state": state,
            }
        )
        if events is not UNSET:
            field_dict["events"] = events

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.review_event_public import ReviewEventPublic  # noqa: PLC0415
        from ..models.review_state import ReviewState  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        workflow_id = UUID(d.pop("workflow_id"))

        version_id = UUID(d.pop("version_id"))

        def _parse_base_version_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                base_version_id_type_0 = UUID(data)

                return base_version_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        base_version_id = _parse_base_version_id(d.pop("base_version_id"))

        status = ReviewPublicStatus(d.pop("status"))

        title = d.pop("title")

        opened_by = d.pop("opened_by")

        opened_at = d.pop("opened_at")

        def _parse_closed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        state = ReviewState.from_dict(d.pop("state"))

        _events = d.pop("events", UNSET)
        events: list[ReviewEventPublic] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = ReviewEventPublic.from_dict(events_item_data)

                events.append(events_item)

        review_public = cls(
            id=id,
            workflow_id=workflow_id,
            version_id=version_id,
            base_version_id=base_version_id,
            status=status,
            title=title,
            opened_by=opened_by,
            opened_at=opened_at,
            closed_at=closed_at,
            state=state,
            events=events,
        )

        review_public.additional_properties = d
        return review_public

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
