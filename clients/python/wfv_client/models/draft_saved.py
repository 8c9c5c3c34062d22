from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.draft_saved_definition_type_0 import DraftSavedDefinitionType0


T = TypeVar("T", bound="DraftSaved")


@_attrs_define
class DraftSaved:
    """The save's new revision. ``merged``: it was based on an older revision and merged
    with the newer saves; ``definition`` is then the merged document, for the editor.

        Attributes:
            revision (int):
            saved_at (str):
            merged (bool | Unset):  Default: False.
            definition (DraftSavedDefinitionType0 | None | Unset):
    """

    revision: int
    saved_at: str
    merged: bool | Unset = False
    definition: DraftSavedDefinitionType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.draft_saved_definition_type_0 import DraftSavedDefinitionType0  # noqa: PLC0415

        revision = self.revision

        saved_at = self.saved_at

        merged = self.merged

        definition: dict[str, Any] | None | Unset
        if isinstance(self.definition, Unset):
            definition = UNSET
        elif isinstance(self.definition, DraftSavedDefinitionType0):
            definition = self.definition.to_dict()
        else:
            definition = self.definition

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "revision": revision,
                "saved_at": saved_at,
            }
        )
        if merged is not UNSET:
            field_dict["merged"] = merged
        if definition is not UNSET:
            field_dict["definition"] = definition

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.draft_saved_definition_type_0 import DraftSavedDefinitionType0  # noqa: PLC0415

        d = dict(src_dict)
        revision = d.pop("revision")

        saved_at = d.pop("saved_at")

        merged = d.pop("merged", UNSET)

        def _parse_definition(data: object) -> DraftSavedDefinitionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                definition_type_0 = DraftSavedDefinitionType0.from_dict(data)

                return definition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DraftSavedDefinitionType0 | None | Unset, data)

        definition = _parse_definition(d.pop("definition", UNSET))

        draft_saved = cls(
            revision=revision,
            saved_at=saved_at,
            merged=merged,
            definition=definition,
        )

        draft_saved.additional_properties = d
        return draft_saved

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
