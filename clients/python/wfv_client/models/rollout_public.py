from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rollout_public_state import RolloutPublicState

if TYPE_CHECKING:
    from ..models.guard_verdict import GuardVerdict
    from ..models.rollout_guard import RolloutGuard
    from ..models.rollout_public_halted_reason_type_0 import RolloutPublicHaltedReasonType0
    from ..models.rollout_step import RolloutStep
    from ..models.rollout_version import RolloutVersion
    from ..models.version_enrolments import VersionEnrolments


T = TypeVar("T", bound="RolloutPublic")


@_attrs_define
class RolloutPublic:
    """
    Attributes:
        id (UUID):
        workflow_id (UUID):
        state (RolloutPublicState):
        target (RolloutVersion):
        baseline (RolloutVersion):
        steps (list[RolloutStep]):
        step_index (int):
        percent (int): the current step's percent
        share (int): percent of new enrolments the target gets now (0 when halted)
        step_started_at (str):
        next_step_at (None | str):
        cohort_size (int):
        guard (RolloutGuard): What halts the rollout by itself: the guards' policy (``schemas.rollout_guards``:
            the target's failure or exit rate worse than the baseline's by more than the margin,
            with at least ``min_sample`` executions enrolled on each side in the current step), and
            ``migrate_back``: on a halt, move the target's live contacts back to the baseline by
            action id (``GET …/rollout/migrate-back`` shows that migration's dry run first).
        guard_verdict (GuardVerdict | None): the guards' judgement of the current step now (None once the rollout is
            over)
        halted_reason (None | RolloutPublicHaltedReasonType0):
        enrolments (list[VersionEnrolments]):
        created_by (str):
        created_at (str):
        updated_at (str):
        finished_at (None | str):
    """

    id: UUID
    workflow_id: UUID
    state: RolloutPublicState
    target: RolloutVersion
    baseline: RolloutVersion
    steps: list[RolloutStep]
    step_index: int
    percent: int
    share: int
    step_started_at: str
    next_step_at: None | str
    cohort_size: int
    guard: RolloutGuard
    guard_verdict: GuardVerdict | None
    halted_reason: None | RolloutPublicHaltedReasonType0
    enrolments: list[VersionEnrolments]
    created_by: str
    created_at: str
    updated_at: str
    finished_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.guard_verdict import GuardVerdict  # noqa: PLC0415
        from ..models.rollout_public_halted_reason_type_0 import RolloutPublicHaltedReasonType0  # noqa: PLC0415

        id = str(self.id)

        workflow_id = str(self.workflow_id)

        state = self.state.value

        target = self.target.to_dict()

        baseline = self.baseline.to_dict()

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        step_index = self.step_index

        percent = self.percent

        share = self.share

        step_started_at = self.step_started_at

        next_step_at: None | str
        next_step_at = self.next_step_at

        cohort_size = self.cohort_size

        guard = self.guard.to_dict()

        guard_verdict: dict[str, Any] | None
        if isinstance(self.guard_verdict, GuardVerdict):
            guard_verdict = self.guard_verdict.to_dict()
        else:
            guard_verdict = self.guard_verdict

        halted_reason: dict[str, Any] | None
        if isinstance(self.halted_reason, RolloutPublicHaltedReasonType0):
            halted_reason = self.halted_reason.to_dict()
        else:
            halted_reason = self.halted_reason

        enrolments = []
        for enrolments_item_data in self.enrolments:
            enrolments_item = enrolments_item_data.to_dict()
            enrolments.append(enrolments_item)

        created_by = self.created_by

        created_at = self.created_at

        updated_at = self.updated_at

        finished_at: None | str
        finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "workflow_id": workflow_id,
                "state": state,
                "target": target,
                "baseline": baseline,
                "steps": steps,
                "step_index": step_index,
                "percent": percent,
                "share": share,
                "step_started_at": step_started_at,
                "next_step_at": next_step_at,
                "cohort_size": cohort_size,
                "guard": guard,
                "guard_verdict": guard_verdict,
                "halted_reason": halted_reason,
                "enrolments": enrolments,
                "created_by": created_by,
                "created_at": created_at,
                "updated_at": updated_at,
                "finished_at": finished_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.guard_verdict import GuardVerdict  # noqa: PLC0415
        from ..models.rollout_guard import RolloutGuard  # noqa: PLC0415
        from ..models.rollout_public_halted_reason_type_0 import RolloutPublicHaltedReasonType0  # noqa: PLC0415
        from ..models.rollout_step import RolloutStep  # noqa: PLC0415
        from ..models.rollout_version import RolloutVersion  # noqa: PLC0415
        from ..models.version_enrolments import VersionEnrolments  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        workflow_id = UUID(d.pop("workflow_id"))

        state = RolloutPublicState(d.pop("state"))

        target = RolloutVersion.from_dict(d.pop("target"))

        baseline = RolloutVersion.from_dict(d.pop("baseline"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = RolloutStep.from_dict(steps_item_data)

            steps.append(steps_item)

        step_index = d.pop("step_index")

        percent = d.pop("percent")

        share = d.pop("share")

        step_started_at = d.pop("step_started_at")

        def _parse_next_step_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_step_at = _parse_next_step_at(d.pop("next_step_at"))

        cohort_size = d.pop("cohort_size")

        guard = RolloutGuard.from_dict(d.pop("guard"))

        def _parse_guard_verdict(data: object) -> GuardVerdict | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                guard_verdict_type_0 = GuardVerdict.from_dict(data)

                return guard_verdict_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GuardVerdict | None, data)

        guard_verdict = _parse_guard_verdict(d.pop("guard_verdict"))

        def _parse_halted_reason(data: object) -> None | RolloutPublicHaltedReasonType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                halted_reason_type_0 = RolloutPublicHaltedReasonType0.from_dict(data)

                return halted_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RolloutPublicHaltedReasonType0, data)

        halted_reason = _parse_halted_reason(d.pop("halted_reason"))

        enrolments = []
        _enrolments = d.pop("enrolments")
        for enrolments_item_data in _enrolments:
            enrolments_item = VersionEnrolments.from_dict(enrolments_item_data)

            enrolments.append(enrolments_item)

        created_by = d.pop("created_by")

        created_at = d.pop("created_at")

        updated_at = d.pop("updated_at")

        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        rollout_public = cls(
            id=id,
            workflow_id=workflow_id,
            state=state,
            target=target,
            baseline=baseline,
            steps=steps,
            step_index=step_index,
            percent=percent,
            share=share,
            step_started_at=step_started_at,
            next_step_at=next_step_at,
            cohort_size=cohort_size,
            guard=guard,
            guard_verdict=guard_verdict,
            halted_reason=halted_reason,
            enrolments=enrolments,
            created_by=created_by,
            created_at=created_at,
            updated_at=updated_at,
            finished_at=finished_at,
        )

        rollout_public.additional_properties = d
        return rollout_public

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
