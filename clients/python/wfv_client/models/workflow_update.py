from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkflowUpdate")


@_attrs_define
class WorkflowUpdate:
    """Workflow settings; every field optional, at least one given.

    Attributes:
        name (None | str | Unset):
        required_approvals (int | None | Unset):
    """

    name: None | str | Unset = UNSET
    required_approvals: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        required_approvals: int | None | Unset
        if isinstance(self.required_approvals, Unset):
            required_approvals = UNSET
        else:
            required_approvals = self.required_approvals

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if required_approvals is not UNSET:
            field_dict["required_approvals"] = required_approvals

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_required_approvals(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        required_approvals = _parse_required_approvals(d.pop("required_approvals", UNSET))

        workflow_update = cls(
            name=name,
            required_approvals=required_approvals,
        )

        return workflow_update
