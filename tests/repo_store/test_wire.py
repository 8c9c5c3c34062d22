"""The push wire format, byte for byte: pkt-lines, requests as git sends them, the ref
advertisement and the report-status answer (with and without the side band)."""

import pytest

from repo_store.wire import (
    FLUSH,
    ZERO_ID,
    RefStatus,
    WireError,
    advertisement,
    one_line,
    parse_push_request,
    pkt_line,
    read_section,
    report,
)

A, B = "a" * 40, "b" * 40


def _request(*lines: bytes, pack: bytes = b"") -> bytes:
    return b"".join(pkt_line(line) for line in lines) + FLUSH + pack


def test_pkt_line_counts_its_own_length() -> None:
    assert pkt_line(b"a\n") == b"0006a\n"
    assert read_section(b"0006a\n0005b0000rest", 0) == ([b"a\n", b"b"], 15)
    with pytest.raises(ValueError, match="at most"):
        pkt_line(b"x" * 65520)


@pytest.mark.parametrize("data", [b"00", b"zzzz", b"0003", b"0010abc", b"0006a\n"])
def test_truncated_or_bad_sections_are_wire_errors(data: bytes) -> None:
    with pytest.raises(WireError):
        read_section(data, 0)


def test_a_push_request_as_git_sends_it() -> None:
    body = _request(
        f"{A} {B} refs/heads/drafts/v2\0 report-status side-band-64k quiet agent=git/2.39\n".encode(),
        f"{ZERO_ID} {B} refs/heads/drafts/new\n".encode(),
        pack=b"PACK...",
    )
    request = parse_push_request(body)
    assert [(c.old, c.new, c.ref) for c in request.commands] == [
        (A, B, "refs/heads/drafts/v2"),
        (ZERO_ID, B, "refs/heads/drafts/new"),
    ]
    assert request.sideband
    assert "report-status" in request.capabilities
    assert request.pack == b"PACK..."
    assert not request.commands[0].deletes


def test_shallow_lines_and_push_options_are_skipped() -> None:
    body = (
        pkt_line(f"shallow {A}\n".encode())
        + pkt_line(f"{A} {ZERO_ID} refs/heads/drafts/v2\0report-status push-options\n".encode())
        + FLUSH
        + pkt_line(b"ci.skip\n")
        + FLUSH
    )
    request = parse_push_request(body)
    assert request.commands[0].deletes
    assert request.pack == b""


@pytest.mark.parametrize(
    "line",
    [
        b"not a command",
        f"{A} {B} heads/main\n".encode(),  # not under refs/
        f"{A} {B} refs/heads/with space\n".encode(),
        f"{A.upper()} {B} refs/heads/x\n".encode(),
        "é".encode() * 10,
    ],
)
def test_anything_else_is_a_wire_error(line: bytes) -> None:
    with pytest.raises(WireError):
        parse_push_request(_request(line))


def test_limits_on_commands() -> None:
    with pytest.raises(WireError, match="no command"):
        parse_push_request(FLUSH)
    many = [f"{A} {B} refs/heads/drafts/v{n}\n".encode() for n in range(1, 102)]
    with pytest.raises(WireError, match="at most 100"):
        parse_push_request(_request(*many))


def test_the_advertisement_names_refs_and_our_capabilities() -> None:
    advert = advertisement([(A, "refs/heads/main"), (B, "refs/tags/v1")])
    lines, offset = read_section(advert, 0)
    assert lines == [b"# service=git-receive-pack\n"]
    refs, end = read_section(advert, offset)
    assert end == len(advert)
    first, capabilities = refs[0].rstrip(b"\n").split(b"\0")
    assert first == f"{A} refs/heads/main".encode()
    assert {b"report-status", b"delete-refs", b"side-band-64k", b"atomic"} <= set(capabilities.split())
    assert b"push-options" not in capabilities
    assert refs[1] == f"{B} refs/tags/v1\n".encode()


def test_an_empty_repository_advertises_capabilities_alone() -> None:
    _, offset = read_section(advertisement([]), 0)
    refs, _ = read_section(advertisement([]), offset)
    assert refs[0].startswith(f"{ZERO_ID} capabilities^{{}}\0".encode())


def test_report_without_side_band_is_the_status_alone() -> None:
    answer = report(
        unpack_error=None,
        statuses=[RefStatus("refs/heads/drafts/v2"), RefStatus("refs/heads/main", "never\npushed")],
        messages=["lost without a side band"],
        sideband=False,
    )
    assert answer == (
        pkt_line(b"unpack ok\n")
        + pkt_line(b"ok refs/heads/drafts/v2\n")
        + pkt_line(b"ng refs/heads/main never pushed\n")
        + FLUSH
    )


def test_report_with_side_band_sends_messages_then_the_status() -> None:
    answer = report(
        unpack_error="index-pack failed",
        statuses=[RefStatus("refs/heads/drafts/v2", "unpacker error")],
        messages=["error: " + "x" * 1990] * 40,  # 80 kB of remote: lines
        sideband=True,
    )
    packets, end = read_section(answer, 0)
    assert end == len(answer)
    bands = [packet[0] for packet in packets]
    assert bands == [2, 2, 1]  # long text is split at the side band's packet size
    status, _ = read_section(packets[-1][1:], 0)
    assert status == [b"unpack index-pack failed\n", b"ng refs/heads/drafts/v2 unpacker error\n"]


def test_one_line_keeps_reasons_printable_and_short() -> None:
    assert one_line("a\tb\r\nc\0d") == "a b c d"
    assert len(one_line("y" * 1000)) == 300
