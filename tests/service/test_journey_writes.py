"""Every change of an execution's position writes its journey row in the same transaction,
on both databases: enrolment, the engine's reports (one statement per batch on
PostgreSQL, one after the other when a batch names an execution twice), a migration's
moves and its exits; the row carries the revision after the change and where the
execution was before. With the journey off (WFV_JOURNEY_RETENTION_DAYS=0) only the
positions are written."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import Execution, JourneyEvent, WorkflowVersion
from service.container import Container
from tests.factories import create_workflow_via_api, example, post_publish, post_version, versions_url

API = "/api/v1/workflows"


def _journeys(container: Container, wid: str) -> dict[str, list[tuple[Any, ...]]]:
    """Each contact's journey rows as (cause, version number, action, status, revision,
    from version number, from action, from status), oldest first."""
    with container.uow("acme") as uow:
        versions = select(WorkflowVersion.id, WorkflowVersion.version_number).where(
            WorkflowVersion.workflow_id == uuid.UUID(wid)
        )
        numbers = dict(uow.session.execute(versions).all())
        rows = uow.session.scalars(
            select(JourneyEvent)
            .where(JourneyEvent.workflow_id == uuid.UUID(wid))
            .order_by(JourneyEvent.at, JourneyEvent.seq)
        ).all()
        found: dict[str, list[tuple[Any, ...]]] = {}
        for row in rows:
            found.setdefault(row.contact_id, []).append(
                (
                    row.cause,
                    numbers[row.version_id],
                    row.action_id,
                    row.status,
                    row.revision,
                    numbers.get(row.from_version_id) if row.from_version_id else None,
                    row.from_action_id,
                    row.from_status,
                )
            )
        return found


def _revisions(container: Container, wid: str) -> dict[str, int]:
    with container.uow("acme") as uow:
        rows = uow.session.execute(
            select(Execution.contact_id, Execution.revision).where(Execution.workflow_id == uuid.UUID(wid))
        )
        return dict(rows.all())


def _flow(client: TestClient, auth) -> str:
    admin = auth("workflows:admin")
    wid: str = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
    post_publish(client, admin, wid, 1)
    enrolled = client.post(f"{API}/{wid}/executions", json={"contact_ids": ["a", "b", "c"]}, headers=admin)
    assert enrolled.status_code == 201
    return wid


def test_enrolment_reports_and_a_migration_each_write_their_rows(
    client: TestClient, container: Container, auth
) -> None:
    admin = auth("workflows:admin")
    wid = _flow(client, auth)
    # One batch, each execution once (PostgreSQL: one statement).
    moves = [
        {"contact_id": "a", "action_id": "wait-1d", "status": "waiting"},
        {"contact_id": "b", "action_id": "reminder", "status": "active"},
    ]
    assert (
        client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin).json()[
            "updated"
        ]
        == 2
    )
    # One batch naming "a" twice: applied one after the other, both kept.
    moves = [
        {"contact_id": "a", "action_id": "opened?", "status": "active"},
        {"contact_id": "a", "action_id": "tips", "status": "waiting"},
    ]
    assert (
        client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin).json()[
            "updated"
        ]
        == 2
    )
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    post_publish(client, admin, wid, 2)
    # "reminder" has no counterpart in v2: b exits by policy; a and c move.
    response = client.post(
        versions_url(wid, 2, "migrate"), json={"from_versions": [1], "unmapped": "exit"}, headers=admin
    )
    assert response.status_code == 202, response.text
    migration = response.json()["id"]
    assert client.get(f"{API}/{wid}/migrations/{migration}", headers=admin).json()["status"] == "completed"

    journeys = _journeys(container, wid)
    assert journeys["a"] == [
        ("enrolment", 1, "welcome", "active", 1, None, None, None),
        ("engine", 1, "wait-1d", "waiting", 2, 1, "welcome", "active"),
        ("engine", 1, "opened?", "active", 3, 1, "wait-1d", "waiting"),
        ("engine", 1, "tips", "waiting", 4, 1, "opened?", "active"),
        ("migration", 2, "tips", "waiting", 5, 1, "tips", "waiting"),
    ]
    assert journeys["b"] == [
        ("enrolment", 1, "welcome", "active", 1, None, None, None),
        ("engine", 1, "reminder", "active", 2, 1, "welcome", "active"),
        ("migration", 1, "reminder", "exited", 3, 1, "reminder", "active"),
    ]
    assert journeys["c"] == [
        ("enrolment", 1, "welcome", "active", 1, None, None, None),
        ("migration", 2, "welcome", "active", 2, 1, "welcome", "active"),
    ]
    # The execution's revision is its newest row's.
    assert _revisions(container, wid) == {contact: rows[-1][4] for contact, rows in journeys.items()}
    with container.uow("acme") as uow:
        causes = set(
            uow.session.scalars(select(JourneyEvent.cause_id).where(JourneyEvent.cause == "migration"))
        )
    assert causes == {uuid.UUID(migration)}


def test_with_the_journey_off_only_positions_are_written(
    client: TestClient, container: Container, auth
) -> None:
    container.settings.journey_retention_days = 0
    admin = auth("workflows:admin")
    wid = _flow(client, auth)
    moves = [{"contact_id": "a", "action_id": "wait-1d", "status": "waiting"}]
    assert (
        client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin).json()[
            "updated"
        ]
        == 1
    )
    assert _journeys(container, wid) == {}
    assert _revisions(container, wid) == {"a": 2, "b": 1, "c": 1}
