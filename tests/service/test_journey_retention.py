"""The daily expiry of the journey, run as the worker runs it (the task's function, the
service's own role on PostgreSQL): what is older than the retention goes, nothing newer.
PostgreSQL: an old day partition (made here by the schema owner) is dropped, the default
partition's expired rows deleted, and today's partition and the newer default rows kept;
SQLite: the same with rows."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, text

from indexer.db import make_engine
from indexer.models import JourneyEvent
from service.container import Container
from service.settings import Settings
from tasks.journeys import expire_journeys
from tests.factories import published_history


def _old_day(now: datetime) -> datetime:
    return (now - timedelta(days=200)).replace(hour=0, minute=0, second=0)


def _old_partition(now: datetime) -> str:
    return f"execution_journey_p{_old_day(now):%Y%m%d}"


def _row(workflow_id: uuid.UUID, version_id: uuid.UUID, at: datetime, contact: str) -> JourneyEvent:
    return JourneyEvent(
        tenant_id="acme",
        workflow_id=workflow_id,
        execution_id=uuid.uuid4(),
        contact_id=contact,
        at=at,
        version_id=version_id,
        action_id="welcome",
        status="active",
        revision=1,
        cause="enrolment",
    )


def _contacts(container: Container) -> set[str]:
    with container.uow("acme") as uow:
        return set(uow.session.scalars(select(JourneyEvent.contact_id)))


@pytest.fixture
def history(container: Container) -> dict[str, datetime]:
    """Rows at these times; on PostgreSQL the 200-day-old ones in a day partition of their own.
    Now is the test's (not the module's import: a suite may run past midnight meanwhile), and
    the container's clock, which the expiry reads on SQLite, is held at it; PostgreSQL's
    function reads the database's clock, a moment later."""
    now = datetime.now(UTC).replace(microsecond=0)
    container.clock = lambda: now
    old_day, old_partition = _old_day(now), _old_partition(now)
    postgres = container.settings.resolved_database_url.startswith("postgresql")
    if postgres:
        owner = make_engine(container.settings.resolved_migration_url)
        with owner.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {old_partition}"))
            low, high = old_day.isoformat(), (old_day + timedelta(days=1)).isoformat()
            conn.execute(
                text(
                    f"CREATE TABLE {old_partition} PARTITION OF execution_journey "
                    f"FOR VALUES FROM ('{low}') TO ('{high}')"
                )
            )
        owner.dispose()
    workflow_id, version_id = published_history(container, 1)
    times = {
        "in-old-partition": old_day + timedelta(hours=5),
        "also-in-old-partition": old_day + timedelta(hours=20),
        "expired": now - timedelta(days=100),  # default partition on PostgreSQL
        "just-expired": now - timedelta(days=91),
        "kept-old": now - timedelta(days=30),  # default partition too
        "kept-89": now - timedelta(days=89),
        "today": now,  # today's partition
    }
    with container.uow("acme", write=True) as uow:
        uow.session.add_all(_row(workflow_id, version_id, at, contact) for contact, at in times.items())
        uow.commit()
    return times


def _partitions(container: Container) -> set[str]:
    owner = make_engine(container.settings.resolved_migration_url)
    with owner.connect() as conn:
        names = set(
            conn.scalars(
                text(
                    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    "WHERE i.inhparent = 'execution_journey'::regclass"
                )
            )
        )
    owner.dispose()
    return names


def test_the_daily_task_drops_what_is_older_than_the_retention_and_nothing_newer(
    container: Container, history: dict[str, Any]
) -> None:
    postgres = container.settings.resolved_database_url.startswith("postgresql")
    now, old_partition = history["today"], _old_partition(history["today"])
    assert container.settings.journey_retention_days == 90
    if postgres:
        assert old_partition in _partitions(container)
    gone = expire_journeys.call_local()
    assert _contacts(container) == {"kept-old", "kept-89", "today"}
    if postgres:
        assert gone == 1  # the old partition; the default partition's rows are deleted, not counted
        partitions = _partitions(container)
        assert old_partition not in partitions
        assert _week_partition(now) in partitions
        # ... and the week ahead is made (partitions are named after their Monday).
        assert _week_partition(now + timedelta(days=7)) in partitions
    else:
        assert gone == 4
    assert expire_journeys.call_local() == 0  # a second run the same day drops nothing
    assert _contacts(container) == {"kept-old", "kept-89", "today"}


def _week_partition(moment: datetime) -> str:
    monday = moment - timedelta(days=moment.weekday())
    return f"execution_journey_p{monday:%Y%m%d}"


def test_a_shorter_retention_keeps_less_and_zero_keeps_today_alone(
    container: Container, history: dict[str, Any]
) -> None:
    container.settings.journey_retention_days = 31
    expire_journeys.call_local()
    assert _contacts(container) == {"kept-old", "today"}
    container.settings.journey_retention_days = 0
    expire_journeys.call_local()
    assert _contacts(container) == {"today"}
    with container.uow("acme") as uow:
        assert uow.session.scalar(select(func.count()).select_from(JourneyEvent)) == 1


def test_the_expiry_schedule_is_a_validated_setting() -> None:
    assert Settings(_env_file=None).journey_expiry_cron == "30 3 * * *"
    assert Settings(journey_expiry_cron="0  4 * * *", _env_file=None).journey_expiry_cron == "0 4 * * *"
    for bad in ("daily", "61 * * * *", "* * * *"):
        with pytest.raises(ValidationError, match="journey_expiry_cron"):
            Settings(journey_expiry_cron=bad, _env_file=None)
