from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.element_change_classification import ElementChangeClassification
from ..models.element_change_kind import ElementChangeKind
from ..models.element_change_part import ElementChangePart
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_change import FieldChange


T = TypeVar("T", bound="ElementChange")


@_attrs_define
class ElementChange:
    """
    Attributes:
        part (ElementChangePart):
        element_id (None | str):
        kind (ElementChangeKind):
        classification (ElementChangeClassification):
        fields (list[FieldChange] | Unset):
        old_index (int | None | Unset):
        new_index (int | None | Unset):
        old_type (None | str | Unset):
        new_type (None | str | Unset):
    """

    part: ElementChangePart
    element_id: None | str
    kind: ElementChangeKind
    classification: ElementChangeClassification
    fields: list[FieldChange] | Unset = UNSET
    old_index: int | None | Unset = UNSET
    new_index: int | None | Unset = UNSET
    old_type: None | str | Unset = UNSET
    new_type: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        part = self.part.value

        element_id: None | str
        element_id = self.element_id

        kind = self.kind.value

        classification = self.classification.value

        fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = []
            for fields_item_data in self.fields:
                fields_item = fields_item_data.to_dict()
                fields.append(fields_item)

        old_index: int | None | Unset
        if isinstance(self.old_index, Unset):
            old_index = UNSET
        else:
            old_index = self.old_index

        new_index: int | None | Unset
        if isinstance(self.new_index, Unset):
            new_index = UNSET
        else:
            new_index = self.new_index

        old_type: None | str | Unset
        if isinstance(self.old_type, Unset):
            old_type = UNSET
        else:
            old_type = self.old_type

        new_type: None | str | Unset
        if isinstance(self.new_type, Unset):
            new_type = UNSET
        else:
            new_type = self.new_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "part": part,
                "element_id": element_id,
                "kind": kind,
                "classification": classification,
            }
        )
        if fields is not UNSET:
            field_dict["fields"] = fields
        if old_index is not UNSET:
            field_dict["old_index"] = old_index
        if new_index is not UNSET:
            field_dict["new_index"] = new_index
        if old_type is not UNSET:
            field_dict["old_type"] = old_type
        if new_type is not UNSET:
            field_dict["new_type"] = new_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_change import FieldChange  # noqa: PLC0415

        d = dict(src_dict)
        part = ElementChangePart(d.pop("part"))

        def _parse_element_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        element_id = _parse_element_id(d.pop("element_id"))

        kind = ElementChangeKind(d.pop("kind"))

        classification = ElementChangeClassification(d.pop("classification"))

        _fields = d.pop("fields", UNSET)
        fields: list[FieldChange] | Unset = UNSET
        if _fields is not UNSET:
            fields = []
            for fields_item_data in _fields:
                fields_item = FieldChange.from_dict(fields_item_data)

                fields.append(fields_item)

        def _parse_old_index(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        old_index = _parse_old_index(d.pop("old_index", UNSET))

        def _parse_new_index(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        new_index = _parse_new_index(d.pop("new_index", UNSET))

        def _parse_old_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        old_type = _parse_old_type(d.pop("old_type", UNSET))

        def _parse_new_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        new_type = _parse_new_type(d.pop("new_type", UNSET))

        element_change = cls(
            part=part,
            element_id=element_id,
            kind=kind,
            classification=classification,
            fields=fields,
            old_index=old_index,
            new_index=new_index,
            old_type=old_type,
            new_type=new_type,
        )

        element_change.additional_properties = d
        return element_change

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
