"""What the request observer (request id, latency histogram, access-log line) costs on the
hot route, GET one version of a 50-action workflow: the same app with and without it, in
process, interleaved blocks, CPU time of this process (less sensitive than wall time to
what else runs on the machine).

    python -m bench.observe [--log-format text|json] [--log-level INFO|WARNING] [--blocks 20]

Prints microseconds of CPU per request both ways and the ratio (target: a few percent).
The access log is written to a file, as a server's stderr usually is.
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bench.database import SECRET
from indexer.revisions import upgrade
from service.api.app import create_app
from service.auth import issue_token
from service.container import build_container
from service.ops.logs import configure_logging
from service.settings import Settings
from tests.factories import example


async def _call(
    app: ASGIApp, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b""
) -> tuple[int, bytes]:
    status, answer = 0, b""

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status, answer
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            answer += message.get("body", b"")

    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await app(scope, receive, send)
    return status, answer


def _entry(app: FastAPI, stack: ASGIApp) -> ASGIApp:
    """What ``Starlette.__call__`` does before the middleware stack."""

    async def call(scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = app
        await stack(scope, receive, send)

    return call


async def _cpu_per_request(app: ASGIApp, path: str, headers: list[tuple[bytes, bytes]], count: int) -> float:
    started = time.process_time()
    for _ in range(count):
        status, _ = await _call(app, "GET", path, headers)
        assert status == 200
    return (time.process_time() - started) / count


async def _measure(args: argparse.Namespace, root: Path) -> tuple[float, float]:
    settings = Settings(
        data_dir=root / "data", jwt_secret=SECRET, queue="memory", log_format=args.log_format, _env_file=None
    )
    container = build_container(settings)
    upgrade(container.engine)
    app = create_app(container=container)
    observed = _entry(app, app.build_middleware_stack())
    bare = _entry(app, FastAPI.build_middleware_stack(app))
    token = issue_token(secret=SECRET, user="bench", org="acme", permissions=["workflows:admin"])
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())]
    body = json.dumps({"name": "bench", "definition": example("nurture-50")}).encode()
    json_headers = [*headers, (b"content-type", b"application/json")]
    status, created = await _call(observed, "POST", "/api/v1/workflows", json_headers, body)
    assert status == 201, created
    workflow_id = json.loads(created)["id"]
    path = f"/api/v1/workflows/{workflow_id}/versions/1"
    await _cpu_per_request(observed, path, headers, 100)
    await _cpu_per_request(bare, path, headers, 100)
    with_observer, without = [], []
    for _ in range(args.blocks):
        without.append(await _cpu_per_request(bare, path, headers, args.requests))
        with_observer.append(await _cpu_per_request(observed, path, headers, args.requests))
    container.close()
    return statistics.median(without), statistics.median(with_observer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log-format", choices=["text", "json"], default="text")
    parser.add_argument("--log-level", choices=["INFO", "WARNING"], default="INFO", help="WARNING: no access")
    parser.add_argument("--blocks", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        log = (root / "access.log").open("w")
        sys.stderr, real_stderr = log, sys.stderr
        try:
            configure_logging(Settings(log_format=args.log_format, log_level=args.log_level, _env_file=None))
            without, with_observer = asyncio.run(_measure(args, root))
        finally:
            sys.stderr = real_stderr
            log.close()
    print(
        f"GET one version, {args.log_format} log at {args.log_level}: {without * 1e6:.0f} us CPU/request "
        f"without the observer, {with_observer * 1e6:.0f} us with it: {with_observer / without:.3f}x "
        f"(+{(with_observer - without) * 1e6:.0f} us)"
    )


if __name__ == "__main__":
    main()
