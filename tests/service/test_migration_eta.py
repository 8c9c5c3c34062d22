"""A migration's ETA with the service's clock held (``tests.factories.clock_at``), on both
databases: the executions left at the measured rate plus every gradual wait left; null
with the reason while paused; 0 once finished. The queue runs inline here, so a gradual
step runs at once and the next one stays scheduled (tests/tasks run a real consumer)."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from schemas.migrations import step_quota
from service.executions.eta import last_step
from tests.factories import (
    assert_problem,
    clock_at,
    create_workflow_via_api,
    example,
    post_publish,
    versions_url,
)

API = "/api/v1/workflows"
T0 = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


def _at(seconds: float) -> Any:
    return clock_at(T0 + timedelta(seconds=seconds))


def _thirty_waiting(client: TestClient, admin: dict[str, str]) -> str:
    """v1 and v2 (welcome-small, welcome-small-a: same actions) with 30 contacts on v1."""
    wid: str = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
    post_publish(client, admin, wid, 1)
    enrolled = client.post(
        f"{API}/{wid}/executions", json={"contact_ids": [f"c-{i}" for i in range(30)]}, headers=admin
    )
    assert enrolled.status_code in (200, 201), enrolled.text
    changed = client.post(
        versions_url(wid),
        json={"definition": example("welcome-small-a"), "message": "a"},
        headers=admin,
    )
    assert changed.status_code == 201, changed.text
    post_publish(client, admin, wid, 2)
    return wid


def test_a_gradual_eta_counts_the_waits_left_and_none_while_paused(client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    wid = _thirty_waiting(client, admin)
    with _at(0):
        started = client.post(
            versions_url(wid, 2, "migrate"),
            json={"from_versions": [1], "strategy": "gradual", "step_percent": 10, "interval_seconds": 3600},
            headers=admin,
        )
    assert started.status_code == 202, started.text
    path = started.headers["Location"]

    with _at(600):
        state = client.get(path, headers=admin).json()
    # step 1 (3 contacts) ran in the first second, then the pause began: 3/s measured
    assert (state["status"], state["migrated"], state["step"]) == ("running", 3, 2)
    assert state["rate_per_second"] == 3.0
    assert datetime.fromisoformat(state["next_step_at"]) == T0 + timedelta(seconds=3600)
    # 27 left at 3/s, 3000 s of this pause, then 8 more pauses before steps 3..10
    assert (state["eta_seconds"], state["eta_reason"]) == (9 + 3000 + 8 * 3600, None)

    with _at(600):
        paused = client.post(f"{path}/pause", headers=admin).json()
    assert (paused["eta_seconds"], paused["eta_reason"]) == (None, "paused")
    with _at(650):
        assert client.get(path, headers=admin).json()["eta_reason"] == "paused"

    with _at(700):
        resumed = client.post(f"{path}/resume", headers=admin)
        assert resumed.status_code == 200, resumed.text
        state = client.get(path, headers=admin).json()
    # a resume inside the pause keeps its end: step 2 still waits for it (2900 s more)
    assert (state["migrated"], state["step"], state["rate_per_second"]) == (3, 2, 3.0)
    assert (state["eta_seconds"], state["eta_reason"]) == (9 + 2900 + 8 * 3600, None)

    with _at(800):
        cancelled = client.post(f"{path}/cancel", headers=admin).json()
    assert (cancelled["status"], cancelled["eta_seconds"], cancelled["eta_reason"]) == (
        "cancelled",
        0.0,
        None,
    )


def test_an_immediate_migrations_eta_is_zero_once_done(client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    wid = _thirty_waiting(client, admin)
    with _at(0):
        done = client.post(versions_url(wid, 2, "migrate"), json={"from_versions": [1]}, headers=admin)
    with _at(60):
        state = client.get(done.headers["Location"], headers=admin).json()
    assert (state["status"], state["migrated"], state["eta_seconds"], state["eta_reason"]) == (
        "completed",
        30,
        0.0,
        None,
    )
    assert state["rate_per_second"] == 30.0  # its one second of work, not the minute since


def test_a_resume_refuses_a_threshold_outside_zero_to_one(client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    wid = _thirty_waiting(client, admin)
    started = client.post(
        versions_url(wid, 2, "migrate"),
        json={"from_versions": [1], "strategy": "gradual", "step_percent": 10, "interval_seconds": 3600},
        headers=admin,
    )
    path = started.headers["Location"]
    client.post(f"{path}/pause", headers=admin)
    before = client.get(path, headers=admin).json()
    for body in ({"failure_threshold": 2}, {"failure_threshold": None, "x": 1}, [0.5]):
        assert_problem(client.post(f"{path}/resume", json=body, headers=admin), 422)
    assert_problem(
        client.post(f"{path}/resume", json={"failure_threshold": 0.5}, headers=auth("workflows:read")), 403
    )
    assert client.get(path, headers=admin).json() == before
    assert before["failure_threshold"] == 0.05


@given(st.integers(min_value=0, max_value=5000), st.floats(min_value=0.01, max_value=100))
def test_the_last_step_is_the_first_whose_quota_is_everything(total: int, percent: float) -> None:
    last = last_step(total, percent)
    assert step_quota(total, percent, last) >= total
    assert last == 1 or step_quota(total, percent, last - 1) < total
