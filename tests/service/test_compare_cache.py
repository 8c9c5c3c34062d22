"""The compare cache on both databases and both cache stores (in process, and a real
redis-server of ours): a warm answer is the cold one while nothing changed, and every
kind of change (enrolment, position report, draft edit, publish) shows at the next
compare; tenants never share an entry; two processes stay consistent through Redis, and
without it within the stated expiry. Migration moves by a real worker: tests/tasks."""

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from schemas.impact import BUCKETS
from service.api.app import create_app
from service.compare.cache import InProcessCompareCache, RedisCompareCache, build_compare_cache
from service.container import Container
from service.settings import Settings
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    place_contacts,
    post_publish,
    post_version,
    versions_url,
)
from tests.redis_support import RedisProcess
from tests.service.conftest import open_container, with_redis

API = "/api/v1/workflows"


@pytest.fixture(params=["process", "redis"])
def cache_settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    if request.param == "process":
        return settings
    server: RedisProcess = request.getfixturevalue("session_redis")
    server.client().flushall()
    return with_redis(settings, server.url)


@pytest.fixture
def node(cache_settings: Settings) -> Iterator[Container]:
    built = open_container(cache_settings)
    yield built
    built.close()


@pytest.fixture
def api(node: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=node)) as test_client:
        yield test_client


@pytest.fixture
def pair(api: TestClient, auth) -> dict[str, str]:
    """welcome-small-a published as v1 (current, where contacts enrol), welcome-small-b as
    draft v2: the trigger, ``reminder`` and ``wait-1d`` break between them."""
    admin = auth("workflows:admin")
    created = create_workflow_via_api(api, admin, definition=example("welcome-small-a"))
    v1 = post_publish(api, admin, created["id"], 1)
    v2 = post_version(api, admin, created["id"], definition=example("welcome-small-b"))
    return {"workflow": created["id"], "v1": v1["id"], "v2": v2["id"]}


def compare(api: TestClient, auth, workflow: str, org: str = "acme") -> Any:
    response = api.get(
        versions_url(workflow, "compare"),
        params={"from": "1", "to": "2"},
        headers=auth("workflows:read", org=org),
    )
    assert response.status_code == 200, response.text
    return response.json()


def impact(answer: Any) -> dict[str, int]:
    return {b["kind"]: b["live_contacts"] for b in answer["breaking"]}


def cold(node: Container, api: TestClient, auth, workflow: str) -> Any:
    """The answer with every cache entry gone (a fresh in-process cache, or Redis emptied)."""
    cache = node.compare_cache
    if isinstance(cache, RedisCompareCache):
        cache.client.flushdb()
        node.compare_cache = RedisCompareCache(cache.client, cache.live_ttl)
    else:
        node.compare_cache = build_compare_cache(None, node.settings.compare_live_ttl_seconds)
    return compare(api, auth, workflow)


def without_as_of(answer: Any) -> Any:
    return {k: v for k, v in answer.items() if k != "live_counts_as_of"}


def test_a_warm_answer_is_the_cold_one(node: Container, api: TestClient, auth, pair: dict[str, str]) -> None:
    place_contacts(node, "acme", pair["workflow"], pair["v1"], {"reminder": 3, "wait-1d": 2})
    first = compare(api, auth, pair["workflow"])
    assert impact(first) == {"trigger_type_changed": 5, "action_removed": 3, "action_type_changed": 2}
    assert first["live_counts_as_of"] is not None
    warm = compare(api, auth, pair["workflow"])
    assert warm == first  # counts, briefs, diff, and when the counts were read
    again = cold(node, api, auth, pair["workflow"])
    assert without_as_of(again) == without_as_of(first)
    assert again["live_counts_as_of"] >= first["live_counts_as_of"]


