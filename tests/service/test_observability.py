"""Request ids, access logs and metrics, in process on both databases: what a caller sees
(the X-Request-ID header, problem bodies), what /metrics counts (route templates, never raw
paths; published versions; draft saves), and who may read /metrics."""

import logging
import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from huey import RedisHuey
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest

from service.api.app import create_app
from service.container import build_container
from service.ops.metrics import QueueDepthCollector
from service.settings import Settings
from tests.factories import assert_problem, create_workflow_via_api, post_publish, post_version, versions_url
from tests.ops.silent import closed_port, silent_port

HEX32 = re.compile(r"[0-9a-f]{32}")


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_safe_incoming_request_id_comes_back_in_the_header_and_the_problem(client: TestClient) -> None:
    response = client.get("/api/v1/workflows", headers={"X-Request-ID": "edge-7f3a.42:retry_1"})
    body = assert_problem(response, 401)
    assert response.headers["x-request-id"] == "edge-7f3a.42:retry_1"
    assert body["request_id"] == "edge-7f3a.42:retry_1"


def test_a_request_without_an_id_gets_a_fresh_one(client: TestClient) -> None:
    ids = [client.get("/healthz").headers["x-request-id"] for _ in range(3)]
    assert all(HEX32.fullmatch(i) for i in ids)
    assert len(set(ids)) == 3


@pytest.mark.parametrize(
    "hostile",
    [
        "x" * 129,
        "has space",
        '"quoted"',
        "<script>alert(1)</script>",
        "-starts-with-dash",
        "a/b",
        "ünïcödé",
        "id;drop",
    ],
)
def test_hostile_request_ids_are_replaced_not_repeated(client: TestClient, hostile: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": hostile.encode("utf-8")})
    assert response.status_code == 200
    assert HEX32.fullmatch(response.headers["x-request-id"])


def test_one_access_log_line_per_request_with_route_template(
    client: TestClient, auth, caplog: pytest.LogCaptureFixture
) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    with caplog.at_level(logging.INFO, logger="wfv.access"):
        response = client.get(versions_url(wid, 1), headers={**admin, "X-Request-ID": "trace-1"})
    assert response.status_code == 200
    (line,) = [r for r in caplog.records if r.name == "wfv.access"]
    assert line.__dict__["route"] == "/api/v1/workflows/{workflow_id}/versions/{version}"
    assert line.__dict__["path"] == versions_url(wid, 1)
    assert (line.__dict__["method"], line.__dict__["status"], line.__dict__["request_id"]) == (
        "GET",
        200,
        "trace-1",
    )
    assert line.__dict__["duration_ms"] > 0


def test_latency_is_labelled_by_route_template_never_by_raw_path(client: TestClient, auth) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    template = "/api/v1/workflows/{workflow_id}/versions/{version}"
    before = sample("wfv_http_request_duration_seconds_count", method="GET", route=template, status="200")
    unmatched = sample(
        "wfv_http_request_duration_seconds_count", method="GET", route="unmatched", status="404"
    )
    for _ in range(3):
        assert client.get(versions_url(wid, 1), headers=admin).status_code == 200
    client.get(f"/no/such/{wid}")
    exposed = client.get("/metrics")
    assert exposed.status_code == 200
    assert exposed.headers["content-type"].startswith("text/plain")
    assert (
        sample("wfv_http_request_duration_seconds_count", method="GET", route=template, status="200")
        == before + 3
    )
    assert (
        sample("wfv_http_request_duration_seconds_count", method="GET", route="unmatched", status="404")
        == unmatched + 1
    )
    assert wid not in exposed.text
    assert "wfv_queue_pending 0.0" in exposed.text
    assert "wfv_queue_up 1.0" in exposed.text


def test_published_versions_are_counted_once_committed(client: TestClient, auth) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    before = sample("wfv_versions_published_total")
    post_publish(client, admin, wid, 1)
    post_version(client, admin, wid, from_version=1)
    post_publish(client, admin, wid, 2)
    assert client.post(versions_url(wid, 1, "rollback"), headers=admin).status_code == 201
    assert sample("wfv_versions_published_total") == before + 3
    refused = client.post(versions_url(wid, 2, "publish"), headers=admin)  # already published
    assert refused.status_code == 409
    assert sample("wfv_versions_published_total") == before + 3


@pytest.fixture
def token_client(settings: Settings) -> Iterator[TestClient]:
    secured = settings.model_copy(update={"metrics_token": "scrape-token-0123456789"})
    container = build_container(secured)
    with TestClient(create_app(container=container)) as client:
        yield client
    container.close()


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "scrape-token-0123456789"])
def test_metrics_token_is_required_when_set(token_client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = token_client.get("/metrics", headers=headers)
    assert_problem(response, 401, "unauthorized")
    assert "scrape-token" not in response.text


def test_metrics_token_lets_the_scraper_in(token_client: TestClient) -> None:
    response = token_client.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"})
    assert response.status_code == 200
    assert "wfv_http_request_duration_seconds" in response.text


def test_draft_saves_are_counted_by_store(draft_client: TestClient, draft_store: str, auth) -> None:
    editor = auth("workflows:edit")
    wid = create_workflow_via_api(draft_client, editor)["id"]
    saved = ("wfv_draft_saves_total", {"store": draft_store, "outcome": "saved"})
    before = sample(saved[0], **saved[1])
    definition = draft_client.get(versions_url(wid, 1), headers=editor).json()["definition"]
    for revision in range(2):
        response = draft_client.post(
            versions_url(wid, 1, "draft"),
            json={"definition": definition, "revision": revision},
            headers=editor,
        )
        assert response.status_code == 200, response.text
    assert sample(saved[0], **saved[1]) == before + 2


def _scrape(collector: QueueDepthCollector) -> str:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    return generate_latest(registry).decode()


def test_queue_depth_from_a_real_redis_queue(session_redis) -> None:
    queue = RedisHuey("wfv-depth-test", url=session_redis.url)
    queue.storage.flush_queue()
    queue.enqueue(queue.task()(lambda: None).s())
    text = _scrape(QueueDepthCollector(queue.pending_count, timeout=1.0))
    assert "wfv_queue_pending 1.0" in text
    assert "wfv_queue_up 1.0" in text
    queue.storage.flush_queue()


def test_queue_depth_of_a_down_or_hung_redis_is_reported_not_waited_for() -> None:
    refused = RedisHuey("wfv-depth-test", url=f"redis://127.0.0.1:{closed_port()}/0")
    text = _scrape(QueueDepthCollector(refused.pending_count, timeout=1.0))
    assert "wfv_queue_up 0.0" in text
    assert "wfv_queue_pending" not in text.replace("# ", "")
    with silent_port() as port:
        hung = RedisHuey("wfv-depth-test", url=f"redis://127.0.0.1:{port}/0")
        started = time.monotonic()
        text = _scrape(QueueDepthCollector(hung.pending_count, timeout=0.3))
        assert time.monotonic() - started < 2
        assert "wfv_queue_up 0.0" in text
