"""What the HTTP benchmarks share: a load generator cheap enough that the server, not the
client, sets the rate, a private redis-server, and per-route latency figures."""

import asyncio
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.core import percentile
from tests.e2e.helpers import free_port


class RawClient:
    """HTTP/1.1 keep-alive over one asyncio stream and nothing else (no pool, no parsing
    beyond the status and Content-Length): a simulated user costs the generator little."""

    def __init__(self, host: str, port: int, token: str | None = None) -> None:
        self.address = (host, port)
        self.auth = f"Authorization: Bearer {token}\r\n".encode() if token else b""
        self.stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        if self.stream is None:
            self.stream = await asyncio.open_connection(*self.address)
        reader, writer = self.stream
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.address[0]}\r\n".encode() + self.auth
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n".encode()
        if body is not None:
            head += b"Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        writer.write(head + b"\r\n" + (body or b""))
        answer = await reader.readuntil(b"\r\n\r\n")
        lowered = answer.lower()
        length = 0
        if b"content-length:" in lowered:
            length = int(lowered.split(b"content-length:")[1].split(b"\r\n")[0])
        return int(answer[9:12]), await reader.readexactly(length)

    async def close(self) -> None:
        if self.stream is not None:
            self.stream[1].close()
            self.stream = None


@dataclass
class RouteFigures:
    """Latencies of one route's successful requests, and what went wrong."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def line(self, name: str, seconds: float) -> str:
        count = len(self.latencies)
        if not count:
            return f"{name:<30} {0:>8} {0:>9.0f} {'-':>8} {'-':>8} {len(self.errors):>7}"
        p50 = percentile(self.latencies, 0.50) * 1000
        p99 = percentile(self.latencies, 0.99) * 1000
        return f"{name:<30} {count:>8} {count / seconds:>9.0f} {p50:>8.1f} {p99:>8.1f} {len(self.errors):>7}"


HEADER = f"{'route':<30} {'requests':>8} {'per s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A redis-server of the benchmark's own on a free port, without persistence."""
    port = free_port()
    binary = shutil.which("redis-server") or "redis-server"
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(args, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip()
            != b"PONG"
        ):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait()
