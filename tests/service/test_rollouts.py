"""Guarded rollouts through the API and the use cases, on SQLite and PostgreSQL: the
stable assignment (share, re-entry, two API processes, the cohort), the lifecycle (pause,
resume, abort, halt, promote), the 409 for a publish during a rollout, and bad inputs
refused with nothing changed."""

import copy
import uuid
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import AuditEntry, Execution, Rollout, WebhookEvent, WorkflowVersion
from schemas.history import ROLLOUTS_NOTES_REF
from schemas.rollouts import parse_note
from service.api.app import create_app
from service.container import Container, build_container
from service.rollouts import transitions
from service.rollouts.assignment import BUCKETS, bucket, to_target
from tests.conftest import TokenFactory
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    versions_url,
)

API = "/api/v1/workflows"
STEPS = [{"percent": 20, "seconds": 3600}, {"percent": 100, "seconds": 600}]


def _document(reentry: bool = False, name: str = "welcome-small") -> dict[str, Any]:
    document = copy.deepcopy(example(name))
    document["settings"]["allow_reentry"] = reentry
    return document


def ready(client: TestClient, headers: dict[str, str], *, reentry: bool = False) -> str:
    """v1 published and current, v2 a complete draft (welcome-small-a)."""
    wid = str(create_workflow_via_api(client, headers, definition=_document(reentry))["id"])
    post_publish(client, headers, wid, 1)
    post_version(client, headers, wid, definition=_document(reentry, "welcome-small-a"))
    return wid


def start(client: TestClient, headers: dict[str, str], wid: str, **body: Any) -> dict[str, Any]:
    response = client.post(versions_url(wid, 2, "rollout"), json={"steps": STEPS, **body}, headers=headers)
    assert response.status_code == 201, response.text
    started: dict[str, Any] = response.json()
    return started


