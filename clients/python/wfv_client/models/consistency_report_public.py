from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.consistency_problem_public import ConsistencyProblemPublic


T = TypeVar("T", bound="ConsistencyReportPublic")


@_attrs_define
class ConsistencyReportPublic:
    """
    Attributes:
        ok (bool): no problems (healable entries do not count)
        tenants_checked (int):
        workflows_checked (int):
        versions_checked (int):
        executions_checked (int):
        problems (list[ConsistencyProblemPublic]):
        healable (list[ConsistencyProblemPublic]):
    """

    ok: bool
    tenants_checked: int
    workflows_checked: int
    versions_checked: int
    executions_checked: int
    problems: list[ConsistencyProblemPublic]
    healable: list[ConsistencyProblemPublic]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        tenants_checked = self.tenants_checked

        workflows_checked = self.workflows_checked

        versions_checked = self.versions_checked

        executions_checked = self.executions_checked

        problems = []
        for problems_item_data in self.problems:
            problems_item = problems_item_data.to_dict()
            problems.append(problems_item)

        healable = []
        for healable_item_data in self.healable:
            healable_item = healable_item_data.to_dict()
            healable.append(healable_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "tenants_checked": tenants_checked,
                "workflows_checked": workflows_checked,
                "versions_checked": versions_checked,
                "executions_checked": executions_checked,
                "problems": problems,
                "healable": healable,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consistency_problem_public import ConsistencyProblemPublic  # noqa: PLC0415

        d = dict(src_dict)
        ok = d.pop("ok")

        tenants_checked = d.pop("tenants_checked")

        workflows_checked = d.pop("workflows_checked")

        versions_checked = d.pop("versions_checked")

        executions_checked = d.pop("executions_checked")

        problems = []
        _problems = d.pop("problems")
        for problems_item_data in _problems:
            problems_item = ConsistencyProblemPublic.from_dict(problems_item_data)

            problems.append(problems_item)

        healable = []
        _healable = d.pop("healable")
        for healable_item_data in _healable:
            healable_item = ConsistencyProblemPublic.from_dict(healable_item_data)

            healable.append(healable_item)

        consistency_report_public = cls(
            ok=ok,
            tenants_checked=tenants_checked,
            workflows_checked=workflows_checked,
            versions_checked=versions_checked,
            executions_checked=executions_checked,
            problems=problems,
            healable=healable,
        )

        consistency_report_public.additional_properties = d
        return consistency_report_public

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
