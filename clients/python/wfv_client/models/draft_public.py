from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.draft_public_definition import DraftPublicDefinition


T = TypeVar("T", bound="DraftPublic")


@_attrs_define
class DraftPublic:
    """
    Attributes:
        definition (DraftPublicDefinition):
        revision (int):
        saved_at (str):
    """

    definition: DraftPublicDefinition
    revision: int
    saved_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        definition = self.definition.to_dict()

        revision = self.revision

        saved_at = self.saved_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "definition": definition,
                "revision": revision,
                "saved_at": saved_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.draft_public_definition import DraftPublicDefinition  # noqa: PLC0415

        d = dict(src_dict)
        definition = DraftPublicDefinition.from_dict(d.pop("definition"))

        revision = d.pop("revision")

        saved_at = d.pop("saved_at")

        draft_public = cls(
            definition=definition,
            revision=revision,
            saved_at=saved_at,
        )

        draft_public.additional_properties = d
        return draft_public

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
