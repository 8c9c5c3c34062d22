"""Journey reads over rows written here (the writes have their own tests), on both
databases: an execution's journey in order and by pages, a contact's position as of
instants between its events (re-entry, a contact that left, the future), the 404s, the
tenant wall, bad input; on PostgreSQL the plan of the as-of read."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from indexer import journey_reads
from indexer.models import Execution, JourneyEvent, WorkflowVersion
from schemas.timestamps import rfc3339
from service.container import Container
from tests.factories import assert_problem, published_history

API = "/api/v1/workflows"
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _rows(container: Container, rows: list[dict[str, Any]], tenant: str = "acme") -> None:
    with container.uow(tenant, write=True) as uow:
        uow.session.add_all(JourneyEvent(tenant_id=tenant, **row) for row in rows)
        uow.commit()


def _execution(
    container: Container, workflow_id: uuid.UUID, version_id: uuid.UUID, contact: str, status: str
) -> uuid.UUID:
    execution_id = uuid.uuid4()
    with container.uow("acme", write=True) as uow:
        uow.session.add(
            Execution(
                id=execution_id,
                tenant_id="acme",
                workflow_id=workflow_id,
                version_id=version_id,
                contact_id=contact,
                current_action_id=None,
                status=status,
                enrolled_at=T0,
                updated_at=T0,
            )
        )
        uow.commit()
    return execution_id


def _event(
    workflow_id: uuid.UUID,
    execution_id: uuid.UUID,
    contact: str,
    minutes: float,
    to: tuple[uuid.UUID, str | None, str],
    cause: str,
    revision: int,
    was: tuple[uuid.UUID, str | None, str] | None = None,
    cause_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    return {
        "workflow_id": workflow_id,
        "execution_id": execution_id,
        "contact_id": contact,
        "at": _at(minutes),
        "version_id": to[0],
        "action_id": to[1],
        "status": to[2],
        "revision": revision,
        "cause": cause,
        "cause_id": cause_id,
        "from_version_id": was[0] if was else None,
        "from_action_id": was[1] if was else None,
        "from_status": was[2] if was else None,
    }


@pytest.fixture
def story(container: Container) -> dict[str, Any]:
    """c-1: enrolled on v1 at 0, moved by the engine at 10, migrated to v2 at 20 (two
    events in that same second: the migration, then the engine's report), completed at 30;
    enrolled again on v2 at 40. c-2: enrolled at 5, still there."""
    workflow_id, v1, v2 = published_history(container, 2)
    first = _execution(container, workflow_id, v2, "c-1", "completed")
    second = _execution(container, workflow_id, v2, "c-1", "active")
    other = _execution(container, workflow_id, v1, "c-2", "active")
    migration = uuid.uuid4()
    enrolled, waiting = (v1, "welcome", "active"), (v1, "wait-1d", "waiting")
    migrated, reported = (v2, "wait-1d", "waiting"), (v2, "tips", "active")
    done = (v2, None, "completed")
    _rows(
        container,
        [
            _event(workflow_id, first, "c-1", 0, enrolled, "enrolment", 1),
            _event(workflow_id, other, "c-2", 5, enrolled, "enrolment", 1),
            _event(workflow_id, first, "c-1", 10, waiting, "engine", 2, enrolled),
            _event(workflow_id, first, "c-1", 20, migrated, "migration", 3, waiting, migration),
            _event(workflow_id, first, "c-1", 20, reported, "engine", 4, migrated),
            _event(workflow_id, first, "c-1", 30, done, "engine", 5, reported),
            _event(workflow_id, second, "c-1", 40, (v2, "welcome", "active"), "enrolment", 1),
        ],
    )
    with container.uow("acme") as uow:
        numbers = {v.id: (v.version_number, v.commit_sha) for v in uow.session.query(WorkflowVersion)}
    return {
        "wid": str(workflow_id),
        "first": str(first),
        "second": str(second),
        "v1": str(v1),
        "v2": str(v2),
        "migration": str(migration),
        "numbers": numbers,
    }


def _journey(client: TestClient, headers: dict[str, str], story: dict[str, Any], **params: Any) -> Any:
    return client.get(
        f"{API}/{story['wid']}/executions/{story['first']}/journey", params=params, headers=headers
    )


def _as_of(client: TestClient, headers: dict[str, str], wid: str, contact: str, at: datetime | str) -> Any:
    when = at if isinstance(at, str) else at.isoformat()
    return client.get(f"{API}/{wid}/contacts/{contact}/as-of", params={"at": when}, headers=headers)


def test_a_journey_is_every_event_of_the_execution_oldest_first(
    client: TestClient, auth: Any, story: dict[str, Any]
) -> None:
    response = _journey(client, auth("workflows:read"), story)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert response.json()["next_cursor"] is None
    shape = [
        (
            e["cause"],
            e["version_number"],
            e["action_id"],
            e["status"],
            e["revision"],
            e["from_version_number"],
            e["from_action_id"],
            e["from_status"],
        )
        for e in items
    ]
    assert shape == [
        ("enrolment", 1, "welcome", "active", 1, None, None, None),
        ("engine", 1, "wait-1d", "waiting", 2, 1, "welcome", "active"),
        ("migration", 2, "wait-1d", "waiting", 3, 1, "wait-1d", "waiting"),
        ("engine", 2, "tips", "active", 4, 2, "wait-1d", "waiting"),
        ("engine", 2, None, "completed", 5, 2, "tips", "active"),
    ]
    assert [e["at"] for e in items] == [rfc3339(_at(m)) for m in (0, 10, 20, 20, 30)]
    assert items[2]["cause_id"] == story["migration"]
    assert {e["cause_id"] for e in items if e["cause"] != "migration"} == {None}
    assert {e["execution_id"] for e in items} == {story["first"]}
    v2 = story["numbers"][uuid.UUID(story["v2"])]
    assert (items[-1]["version_id"], items[-1]["commit_sha"]) == (story["v2"], v2[1])
    assert items[0]["from_version_id"] is None
    assert items[1]["from_version_id"] == story["v1"]


def test_a_journey_by_pages_is_the_same_journey(client: TestClient, auth: Any, story: dict[str, Any]) -> None:
    reader = auth("workflows:read")
    whole = _journey(client, reader, story).json()["items"]
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = _journey(client, reader, story, limit=2, **({"cursor": cursor} if cursor else {})).json()
        assert len(page["items"]) <= 2
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == whole  # the two events of one second are split across pages, in seq order
    assert_problem(_journey(client, reader, story, cursor="not-a-cursor"), 400)
    assert_problem(_journey(client, reader, story, limit=0), 422)


def test_as_of_answers_each_state_between_the_events(
    client: TestClient, auth: Any, story: dict[str, Any]
) -> None:
    reader, wid = auth("workflows:read"), story["wid"]
    expected = [
        (0, 1, "welcome", "active", "enrolment", story["first"]),
        (5, 1, "welcome", "active", "enrolment", story["first"]),
        (10, 1, "wait-1d", "waiting", "engine", story["first"]),
        (15, 1, "wait-1d", "waiting", "engine", story["first"]),
        (20, 2, "tips", "active", "engine", story["first"]),  # the newer of the same second
        (25, 2, "tips", "active", "engine", story["first"]),
        (40, 2, "welcome", "active", "enrolment", story["second"]),  # enrolled again
        (60 * 24 * 365, 2, "welcome", "active", "enrolment", story["second"]),  # the future: now
    ]
    for minutes, number, action, status, cause, execution in expected:
        response = _as_of(client, reader, wid, "c-1", _at(minutes))
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["version_number"], body["action_id"], body["status"]) == (number, action, status), (
            minutes
        )
        assert (body["event"]["cause"], body["execution_id"]) == (cause, execution), minutes
        assert body["at"] == rfc3339(_at(minutes))
        assert body["left"] is False
        assert body["left_at"] is None
        assert body["since"] == body["event"]["at"]
        assert body["commit_sha"] == story["numbers"][uuid.UUID(body["version_id"])][1]
        assert body["contact_id"] == "c-1"


def test_as_of_after_the_contact_left_says_so_and_when(
    client: TestClient, auth: Any, story: dict[str, Any]
) -> None:
    """Between completing (30) and enrolling again (40): where it ended, and when."""
    for minutes in (30, 35):
        response = _as_of(client, auth("workflows:read"), story["wid"], "c-1", _at(minutes))
        body = response.json()
        assert (body["left"], body["left_at"], body["status"]) == (True, rfc3339(_at(30)), "completed")
        assert (body["action_id"], body["version_number"], body["execution_id"]) == (None, 2, story["first"])


def test_as_of_before_the_first_event_or_never_enrolled_is_a_404(
    client: TestClient, auth: Any, story: dict[str, Any]
) -> None:
    reader, wid = auth("workflows:read"), story["wid"]
    assert_problem(_as_of(client, reader, wid, "c-1", _at(-0.5)), 404, "not-enrolled-then")
    assert_problem(_as_of(client, reader, wid, "c-2", _at(4)), 404, "not-enrolled-then")
    assert _as_of(client, reader, wid, "c-2", _at(5)).json()["status"] == "active"
    assert_problem(_as_of(client, reader, wid, "nobody", _at(100)), 404, "not-enrolled-then")
    # An offset other than UTC is the same instant.
    east = _at(10).astimezone(timezone_plus(5, 30))
    assert _as_of(client, reader, wid, "c-1", east).json()["action_id"] == "wait-1d"


def test_a_404_says_where_the_kept_journey_starts_by_the_services_clock(
    client: TestClient, auth: Any, story: dict[str, Any], container: Container
) -> None:
    """The date it names is the retention task's (the container's clock), not the host's."""
    container.clock = lambda: datetime(2031, 1, 15, 13, 0, tzinfo=UTC)
    response = _as_of(client, auth("workflows:read"), story["wid"], "nobody", _at(100))
    assert_problem(response, 404, "not-enrolled-then")
    days = container.settings.journey_retention_days
    assert (
        f"from about {(datetime(2031, 1, 15) - timedelta(days=days)).date().isoformat()}"
        in (response.json()["detail"])
    )


