"""A fetch's request body is small (WFV_GIT_MAX_FETCH_BYTES), whatever a push may send:
a real ``wfv serve`` refuses a 32 MiB upload-pack body, sent chunked (no Content-Length to
refuse it by), after reading about its bound, and a gzip body past the bound once inflated;
real clones and fetches still work (tests/e2e/test_git_clone.py)."""

import gzip
import json
import select
import socket
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import GitServer
from tests.e2e.helpers import rss_kib
from tests.factories import example

pytestmark = pytest.mark.e2e

HAVE = b"0032have " + b"1" * 40 + b"\n"


def _serve_pid(server: GitServer) -> int:
    port = server.base.rsplit(":", 1)[1]
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = status.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and port.encode() in args:
            return int(status.parent.name)
    raise AssertionError("no wfv serve process")


def _post_chunked(server: GitServer, path: str, token: str, total: int) -> tuple[int, bytes, int]:
    """POST ``total`` bytes of ``have`` lines, chunked; stop sending once an answer is
    readable. Returns the status, the body and how much was sent by then."""
    host, port = server.base.removeprefix("http://").split(":")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/x-git-upload-pack-request\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = HAVE * 1300
    framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    sent = 0
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head)
        while sent < total and not select.select([sock], [], [], 0)[0]:
            sock.sendall(framed)
            sent += len(chunk)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            received = sock.recv(65536)
            assert received, answer
            answer += received
    head_line, _, rest = answer.partition(b"\r\n\r\n")
    return int(head_line.split(b" ", 2)[1]), rest, sent


def test_a_huge_fetch_request_is_refused_early(sqlite_git_server: GitServer) -> None:
    server = sqlite_git_server
    token = server.token("workflows:read")
    created = server.api().post("/workflows", json={"name": "f", "definition": example("welcome-small")})
    assert created.status_code == 201, created.text
    pid = _serve_pid(server)
    before = rss_kib(pid)
    path = f"/git/{created.json()['id']}.git/git-upload-pack"
    status, body, sent = _post_chunked(server, path, token, total=32 * 1024 * 1024)
    assert status == 413, body[:300]
    assert "WFV_GIT_MAX_FETCH_BYTES" in json.loads(body[body.index(b"{") :])["detail"]
    assert sent < 8 * 1024 * 1024  # answered while the client was still sending (main: after 32 MiB)
    assert rss_kib(pid) - before < 8 * 1024  # main held the whole body: +32 MiB


def test_a_fetch_request_inflating_past_the_bound_is_refused(sqlite_git_server: GitServer) -> None:
    server = sqlite_git_server
    created = server.api().post("/workflows", json={"name": "g", "definition": example("welcome-small")})
    bomb = gzip.compress(HAVE * 40_000)  # 2 MiB once inflated, a few KiB on the wire
    headers = {
        "Authorization": f"Bearer {server.token('workflows:read')}",
        "Content-Type": "application/x-git-upload-pack-request",
        "Content-Encoding": "gzip",
    }
    answer = httpx.post(server.url(created.json()["id"]) + "/git-upload-pack", content=bomb, headers=headers)
    assert answer.status_code == 413, answer.text
    assert "once inflated" in answer.json()["detail"]
