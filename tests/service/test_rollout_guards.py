"""The rollout guards: the window's outcomes per version (one GROUP BY, on both databases,
other workflows and tenants excluded), the pure ``judge`` and ``check`` in a unit."""

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import insert

from indexer.models import Execution
from indexer.rollout_outcomes import outcomes
from schemas.rollout_guards import GuardPolicy, Outcomes
from service.container import Container
from service.rollouts.guards import check, judge
from tests.factories import published_history

T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
STATUSES = ("active", "waiting", "completed", "exited", "failed")
FIELD = {
    "active": "live",
    "waiting": "live",
    "completed": "completed",
    "exited": "exited",
    "failed": "failed",
}


def _row(
    tenant: str, workflow_id: Any, version_id: Any, n: int, status: str, enrolled_at: datetime
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "tenant_id": tenant,
        "workflow_id": workflow_id,
        "version_id": version_id,
        "contact_id": f"{tenant}-{version_id.hex[:8]}-{n}",
        "current_action_id": None if status in ("completed", "exited", "failed") else "welcome",
        "status": status,
        "enrolled_at": enrolled_at,
        "updated_at": enrolled_at,
    }


def _insert(container: Container, tenant: str, rows: list[dict[str, Any]]) -> None:
    with container.uow(tenant, write=True) as uow:
        for start in range(0, len(rows), 1000):
            uow.session.execute(insert(Execution), rows[start : start + 1000])
        uow.commit()


def _expected(
    rows: list[dict[str, Any]], version_id: Any, since: datetime, until: datetime | None
) -> Outcomes:
    counted: Counter[str] = Counter(
        FIELD[r["status"]]
        for r in rows
        if r["version_id"] == version_id
        and r["enrolled_at"] >= since
        and (until is None or r["enrolled_at"] < until)
    )
    return Outcomes(**counted)


