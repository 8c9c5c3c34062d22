"""Measuring a pack before git unpacks it, on packs the real ``git pack-objects`` writes."""

import os
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from repo_store.packscan import PackMalformed, PackTooBig, scan_pack

BIG = 1 << 40


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(repo),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.test",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.test",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, input=stdin, capture_output=True, check=True
    ).stdout


def _history(tmp_path: Path, commits: int, content: bytes) -> tuple[Path, bytes]:
    """A repository of ``commits`` commits, each a slightly different ``workflow.json``; its pack."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "--quiet")
    for number in range(commits):
        (repo / "workflow.json").write_bytes(content + str(number).encode())
        _git(repo, "add", "-A")
        _git(repo, "commit", "--quiet", "-m", f"edit {number}")
    return repo, _git(repo, "pack-objects", "--revs", "--stdout", stdin=b"HEAD\n")


def test_counts_objects_and_commits_and_what_they_inflate_to(tmp_path: Path) -> None:
    content = b'{"name": "' + b"x" * 5000 + b'"}'
    repo, pack = _history(tmp_path, 5, content)
    shape = scan_pack(pack, max_objects=100, max_inflated=BIG)
    assert (shape.objects, shape.commits) == (15, 5)
    # Deltas count the object they rebuild: at least every blob whole, whatever git deltified.
    assert shape.inflated >= 5 * len(content)
    listed = _git(repo, "rev-list", "--objects", "--all").split(b"\n")
    assert len([line for line in listed if line]) == shape.objects


def test_a_delta_counts_the_size_it_rebuilds_not_its_own(tmp_path: Path) -> None:
    content = b"0" * 200_000
    _, pack = _history(tmp_path, 3, content)
    assert len(pack) < 10_000  # zeros and deltas: tiny on the wire
    shape = scan_pack(pack, max_objects=100, max_inflated=BIG)
    assert shape.inflated >= 3 * len(content)
    with pytest.raises(PackTooBig) as refused:
        scan_pack(pack, max_objects=100, max_inflated=2 * len(content))
    assert refused.value.bound == "inflated"


def test_too_many_objects_are_refused_from_the_header(tmp_path: Path) -> None:
    _, pack = _history(tmp_path, 4, b"{}")
    with pytest.raises(PackTooBig) as refused:
        scan_pack(pack, max_objects=11, max_inflated=BIG)
    assert refused.value.bound == "objects"
    assert "12 objects" in str(refused.value)


def _pack(*entries: bytes) -> bytes:
    body = b"PACK" + struct.pack(">II", 2, len(entries)) + b"".join(entries)
    return body + b"\0" * 20  # the trailing checksum is git's to check, not ours


def _blob(data: bytes, declared: int | None = None) -> bytes:
    size = len(data) if declared is None else declared
    header = bytearray([(3 << 4) | (size & 15) | (0x80 if size >> 4 else 0)])
    size >>= 4
    while size:
        header.append((size & 0x7F) | (0x80 if size >> 7 else 0))
        size >>= 7
    return bytes(header) + zlib.compress(data)


def test_a_stream_that_inflates_past_its_declared_size_is_refused() -> None:
    assert scan_pack(_pack(_blob(b"hello")), max_objects=10, max_inflated=BIG).inflated == 5
    with pytest.raises(PackMalformed, match="past the size its header declares"):
        scan_pack(_pack(_blob(b"0" * 100_000, declared=10)), max_objects=10, max_inflated=BIG)


@pytest.mark.parametrize(
    ("pack", "reason"),
    [
        (b"NOTAPACK" + b"\0" * 40, "not a git pack"),
        (b"PACK" + struct.pack(">II", 9, 1) + b"\0" * 40, "version 9"),
        (_pack(_blob(bytes(range(100))))[:-40], "ends inside"),
        (_pack(b"\x50" + zlib.compress(b"x")), "unknown object type 5"),
        (_pack(_blob(b"a"), _blob(b"b"))[:-20] + b"\0" * 3, "ends inside"),
    ],
)
def test_what_is_not_a_pack_is_refused(pack: bytes, reason: str) -> None:
    with pytest.raises(PackMalformed, match=reason):
        scan_pack(pack, max_objects=10, max_inflated=BIG)


def test_an_empty_push_has_no_pack() -> None:
    assert scan_pack(b"", max_objects=0, max_inflated=0).objects == 0
