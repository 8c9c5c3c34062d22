"""GET …/versions/compare on both databases: the classified diff, breaking changes with
live contact counts from real execution rows, git's own patch, and the cache."""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from schemas.compare import compare_documents
from service.compare.cache import (
    LiveCounts,
    RedisCompareCache,
    build_compare_cache,
    diff_key,
    generation_key,
    live_key,
)
from service.container import Container
from service.versions.editing import find_version
from service.versions.workflows import load_workflow
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    git_cli,
    place_contacts,
    post_publish,
    post_version,
    principal,
    versions_url,
)


@pytest.fixture
def pair(client: TestClient, auth) -> dict[str, str]:
    """welcome-small-a published as v1 (current), welcome-small-b as draft v2."""
    admin = auth("workflows:admin")
    created = create_workflow_via_api(client, admin, definition=example("welcome-small-a"))
    v1 = post_publish(client, admin, created["id"], 1)
    v2 = post_version(client, admin, created["id"], definition=example("welcome-small-b"))
    return {"workflow": created["id"], "v1": v1["id"], "v2": v2["id"]}


def _compare(client: TestClient, auth, workflow: str, **params: str) -> Any:
    response = client.get(versions_url(workflow, "compare"), params=params, headers=auth("workflows:read"))
    assert response.status_code == 200, response.text
    return response.json()


def test_compare_by_number_and_by_id_agree(client: TestClient, auth, pair: dict[str, str]) -> None:
    by_number = _compare(client, auth, pair["workflow"], **{"from": "1", "to": "v2"})
    by_id = _compare(client, auth, pair["workflow"], **{"from": pair["v1"], "to": pair["v2"]})
    assert by_number == by_id
    assert by_number["from_version"]["version_number"] == 1
    assert by_number["to_version"]["version_number"] == 2
    assert by_number["summary"] == "1 action removed, 2 modified; trigger changed"
    removed = by_number["parts"]["actions"]["removed"]
    assert [(c["element_id"], c["classification"]) for c in removed] == [("reminder", "breaking")]


def test_breaking_changes_count_the_contacts_they_hit(
    client: TestClient, container: Container, auth, pair: dict[str, str]
) -> None:
    place_contacts(
        container, "acme", pair["workflow"], pair["v1"], {"reminder": 3, "wait-1d": 2, "welcome": 4}
    )
    place_contacts(container, "acme", pair["workflow"], pair["v1"], {"reminder": 5}, status="completed")
    place_contacts(container, "acme", pair["workflow"], pair["v2"], {"reminder": 7})  # not the from version
    answer = _compare(client, auth, pair["workflow"], **{"from": "1", "to": "2"})
    impact = {b["kind"]: (b["element_id"], b["live_contacts"]) for b in answer["breaking"]}
    assert impact == {
        "trigger_type_changed": (None, 9),
        "action_removed": ("reminder", 3),
        "action_type_changed": ("wait-1d", 2),
    }
    removed = next(b for b in answer["breaking"] if b["kind"] == "action_removed")
    assert "3 contact(s)" in removed["warning"]


def test_breaking_with_no_contacts_is_still_breaking(client: TestClient, auth, pair: dict[str, str]) -> None:
    answer = _compare(client, auth, pair["workflow"], **{"from": "1", "to": "2"})
    assert {b["kind"]: b["live_contacts"] for b in answer["breaking"]} == {
        "trigger_type_changed": 0,
        "action_removed": 0,
        "action_type_changed": 0,
    }


def test_patch_is_gits_own_diff(client: TestClient, container: Container, auth, pair: dict[str, str]) -> None:
    response = client.get(
        versions_url(pair["workflow"], "compare"),
        params={"from": "1", "to": "2", "format": "patch"},
        headers=auth("workflows:read"),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-diff")
    repo = container.store.path_for("acme", uuid.UUID(pair["workflow"]))
    v2_head = git_cli(repo, "rev-parse", "drafts/v2")
    assert response.text.strip() == git_cli(repo, "diff", "v1", v2_head)
    assert '-        "duration": "P1D"' in response.text


def test_bad_and_foreign_references(client: TestClient, auth, pair: dict[str, str]) -> None:
    headers = auth("workflows:read")
    url = versions_url(pair["workflow"], "compare")
    assert_problem(
        client.get(url, params={"from": "x", "to": "2"}, headers=headers), 422, "invalid-version-ref"
    )
    assert_problem(client.get(url, params={"from": "1"}, headers=headers), 422)
    assert_problem(
        client.get(url, params={"from": "1", "to": "9"}, headers=headers), 404, "version-not-found"
    )
    other = create_workflow_via_api(client, auth("workflows:edit"))
    foreign = other["version"]["id"]
    assert_problem(client.get(url, params={"from": "1", "to": foreign}, headers=headers), 404)
    stranger = auth("workflows:read", org="globex")
    assert_problem(client.get(url, params={"from": "1", "to": "2"}, headers=stranger), 404)


def test_comparisons_are_cached_by_tenant_workflow_and_tree_ids(
    client: TestClient, container: Container, auth, pair: dict[str, str]
) -> None:
    first = _compare(client, auth, pair["workflow"], **{"from": "1", "to": "2"})
    workflow_id = uuid.UUID(pair["workflow"])
    with container.uow("acme") as uow:
        workflow = load_workflow(uow, principal(), workflow_id)
        trees = find_version(uow, workflow, 1).tree_sha, find_version(uow, workflow, 2).tree_sha
    cached, _ = container.compare_cache.lookup(diff_key("acme", workflow_id, *trees), None)
    assert cached is not None
    assert cached.summary == first["summary"]
    assert container.compare_cache.lookup(diff_key("globex", workflow_id, *trees), None) == (None, None)


def test_redis_cache_round_trip_and_outage() -> None:
    try:
        client = redis.Redis.from_url("redis://127.0.0.1:6379/14", socket_connect_timeout=2)
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable: {exc}")
    cache = build_compare_cache("redis://127.0.0.1:6379/14", 5.0)
    assert isinstance(cache, RedisCompareCache)
    diff = compare_documents(example("welcome-small-a"), example("welcome-small-b"))
    workflow_id, version_id = uuid.uuid4(), uuid.uuid4()
    key = diff_key("acme", workflow_id, "a" * 40, "b" * 40)
    cache.keep_diff(key, diff)
    assert cache.generation("acme", workflow_id) == 0
    counts = LiveCounts({"reminder": (3, 1), None: (2, 0)}, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    live = live_key("acme", workflow_id, version_id, 0)
    cache.keep_live(live, counts)
    assert 0 < client.pttl(live) <= 5000
    assert cache.lookup(key, live) == (diff, counts)
    cache.executions_changed("acme", workflow_id)
    assert cache.generation("acme", workflow_id) == 1
    assert cache.generation("globex", workflow_id) == 0
    assert cache.lookup(key, live_key("acme", workflow_id, version_id, 1)) == (diff, None)
    down = build_compare_cache("redis://127.0.0.1:1/0", 5.0)  # nothing listens there
    assert down.generation("acme", workflow_id) is None
    assert down.lookup(key, live) == (None, None)
    down.keep_live(live, counts)  # logged, not raised
    down.executions_changed("acme", workflow_id)  # logged, not raised
    client.delete(live, generation_key("acme", workflow_id))
