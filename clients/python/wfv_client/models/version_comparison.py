from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.breaking_impact import BreakingImpact
    from ..models.impact_counts import ImpactCounts
    from ..models.version_brief import VersionBrief
    from ..models.version_comparison_parts import VersionComparisonParts


T = TypeVar("T", bound="VersionComparison")


@_attrs_define
class VersionComparison:
    """
    Attributes:
        from_version (VersionBrief):
        to_version (VersionBrief):
        summary (str):
        parts (VersionComparisonParts):
        breaking (list[BreakingImpact]):
        impact (ImpactCounts | Unset): Contacts per bucket: every bucket present, and they sum to the total.
        live_counts_as_of (None | str | Unset):
    """

    from_version: VersionBrief
    to_version: VersionBrief
    summary: str
    parts: VersionComparisonParts
    breaking: list[BreakingImpact]
    impact: ImpactCounts | Unset = UNSET
    live_counts_as_of: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_version = self.from_version.to_dict()

        to_version = self.to_version.to_dict()

        summary = self.summary

        parts = self.parts.to_dict()

        breaking = []
        for breaking_item_data in self.breaking:
            breaking_item = breaking_item_data.to_dict()
            breaking.append(breaking_item)

        impact: dict[str, Any] | Unset = UNSET
        if not isinstance(self.impact, Unset):
            impact = self.impact.to_dict()

        live_counts_as_of: None | str | Unset
        if isinstance(self.live_counts_as_of, Unset):
            live_counts_as_of = UNSET
        else:
            live_counts_as_of = self.live_counts_as_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from_version": from_version,
                "to_version": to_version,
                "summary": summary,
                "parts": parts,
                "breaking": breaking,
            }
        )
        if impact is not UNSET:
            field_dict["impact"] = impact
        if live_counts_as_of is not UNSET:
            field_dict["live_counts_as_of"] = live_counts_as_of

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breaking_impact import BreakingImpact  # noqa: PLC0415
        from ..models.impact_counts import ImpactCounts  # noqa: PLC0415
        from ..models.version_brief import VersionBrief  # noqa: PLC0415
        from ..models.version_comparison_parts import VersionComparisonParts  # noqa: PLC0415

        d = dict(src_dict)
        from_version = VersionBrief.from_dict(d.pop("from_version"))

        to_version = VersionBrief.from_dict(d.pop("to_version"))

        summary = d.pop("summary")

        parts = VersionComparisonParts.from_dict(d.pop("parts"))

        breaking = []
        _breaking = d.pop("breaking")
        for breaking_item_data in _breaking:
            breaking_item = BreakingImpact.from_dict(breaking_item_data)

            breaking.append(breaking_item)

        _impact = d.pop("impact", UNSET)
        impact: ImpactCounts | Unset
        if isinstance(_impact, Unset):
            impact = UNSET
        else:
            impact = ImpactCounts.from_dict(_impact)

        def _parse_live_counts_as_of(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        live_counts_as_of = _parse_live_counts_as_of(d.pop("live_counts_as_of", UNSET))

        version_comparison = cls(
            from_version=from_version,
            to_version=to_version,
            summary=summary,
            parts=parts,
            breaking=breaking,
            impact=impact,
            live_counts_as_of=live_counts_as_of,
        )

        version_comparison.additional_properties = d
        return version_comparison

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