def timezone_plus(hours: int, minutes: int) -> Any:
    from datetime import timezone

    return timezone(timedelta(hours=hours, minutes=minutes))


def test_bad_instants_are_refused(client: TestClient, auth: Any, story: dict[str, Any]) -> None:
    reader, wid = auth("workflows:read"), story["wid"]
    for bad in ("2026-12-01T10:00:00", "yesterday", "", "2026-13-01T00:00:00Z"):
        assert_problem(_as_of(client, reader, wid, "c-1", bad), 422)
    missing = client.get(f"{API}/{wid}/contacts/c-1/as-of", headers=reader)
    assert_problem(missing, 422)


def test_unknown_workflow_or_execution_and_another_tenant_are_404(
    client: TestClient, auth: Any, story: dict[str, Any]
) -> None:
    reader, wid = auth("workflows:read"), story["wid"]
    nowhere = str(uuid.uuid4())
    when = _at(15).isoformat()
    assert_problem(
        client.get(f"{API}/{wid}/executions/{nowhere}/journey", headers=reader), 404, "execution-not-found"
    )
    assert_problem(client.get(f"{API}/{nowhere}/executions/{story['first']}/journey", headers=reader), 404)
    assert_problem(_as_of(client, reader, nowhere, "c-1", when), 404, "workflow-not-found")
    stranger = auth("workflows:admin", org="globex")
    assert_problem(_journey(client, stranger, story), 404, "workflow-not-found")
    assert_problem(_as_of(client, stranger, wid, "c-1", when), 404, "workflow-not-found")
    assert_problem(_journey(client, {}, story), 401)


