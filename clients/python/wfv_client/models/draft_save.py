from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.draft_save_definition_type_0 import DraftSaveDefinitionType0
    from ..models.draft_save_patch_type_0 import DraftSavePatchType0


T = TypeVar("T", bound="DraftSave")


@_attrs_define
class DraftSave:
    """One auto-save: the whole working copy, or an RFC 7386 merge patch against the save
    numbered ``revision`` (0: against the version itself). Either may leave the document
    incomplete or invalid; committing the draft validates it.

        Attributes:
            revision (int):
            definition (DraftSaveDefinitionType0 | None | Unset):
            patch (DraftSavePatchType0 | None | Unset):
    """

    revision: int
    definition: DraftSaveDefinitionType0 | None | Unset = UNSET
    patch: DraftSavePatchType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.draft_save_definition_type_0 import DraftSaveDefinitionType0  # noqa: PLC0415
        from ..models.draft_save_patch_type_0 import DraftSavePatchType0  # noqa: PLC0415

        revision = self.revision

        definition: dict[str, Any] | None | Unset
        if isinstance(self.definition, Unset):
            definition = UNSET
        elif isinstance(self.definition, DraftSaveDefinitionType0):
            definition = self.definition.to_dict()
        else:
            definition = self.definition

        patch: dict[str, Any] | None | Unset
        if isinstance(self.patch, Unset):
            patch = UNSET
        elif isinstance(self.patch, DraftSavePatchType0):
            patch = self.patch.to_dict()
        else:
            patch = self.patch

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "revision": revision,
            }
        )
        if definition is not UNSET:
            field_dict["definition"] = definition
        if patch is not UNSET:
            field_dict["patch"] = patch

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.draft_save_definition_type_0 import DraftSaveDefinitionType0  # noqa: PLC0415
        from ..models.draft_save_patch_type_0 import DraftSavePatchType0  # noqa: PLC0415

        d = dict(src_dict)
        revision = d.pop("revision")

        def _parse_definition(data: object) -> DraftSaveDefinitionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                definition_type_0 = DraftSaveDefinitionType0.from_dict(data)

                return definition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DraftSaveDefinitionType0 | None | Unset, data)

        definition = _parse_definition(d.pop("definition", UNSET))

        def _parse_patch(data: object) -> DraftSavePatchType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                patch_type_0 = DraftSavePatchType0.from_dict(data)

                return patch_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DraftSavePatchType0 | None | Unset, data)

        patch = _parse_patch(d.pop("patch", UNSET))

        draft_save = cls(
            revision=revision,
            definition=definition,
            patch=patch,
        )

        return draft_save
