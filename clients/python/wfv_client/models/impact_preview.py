from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.impact_counts import ImpactCounts
    from ..models.impact_page import ImpactPage
    from ..models.impact_position import ImpactPosition


T = TypeVar("T", bound="ImpactPreview")


@_attrs_define
class ImpactPreview:
    """``GET …/versions/{version}/impact``: every live contact of ``from_versions`` in
    exactly one bucket (``counts`` sum to ``total``), the rule per source position, and
    with ``bucket`` asked for, one page of that bucket's contacts in execution id order.

        Attributes:
            target_version (int):
            from_versions (list[int]):
            total (int):
            counts (ImpactCounts): Contacts per bucket: every bucket present, and they sum to the total.
            positions (list[ImpactPosition]):
            contacts (ImpactPage | None | Unset):
    """

    target_version: int
    from_versions: list[int]
    total: int
    counts: ImpactCounts
    positions: list[ImpactPosition]
    contacts: ImpactPage | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.impact_page import ImpactPage  # noqa: PLC0415

        target_version = self.target_version

        from_versions = self.from_versions

        total = self.total

        counts = self.counts.to_dict()

        positions = []
        for positions_item_data in self.positions:
            positions_item = positions_item_data.to_dict()
            positions.append(positions_item)

        contacts: dict[str, Any] | None | Unset
        if isinstance(self.contacts, Unset):
            contacts = UNSET
        elif isinstance(self.contacts, ImpactPage):
            contacts = self.contacts.to_dict()
        else:
            contacts = self.contacts

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "target_version": target_version,
                "from_versions": from_versions,
                "total": total,
                "counts": counts,
                "positions": positions,
            }
        )
        if contacts is not UNSET:
            field_dict["contacts"] = contacts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.impact_counts import ImpactCounts  # noqa: PLC0415
        from ..models.impact_page import ImpactPage  # noqa: PLC0415
        from ..models.impact_position import ImpactPosition  # noqa: PLC0415

        d = dict(src_dict)
        target_version = d.pop("target_version")

        from_versions = cast(list[int], d.pop("from_versions"))

        total = d.pop("total")

        counts = ImpactCounts.from_dict(d.pop("counts"))

        positions = []
        _positions = d.pop("positions")
        for positions_item_data in _positions:
            positions_item = ImpactPosition.from_dict(positions_item_data)

            positions.append(positions_item)

        def _parse_contacts(data: object) -> ImpactPage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contacts_type_0 = ImpactPage.from_dict(data)

                return contacts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImpactPage | None | Unset, data)

        contacts = _parse_contacts(d.pop("contacts", UNSET))

        impact_preview = cls(
            target_version=target_version,
            from_versions=from_versions,
            total=total,
            counts=counts,
            positions=positions,
            contacts=contacts,
        )

        impact_preview.additional_properties = d
        return impact_preview

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
