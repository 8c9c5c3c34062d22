"""A request head too large (one huge header, too many headers, a huge request line) is
answered 431 by a real ``wfv serve`` before it is read whole; a head within the bounds,
a large bearer token included, is served as before, on a fresh or a kept-alive connection."""

import json
import socket
from collections.abc import Iterator

import pytest

from tests.e2e.helpers import WFV, free_port, rss_kib, running, wfv_env

pytestmark = pytest.mark.e2e

HEAD = b"GET /healthz HTTP/1.1\r\nHost: wfv\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    tmp = tmp_path_factory.mktemp("header-limits")
    env = wfv_env(tmp / "var", WFV_QUEUE="memory", WFV_MAX_HEADER_BYTES="32768", WFV_MAX_HEADER_COUNT="100")
    port = free_port()
    args = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    with running(args, env, tmp / "serve.log", f"http://127.0.0.1:{port}/healthz") as process:
        yield port, process.pid


def _exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send as much of ``request`` as the server takes (it may close early), then read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        try:
            sock.sendall(request)
        except OSError:
            pass  # refused mid-way: the answer was written before the close
        return _read_answer(sock)


def _read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed without an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers.get("content-length", "0")):
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1]), headers, body


def _assert_431(answer: tuple[int, dict[str, str], bytes], detail_part: str) -> None:
    status, headers, body = answer
    assert status == 431, (status, body[:300])
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 431
    assert problem["type"] == "/problems/request-header-fields-too-large"
    assert detail_part in problem["detail"]


def test_one_huge_header_is_refused_without_being_buffered(server: tuple[int, int]) -> None:
    port, pid = server
    before = rss_kib(pid)
    _assert_431(_exchange(port, HEAD + b"X-Big: " + b"a" * (8 * 1024 * 1024) + b"\r\n\r\n"), "32768 bytes")
    # main read and kept all 8 MiB (RSS grew by about 9 MiB); now at most a few reads are held.
    assert rss_kib(pid) - before < 4 * 1024


def test_many_headers_are_refused(server: tuple[int, int]) -> None:
    port, _ = server
    many = b"".join(b"X-%d: v\r\n" % i for i in range(400_000))
    _assert_431(_exchange(port, HEAD + many + b"\r\n"), "100 headers")
    one_too_many = b"".join(b"X-%d: v\r\n" % i for i in range(100))  # with Host, 101
    _assert_431(_exchange(port, HEAD + one_too_many + b"\r\n"), "100 headers")


def test_a_huge_request_line_is_refused(server: tuple[int, int]) -> None:
    port, _ = server
    answer = _exchange(port, b"GET /healthz?" + b"a" * (1024 * 1024) + b" HTTP/1.1\r\nHost: wfv\r\n\r\n")
    _assert_431(answer, "32768 bytes")


def test_a_64_kib_header_arriving_in_one_read_is_refused(server: tuple[int, int]) -> None:
    port, _ = server
    _assert_431(_exchange(port, HEAD + b"X-Big: " + b"a" * (64 * 1024) + b"\r\n\r\n"), "32768 bytes")


def test_heads_within_the_bounds_are_served(server: tuple[int, int]) -> None:
    port, _ = server
    token = HEAD + b"Authorization: Bearer " + b"a" * (20 * 1024) + b"\r\n\r\n"
    assert _exchange(port, token)[0] == 200
    ninety = HEAD + b"".join(b"X-%d: v\r\n" % i for i in range(90)) + b"\r\n"
    assert _exchange(port, ninety)[0] == 200


def test_the_bound_holds_for_each_request_on_a_kept_alive_connection(server: tuple[int, int]) -> None:
    port, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(HEAD + b"\r\n")
        assert _read_answer(sock)[0] == 200
        sock.sendall(HEAD + b"X-Big: " + b"a" * (20 * 1024) + b"\r\n\r\n")
        assert _read_answer(sock)[0] == 200  # each head has its own budget
        sock.sendall(HEAD + b"X-Big: " + b"a" * (40 * 1024) + b"\r\n\r\n")
        _assert_431(_read_answer(sock), "32768 bytes")
