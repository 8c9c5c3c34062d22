from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rollout_guard import RolloutGuard
    from ..models.rollout_step import RolloutStep


T = TypeVar("T", bound="RolloutCreate")


@_attrs_define
class RolloutCreate:
    """
    Attributes:
        steps (list[RolloutStep]):
        cohort (list[str] | Unset):
        guard (RolloutGuard | Unset): What halts the rollout by itself: the guards' policy (``schemas.rollout_guards``:
            the target's failure or exit rate worse than the baseline's by more than the margin,
            with at least ``min_sample`` executions enrolled on each side in the current step), and
            ``migrate_back``: on a halt, move the target's live contacts back to the baseline by
            action id (``GET …/rollout/migrate-back`` shows that migration's dry run first).
    """

    steps: list[RolloutStep]
    cohort: list[str] | Unset = UNSET
    guard: RolloutGuard | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        cohort: list[str] | Unset = UNSET
        if not isinstance(self.cohort, Unset):
            cohort = self.cohort

        guard: dict[str, Any] | Unset = UNSET
        if not isinstance(self.guard, Unset):
            guard = self.guard.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "steps": steps,
            }
        )
        if cohort is not UNSET:
            field_dict["cohort"] = cohort
        if guard is not UNSET:
            field_dict["guard"] = guard

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rollout_guard import RolloutGuard  # noqa: PLC0415
        from ..models.rollout_step import RolloutStep  # noqa: PLC0415

        d = dict(src_dict)
        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = RolloutStep.from_dict(steps_item_data)

            steps.append(steps_item)

        cohort = cast(list[str], d.pop("cohort", UNSET))

        _guard = d.pop("guard", UNSET)
        guard: RolloutGuard | Unset
        if isinstance(_guard, Unset):
            guard = UNSET
        else:
            guard = RolloutGuard.from_dict(_guard)

        rollout_create = cls(
            steps=steps,
            cohort=cohort,
            guard=guard,
        )

        return rollout_create
