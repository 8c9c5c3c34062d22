from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.action_history_entry_change import ActionHistoryEntryChange

if TYPE_CHECKING:
    from ..models.action_history_entry_action_type_0 import ActionHistoryEntryActionType0
    from ..models.field_change import FieldChange


T = TypeVar("T", bound="ActionHistoryEntry")


@_attrs_define
class ActionHistoryEntry:
    """One published version that touched an action.

    Attributes:
        version_number (int):
        version_id (UUID):
        commit_sha (str):
        change (ActionHistoryEntryChange):
        author_id (str):
        published_at (str):
        message (str):
        rollback_of (int | None):
        fields (list[FieldChange]):
        action (ActionHistoryEntryActionType0 | None):
    """

    version_number: int
    version_id: UUID
    commit_sha: str
    change: ActionHistoryEntryChange
    author_id: str
    published_at: str
    message: str
    rollback_of: int | None
    fields: list[FieldChange]
    action: ActionHistoryEntryActionType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.action_history_entry_action_type_0 import ActionHistoryEntryActionType0  # noqa: PLC0415

        version_number = self.version_number

        version_id = str(self.version_id)

        commit_sha = self.commit_sha

        change = self.change.value

        author_id = self.author_id

        published_at = self.published_at

        message = self.message

        rollback_of: int | None
        rollback_of = self.rollback_of

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        action: dict[str, Any] | None
        if isinstance(self.action, ActionHistoryEntryActionType0):
            action = self.action.to_dict()
        else:
            action = self.action

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version_number": version_number,
                "version_id": version_id,
                "commit_sha": commit_sha,
                "change": change,
                "author_id": author_id,
                "published_at": published_at,
                "message": message,
                "rollback_of": rollback_of,
                "fields": fields,
                "action": action,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action_history_entry_action_type_0 import ActionHistoryEntryActionType0  # noqa: PLC0415
        from ..models.field_change import FieldChange  # noqa: PLC0415

        d = dict(src_dict)
        version_number = d.pop("version_number")

        version_id = UUID(d.pop("version_id"))

        commit_sha = d.pop("commit_sha")

        change = ActionHistoryEntryChange(d.pop("change"))

        author_id = d.pop("author_id")

        published_at = d.pop("published_at")

        message = d.pop("message")

        def _parse_rollback_of(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rollback_of = _parse_rollback_of(d.pop("rollback_of"))

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FieldChange.from_dict(fields_item_data)

            fields.append(fields_item)

        def _parse_action(data: object) -> ActionHistoryEntryActionType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_0 = ActionHistoryEntryActionType0.from_dict(data)

                return action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActionHistoryEntryActionType0 | None, data)

        action = _parse_action(d.pop("action"))

        action_history_entry = cls(
            version_number=version_number,
            version_id=version_id,
            commit_sha=commit_sha,
            change=change,
            author_id=author_id,
            published_at=published_at,
            message=message,
            rollback_of=rollback_of,
            fields=fields,
            action=action,
        )

        action_history_entry.additional_properties = d
        return action_history_entry

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
