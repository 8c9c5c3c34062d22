"""Reading the object ids out of upload-pack requests of every protocol version."""

import pytest

from repo_store.wire import FLUSH, pkt_line
from service.git.http_backend import MalformedBody
from service.git.wants import parse_fetch

A, B = "a" * 40, "b" * 40


def _lines(*texts: str) -> bytes:
    return b"".join(pkt_line(f"{text}\n".encode()) for text in texts)


def test_a_v0_request_gives_its_wants_with_capabilities_stripped() -> None:
    body = _lines(f"want {A} multi_ack side-band-64k", f"want {B}") + FLUSH + _lines(f"have {B}", "done")
    request = parse_fetch(body)
    assert (request.commands, request.wants, request.named) == ((), (A, B), (A, B))


def test_a_v2_request_with_delimiter_and_upper_case_hex() -> None:
    body = _lines("command=fetch", "agent=git/2.39") + b"0001" + _lines(f"want {A.upper()}", "done") + FLUSH
    request = parse_fetch(body)
    assert (request.commands, request.wants) == (("fetch",), (A,))


def test_shallow_lines_count_only_when_the_request_deepens() -> None:
    plain = parse_fetch(_lines(f"want {A}", f"shallow {B}") + FLUSH)
    assert plain.named == (A,)
    deepening = parse_fetch(_lines(f"want {A}", f"shallow {B}", "deepen-since 0") + FLUSH)
    assert deepening.named == (A, B)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"zzzzwant", "bad pkt-line length"),
        (b"00ff" + b"want", "runs past the end"),
        (b"0003", "is invalid"),
        (b" 01a" + b"x" * 30, "bad pkt-line length"),
        (pkt_line(b"want nothex\n"), "not an object id"),
    ],
)
def test_malformed_requests_are_refused(body: bytes, detail: str) -> None:
    with pytest.raises(MalformedBody, match=detail):
        parse_fetch(body)