def enroll(client: TestClient, headers: dict[str, str], wid: str, contacts: list[str]) -> dict[str, Any]:
    response = client.post(
        f"{API}/{wid}/executions",
        params={"assignments": "true"},
        json={"contact_ids": contacts},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def sides(answer: dict[str, Any]) -> dict[str, int]:
    return {item["contact_id"]: item["version_number"] for item in answer["assignments"]}


def rollout_rows(container: Container) -> list[Rollout]:
    with container.uow("acme") as uow:
        return list(uow.session.scalars(select(Rollout)))


def audit_actions(container: Container) -> list[str]:
    with container.uow("acme") as uow:
        return list(uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def current_number(client: TestClient, headers: dict[str, str], wid: str) -> int:
    found = [v for v in client.get(versions_url(wid), headers=headers).json()["items"] if v["is_current"]]
    return int(found[0]["version_number"])


def note_records(container: Container, wid: str) -> list[Any]:
    notes = container.store.open("acme", uuid.UUID(wid)).notes(ROLLOUTS_NOTES_REF)
    return [record for text in notes.values() for record in parse_note(text)]


# --- the hash ----------------------------------------------------------------------------


def test_the_bucket_is_the_documented_hash_and_the_share_is_monotone() -> None:
    import hashlib

    wid = uuid.UUID("00000000-0000-4000-8000-000000000001")
    digest = hashlib.sha256(wid.bytes + b"\0" + b"c-1").digest()
    assert bucket(wid, "c-1") == int.from_bytes(digest[:8], "big") % BUCKETS
    contacts = [f"c-{n}" for n in range(2000)]
    for low, high in ((1, 5), (5, 25), (25, 50), (50, 100)):
        on_low = {c for c in contacts if to_target(wid, c, low, ())}
        on_high = {c for c in contacts if to_target(wid, c, high, ())}
        assert on_low <= on_high  # raising the share never moves a contact back to the baseline
    assert all(to_target(wid, c, 100, ()) for c in contacts)
    assert not any(to_target(wid, c, 0, {"c-1"}) for c in contacts)  # halted: the cohort too


# --- assignment through enrolment --------------------------------------------------------


def test_ten_thousand_enrolments_at_20_percent_land_within_two_points(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    editor = auth("workflows:edit")
    wid = ready(client, editor)
    started = start(client, editor, wid)
    assert (started["state"], started["share"], started["percent"]) == ("running", 20, 20)
    assert (started["target"]["version_number"], started["baseline"]["version_number"]) == (2, 1)
    answer = enroll(client, editor, wid, [f"contact-{n}" for n in range(10_000)])
    by_number = {item["version_number"]: item["enrolled"] for item in answer["by_version"]}
    assert sum(by_number.values()) == answer["enrolled"] == 10_000
    assert 1800 <= by_number[2] <= 2200, by_number
    assert Counter(sides(answer).values()) == Counter(by_number)
    with container.uow("acme") as uow:
        on_target = uow.session.scalars(
            select(Execution).where(Execution.version_id == uuid.UUID(started["target"]["version_id"]))
        ).all()
        assert len(on_target) == by_number[2]
        assert {e.current_action_id for e in on_target} == {"welcome"}
    shown = client.get(f"{API}/{wid}/rollout", headers=editor).json()
    counted = {item["version_number"]: item["enrolled"] for item in shown["enrolments"]}
    assert counted == by_number
    assert current_number(client, editor, wid) == 1  # the current version stays current


def test_a_contact_enrolled_again_lands_on_the_same_version_from_two_api_processes(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    editor = auth("workflows:edit")
    wid = ready(client, editor, reentry=True)
    start(client, editor, wid)
    contacts = [f"again-{n}" for n in range(400)]
    first = sides(enroll(client, editor, wid, contacts))
    assert set(first.values()) == {1, 2}
    done = [{"contact_id": c, "status": "completed"} for c in contacts]
    moved = client.post(f"{API}/{wid}/executions/positions", json={"moves": done}, headers=editor)
    assert moved.status_code == 200, moved.text
    other = build_container(container.settings)  # a second API process on the same database
    try:
        with TestClient(create_app(container=other)) as second:
            again = sides(enroll(second, editor, wid, contacts))
    finally:
        other.close()
    assert again == first


def test_the_cohort_always_gets_the_target(client: TestClient, auth: TokenFactory) -> None:
    editor = auth("workflows:edit")
    wid = ready(client, editor)
    cohort = [f"vip-{n}" for n in range(60)]
    steps = [{"percent": 1, "seconds": 60}, {"percent": 100, "seconds": 60}]
    started = start(client, editor, wid, steps=steps, cohort=cohort)
    assert started["cohort_size"] == 60
    assert set(sides(enroll(client, editor, wid, cohort)).values()) == {2}


# --- lifecycle -----------------------------------------------------------------------------


def test_pause_resume_abort(client: TestClient, auth: TokenFactory, container: Container) -> None:
    editor = auth("workflows:edit")
    wid = ready(client, editor)
    start(client, editor, wid)
    paused = client.post(f"{API}/{wid}/rollout/pause", headers=editor).json()
    assert (paused["state"], paused["share"], paused["next_step_at"]) == ("paused", 20, None)
    assert_problem(client.post(f"{API}/{wid}/rollout/pause", headers=editor), 409, "rollout-conflict")
    resumed = client.post(f"{API}/{wid}/rollout/resume", headers=editor).json()
    assert (resumed["state"], resumed["share"]) == ("running", 20)
    assert resumed["next_step_at"] is not None
    aborted = client.post(f"{API}/{wid}/rollout/abort", headers=editor).json()
    assert (aborted["state"], aborted["share"]) == ("aborted", 0)
    assert aborted["finished_at"] is not None
    assert set(sides(enroll(client, editor, wid, [f"after-{n}" for n in range(300)])).values()) == {1}
    assert current_number(client, editor, wid) == 1
    v2 = client.get(versions_url(wid, 2), headers=editor).json()
    assert v2["status"] == "draft"  # nothing published
    assert_problem(client.post(f"{API}/{wid}/rollout/resume", headers=editor), 404, "rollout-not-found")
    actions = [a for a in audit_actions(container) if a.startswith("rollout_")]
    assert actions == ["rollout_started", "rollout_paused", "rollout_resumed", "rollout_aborted"]
    events = [r.event for r in note_records(container, wid)]
    assert events == actions
    # Over: a new rollout may start, and the draft may be edited again.
    start(client, editor, wid)


def test_a_halt_sends_every_new_contact_to_the_baseline(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    editor = auth("workflows:edit")
    wid = ready(client, editor)
    start(client, editor, wid, cohort=["vip"])
    with container.uow("acme", write=True) as uow:
        rollout = uow.session.scalars(select(Rollout)).one()
        transitions.halt(
            uow, rollout, {"kind": "failure_rate", "target": 0.3, "baseline": 0.01}, rollout.created_at
        )
        uow.commit()
    shown = client.get(f"{API}/{wid}/rollout", headers=editor).json()
    assert (shown["state"], shown["share"], shown["next_step_at"]) == ("halted", 0, None)
    assert shown["halted_reason"]["kind"] == "failure_rate"
    assert set(sides(enroll(client, editor, wid, ["vip", *(f"h-{n}" for n in range(300))])).values()) == {1}
    assert "rollout_halted" in audit_actions(container)
    resumed = client.post(f"{API}/{wid}/rollout/resume", headers=editor).json()
    assert (resumed["state"], resumed["share"], resumed["halted_reason"]) == ("running", 20, None)


def test_promote_publishes_the_target_as_a_publish_does(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    container.settings = container.settings.model_copy(
        update={"webhook_allow_http": True, "webhook_allow_private_networks": True}
    )
    admin = auth("workflows:admin")
    hook = {"url": "http://127.0.0.1:9/in", "event_types": ["version.published"]}
    assert client.post("/api/v1/admin/webhooks", json=hook, headers=admin).status_code == 201
    editor = auth("workflows:edit")
    wid = ready(client, editor)
    started = start(client, editor, wid)
    promoted = client.post(f"{API}/{wid}/rollout/promote", headers=editor)
    assert promoted.status_code == 200, promoted.text
    assert (promoted.json()["state"], promoted.json()["share"]) == ("published", 0)
    assert current_number(client, editor, wid) == 2
    v2 = client.get(versions_url(wid, 2), headers=editor).json()
    repo = container.store.open("acme", uuid.UUID(wid))
    assert repo.ref_target("refs/heads/main") == v2["commit_sha"]
    assert repo.peel_to_commit(repo.ref_target("refs/tags/v2") or "") == v2["commit_sha"]
    actions = audit_actions(container)
    assert actions.count("publish") == 2
    assert actions[-2:] == ["publish", "rollout_published"]
    with container.uow("acme") as uow:
        events = uow.session.scalars(
            select(WebhookEvent).where(WebhookEvent.event_type == "version.published")
        )
        published = [e.payload for e in events]
    assert [p["data"].get("rollout_id") for p in published if p["data"]["version_number"] == 2] == [
        started["id"]
    ]
    # The note moved with the version: the publish commit carries the whole story.
    on_main = parse_note(repo.note(ROLLOUTS_NOTES_REF, v2["commit_sha"]) or "")
    assert [r.event for r in on_main] == ["rollout_started", "rollout_published"]
    # Enrolment after the publish: the new current version, no rollout.
    answer = enroll(client, editor, wid, ["late"])
    assert answer["by_version"] == [{"version_id": v2["id"], "version_number": 2, "enrolled": 1}]


def test_concurrent_promotes_publish_exactly_once(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    from tests.service.test_concurrency import in_parallel

    editor = auth("workflows:edit")
    wid = ready(client, editor)
    start(client, editor, wid)

    def promote(_: int) -> int:
        with TestClient(create_app(container=container)) as each:
            return int(each.post(f"{API}/{wid}/rollout/promote", headers=editor).status_code)

    outcomes = in_parallel(6, promote)
    # One publishes; the rest, once the workflow's lock is theirs, find no rollout left.
    assert sorted(o if isinstance(o, int) else 0 for o in outcomes) == [200] + [404] * 5, outcomes
    actions = audit_actions(container)
    assert actions.count("rollout_published") == 1
    assert actions.count("publish") == 2  # v1, then v2 once
    repo = container.store.open("acme", uuid.UUID(wid))
    main = repo.ref_target("refs/heads/main") or ""
    assert len(list(repo.first_parent_walk(main))) == 2


# --- the 409 and the locked target -----------------------------------------------------------


def test_publish_rollback_and_edits_of_the_target_are_refused_during_a_rollout(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    admin = auth("workflows:admin")
    wid = ready(client, admin)
    started = start(client, admin, wid)
    post_version(client, admin, wid)  # v3, another draft: drafts may still be made
    before = audit_actions(container)
    body = assert_problem(
        client.post(versions_url(wid, 3, "publish"), headers=admin), 409, "rollout-in-progress"
    )
    assert body["rollout_id"] == started["id"]
    assert started["id"] in body["detail"]
    assert_problem(client.post(versions_url(wid, 1, "rollback"), headers=admin), 409, "rollout-in-progress")
    assert_problem(client.post(versions_url(wid, 2, "publish"), headers=admin), 409, "rollout-in-progress")
    lock = client.get(versions_url(wid, 2), headers=admin).json()["lock_version"]
    edit = {"definition": _document(False, "welcome-small-b"), "lock_version": lock}
    assert_problem(client.patch(versions_url(wid, 2), json=edit, headers=admin), 409, "rollout-in-progress")
    deleted = client.delete(versions_url(wid, 2), headers=admin | {"If-Match": f'"{lock}"'})
    assert_problem(deleted, 409, "rollout-in-progress")
    # Nor the workflow (no contact is in flight yet: the rollout alone holds it).
    assert_problem(client.delete(f"{API}/{wid}", headers=admin), 409, "rollout-in-progress")
    assert audit_actions(container) == before
    assert current_number(client, admin, wid) == 1


# --- bad inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"steps": [{"percent": 50, "seconds": 60}, {"percent": 20, "seconds": 60}]}, "increase"),
        ({"steps": [{"percent": 50, "seconds": 60}, {"percent": 50, "seconds": 60}]}, "increase"),
        ({"steps": [{"percent": 0, "seconds": 60}, {"percent": 100, "seconds": 60}]}, "percent"),
        ({"steps": [{"percent": 101, "seconds": 60}]}, "percent"),
        ({"steps": [{"percent": 10, "seconds": 60}, {"percent": 50, "seconds": 60}]}, "100"),
        ({"steps": [{"percent": 100, "seconds": 0}]}, "seconds"),
        ({"steps": []}, "steps"),
        ({"steps": STEPS, "cohort": [f"c-{n}" for n in range(1001)]}, "cohort"),
        ({"steps": STEPS, "cohort": ["x" * 256]}, "cohort"),
        ({"steps": STEPS, "guard": {"failure_margin": 2}}, "failure_margin"),
        ({"steps": STEPS, "guard": {"min_sample": 0}}, "min_sample"),
        ({"steps": STEPS, "extra": 1}, "extra"),
    ],
)
def test_bad_bodies_are_problems_that_change_nothing(
    client: TestClient, auth: TokenFactory, container: Container, body: dict[str, Any], why: str
) -> None:
    editor = auth("workflows:edit")
    wid = ready(client, editor)
    before = audit_actions(container)
    problem = assert_problem(client.post(versions_url(wid, 2, "rollout"), json=body, headers=editor), 422)
    assert why in str(problem)
    assert rollout_rows(container) == []
    assert audit_actions(container) == before


def test_refused_starts_change_nothing(client: TestClient, auth: TokenFactory, container: Container) -> None:
    editor = auth("workflows:edit")
    wid = ready(client, editor)
    body = {"steps": STEPS}
    url = versions_url(wid, "{}", "rollout").replace("%7B%7D", "{}")
    before = audit_actions(container)
    assert_problem(client.post(url.format(99), json=body, headers=editor), 404, "version-not-found")
    assert_problem(client.post(url.format(1), json=body, headers=editor), 409, "version-conflict")  # current
    incomplete = post_version(client, editor, wid, definition=example("incomplete"))
    assert_problem(client.post(url.format(incomplete["version_number"]), json=body, headers=editor), 422)
    other = auth("workflows:edit", org="globex")
    assert_problem(client.post(url.format(2), json=body, headers=other), 404, "workflow-not-found")
    reader = auth("workflows:read")
    assert_problem(client.post(url.format(2), json=body, headers=reader), 403)
    fresh = str(create_workflow_via_api(client, editor, name="never published")["id"])
    assert_problem(client.post(versions_url(fresh, 1, "rollout"), json=body, headers=editor), 409)
    assert rollout_rows(container) == []
    made = audit_actions(container)[len(before) :]
    assert len(made) == 2  # the incomplete draft and the fresh workflow, nothing of a rollout
    assert not [a for a in made if a.startswith("rollout_")]
    assert_problem(client.get(f"{API}/{wid}/rollout", headers=editor), 404, "rollout-not-found")
    assert_problem(client.get(f"{API}/{wid}/rollout", headers=other), 404, "workflow-not-found")
    assert_problem(client.post(f"{API}/{wid}/rollout/pause", headers=editor), 404, "rollout-not-found")
    # One at a time.
    start(client, editor, wid)
    again = client.post(url.format(incomplete["version_number"]), json=body, headers=editor)
    assert_problem(again, 409, "rollout-conflict")
    assert len(rollout_rows(container)) == 1


def test_the_review_gate_applies_to_a_rollout(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    admin = auth("workflows:admin")
    wid = ready(client, admin)
    assert client.patch(f"{API}/{wid}", json={"required_approvals": 1}, headers=admin).status_code == 200
    response = client.post(versions_url(wid, 2, "rollout"), json={"steps": STEPS}, headers=admin)
    assert_problem(response, 409, "publish-blocked")
    assert rollout_rows(container) == []


def test_versions_stay_as_they_were(container: Container, client: TestClient, auth: TokenFactory) -> None:
    """The target's row is not touched by a rollout until it publishes."""
    editor = auth("workflows:edit")
    wid = ready(client, editor)
    with container.uow("acme") as uow:
        before = uow.session.scalars(
            select(WorkflowVersion.lock_version).order_by(WorkflowVersion.version_number)
        ).all()
    start(client, editor, wid)
    client.post(f"{API}/{wid}/rollout/pause", headers=editor)
    with container.uow("acme") as uow:
        after = uow.session.scalars(
            select(WorkflowVersion.lock_version).order_by(WorkflowVersion.version_number)
        ).all()
    assert before == after


def test_a_reader_sees_the_migrate_back_dry_run_and_the_guards_verdict(
    client: TestClient, auth: TokenFactory
) -> None:
    admin, reader = auth("workflows:admin"), auth("workflows:read")
    wid = ready(client, admin)
    start(client, admin, wid)
    enrolled = client.post(
        f"{API}/{wid}/executions", json={"contact_ids": [f"c-{n}" for n in range(200)]}, headers=admin
    )
    assert enrolled.status_code == 201, enrolled.text
    on_target = {v["version_number"]: v["enrolled"] for v in enrolled.json()["by_version"]}.get(2, 0)
    plan = client.get(f"{API}/{wid}/rollout/migrate-back", headers=reader)
    assert plan.status_code == 200, plan.text
    assert (plan.json()["dry_run"], plan.json()["total"]) == (True, on_target)
    shown = client.get(f"{API}/{wid}/rollout", headers=reader).json()
    assert shown["guard_verdict"]["target"]["enrolled"] == on_target
    assert_problem(
        client.get(f"{API}/{wid}/rollout/migrate-back?unmapped=sideways", headers=reader),
        422,
        "mapping-invalid",
    )
