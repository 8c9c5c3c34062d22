from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.workflow_definition import WorkflowDefinition


T = TypeVar("T", bound="VersionCreate")


@_attrs_define
class VersionCreate:
    """Copy of the current version by default; or of ``from_version``; or ``definition``.

    Attributes:
        from_version (int | None | Unset | UUID):
        definition (None | Unset | WorkflowDefinition):
        message (None | str | Unset):
    """

    from_version: int | None | Unset | UUID = UNSET
    definition: None | Unset | WorkflowDefinition = UNSET
    message: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.workflow_definition import WorkflowDefinition  # noqa: PLC0415

        from_version: int | None | str | Unset
        if isinstance(self.from_version, Unset):
            from_version = UNSET
        elif isinstance(self.from_version, UUID):
            from_version = str(self.from_version)
        else:
            from_version = self.from_version

        definition: dict[str, Any] | None | Unset
        if isinstance(self.definition, Unset):
            definition = UNSET
        elif isinstance(self.definition, WorkflowDefinition):
            definition = self.definition.to_dict()
        else:
            definition = self.definition

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if from_version is not UNSET:
            field_dict["from_version"] = from_version
        if definition is not UNSET:
            field_dict["definition"] = definition
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_definition import WorkflowDefinition  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_from_version(data: object) -> int | None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_version_type_0 = UUID(data)

                return from_version_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(int | None | Unset | UUID, data)

        from_version = _parse_from_version(d.pop("from_version", UNSET))

        def _parse_definition(data: object) -> None | Unset | WorkflowDefinition:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                definition_type_0 = WorkflowDefinition.from_dict(data)

                return definition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WorkflowDefinition, data)

        definition = _parse_definition(d.pop("definition", UNSET))

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        version_create = cls(
            from_version=from_version,
            definition=definition,
            message=message,
        )

        return version_create
