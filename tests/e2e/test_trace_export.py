"""A real ``wfv serve`` sends its spans over OTLP/HTTP when ``WFV_OTLP_ENDPOINT`` names a
collector, and sends nothing when only OpenTelemetry's own ``OTEL_EXPORTER_OTLP_ENDPOINT``
is set: the collector here is a small HTTP server in the test, decoding what arrives with
OpenTelemetry's own protobuf messages."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from service.auth import issue_token
from tests.e2e.helpers import WFV, free_port, running, wfv_env
from tests.factories import example

SECRET = "trace-export-test-secret-long-enough-for-hs256"


class Collector:
    """What an OTLP/HTTP collector received on ``/v1/traces``."""

    def __init__(self) -> None:
        self.requests: list[ExportTraceServiceRequest] = []
        self.paths: list[str] = []
        self.arrived = threading.Event()

    def spans(self) -> list[tuple[dict[str, Any], Any]]:
        """(the resource's attributes, span) of every span received."""
        found = []
        for request in self.requests:
            for resource_spans in request.resource_spans:
                resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    found += [(resource, span) for span in scope_spans.spans]
        return found


@pytest.fixture
def collector() -> Iterator[tuple[Collector, str]]:
    received = Collector()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.paths.append(self.path)
            received.requests.append(ExportTraceServiceRequest.FromString(body))
            received.arrived.set()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield received, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(5)


def _publish_one(base: str) -> None:
    token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=30) as api:
        created = api.post("/workflows", json={"name": "Welcome", "definition": example("welcome-small")})
        assert created.status_code == 201, created.text
        published = api.post(f"/workflows/{created.json()['id']}/versions/1/publish")
        assert published.status_code == 200, published.text


def _serve(tmp_path: Path, **env: str) -> tuple[list[str], dict[str, str], str]:
    port = free_port()
    stack = wfv_env(
        tmp_path / "var",
        WFV_JWT_SECRET=SECRET,
        WFV_QUEUE="sqlite",
        OTEL_BSP_SCHEDULE_DELAY="100",  # the batch leaves within 0.1 s, not 5 s
        **env,
    )
    return [WFV, "serve", "--port", str(port)], stack, f"http://127.0.0.1:{port}"


def test_wfv_serve_sends_its_spans_to_the_collector_it_is_given(
    tmp_path: Path, collector: tuple[Collector, str]
) -> None:
    received, endpoint = collector
    args, env, base = _serve(tmp_path, WFV_OTLP_ENDPOINT=endpoint)
    with running(args, env, tmp_path / "serve.log", f"{base}/healthz"):
        _publish_one(base)
        assert received.arrived.wait(15), (tmp_path / "serve.log").read_text()
        names: set[str] = set()
        for _ in range(100):  # the publish's spans may come in a later batch
            names = {span.name for _, span in received.spans()}
            if "version.publish" in names:
                break
            received.arrived.clear()
            received.arrived.wait(0.2)
    assert set(received.paths) == {"/v1/traces"}
    assert {"POST /api/v1/workflows", "version.publish", "git.commit", "git.update_refs"} <= names
    assert not any(name.startswith("GET /healthz") for name in names)  # probes are not traced
    resources = {(r["service.name"], r["service.version"]) for r, _ in received.spans()}
    assert resources == {("wfv", version("wfv"))}


def test_only_wfv_s_own_setting_turns_traces_on(tmp_path: Path, collector: tuple[Collector, str]) -> None:
    received, endpoint = collector
    args, env, base = _serve(tmp_path, OTEL_EXPORTER_OTLP_ENDPOINT=endpoint)
    with running(args, env, tmp_path / "serve.log", f"{base}/healthz"):
        _publish_one(base)
        assert not received.arrived.wait(1.0)
    assert received.requests == []
