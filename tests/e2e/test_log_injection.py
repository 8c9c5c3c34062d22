"""``wfv serve`` with text logs, for real: a request path carrying ``%0a`` and an escape
sequence (sent before any authentication) leaves exactly one access-log line, with the
control characters written as escapes, so nobody can forge a log line from outside."""

import socket
import time
from pathlib import Path

import pytest

from tests.e2e.helpers import WFV, free_port, running, wfv_env

pytestmark = pytest.mark.e2e

FORGED = "2026-12-02 12:00:00,000 INFO wfv.auth [-] admin logged in"


def _raw_get(port: int, target: str) -> bytes:
    """A raw request line, so no client library re-quotes the path."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_line_feed_in_the_path_cannot_forge_a_text_log_line(tmp_path: Path) -> None:
    env = wfv_env(tmp_path / "var", WFV_LOG_FORMAT="text", WFV_QUEUE="memory")
    port = free_port()
    log = tmp_path / "serve.log"
    target = "/api/v1/nowhere%0a" + FORGED.replace(" ", "%20") + "%0d%1b[2J"
    with running([WFV, "serve", "--port", str(port)], env, log, f"http://127.0.0.1:{port}/healthz"):
        answer = _raw_get(port, target)
        assert answer.startswith(b"HTTP/1.1 404"), answer[:200]
        time.sleep(0.3)
    lines = log.read_text(encoding="utf-8").splitlines()
    access = [line for line in lines if "wfv.access" in line and "/api/v1/nowhere" in line]
    assert len(access) == 1, lines
    assert "/api/v1/nowhere\\n2026-12-02 12:00:00,000 INFO wfv.auth" in access[0]
    assert "\\r\\u001b[2J 404" in access[0]
    assert not any(line.startswith(FORGED) for line in lines)
    assert not any("\x1b" in line for line in lines)
