from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.guard_verdict_rate_type_0 import GuardVerdictRateType0
from ..models.guard_verdict_state import GuardVerdictState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.guard_policy import GuardPolicy
    from ..models.outcomes import Outcomes


T = TypeVar("T", bound="GuardVerdict")


@_attrs_define
class GuardVerdict:
    """What one check decided, with the numbers it decided on.

    ``state``: ``waiting_for_sample`` (a side has fewer than ``min_sample`` executions in
    the window: nothing judged), ``within_margin`` (judged, no halt) or ``halt``. ``rate``
    names the rate that halted it (failures are judged first).

        Attributes:
            halt (bool):
            state (GuardVerdictState):
            target (Outcomes): One version's executions enrolled in a window, by where they are now.

                The rates are shares of the *enrolled* executions (``failed / enrolled``), not of the
                finished ones: see ``service.rollouts.guards`` for why.
            baseline (Outcomes): One version's executions enrolled in a window, by where they are now.

                The rates are shares of the *enrolled* executions (``failed / enrolled``), not of the
                finished ones: see ``service.rollouts.guards`` for why.
            policy (GuardPolicy): When a rollout halts itself.

                ``failure_margin`` / ``exit_margin``: how much higher (in absolute points, 0.05 = five
                points) the new version's failure / exit rate may be than the baseline's before the
                rollout halts. ``min_sample``: executions each side must have enrolled in the window
                before either rate is judged. ``confidence`` (optional): also require that a one-sided
                two-proportion z-test puts the excess over the margin at this confidence, so a small
                sample's noise does not halt a good version; without it the rule is the margins alone.
            reason (str):
            rate (GuardVerdictRateType0 | None | Unset):
    """

    halt: bool
    state: GuardVerdictState
    target: Outcomes
    baseline: Outcomes
    policy: GuardPolicy
    reason: str
    rate: GuardVerdictRateType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        halt = self.halt

        state = self.state.value

        target = self.target.to_dict()

        baseline = self.baseline.to_dict()

        policy = self.policy.to_dict()

        reason = self.reason

        rate: None | str | Unset
        if isinstance(self.rate, Unset):
            rate = UNSET
        elif isinstance(self.rate, GuardVerdictRateType0):
            rate = self.rate.value
        else:
            rate = self.rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "halt": halt,
                "state": state,
                "target": target,
                "baseline": baseline,
                "policy": policy,
                "reason": reason,
            }
        )
        if rate is not UNSET:
            field_dict["rate"] = rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.guard_policy import GuardPolicy  # noqa: PLC0415
        from ..models.outcomes import Outcomes  # noqa: PLC0415

        d = dict(src_dict)
        halt = d.pop("halt")

        state = GuardVerdictState(d.pop("state"))

        target = Outcomes.from_dict(d.pop("target"))

        baseline = Outcomes.from_dict(d.pop("baseline"))

        policy = GuardPolicy.from_dict(d.pop("policy"))

        reason = d.pop("reason")

        def _parse_rate(data: object) -> GuardVerdictRateType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rate_type_0 = GuardVerdictRateType0(data)

                return rate_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GuardVerdictRateType0 | None | Unset, data)

        rate = _parse_rate(d.pop("rate", UNSET))

        guard_verdict = cls(
            halt=halt,
            state=state,
            target=target,
            baseline=baseline,
            policy=policy,
            reason=reason,
            rate=rate,
        )

        guard_verdict.additional_properties = d
        return guard_verdict

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
