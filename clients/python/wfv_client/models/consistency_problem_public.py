from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConsistencyProblemPublic")


@_attrs_define
class ConsistencyProblemPublic:
    """
    Attributes:
        kind (str): ref-moved, index-behind, row-missing, commit-missing, audit-missing, ...
        tenant_id (str):
        workflow_id (None | UUID):
        version_number (int | None):
        detail (str):
        healable (bool): the index is only behind git; healing indexes it
        ref (None | str): the git ref at fault, where one is
    """

    kind: str
    tenant_id: str
    workflow_id: None | UUID
    version_number: int | None
    detail: str
    healable: bool
    ref: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        tenant_id = self.tenant_id

        workflow_id: None | str
        if isinstance(self.workflow_id, UUID):
            workflow_id = str(self.workflow_id)
        else:
            workflow_id = self.workflow_id

        version_number: int | None
        version_number = self.version_number

        detail = self.detail

        healable = self.healable

        ref: None | str
        ref = self.ref

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "tenant_id": tenant_id,
                "workflow_id": workflow_id,
                "version_number": version_number,
                "detail": detail,
                "healable": healable,
                "ref": ref,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        tenant_id = d.pop("tenant_id")

        def _parse_workflow_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                workflow_id_type_0 = UUID(data)

                return workflow_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id"))

        def _parse_version_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        version_number = _parse_version_number(d.pop("version_number"))

        detail = d.pop("detail")

        healable = d.pop("healable")

        def _parse_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ref = _parse_ref(d.pop("ref"))

        consistency_problem_public = cls(
            kind=kind,
            tenant_id=tenant_id,
            workflow_id=workflow_id,
            version_number=version_number,
            detail=detail,
            healable=healable,
            ref=ref,
        )

        consistency_problem_public.additional_properties = d
        return consistency_problem_public

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
