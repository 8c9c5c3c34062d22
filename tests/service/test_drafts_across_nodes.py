"""Two API nodes on one Redis (two containers, each with its own in-process lookups): a
publish on one node closes the version's drafts on the other at once, not after the
other node's remembered lookup (``RecentTargets``) expires."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.factories import assert_problem, create_workflow_via_api, example, renamed
from tests.redis_support import RedisProcess
from tests.service.conftest import open_container, with_redis


@pytest.fixture
def nodes(settings: Settings, session_redis: RedisProcess) -> Iterator[list[TestClient]]:
    session_redis.client().flushall()
    shared = with_redis(settings, session_redis.url)
    containers = [open_container(shared), open_container(shared)]
    with (
        TestClient(create_app(container=containers[0])) as a,
        TestClient(create_app(container=containers[1])) as b,
    ):
        yield [a, b]
    for built in containers:
        built.close()


def test_a_publish_on_one_node_refuses_saves_on_the_other(nodes: list[TestClient], auth) -> None:
    a, b = nodes
    editor = auth("workflows:admin")
    workflow = create_workflow_via_api(a, editor)["id"]
    draft = f"/api/v1/workflows/{workflow}/versions/1/draft"
    first = b.post(
        draft, json={"revision": 0, "definition": renamed(example("welcome-small"), "x")}, headers=editor
    )
    assert first.status_code == 200, first.text  # node b now remembers v1 is a draft
    assert a.post(f"/api/v1/workflows/{workflow}/versions/1/publish", headers=editor).status_code == 200

    late = b.post(draft, json={"revision": 1, "definition": example("welcome-small")}, headers=editor)
    body = assert_problem(late, 409, "version-not-draft")
    assert body["version_status"] == "active"
    assert_problem(b.get(draft, headers=editor), 404, "draft-not-found")
