from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.git_command import GitCommand


T = TypeVar("T", bound="GitAccess")


@_attrs_define
class GitAccess:
    """The clone URL, how to authenticate, which refs accept pushes, and example commands.

    Attributes:
        clone_url (str):
        auth (str):
        pushable_refs (list[str]): Branches a push may update: the open drafts (the 50 newest), and drafts/new.
        notes_ref (str):
        commands (list[GitCommand]):
    """

    clone_url: str
    auth: str
    pushable_refs: list[str]
    notes_ref: str
    commands: list[GitCommand]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        clone_url = self.clone_url

        auth = self.auth

        pushable_refs = self.pushable_refs

        notes_ref = self.notes_ref

        commands = []
        for commands_item_data in self.commands:
            commands_item = commands_item_data.to_dict()
            commands.append(commands_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "clone_url": clone_url,
                "auth": auth,
                "pushable_refs": pushable_refs,
                "notes_ref": notes_ref,
                "commands": commands,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.git_command import GitCommand  # noqa: PLC0415

        d = dict(src_dict)
        clone_url = d.pop("clone_url")

        auth = d.pop("auth")

        pushable_refs = cast(list[str], d.pop("pushable_refs"))

        notes_ref = d.pop("notes_ref")

        commands = []
        _commands = d.pop("commands")
        for commands_item_data in _commands:
            commands_item = GitCommand.from_dict(commands_item_data)

            commands.append(commands_item)

        git_access = cls(
            clone_url=clone_url,
            auth=auth,
            pushable_refs=pushable_refs,
            notes_ref=notes_ref,
            commands=commands,
        )

        git_access.additional_properties = d
        return git_access

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