def test_another_tenants_execution_under_our_workflow_is_not_found(
    client: TestClient, container: Container, auth: Any, story: dict[str, Any]
) -> None:
    """globex's own workflow, asked with acme's execution id: a 404, never acme's rows."""
    theirs = published_history(container, 1, org="globex")[0]
    stranger = auth("workflows:read", org="globex")
    response = client.get(f"{API}/{theirs}/executions/{story['first']}/journey", headers=stranger)
    assert_problem(response, 404, "execution-not-found")
    assert_problem(_as_of(client, stranger, str(theirs), "c-1", _at(15)), 404, "not-enrolled-then")


def test_as_of_walks_the_contact_index_of_the_partitions_up_to_the_instant(
    container: Container, story: dict[str, Any]
) -> None:
    """EXPLAIN of the as-of read on PostgreSQL: index scans of the (workflow, contact, at,
    seq) index only, and no partition of a week after the instant."""
    if not container.settings.resolved_database_url.startswith("postgresql"):
        pytest.skip("partitions are PostgreSQL's")
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    statement = journey_reads.as_of_statement("acme", uuid.UUID(story["wid"]), "c-1", today)
    with container.uow("acme") as uow:
        connection = uow.session.connection()
        compiled = statement.compile(dialect=connection.dialect)
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
    monday = today - timedelta(days=today.weekday())  # partitions are weeks, named by Monday
    next_week = f"execution_journey_p{(monday + timedelta(days=7)):%Y%m%d}"
    this_week = f"execution_journey_p{monday:%Y%m%d}"
    assert this_week in plan, plan
    assert "execution_journey_default" in plan, plan
    assert next_week not in plan, plan
    assert "Seq Scan" not in plan, plan
    assert "Sort" not in plan.replace("Sort Key", ""), plan
    assert plan.count("Index Scan Backward") >= 2, plan
