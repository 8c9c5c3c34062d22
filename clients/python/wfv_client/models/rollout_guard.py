from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RolloutGuard")


@_attrs_define
class RolloutGuard:
    """What halts the rollout by itself: the guards' policy (``schemas.rollout_guards``:
    the target's failure or exit rate worse than the baseline's by more than the margin,
    with at least ``min_sample`` executions enrolled on each side in the current step), and
    ``migrate_back``: on a halt, move the target's live contacts back to the baseline by
    action id (``GET …/rollout/migrate-back`` shows that migration's dry run first).

        Attributes:
            failure_margin (float | Unset):  Default: 0.05.
            exit_margin (float | Unset):  Default: 0.05.
            min_sample (int | Unset):  Default: 100.
            confidence (float | None | Unset):
            migrate_back (bool | Unset):  Default: False.
    """

    failure_margin: float | Unset = 0.05
    exit_margin: float | Unset = 0.05
    min_sample: int | Unset = 100
    confidence: float | None | Unset = UNSET
    migrate_back: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        failure_margin = self.failure_margin

        exit_margin = self.exit_margin

        min_sample = self.min_sample

        confidence: float | None | Unset
        if isinstance(self.confidence, Unset):
            confidence = UNSET
        else:
            confidence = self.confidence

        migrate_back = self.migrate_back

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
        if migrate_back is not UNSET:
            field_dict["migrate_back"] = migrate_back

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

        migrate_back = d.pop("migrate_back", UNSET)

        rollout_guard = cls(
            failure_margin=failure_margin,
            exit_margin=exit_margin,
            min_sample=min_sample,
            confidence=confidence,
            migrate_back=migrate_back,
        )

        return rollout_guard
