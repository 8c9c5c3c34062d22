"""The compare view in the impact preview's buckets, on both databases: for the shared
example pairs, with contacts at every position (an unknown one too) and some pinned,
compare's ``impact`` is the preview's ``counts`` for a default migration, and every
breaking change's ``bucket``/``buckets``/``live_contacts``/``pinned`` are the preview's
positions it names; a pin or an unpin after a compare shows at the next one (the cached
counts are left behind), on both cache stores."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from schemas.impact import BUCKETS
from service.api.app import create_app
from service.container import Container
from service.settings import Settings
from tests.factories import (
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
PAIRS = [("welcome-small-a", "welcome-small-b"), ("nurture-50-a", "nurture-50-b")]


@pytest.fixture(params=["process", "redis"])
def node(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Container]:
    if request.param == "redis":
        server: RedisProcess = request.getfixturevalue("session_redis")
        server.client().flushall()
        settings = with_redis(settings, server.url)
    built = open_container(settings)
    yield built
    built.close()


@pytest.fixture
def api(node: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=node)) as test_client:
        yield test_client


def _workflow(node: Container, api: TestClient, auth: Any, first: str, second: str) -> tuple[str, list[str]]:
    """``first`` published as v1 with two contacts reported at each action and three at
    an id it lacks; ``second`` a draft v2 (the preview takes a draft target too)."""
    admin = auth("workflows:admin")
    created = create_workflow_via_api(api, admin, definition=example(first))
    wid = created["id"]
    v1 = post_publish(api, admin, wid, 1)
    contacts = [f"{a['id']}#{n}" for a in example(first)["actions"] for n in range(2)]
    enrolled = api.post(f"{API}/{wid}/executions", json={"contact_ids": contacts}, headers=admin)
    assert enrolled.status_code == 201, enrolled.text
    moves = [{"contact_id": c, "action_id": c.split("#")[0], "status": "waiting"} for c in contacts]
    moved = api.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin)
    assert moved.status_code == 200, moved.text
    place_contacts(node, "acme", wid, v1["id"], {"ghost": 3})  # a position no mapping names
    post_version(api, admin, wid, definition=example(second))
    return wid, contacts


def _get(api: TestClient, auth: Any, url: str, params: dict[str, Any]) -> Any:
    response = api.get(url, params=params, headers=auth("workflows:read"))
    assert response.status_code == 200, response.text
    return response.json()


def _compare(api: TestClient, auth: Any, wid: str) -> Any:
    return _get(api, auth, versions_url(wid, "compare"), {"from": "1", "to": "2"})


def _preview(api: TestClient, auth: Any, wid: str) -> Any:
    return _get(api, auth, versions_url(wid, 2, "impact"), {"from": "1"})


def _pins(api: TestClient, auth: Any, wid: str, contacts: list[str], *, off: bool = False) -> None:
    url = f"{API}/{wid}/pins" + ("/delete" if off else "")
    response = api.post(url, json={"contact_ids": contacts}, headers=auth("workflows:admin"))
    assert response.status_code == 200, response.text


def _agree(compared: Any, preview: Any) -> None:
    """compare's answer is the preview's: the counts, and per breaking change, its positions."""
    assert compared["impact"] == preview["counts"]
    by_action = {p["from_action"]: p for p in preview["positions"]}
    for change in compared["breaking"]:
        if change["kind"] == "trigger_type_changed":
            affected = [p for p in preview["positions"] if p["count"] + p["pinned"] > 0]
        else:
            affected = [by_action[a] for a in change["affected_actions"]]
        buckets = [b for b in BUCKETS if b in {p["bucket"] for p in affected}]
        assert change["buckets"] == buckets, change
        assert change["bucket"] == (buckets[0] if len(buckets) == 1 else None), change
        assert change["live_contacts"] == sum(p["count"] for p in affected), change
        assert change["pinned"] == sum(p["pinned"] for p in affected), change


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_compare_counts_are_the_previews(
    node: Container, api: TestClient, auth: Any, first: str, second: str
) -> None:
    wid, contacts = _workflow(node, api, auth, first, second)
    compared = _compare(api, auth, wid)
    # One pin at each breaking position and at the first action: the next compare moves them.
    breaking = {a for change in compared["breaking"] for a in change["affected_actions"]}
    pinned = [f"{action}#0" for action in sorted(breaking)] + [contacts[0]]
    _pins(api, auth, wid, pinned)
    compared, preview = _compare(api, auth, wid), _preview(api, auth, wid)
    _agree(compared, preview)
    assert compared["impact"]["pinned"] == len(set(pinned))
    assert compared["impact"]["fails"] >= 3  # the unknown position, whatever the pair
    assert sum(compared["impact"].values()) == len(contacts) + 3 == preview["total"]
    removed = next(c for c in compared["breaking"] if c["kind"] == "action_removed")
    assert (removed["bucket"], removed["live_contacts"], removed["pinned"]) == ("fails", 1, 1)
    assert "1 contact(s) there right now, 1 more pinned; a migration by id: fails" in removed["warning"]


def test_a_pin_after_a_compare_shows_at_the_next(node: Container, api: TestClient, auth: Any) -> None:
    wid, _ = _workflow(node, api, auth, *PAIRS[0])
    before = _compare(api, auth, wid)
    assert _compare(api, auth, wid) == before  # warm: the same counts, read at the same time
    removed = next(c for c in before["breaking"] if c["kind"] == "action_removed")
    assert (removed["live_contacts"], removed["pinned"]) == (2, 0)
    _pins(api, auth, wid, ["reminder#0", "reminder#1", "welcome#0"])
    after = _compare(api, auth, wid)
    _agree(after, _preview(api, auth, wid))
    removed = next(c for c in after["breaking"] if c["kind"] == "action_removed")
    assert (removed["live_contacts"], removed["pinned"]) == (0, 2)
    assert after["impact"]["pinned"] == before["impact"]["pinned"] + 3
    assert after["impact"]["fails"] == before["impact"]["fails"] - 2
    assert after["live_counts_as_of"] >= before["live_counts_as_of"]
    _pins(api, auth, wid, ["reminder#1"], off=True)
    again = _compare(api, auth, wid)
    _agree(again, _preview(api, auth, wid))
    assert next(c for c in again["breaking"] if c["kind"] == "action_removed")["live_contacts"] == 1
    assert again["impact"]["pinned"] == after["impact"]["pinned"] - 1
