"""A fetch may ask only for what the advertised refs reach, whatever the protocol version.

git's upload-pack does not check this itself: a protocol v2 ``want`` may name any object
(gitprotocol-v2), over HTTP a v0/v1 ``want`` is checked only when it names a commit, and
``shallow <id>`` with any ``deepen*`` line makes it send the parents of that commit
("unshallow"). Without a check, any reader could download the objects of a refused push
or what only an internal ``refs/wfv/*`` ref keeps, by id.

So every upload-pack request is read here first, in any version (the lines that name
objects look the same in all of them): the ids of ``want`` lines, and of ``shallow`` lines
when the request deepens, must be reachable from the refs a fetch sees
(:func:`repo_store.reach.unreached`), and over v2 only ``ls-refs`` and ``fetch`` are
served (``object-info`` would tell any object's size). A refusal is a git ``ERR`` line,
which the git client prints as ``fatal: remote error: …``. Keeping v2 costs this check;
dropping it would not help, as v0 over HTTP serves blobs by id too.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from repo_store.reach import unreached
from repo_store.wire import pkt_line
from service.git.http_backend import HIDDEN_REFS, MalformedBody

SERVED_COMMANDS = frozenset({"ls-refs", "fetch"})
_LENGTH = re.compile(rb"^[0-9a-fA-F]{4}$")
_NAMED = re.compile(rb"^(?:want|shallow) ([0-9a-fA-F]{40})")  # git reads 40 hex digits, either case
_COMMAND = re.compile(rb"^command=([!-~]{1,64})$")
_SPECIAL = (0, 1, 2)  # flush, delim, response-end: lengths with no payload


@dataclass(frozen=True)
class FetchRequest:
    """What an upload-pack request asks for, as far as serving objects goes."""

    commands: tuple[str, ...]
    wants: tuple[str, ...]
    shallows: tuple[str, ...]
    deepens: bool

    @property
    def named(self) -> tuple[str, ...]:
        """The ids that must be reachable: shallow ones only matter when deepening."""
        return self.wants + (self.shallows if self.deepens else ())


def pkt_lines(body: bytes) -> Iterator[bytes]:
    """The payloads of ``body``'s pkt-lines, special packets (flush, delim) skipped."""
    offset, end = 0, len(body)
    while offset < end:
        header = body[offset : offset + 4]
        if not _LENGTH.fullmatch(header):
            raise MalformedBody(f"not a git request: bad pkt-line length {header[:4]!r} at byte {offset}")
        size = int(header, 16)
        if size in _SPECIAL:
            offset += 4
            continue
        if size < 4:
            raise MalformedBody(f"not a git request: pkt-line length {size} at byte {offset} is invalid")
        if offset + size > len(body):
            raise MalformedBody(
                f"not a git request: pkt-line length {size} at byte {offset} runs past the end"
            )
        yield body[offset + 4 : offset + size]
        offset += size


def parse_fetch(body: bytes) -> FetchRequest:
    """The commands and object ids of an upload-pack request (v0, v1 or v2)."""
    commands: list[str] = []
    wants: list[str] = []
    shallows: list[str] = []
    deepens = False
    for line in pkt_lines(body):
        text = line.rstrip(b"\n")
        command = _COMMAND.fullmatch(text)
        if command:
            commands.append(command.group(1).decode("ascii"))
        elif text.startswith((b"want ", b"shallow ")):
            named = _NAMED.match(text)
            if named is None:
                raise MalformedBody(f"not an object id in {text[:80]!r}")
            oid = named.group(1).decode("ascii").lower()
            (wants if text.startswith(b"want ") else shallows).append(oid)
        elif text.startswith(b"deepen"):
            deepens = True
    return FetchRequest(tuple(commands), tuple(wants), tuple(shallows), deepens)


def refusal(repo_path: Path, body: bytes) -> bytes | None:
    """The git error to answer instead of running upload-pack, or None to run it."""
    request = parse_fetch(body)
    refused = [command for command in request.commands if command not in SERVED_COMMANDS]
    if refused:
        return _error(f"command={refused[0]} is not served here (only ls-refs and fetch)")
    if not request.named:
        return None
    missing = unreached(repo_path, request.named, hidden=HIDDEN_REFS)
    if not missing:
        return None
    more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
    return _error(
        f"upload-pack: not our ref {missing[0]}{more}: no branch, tag or note of this workflow reaches it"
    )


def _error(message: str) -> bytes:
    return pkt_line(f"ERR {message}\n".encode())