def test_an_enrolment_shows_at_once(node: Container, api: TestClient, auth, pair: dict[str, str]) -> None:
    before = compare(api, auth, pair["workflow"])
    assert impact(before)["trigger_type_changed"] == 0
    enrolled = api.post(
        f"{API}/{pair['workflow']}/executions",
        json={"contact_ids": ["c-1", "c-2", "c-3"]},
        headers=auth("workflows:admin"),
    )
    assert enrolled.status_code == 201, enrolled.text
    after = compare(api, auth, pair["workflow"])
    assert impact(after)["trigger_type_changed"] == 3
    assert without_as_of(after) == without_as_of(cold(node, api, auth, pair["workflow"]))


def test_a_position_report_shows_at_once(api: TestClient, auth, pair: dict[str, str]) -> None:
    admin, positions = auth("workflows:admin"), f"{API}/{pair['workflow']}/executions/positions"
    api.post(f"{API}/{pair['workflow']}/executions", json={"contact_ids": ["c-1", "c-2"]}, headers=admin)
    assert impact(compare(api, auth, pair["workflow"]))["action_removed"] == 0
    moves = [{"contact_id": c, "action_id": "reminder", "status": "waiting"} for c in ("c-1", "c-2")]
    reported = api.post(positions, json={"moves": moves}, headers=admin)
    assert reported.status_code == 200, reported.text
    after = compare(api, auth, pair["workflow"])
    assert impact(after)["action_removed"] == 2
    finished = [{"contact_id": "c-1", "action_id": None, "status": "completed"}]
    api.post(positions, json={"moves": finished}, headers=admin)
    assert impact(compare(api, auth, pair["workflow"])) == {
        "trigger_type_changed": 1,
        "action_removed": 1,
        "action_type_changed": 0,
    }


def test_a_refused_report_keeps_the_cached_counts_right(
    node: Container, api: TestClient, auth, pair: dict[str, str]
) -> None:
    admin = auth("workflows:admin")
    api.post(f"{API}/{pair['workflow']}/executions", json={"contact_ids": ["c-1"]}, headers=admin)
    before = compare(api, auth, pair["workflow"])
    bad = [{"contact_id": "c-1", "action_id": "no-such-action", "status": "waiting"}]
    refused = api.post(f"{API}/{pair['workflow']}/executions/positions", json={"moves": bad}, headers=admin)
    assert_problem(refused, 422, "invalid-moves")
    assert compare(api, auth, pair["workflow"]) == before  # nothing changed: still warm, same


def test_a_draft_edit_and_a_publish_show_at_once(
    node: Container, api: TestClient, auth, pair: dict[str, str]
) -> None:
    first = compare(api, auth, pair["workflow"])
    edited = example("welcome-small-a")  # v2 back to v1's content: nothing breaks any more
    response = api.patch(
        versions_url(pair["workflow"], 2),
        json={"definition": edited, "lock_version": 1},
        headers=auth("workflows:edit"),
    )
    assert response.status_code == 200, response.text
    after_edit = compare(api, auth, pair["workflow"])
    assert after_edit["to_version"]["commit_sha"] != first["to_version"]["commit_sha"]
    assert after_edit["breaking"] == []
    # Nothing breaks, but the counts are still read: ``impact`` (no contacts in flight here).
    assert after_edit["impact"] == dict.fromkeys(BUCKETS, 0)
    assert after_edit["live_counts_as_of"] is not None
    # A cold read takes the counts again, maybe a second later: all but that must agree.
    assert without_as_of(after_edit) == without_as_of(cold(node, api, auth, pair["workflow"]))
    post_publish(api, auth("workflows:admin"), pair["workflow"], 2)
    published = compare(api, auth, pair["workflow"])
    assert (first["to_version"]["status"], published["to_version"]["status"]) == ("draft", "active")
    assert without_as_of(published) == without_as_of(cold(node, api, auth, pair["workflow"]))


