from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action_history_entry import ActionHistoryEntry
    from ..models.skipped_commit import SkippedCommit


T = TypeVar("T", bound="ActionHistory")


@_attrs_define
class ActionHistory:
    """
    Attributes:
        action_id (str):
        entries (list[ActionHistoryEntry]):
        skipped (list[SkippedCommit] | Unset):
    """

    action_id: str
    entries: list[ActionHistoryEntry]
    skipped: list[SkippedCommit] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action_id = self.action_id

        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        skipped: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.skipped, Unset):
            skipped = []
            for skipped_item_data in self.skipped:
                skipped_item = skipped_item_data.to_dict()
                skipped.append(skipped_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action_id": action_id,
                "entries": entries,
            }
        )
        if skipped is not UNSET:
            field_dict["skipped"] = skipped

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action_history_entry import ActionHistoryEntry  # noqa: PLC0415
        from ..models.skipped_commit import SkippedCommit  # noqa: PLC0415

        d = dict(src_dict)
        action_id = d.pop("action_id")

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = ActionHistoryEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        _skipped = d.pop("skipped", UNSET)
        skipped: list[SkippedCommit] | Unset = UNSET
        if _skipped is not UNSET:
            skipped = []
            for skipped_item_data in _skipped:
                skipped_item = SkippedCommit.from_dict(skipped_item_data)

                skipped.append(skipped_item)

        action_history = cls(
            action_id=action_id,
            entries=entries,
            skipped=skipped,
        )

        action_history.additional_properties = d
        return action_history

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
