from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="GuardPolicy")


@_attrs_define
class GuardPolicy:
    """When a rollout halts itself.

    ``failure_margin`` / ``exit_margin``: how much higher (in absolute points, 0.05 = five
    points) the new version's failure / exit rate may be than the baseline's before the
    rollout halts. ``min_sample``: executions each side must have enrolled in the window
    before either rate is judged. ``confidence`` (optional): also require that a one-sided
    two-proportion z-test puts the excess over the margin at this confidence, so a small
    sample's noise does not halt a good version; without it the rule is the margins alone.

        Attributes:
            failure_margin (float | Unset):  Default: 0.05.
            exit_margin (float | Unset):  Default: 0.05.
            min_sample (int | Unset):  Default: 100.
            confidence (float | None | Unset):
    """

    failure_margin: float | Unset = 0.05
    exit_margin: float | Unset = 0.05
    min_sample: int | Unset = 100
    confidence: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        failure_margin = self.failure_margin

        exit_margin = self.exit_margin

        min_sample = self.min_sample

        confidence: float | None | Unset
        if isinstance(self.confidence, Unset):
            confidence = UNSET
        else:
            confidence = self.confidence

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if failure_margin is not UNSET:
            field_dict["failure_margin"] = failure_margin
        if exit_margin is not UNSET:
            field_dict["exit_margin"] = exit_margin
        if min_sample is not UNSET:
            field_dict["min_sample"] = min_sample
        if confidence is not UNSET:
            field_dict["confidence"] = confidence

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        failure_margin = d.pop("failure_margin", UNSET)

        exit_margin = d.pop("exit_margin", UNSET)

        min_sample = d.pop("min_sample", UNSET)

        def _parse_confidence(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        confidence = _parse_confidence(d.pop("confidence", UNSET))

        guard_policy = cls(
            failure_margin=failure_margin,
            exit_margin=exit_margin,
            min_sample=min_sample,
            confidence=confidence,
        )

        return guard_policy
