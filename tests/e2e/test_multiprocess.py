"""``wfv serve --processes 2`` for real: requests answered by both worker processes add up
in one /metrics (prometheus_client's multiprocess mode), whichever process a scrape
reaches; every request leaves one JSON access-log line carrying its request id; the
embedded task consumer runs once, in the supervising process."""

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import WFV, free_port, running, wfv_env

pytestmark = pytest.mark.e2e


def _log_lines(log: Path) -> list[dict[str, Any]]:
    lines = []
    for raw in log.read_text().splitlines():
        if raw.startswith("{"):
            lines.append(json.loads(raw))
    return lines


def _access(log: Path, route: str) -> list[dict[str, Any]]:
    return [line for line in _log_lines(log) if line["logger"] == "wfv.access" and line["route"] == route]


def _healthz_count(base: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=10).text
    for line in text.splitlines():
        if line.startswith(
            'wfv_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'
        ):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_two_processes_one_metrics_and_json_logs(tmp_path: Path) -> None:
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"left by a previous run")
    # DEBUG: the consumer's start-up line (INFO, kept to DEBUG runs) says which process runs it.
    env = wfv_env(
        tmp_path / "var",
        WFV_LOG_FORMAT="json",
        WFV_LOG_LEVEL="DEBUG",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    args = [WFV, "serve", "--port", str(port), "--processes", "2"]
    with running(args, env, log, f"{base}/healthz") as server:
        assert not (metrics_dir / "counter_1.db").exists()
        # Each call is a new connection; the kernel hands them to either process.
        deadline = time.monotonic() + 60
        while len({line["pid"] for line in _access(log, "/healthz")}) < 2:
            assert time.monotonic() < deadline, "one process answered every request"
            for _ in range(10):
                assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
        served = _access(log, "/healthz")
        pids = {line["pid"] for line in served}
        assert server.pid not in pids
        # Every scrape, whichever process answers it, counts every process's requests.
        assert {_healthz_count(base) for _ in range(6)} == {float(len(served))}
        assert {p.name for p in metrics_dir.glob("histogram_*.db")} >= {f"histogram_{pid}.db" for pid in pids}

        traced = httpx.get(f"{base}/api/v1/workflows", headers={"X-Request-ID": "e2e-trace-1"}, timeout=10)
        assert traced.status_code == 401
        assert traced.headers["x-request-id"] == "e2e-trace-1"
        assert traced.json()["request_id"] == "e2e-trace-1"
        time.sleep(0.2)
        (line,) = [entry for entry in _log_lines(log) if entry.get("request_id") == "e2e-trace-1"]
        assert line["logger"] == "wfv.access"
        assert (line["method"], line["route"], line["status"]) == ("GET", "/api/v1/workflows", 401)
        assert line["level"] == "INFO"
        assert {"time", "message", "duration_ms", "pid"} <= line.keys()
    consumers = [
        entry
        for entry in _log_lines(log)
        if entry["logger"] == "huey.consumer" and "started" in entry["message"]
    ]
    assert [entry["pid"] for entry in consumers] == [server.pid]
    assert all(raw.startswith("{") for raw in log.read_text().splitlines() if raw.strip())
