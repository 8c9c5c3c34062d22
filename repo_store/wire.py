"""git's wire format for a push over smart HTTP, as much of it as wfv speaks.

pkt-line framing (gitprotocol-common), the ref advertisement a client reads before it
pushes, the request it sends (commands and capabilities, then a pack) and the
``report-status`` answer, over ``side-band-64k`` when the client asked for it
(gitprotocol-pack). Pure functions: no I/O, so every byte is testable.

We answer receive-pack ourselves instead of running ``git receive-pack`` because git would
move the refs to the pushed commits; wfv records its own commit (with the trailers reindex
reads) through the same use case as a ``PATCH``, and only then knows what to report.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

FLUSH = b"0000"
ZERO_ID = "0" * 40
MAX_COMMANDS = 100
_MAX_PKT = 65520
_BAND_DATA = _MAX_PKT - 5  # length prefix and band byte
_COMMAND = re.compile(r"^([0-9a-f]{40}) ([0-9a-f]{40}) (refs/[!-~]{1,250})$")
_SHALLOW = re.compile(r"^shallow [0-9a-f]{40}$")

# ``delete-refs`` is advertised so a deletion reaches us and is refused with our reason
# (without it git refuses on its own, with no reason at all). No ``push-options`` or
# ``report-status-v2``: nothing here would use them.
RECEIVE_CAPABILITIES = (
    "report-status",
    "delete-refs",
    "side-band-64k",
    "quiet",
    "atomic",
    "ofs-delta",
    "object-format=sha1",
    "agent=wfv/0.1",
)


class WireError(ValueError):
    """Bytes that are not a request git would send."""


def pkt_line(data: bytes) -> bytes:
    """One pkt-line: four hex digits of length (its own included), then the data."""
    if len(data) + 4 > _MAX_PKT:
        raise ValueError(f"a pkt-line holds at most {_MAX_PKT - 4} bytes")
    return f"{len(data) + 4:04x}".encode("ascii") + data


def read_section(data: bytes, offset: int) -> tuple[list[bytes], int]:
    """The pkt-lines from ``offset`` up to the next flush; returns them and the offset after it."""
    lines: list[bytes] = []
    while True:
        header = data[offset : offset + 4]
        if len(header) < 4:
            raise WireError("the request ended inside a pkt-line section")
        try:
            size = int(header, 16)
        except ValueError as exc:
            raise WireError(f"bad pkt-line length {header!r}") from exc
        if size == 0:
            return lines, offset + 4
        if size < 4 or offset + size > len(data):
            raise WireError(f"bad pkt-line length {size}")
        lines.append(data[offset + 4 : offset + size])
        offset += size


@dataclass(frozen=True)
class Command:
    """``old`` → ``new`` for ``ref``; the zero id means "does not exist"."""

    old: str
    new: str
    ref: str

    @property
    def deletes(self) -> bool:
        return self.new == ZERO_ID


@dataclass(frozen=True)
class PushRequest:
    commands: tuple[Command, ...]
    capabilities: frozenset[str]
    pack: bytes

    @property
    def sideband(self) -> bool:
        return "side-band-64k" in self.capabilities


def _command(line: bytes) -> tuple[Command, frozenset[str]]:
    text, _, caps = line.rstrip(b"\n").partition(b"\0")
    try:
        match = _COMMAND.fullmatch(text.decode("ascii"))
    except UnicodeDecodeError:
        match = None
    if match is None:
        raise WireError(f"not a push command: {text[:120]!r}")
    old, new, ref = match.groups()
    return Command(old, new, ref), frozenset(caps.decode("ascii", "replace").split())


def parse_push_request(body: bytes) -> PushRequest:
    """Commands (the first carries the client's capabilities), then the pack."""
    lines, offset = read_section(body, 0)
    commands: list[Command] = []
    capabilities: frozenset[str] = frozenset()
    for line in lines:
        if not commands and _SHALLOW.fullmatch(line.rstrip(b"\n").decode("ascii", "replace")):
            continue  # a shallow client's boundary: connectivity is checked on the pack itself
        command, caps = _command(line)
        capabilities = capabilities or caps
        commands.append(command)
    if not commands:
        raise WireError("the request holds no command")
    if len(commands) > MAX_COMMANDS:
        raise WireError(f"a push may update at most {MAX_COMMANDS} refs")
    if "push-options" in capabilities:
        _, offset = read_section(body, offset)
    return PushRequest(tuple(commands), capabilities, body[offset:])


def advertisement(refs: Sequence[tuple[str, str]]) -> bytes:
    """What ``GET info/refs?service=git-receive-pack`` answers: (target, name) pairs."""
    caps = " ".join(RECEIVE_CAPABILITIES)
    out = [pkt_line(b"# service=git-receive-pack\n"), FLUSH]
    listed = list(refs) or [(ZERO_ID, "capabilities^{}")]
    for index, (target, name) in enumerate(listed):
        line = f"{target} {name}" + (f"\0{caps}" if index == 0 else "")
        out.append(pkt_line(f"{line}\n".encode()))
    out.append(FLUSH)
    return b"".join(out)


@dataclass(frozen=True)
class RefStatus:
    """A ref's outcome: ``error`` None is "ok"."""

    ref: str
    error: str | None = None


def one_line(text: str, limit: int = 300) -> str:
    """Reasons travel in one pkt-line, after the ref name: no control characters."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _status_lines(unpack_error: str | None, statuses: Sequence[RefStatus]) -> bytes:
    unpack = "unpack ok" if unpack_error is None else f"unpack {one_line(unpack_error)}"
    lines = [pkt_line(f"{unpack}\n".encode())]
    for status in statuses:
        if status.error is None:
            lines.append(pkt_line(f"ok {status.ref}\n".encode()))
        else:
            lines.append(pkt_line(f"ng {status.ref} {one_line(status.error)}\n".encode()))
    lines.append(FLUSH)
    return b"".join(lines)


def _band(band: int, data: bytes) -> bytes:
    return b"".join(
        pkt_line(bytes([band]) + data[start : start + _BAND_DATA])
        for start in range(0, len(data), _BAND_DATA)
    )


def report(
    *,
    unpack_error: str | None,
    statuses: Sequence[RefStatus],
    messages: Sequence[str],
    sideband: bool,
) -> bytes:
    """The answer to a push. ``messages`` reach the user as ``remote: …`` lines, which
    needs the side band; without it git has no channel for them."""
    status = _status_lines(unpack_error, statuses)
    if not sideband:
        return status
    text = "".join(f"{one_line(message, 2000)}\n" for message in messages).encode("utf-8")
    return (_band(2, text) if text else b"") + _band(1, status) + FLUSH
