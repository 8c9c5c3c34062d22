"""The guards that halt a rollout by themselves: is the new version worse than the
baseline, on the executions both enrolled in the same window?

The rule, as a user can check it by hand:

    For the executions enrolled since the window began (the start of the current step),
    the new version's failure rate is ``failed / enrolled`` and its exit rate
    ``exited / enrolled``; likewise the baseline's. Once each side has enrolled at least
    ``min_sample`` executions in the window, the rollout halts when the new version's
    failure rate is more than ``failure_margin`` above the baseline's, or its exit rate
    more than ``exit_margin`` above (failures are judged first).

Why shares of the *enrolled*, not of the *finished* executions: while most contacts are
still live (a journey lasts days, a step hours), the finished ones are nearly all early
failures and exits, with few completions on either side. Among the finished, the failure
rate becomes "of those who left, how many failed rather than exited": a version that
exits *fewer* contacts (an improvement) would show a *higher* failure rate and halt, and a
version with a shorter journey (more completions sooner) would hide its failures. Among
the enrolled, each rate is the share of a cohort that has failed (or exited) so far, its
own number, unaffected by the other outcomes or by how long the journey is. The two sides
are comparable because the assignment hashes contact ids (each side is a random sample
of the same arrivals) and, within a step, the share is constant, so both cohorts have the
same ages; a window that spans steps of different shares would make the new version's
cohort younger, which is why the caller passes the step's start.

Why the sample is counted in *enrolled* executions, on *both* sides: it is the
denominator of the rates being compared, so it is what makes a rate trustworthy; a
window where nothing has finished yet simply has equal (zero) rates and does not halt.
The baseline needs a sample too: a rate of 0 on three executions proves nothing.

``confidence`` adds an optional statistical guard on top of the margin: a one-sided
two-proportion z-test of "the excess is more than the margin", with the unpooled standard
error ``sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)``. It halts only when ``z`` reaches the normal
quantile of the confidence (1.64 at 0.95): with large samples it agrees with the plain
margin, with small ones it waits for more evidence. The reason states ``z`` and the bar.
"""

import math
import uuid
from datetime import datetime
from statistics import NormalDist

from indexer.models import Rollout
from indexer.rollout_outcomes import outcomes
from schemas.rollout_guards import GuardPolicy, GuardRate, GuardVerdict, Outcomes
from schemas.rollouts import RolloutGuard
from service.uow import UnitOfWork

# Rates are ratios of integers; a float excess that equals the margin must not halt.
_EPSILON = 1e-12
_RATES: tuple[GuardRate, ...] = ("failure", "exit")


def _points(share: float) -> str:
    return f"{share * 100:.1f} points"


def _share(side: Outcomes, rate: GuardRate) -> str:
    count = side.failed if rate == "failure" else side.exited
    return f"{side.rate(rate):.1%} ({count} of {side.enrolled})"


def _z(target: Outcomes, baseline: Outcomes, rate: GuardRate, margin: float) -> float:
    """How many standard errors the excess is beyond the margin (inf when both rates are
    0 or 1: no variance, the observed excess is the excess)."""
    t, b = target.rate(rate), baseline.rate(rate)
    error = math.sqrt(t * (1 - t) / target.enrolled + b * (1 - b) / baseline.enrolled)
    excess = t - b - margin
    return math.inf if error == 0 else excess / error


def judge(target: Outcomes, baseline: Outcomes, policy: GuardPolicy) -> GuardVerdict:
    """Halt or not, which rate, and why in one sentence (rule in the module docstring)."""

    def verdict(state: str, reason: str, rate: GuardRate | None = None) -> GuardVerdict:
        return GuardVerdict.model_validate(
            {
                "halt": state == "halt",
                "state": state,
                "rate": rate,
                "target": target,
                "baseline": baseline,
                "policy": policy,
                "reason": reason,
            }
        )

    short = [
        f"the {name} has {side.enrolled}"
        for name, side in (("new version", target), ("baseline", baseline))
        if side.enrolled < policy.min_sample
    ]
    if short:
        return verdict(
            "waiting_for_sample",
            f"not judged yet: {' and '.join(short)} executions enrolled in the window, "
            f"the guards judge from {policy.min_sample} on each side",
        )
    doubtful: list[str] = []
    for rate in _RATES:
        margin = policy.failure_margin if rate == "failure" else policy.exit_margin
        excess = target.rate(rate) - baseline.rate(rate)
        if excess <= margin + _EPSILON:
            continue
        compared = (
            f"the new version's {rate} rate, {_share(target, rate)}, is {_points(excess)} above "
            f"the baseline's, {_share(baseline, rate)}: more than the margin of {_points(margin)}"
        )
        if policy.confidence is None:
            return verdict("halt", compared, rate)
        z, bar = _z(target, baseline, rate, margin), NormalDist().inv_cdf(policy.confidence)
        confident = f"z = {z:.2f} against {bar:.2f} for {policy.confidence:.0%} confidence"
        if z >= bar:
            return verdict("halt", f"{compared} ({confident})", rate)
        doubtful.append(f"{compared}, but not yet at {policy.confidence:.0%} confidence ({confident})")
    if doubtful:
        return verdict("within_margin", "; ".join(doubtful))
    rates = ", ".join(f"{rate} {target.rate(rate):.1%} against {baseline.rate(rate):.1%}" for rate in _RATES)
    return verdict(
        "within_margin",
        f"within the margins ({_points(policy.failure_margin)} for failures, "
        f"{_points(policy.exit_margin)} for exits): {rates}",
    )


def check(
    uow: UnitOfWork,
    workflow_id: uuid.UUID,
    target_version_id: uuid.UUID,
    baseline_version_id: uuid.UUID,
    since: datetime,
    policy: GuardPolicy,
    *,
    until: datetime | None = None,
) -> GuardVerdict:
    """Read both versions' outcomes of the window ``[since, until)`` in the caller's
    transaction (of the unit's tenant) and judge them. Deciding what to do with a halt
    (``halt(...)``, the migrate-back) is the caller's."""
    if uow.tenant is None:
        raise ValueError("the guards read one tenant's executions: the unit has no tenant")
    if target_version_id == baseline_version_id:
        raise ValueError("a version cannot be judged against itself")
    versions = [target_version_id, baseline_version_id]
    found = outcomes(uow.session, uow.tenant, workflow_id, versions, since=since, until=until)
    return judge(found[target_version_id], found[baseline_version_id], policy)


def step_verdict(uow: UnitOfWork, rollout: Rollout) -> GuardVerdict:
    """The guards' judgement of a rollout's current step (its executions enrolled since the
    step began, on both sides, under the rollout's own policy): what the schedule acts on
    and what ``GET …/rollout`` shows."""
    return check(
        uow,
        rollout.workflow_id,
        rollout.target_version_id,
        rollout.baseline_version_id,
        rollout.step_started_at,
        RolloutGuard.model_validate(rollout.guard),
    )
