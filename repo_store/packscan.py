"""A pushed pack's size once inflated, measured before git is given it.

A pack is small on the wire and large once inflated: zlib squeezes a 256 MiB run of zeros
into 261 KB, and a delta of a few bytes can copy its base again and again. ``git
index-pack`` inflates everything it is given, so the work a push causes is bounded here,
first: the object count comes from the pack's header, each object's stream is inflated in
bounded chunks (never past the size its header declares), and a delta counts the size of
the object it rebuilds. Nothing is kept; the output is a handful of numbers.

The format is gitformat-pack's: ``PACK``, version 2 or 3, the object count, then each
object as a size-and-type header, a base (for deltas) and a zlib stream.
"""

import struct
import zlib
from dataclasses import dataclass

_COMMIT, _TREE, _BLOB, _TAG, _OFS_DELTA, _REF_DELTA = 1, 2, 3, 4, 6, 7
_KNOWN = {_COMMIT, _TREE, _BLOB, _TAG, _OFS_DELTA, _REF_DELTA}
_CHUNK = 65536
_DELTA_HEAD = 20  # two size varints of at most 10 bytes each


class PackTooBig(ValueError):
    """The pack would cause more work than one push may; ``bound`` says which bound."""

    def __init__(self, message: str, bound: str) -> None:
        super().__init__(message)
        self.bound = bound  # "objects" or "inflated"


class PackMalformed(ValueError):
    """Bytes that are not a pack git would send."""


@dataclass(frozen=True)
class PackShape:
    """What a pack holds, counted without keeping any of it."""

    objects: int
    commits: int  # whole commit objects (a commit sent as a delta is counted in objects)
    inflated: int  # bytes once every object is rebuilt


def _varint_header(data: memoryview, pos: int) -> tuple[int, int, int]:
    """An object's type and declared size, and where its body starts."""
    if pos >= len(data):
        raise PackMalformed("the pack ends inside an object header")
    byte = data[pos]
    kind, size, shift = (byte >> 4) & 7, byte & 15, 4
    pos += 1
    while byte & 0x80:
        if pos >= len(data) or shift > 60:
            raise PackMalformed("an object header is cut or too long")
        byte = data[pos]
        size |= (byte & 0x7F) << shift
        shift, pos = shift + 7, pos + 1
    return kind, size, pos


def _skip_offset(data: memoryview, pos: int) -> int:
    """Past an ``OFS_DELTA``'s base offset (a big-endian varint with git's +1 rule)."""
    for _ in range(10):
        if pos >= len(data):
            break
        byte, pos = data[pos], pos + 1
        if not byte & 0x80:
            return pos
    raise PackMalformed("a delta's base offset is cut or too long")


def _delta_result_size(head: bytes) -> int:
    """The size of the object a delta rebuilds: the second varint of its data."""
    pos, value = 0, 0
    for _ in range(2):
        value, shift = 0, 0
        while True:
            if pos >= len(head) or shift > 63:
                raise PackMalformed("a delta's header is cut or too long")
            byte, pos = head[pos], pos + 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
    return value


def _inflate(data: memoryview, pos: int, declared: int) -> tuple[int, bytes]:
    """Inflate one stream without keeping it; returns where it ends and its first bytes.

    Output past ``declared`` is refused at once, so a stream that lies about its size
    costs no more than the size it declared.
    """
    inflater = zlib.decompressobj()
    produced, head = 0, b""
    while not inflater.eof:
        chunk = data[pos : pos + _CHUNK]
        if not chunk:
            raise PackMalformed("the pack ends inside an object")
        pos += len(chunk)
        pending: bytes | memoryview = chunk
        while pending and not inflater.eof:
            try:
                out = inflater.decompress(pending, _CHUNK)
            except zlib.error as exc:
                raise PackMalformed(f"an object's data is corrupt: {exc}") from exc
            produced += len(out)
            if produced > declared:
                raise PackMalformed("an object inflates past the size its header declares")
            if len(head) < _DELTA_HEAD:
                head += out[: _DELTA_HEAD - len(head)]
            pending = inflater.unconsumed_tail
    return pos - len(inflater.unused_data), head


def scan_pack(pack: bytes, *, max_objects: int, max_inflated: int) -> PackShape:
    """Count and measure ``pack``, refusing it as soon as it passes a bound.

    Raises:
        PackTooBig: more objects than ``max_objects``, or more than ``max_inflated`` bytes.
        PackMalformed: not a version 2/3 pack, or cut short.
    """
    if not pack:
        return PackShape(0, 0, 0)
    if len(pack) < 32 or pack[:4] != b"PACK":
        raise PackMalformed("the pushed data is not a git pack")
    version, count = struct.unpack(">II", pack[4:12])
    if version not in (2, 3):
        raise PackMalformed(f"pack version {version} is not supported")
    if count > max_objects:
        raise PackTooBig(f"the push brings {count} objects; at most {max_objects}", "objects")
    data, pos = memoryview(pack)[: len(pack) - 20], 12
    commits = inflated = 0
    for _ in range(count):
        kind, size, pos = _varint_header(data, pos)
        if kind not in _KNOWN:
            raise PackMalformed(f"unknown object type {kind} in the pack")
        if kind == _OFS_DELTA:
            pos = _skip_offset(data, pos)
        elif kind == _REF_DELTA:
            pos += 20
        inflated += size
        if inflated > max_inflated:
            raise PackTooBig(f"the push's objects inflate to more than {max_inflated} bytes", "inflated")
        pos, head = _inflate(data, pos, size)
        if kind in (_OFS_DELTA, _REF_DELTA):
            inflated += _delta_result_size(head)
            if inflated > max_inflated:
                raise PackTooBig(f"the push's objects inflate to more than {max_inflated} bytes", "inflated")
        commits += kind == _COMMIT
    return PackShape(count, commits, inflated)
