from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.impact_counts import ImpactCounts
    from ..models.plan_row import PlanRow


T = TypeVar("T", bound="MigrationPlan")


@_attrs_define
class MigrationPlan:
    """The dry run: where every live execution would go, and what the compare warns of.

    Attributes:
        target_version (int):
        total (int):
        plan (list[PlanRow]):
        unmappable (list[PlanRow]):
        warnings (list[str]):
        dry_run (bool | Unset):  Default: True.
        impact (ImpactCounts | None | Unset): the impact preview's buckets of these executions (GET …/impact with the
            same mapping and policy): the same computation, pinned contacts apart
    """

    target_version: int
    total: int
    plan: list[PlanRow]
    unmappable: list[PlanRow]
    warnings: list[str]
    dry_run: bool | Unset = True
    impact: ImpactCounts | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.impact_counts import ImpactCounts  # noqa: PLC0415

        target_version = self.target_version

        total = self.total

        plan = []
        for plan_item_data in self.plan:
            plan_item = plan_item_data.to_dict()
            plan.append(plan_item)

        unmappable = []
        for unmappable_item_data in self.unmappable:
            unmappable_item = unmappable_item_data.to_dict()
            unmappable.append(unmappable_item)

        warnings = self.warnings

        dry_run = self.dry_run

        impact: dict[str, Any] | None | Unset
        if isinstance(self.impact, Unset):
            impact = UNSET
        elif isinstance(self.impact, ImpactCounts):
            impact = self.impact.to_dict()
        else:
            impact = self.impact

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "target_version": target_version,
                "total": total,
                "plan": plan,
                "unmappable": unmappable,
                "warnings": warnings,
            }
        )
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run
        if impact is not UNSET:
            field_dict["impact"] = impact

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.impact_counts import ImpactCounts  # noqa: PLC0415
        from ..models.plan_row import PlanRow  # noqa: PLC0415

        d = dict(src_dict)
        target_version = d.pop("target_version")

        total = d.pop("total")

        plan = []
        _plan = d.pop("plan")
        for plan_item_data in _plan:
            plan_item = PlanRow.from_dict(plan_item_data)

            plan.append(plan_item)

        unmappable = []
        _unmappable = d.pop("unmappable")
        for unmappable_item_data in _unmappable:
            unmappable_item = PlanRow.from_dict(unmappable_item_data)

            unmappable.append(unmappable_item)

        warnings = cast(list[str], d.pop("warnings"))

        dry_run = d.pop("dry_run", UNSET)

        def _parse_impact(data: object) -> ImpactCounts | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                impact_type_0 = ImpactCounts.from_dict(data)

                return impact_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImpactCounts | None | Unset, data)

        impact = _parse_impact(d.pop("impact", UNSET))

        migration_plan = cls(
            target_version=target_version,
            total=total,
            plan=plan,
            unmappable=unmappable,
            warnings=warnings,
            dry_run=dry_run,
            impact=impact,
        )

        migration_plan.additional_properties = d
        return migration_plan

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