@pytest.fixture
def mixed(container: Container) -> dict[str, Any]:
    """Workflow A (v1 current, v2 and v3 drafts) with 3,600 executions of every status
    enrolled from two hours before ``T0`` to two hours after it, minute by minute; workflow
    B of the same tenant and workflow C of another tenant with executions in the same
    minutes; and rows of the other tenant that name workflow A itself."""
    wid, v1, v2, v3 = published_history(container, 1, drafts=2)
    other_wid, b1 = published_history(container, 1, name="Other")
    foreign_wid, c1 = published_history(container, 1, org="globex")
    rows = []
    for n in range(3600):
        version = (v1, v1, v2, v3)[n % 4]
        enrolled = T0 + timedelta(minutes=n % 241 - 120)
        rows.append(_row("acme", wid, version, n, STATUSES[(n * 7 + n // 5) % 5], enrolled))
    noise = [
        _row("acme", other_wid, b1, n, STATUSES[n % 5], T0 + timedelta(minutes=n % 60)) for n in range(500)
    ]
    _insert(container, "acme", rows + noise)
    foreign = [_row("globex", foreign_wid, c1, n, "failed", T0) for n in range(300)]
    # Rows no real write makes: another tenant's executions naming A's workflow and versions.
    foreign += [_row("globex", wid, v2, 1000 + n, "failed", T0 + timedelta(minutes=5)) for n in range(200)]
    _insert(container, "globex", foreign)
    return {"wid": wid, "versions": (v1, v2, v3), "rows": rows}


def test_outcomes_count_the_window_per_version_and_status(
    container: Container, mixed: dict[str, Any]
) -> None:
    wid, (v1, v2, v3), rows = mixed["wid"], mixed["versions"], mixed["rows"]
    since, until = T0, T0 + timedelta(minutes=60)
    with container.uow("acme") as uow:
        found = outcomes(uow.session, "acme", wid, [v1, v2, v3], since=since, until=until)
        open_ended = outcomes(uow.session, "acme", wid, [v2], since=since)
    for version in (v1, v2, v3):
        expected = _expected(rows, version, since, until)
        assert found[version] == expected
        assert expected.enrolled > 100
        assert expected.failed > 0
        assert expected.live > 0
    # [since, until): the row enrolled exactly at ``since`` counts, the one at ``until`` not.
    at_since = sum(1 for r in rows if r["enrolled_at"] == since)
    at_until = sum(1 for r in rows if r["enrolled_at"] == until)
    assert at_since
    assert at_until
    assert sum(o.enrolled for o in found.values()) == sum(
        1 for r in rows if since <= r["enrolled_at"] < until
    )
    assert open_ended == {v2: _expected(rows, v2, since, None)}
    assert open_ended[v2].enrolled > found[v2].enrolled


def test_outcomes_exclude_other_workflows_and_tenants(container: Container, mixed: dict[str, Any]) -> None:
    wid, (v1, v2, _), rows = mixed["wid"], mixed["versions"], mixed["rows"]
    early = T0 - timedelta(days=1)
    with container.uow("acme") as uow:
        everything = outcomes(uow.session, "acme", wid, [v1, v2], since=early)
        unknown = uuid.uuid4()
        nothing = outcomes(uow.session, "acme", wid, [unknown], since=early)
        later = outcomes(uow.session, "acme", wid, [v1], since=T0 + timedelta(hours=3))
    # The 200 rows of globex naming A's v2 are not acme's: v2 counts only acme's rows.
    assert everything[v2] == _expected(rows, v2, early, None)
    assert everything[v2].enrolled == sum(1 for r in rows if r["version_id"] == v2)
    assert everything[v1].enrolled == sum(1 for r in rows if r["version_id"] == v1)
    # A version with nothing in the window is answered, with zeros.
    assert nothing == {unknown: Outcomes()}
    assert later == {v1: Outcomes()}
    with container.uow("globex") as uow:
        theirs = outcomes(uow.session, "globex", wid, [v2], since=early)
    assert theirs[v2] == Outcomes(failed=200)


# --- judge: the pure decision ----------------------------------------------------------

POLICY = GuardPolicy(failure_margin=0.05, exit_margin=0.05, min_sample=100)


def test_below_the_sample_nothing_is_judged() -> None:
    disaster = Outcomes(failed=99)  # every execution failed, but only 99 of them
    verdict = judge(disaster, Outcomes(completed=50, live=950), POLICY)
    assert (verdict.halt, verdict.state, verdict.rate) == (False, "waiting_for_sample", None)
    assert "the new version has 99 executions enrolled" in verdict.reason
    assert "from 100 on each side" in verdict.reason
    # The baseline needs its sample too: 0% on 20 executions proves nothing.
    small_baseline = judge(Outcomes(failed=500, live=500), Outcomes(live=20), POLICY)
    assert (small_baseline.halt, small_baseline.state) == (False, "waiting_for_sample")
    assert "the baseline has 20" in small_baseline.reason


def test_equal_rates_do_not_halt() -> None:
    side = Outcomes(completed=100, exited=30, failed=20, live=850)
    verdict = judge(side, side, POLICY)
    assert (verdict.halt, verdict.state, verdict.rate) == (False, "within_margin", None)
    assert "failure 2.0% against 2.0%" in verdict.reason
    assert "exit 3.0% against 3.0%" in verdict.reason


def test_worse_failures_by_more_than_the_margin_halt() -> None:
    target = Outcomes(completed=10, failed=30, live=160)  # 15%
    baseline = Outcomes(completed=100, failed=20, live=880)  # 2%
    verdict = judge(target, baseline, POLICY)
    assert (verdict.halt, verdict.state, verdict.rate) == (True, "halt", "failure")
    assert verdict.reason == (
        "the new version's failure rate, 15.0% (30 of 200), is 13.0 points above the baseline's, "
        "2.0% (20 of 1000): more than the margin of 5.0 points"
    )
    assert (verdict.target, verdict.baseline, verdict.policy) == (target, baseline, POLICY)
    assert verdict.target.failure_rate == pytest.approx(0.15)


def test_a_difference_equal_to_the_margin_does_not_halt() -> None:
    # 15% against 10%: exactly five points, "more than" the margin it is not.
    verdict = judge(Outcomes(failed=30, live=170), Outcomes(failed=100, live=900), POLICY)
    assert (verdict.halt, verdict.state) == (False, "within_margin")
    assert judge(Outcomes(failed=31, live=169), Outcomes(failed=100, live=900), POLICY).halt


def test_worse_exits_alone_halt_on_the_exit_rate() -> None:
    target = Outcomes(exited=40, failed=10, live=150)  # exits 20%, failures 5%
    baseline = Outcomes(exited=50, failed=50, live=900)  # exits 5%, failures 5%
    verdict = judge(target, baseline, POLICY)
    assert (verdict.halt, verdict.rate) == (True, "exit")
    assert verdict.reason.startswith("the new version's exit rate, 20.0% (40 of 200), is 15.0 points above")
    # Lenient on exits, the same numbers pass.
    assert not judge(target, baseline, POLICY.model_copy(update={"exit_margin": 0.2})).halt


def test_failures_are_judged_before_exits() -> None:
    verdict = judge(Outcomes(exited=60, failed=60, live=80), Outcomes(live=1000), POLICY)
    assert (verdict.halt, verdict.rate) == (True, "failure")


def test_a_baseline_with_nothing_finished_is_a_rate_of_zero() -> None:
    # Same ages, none of the baseline's has ended, a tenth of the new version's failed.
    target = Outcomes(failed=50, live=450)
    verdict = judge(target, Outcomes(live=4500), POLICY)
    assert (verdict.halt, verdict.rate) == (True, "failure")
    assert "the baseline's, 0.0% (0 of 4500)" in verdict.reason
    # Nothing finished on either side: equal (zero) rates, no halt.
    assert judge(Outcomes(live=500), Outcomes(live=4500), POLICY).state == "within_margin"


def test_fewer_exits_never_read_as_more_failures() -> None:
    """Why the rates are shares of the enrolled: among the *finished*, the new version's
    failures would be 50% (10 of 20) against the baseline's 17% (10 of 60) only because it
    exits fewer contacts; among the enrolled both fail 1%."""
    target = Outcomes(exited=10, failed=10, live=980)
    baseline = Outcomes(exited=50, failed=10, live=940)
    verdict = judge(target, baseline, POLICY)
    assert (verdict.halt, verdict.state) == (False, "within_margin")


def test_the_confidence_guard_waits_for_evidence() -> None:
    confident = POLICY.model_copy(update={"confidence": 0.95})
    # Six points worse on a hundred each: over the margin, far from significant.
    small = judge(Outcomes(failed=12, live=88), Outcomes(failed=2, live=98), confident)
    assert (small.halt, small.state) == (False, "within_margin")
    assert "but not yet at 95% confidence" in small.reason
    assert "against 1.64" in small.reason
    assert judge(Outcomes(failed=12, live=88), Outcomes(failed=2, live=98), POLICY).halt  # the margin alone
    # The same rates on ten times more: z is about 4.5, over 1.64.
    large = judge(Outcomes(failed=120, live=880), Outcomes(failed=20, live=980), confident)
    assert (large.halt, large.rate) == (True, "failure")
    assert "(z = " in large.reason
    assert "for 95% confidence)" in large.reason
    # No variance at all (every one failed against none): the excess is certain.
    assert judge(Outcomes(failed=100), Outcomes(live=100), confident).halt


@pytest.mark.parametrize(
    "bad",
    [
        {"failure_margin": -0.01},
        {"exit_margin": 1.5},
        {"failure_margin": float("nan")},
        {"min_sample": 0},
        {"min_sample": 1_000_001},
        {"confidence": 1.0},
        {"confidence": 0.3},
        {"margin": 0.1},
    ],
)
def test_the_policy_refuses_what_cannot_be_judged(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        GuardPolicy.model_validate(bad)


# --- check: outcomes read in the caller's unit, then judged ---------------------------


def test_check_judges_the_window_it_is_given(container: Container) -> None:
    """Before the step the new version did fine (every execution completed); in the step
    a fifth of its executions failed, against 2% of the baseline's."""
    wid, v1, v2 = published_history(container, 1, drafts=1)
    step_start = T0
    rows = [_row("acme", wid, v2, n, "completed", step_start - timedelta(hours=2)) for n in range(2000)]
    rows += [
        _row("acme", wid, v2, 2000 + n, "failed" if n < 40 else "active", step_start) for n in range(200)
    ]
    rows += [
        _row("acme", wid, v1, n, "failed" if n < 20 else "waiting", step_start + timedelta(minutes=n % 30))
        for n in range(1000)
    ]
    _insert(container, "acme", rows)
    with container.uow("acme") as uow:
        in_step = check(uow, wid, v2, v1, step_start, POLICY)
        whole = check(uow, wid, v2, v1, step_start - timedelta(days=1), POLICY)
        before = check(uow, wid, v2, v1, step_start - timedelta(days=1), POLICY, until=step_start)
    assert (in_step.halt, in_step.rate) == (True, "failure")
    assert (in_step.target.enrolled, in_step.target.failed) == (200, 40)
    assert (in_step.baseline.enrolled, in_step.baseline.failed) == (1000, 20)
    assert "20.0% (40 of 200)" in in_step.reason
    # Over the whole history the step's failures drown in the earlier completions.
    assert (whole.halt, whole.target.enrolled) == (False, 2200)
    assert (before.state, before.baseline.enrolled) == ("waiting_for_sample", 0)
    with container.uow("acme") as uow, pytest.raises(ValueError, match="against itself"):
        check(uow, wid, v1, v1, step_start, POLICY)
