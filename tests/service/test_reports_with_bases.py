"""Position reports that name their base, on both databases: a move computed on a position
wfv has since changed (a migration moved the contact) is refused alone and answered with
where the execution is now; the other moves of the batch apply; moves without a base keep
the old behaviour; an invalid move still refuses the whole batch."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import Execution, JourneyEvent
from service.container import Container
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    versions_url,
)

API = "/api/v1/workflows"


def _positions(container: Container, wid: str) -> dict[str, tuple[Any, ...]]:
    with container.uow("acme") as uow:
        rows = uow.session.execute(
            select(
                Execution.contact_id,
                Execution.version_id,
                Execution.current_action_id,
                Execution.status,
                Execution.revision,
            ).where(Execution.workflow_id == uuid.UUID(wid))
        )
        return {
            contact: (version, action, status, revision)
            for contact, version, action, status, revision in rows
        }


def _migrated(client: TestClient, admin: dict[str, str]) -> tuple[str, dict[str, str]]:
    """c-1..c-4 enrolled on v1 (welcome-small); c-1 and c-2 then migrated to v2."""
    wid: str = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
    post_publish(client, admin, wid, 1)
    client.post(f"{API}/{wid}/executions", json={"contact_ids": ["c-1", "c-2", "c-3", "c-4"]}, headers=admin)
    versions = {"v1": client.get(versions_url(wid, 1), headers=admin).json()["id"]}
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    post_publish(client, admin, wid, 2)
    versions["v2"] = client.get(versions_url(wid, 2), headers=admin).json()["id"]
    body = {"from_versions": [1], "strategy": "manual", "contact_ids": ["c-1", "c-2"]}
    assert client.post(versions_url(wid, 2, "migrate"), json=body, headers=admin).status_code == 202
    return wid, versions


def _report(client: TestClient, admin: dict[str, str], wid: str, moves: list[Any]) -> Any:
    return client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin)


def test_a_stale_move_is_refused_alone_and_the_rest_applies(
    client: TestClient, container: Container, auth: Any
) -> None:
    admin = auth("workflows:admin")
    wid, versions = _migrated(client, admin)
    before = _positions(container, wid)
    assert before["c-1"] == (uuid.UUID(versions["v2"]), "welcome", "active", 2)  # moved: revision 2
    moves = [
        # Computed on v1 before the migration: stale (by revision, then by version and action).
        {"contact_id": "c-1", "action_id": "reminder", "status": "waiting", "base_revision": 1},
        {
            "contact_id": "c-2",
            "action_id": "reminder",
            "status": "waiting",
            "base_version_id": versions["v1"],
            "base_action_id": "welcome",
        },
        # Fresh bases, and a move with none (applied as before).
        {"contact_id": "c-3", "action_id": "wait-1d", "status": "waiting", "base_revision": 1},
        {"contact_id": "c-4", "action_id": "wait-1d", "status": "waiting"},
    ]
    answer = _report(client, admin, wid, moves)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert (result["updated"], result["stale"]) == (2, 2)
    assert [
        (m["index"], m["contact_id"], m["version_id"], m["action_id"], m["status"], m["revision"])
        for m in result["stale_moves"]
    ] == [
        (0, "c-1", versions["v2"], "welcome", "active", 2),
        (1, "c-2", versions["v2"], "welcome", "active", 2),
    ]
    after = _positions(container, wid)
    assert after["c-1"] == before["c-1"]
    assert after["c-2"] == before["c-2"]
    assert after["c-3"] == (uuid.UUID(versions["v1"]), "wait-1d", "waiting", 2)
    assert after["c-4"] == (uuid.UUID(versions["v1"]), "wait-1d", "waiting", 2)
    # Re-based on what the answer said, the move applies.
    rebased = [{"contact_id": "c-1", "action_id": "tips", "status": "waiting", "base_revision": 2}]
    assert _report(client, admin, wid, rebased).json() == {"updated": 1, "stale": 0, "stale_moves": []}
    with container.uow("acme") as uow:
        causes = uow.session.scalars(
            select(JourneyEvent.cause).where(JourneyEvent.contact_id == "c-1").order_by(JourneyEvent.seq)
        ).all()
    assert causes == ["enrolment", "migration", "engine"]  # the stale move left no trace


def test_bases_follow_the_batch_and_an_invalid_move_still_refuses_it_all(
    client: TestClient, container: Container, auth: Any
) -> None:
    admin = auth("workflows:admin")
    wid, _ = _migrated(client, admin)
    # Two moves of one execution in one batch: the second is based on the first.
    chained = [
        {"contact_id": "c-3", "action_id": "wait-1d", "status": "waiting", "base_revision": 1},
        {"contact_id": "c-3", "action_id": "opened?", "status": "active", "base_revision": 2},
    ]
    assert _report(client, admin, wid, chained).json()["updated"] == 2
    assert _positions(container, wid)["c-3"][1:] == ("opened?", "active", 3)
    before = _positions(container, wid)
    mixed = [
        {"contact_id": "c-1", "action_id": "tips", "status": "waiting", "base_revision": 1},  # stale
        {"contact_id": "c-4", "action_id": "no-such-step", "status": "waiting"},  # invalid
    ]
    assert_problem(_report(client, admin, wid, mixed), 422, "invalid-moves")
    assert _positions(container, wid) == before


def test_a_base_is_one_or_the_other(client: TestClient, container: Container, auth: Any) -> None:
    admin = auth("workflows:admin")
    wid, versions = _migrated(client, admin)
    before = _positions(container, wid)
    both = {"contact_id": "c-3", "action_id": "wait-1d", "status": "waiting", "base_revision": 1}
    both |= {"base_version_id": versions["v1"], "base_action_id": "welcome"}
    half = {"contact_id": "c-3", "action_id": "wait-1d", "status": "waiting", "base_action_id": "welcome"}
    for move in (both, half):
        assert _report(client, admin, wid, [move]).status_code == 422
    assert _positions(container, wid) == before