def test_another_tenant_never_gets_a_cached_answer(
    node: Container, api: TestClient, auth, pair: dict[str, str]
) -> None:
    """The same documents in two tenants (the same tree ids): each sees its own counts,
    and the other tenant's workflow stays a 404 however warm the cache."""
    place_contacts(node, "acme", pair["workflow"], pair["v1"], {"reminder": 4})
    mine = compare(api, auth, pair["workflow"])
    assert impact(mine)["action_removed"] == 4
    admin = auth("workflows:admin", org="globex")
    theirs = create_workflow_via_api(api, admin, definition=example("welcome-small-a"))
    post_publish(api, admin, theirs["id"], 1)
    post_version(api, admin, theirs["id"], definition=example("welcome-small-b"))
    other = compare(api, auth, theirs["id"], org="globex")
    assert other["to_version"]["commit_sha"] != mine["to_version"]["commit_sha"]
    assert impact(other)["action_removed"] == 0
    stranger = api.get(
        versions_url(pair["workflow"], "compare"),
        params={"from": "1", "to": "2"},
        headers=auth("workflows:read", org="globex"),
    )
    assert_problem(stranger, 404, "workflow-not-found")


def test_bad_references_are_refused_warm_or_cold(api: TestClient, auth, pair: dict[str, str]) -> None:
    compare(api, auth, pair["workflow"])
    url, headers = versions_url(pair["workflow"], "compare"), auth("workflows:read")
    assert_problem(api.get(url, params={"from": "1", "to": "9"}, headers=headers), 404, "version-not-found")
    assert_problem(
        api.get(url, params={"from": str(uuid.uuid4()), "to": "2"}, headers=headers), 404, "version-not-found"
    )
    gone = api.delete(f"{API}/{pair['workflow']}", headers=auth("workflows:admin"))
    assert gone.status_code in (200, 204), gone.text
    assert_problem(api.get(url, params={"from": "1", "to": "2"}, headers=headers), 404, "workflow-not-found")


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_two_processes_agree_through_redis_or_within_the_expiry(
    cache_settings: Settings, node: Container, api: TestClient, auth, pair: dict[str, str]
) -> None:
    """A second node (its own container and cache, the same database and Redis) enrols
    contacts; the first node's next compare shows them at once through Redis, and without
    Redis within ``WFV_COMPARE_LIVE_TTL_SECONDS``, its ``live_counts_as_of`` saying how old."""
    ticks = Ticks()
    if not cache_settings.redis_url:
        node.compare_cache = InProcessCompareCache(cache_settings.compare_live_ttl_seconds, now=ticks)
    first = compare(api, auth, pair["workflow"])
    assert impact(first)["trigger_type_changed"] == 0
    other = open_container(cache_settings)
    try:
        with TestClient(create_app(container=other)) as second:
            enrolled = second.post(
                f"{API}/{pair['workflow']}/executions",
                json={"contact_ids": ["c-1", "c-2"]},
                headers=auth("workflows:admin"),
            )
            assert enrolled.status_code == 201, enrolled.text
            assert impact(compare(second, auth, pair["workflow"]))["trigger_type_changed"] == 2
    finally:
        other.close()
    seen = compare(api, auth, pair["workflow"])
    if cache_settings.redis_url:
        assert impact(seen)["trigger_type_changed"] == 2
        return
    assert seen == first  # this process was not told: the counts it read, and when
    ticks.now += cache_settings.compare_live_ttl_seconds
    expired = compare(api, auth, pair["workflow"])
    assert impact(expired)["trigger_type_changed"] == 2
    assert datetime.fromisoformat(expired["live_counts_as_of"]) >= datetime.fromisoformat(
        first["live_counts_as_of"]
    )


def test_an_expiry_of_zero_counts_on_every_compare(settings: Settings, auth, tmp_path: Any) -> None:
    fresh = open_container(
        Settings(**{**settings.model_dump(), "compare_live_ttl_seconds": 0}, _env_file=None)
    )
    try:
        with TestClient(create_app(container=fresh)) as api:
            admin = auth("workflows:admin")
            created = create_workflow_via_api(api, admin, definition=example("welcome-small-a"))
            v1 = post_publish(api, admin, created["id"], 1)
            post_version(api, admin, created["id"], definition=example("welcome-small-b"))
            assert impact(compare(api, auth, created["id"]))["action_removed"] == 0
            place_contacts(fresh, "acme", created["id"], v1["id"], {"reminder": 2})  # no service write
            assert impact(compare(api, auth, created["id"]))["action_removed"] == 2
    finally:
        fresh.close()
