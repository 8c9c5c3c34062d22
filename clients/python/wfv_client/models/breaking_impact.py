from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.breaking_impact_bucket_type_0 import BreakingImpactBucketType0
from ..models.breaking_impact_buckets_item import BreakingImpactBucketsItem
from ..models.breaking_impact_kind import BreakingImpactKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="BreakingImpact")


@_attrs_define
class BreakingImpact:
    """A breaking change with the contacts it hits right now (``from`` version's live
    executions at its affected positions; for a trigger change, at every position), and
    the impact bucket they fall in under a default migration from ``from`` to ``to`` (by
    id, unmapped=fail), by the impact preview's own per-position rule.

        Attributes:
            kind (BreakingImpactKind):
            element_id (None | str):
            message (str):
            affected_actions (list[str]):
            live_contacts (int): contacts there that are not pinned (they are in the bucket)
            warning (str):
            pinned (int | Unset): contacts there that are pinned: a migration leaves them Default: 0.
            bucket (BreakingImpactBucketType0 | None | Unset): the bucket of the affected positions when they all share one;
                null when they differ (see buckets) or, for a trigger change, no contact is in flight
            buckets (list[BreakingImpactBucketsItem] | Unset): every bucket of the affected positions, each once, in the
                preview's bucket order
    """

    kind: BreakingImpactKind
    element_id: None | str
    message: str
    affected_actions: list[str]
    live_contacts: int
    warning: str
    pinned: int | Unset = 0
    bucket: BreakingImpactBucketType0 | None | Unset = UNSET
    buckets: list[BreakingImpactBucketsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        element_id: None | str
        element_id = self.element_id

        message = self.message

        affected_actions = self.affected_actions

        live_contacts = self.live_contacts

        warning = self.warning

        pinned = self.pinned

        bucket: None | str | Unset
        if isinstance(self.bucket, Unset):
            bucket = UNSET
        elif isinstance(self.bucket, BreakingImpactBucketType0):
            bucket = self.bucket.value
        else:
            bucket = self.bucket

        buckets: list[str] | Unset = UNSET
        if not isinstance(self.buckets, Unset):
            buckets = []
            for buckets_item_data in self.buckets:
                buckets_item = buckets_item_data.value
                buckets.append(buckets_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "element_id": element_id,
                "message": message,
                "affected_actions": affected_actions,
                "live_contacts": live_contacts,
                "warning": warning,
            }
        )
        if pinned is not UNSET:
            field_dict["pinned"] = pinned
        if bucket is not UNSET:
            field_dict["bucket"] = bucket
        if buckets is not UNSET:
            field_dict["buckets"] = buckets

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = BreakingImpactKind(d.pop("kind"))

        def _parse_element_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        element_id = _parse_element_id(d.pop("element_id"))

        message = d.pop("message")

        affected_actions = cast(list[str], d.pop("affected_actions"))

        live_contacts = d.pop("live_contacts")

        warning = d.pop("warning")

        pinned = d.pop("pinned", UNSET)

        def _parse_bucket(data: object) -> BreakingImpactBucketType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                bucket_type_0 = BreakingImpactBucketType0(data)

                return bucket_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BreakingImpactBucketType0 | None | Unset, data)

        bucket = _parse_bucket(d.pop("bucket", UNSET))

        _buckets = d.pop("buckets", UNSET)
        buckets: list[BreakingImpactBucketsItem] | Unset = UNSET
        if _buckets is not UNSET:
            buckets = []
            for buckets_item_data in _buckets:
                buckets_item = BreakingImpactBucketsItem(buckets_item_data)

                buckets.append(buckets_item)

        breaking_impact = cls(
            kind=kind,
            element_id=element_id,
            message=message,
            affected_actions=affected_actions,
            live_contacts=live_contacts,
            warning=warning,
            pinned=pinned,
            bucket=bucket,
            buckets=buckets,
        )

        breaking_impact.additional_properties = d
        return breaking_impact

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
