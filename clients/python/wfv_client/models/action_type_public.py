from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.action_type_public_config_schema_type_0 import ActionTypePublicConfigSchemaType0


T = TypeVar("T", bound="ActionTypePublic")


@_attrs_define
class ActionTypePublic:
    """
    Attributes:
        name (str): the type, as an action's `type` names it
        title (str): the schema's `title`, else the name
        description (None | str): the schema's `description`
        config_schema (ActionTypePublicConfigSchemaType0 | bool): the JSON Schema (Draft 2020-12) an action's `config`
            of this type must meet to publish
    """

    name: str
    title: str
    description: None | str
    config_schema: ActionTypePublicConfigSchemaType0 | bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.action_type_public_config_schema_type_0 import ActionTypePublicConfigSchemaType0  # noqa: PLC0415

        name = self.name

        title = self.title

        description: None | str
        description = self.description

        config_schema: bool | dict[str, Any]
        if isinstance(self.config_schema, ActionTypePublicConfigSchemaType0):
            config_schema = self.config_schema.to_dict()
        else:
            config_schema = self.config_schema

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "title": title,
                "description": description,
                "config_schema": config_schema,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action_type_public_config_schema_type_0 import ActionTypePublicConfigSchemaType0  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        title = d.pop("title")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_config_schema(data: object) -> ActionTypePublicConfigSchemaType0 | bool:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                config_schema_type_0 = ActionTypePublicConfigSchemaType0.from_dict(data)

                return config_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActionTypePublicConfigSchemaType0 | bool, data)

        config_schema = _parse_config_schema(d.pop("config_schema"))

        action_type_public = cls(
            name=name,
            title=title,
            description=description,
            config_schema=config_schema,
        )

        action_type_public.additional_properties = d
        return action_type_public

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
