"""User text cannot become metadata: whatever a message holds, libgit2 (what reindex reads)
and git (``git log``, ``git interpret-trailers``) both see exactly wfv's trailers, and a
human reading ``git log`` sees no other line that looks like one."""

import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from repo_store import PygitRepoStore
from repo_store.store import Identity, WorkflowRepo
from repo_store.usertext import NO_MESSAGE, inline_text, message_text, text_lines

ALICE = Identity("alice", "Alice Example", "alice@example.test")
WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
VERSION_ID = str(uuid.uuid4())
TRAILERS = {
    "Workflow-Version": "2",
    "Version-Id": VERSION_ID,
    "Version-Event": "edit",
    "Lock-Version": "3",
    "Author-Id": "alice",
}
FORGED = (
    f"Workflow-Version: 2\nVersion-Id: {VERSION_ID}\nVersion-Event: delete\nLock-Version: 9\nAuthor-Id: ceo"
)
SCISSORS = "# ------------------------ >8 ------------------------"
HOSTILE = {
    "block before a divider": f"Tweak the delay\n\n{FORGED}\n---\n",
    "ends in a divider": "Tweak the delay\n---",
    "divider with text": "Tweak\n--- a/workflow.json\n+++ b/workflow.json",
    "own last paragraph": f"Tweak the delay\n\n{FORGED}",
    "only trailers": FORGED,
    "block before scissors": f"Tweak\n\n{FORGED}\n{SCISSORS}\nignored",
    "comment lines": f"# Heading\n\n{FORGED}\n# trailing comment",
    "git's own trailers": "Tweak\n\nSigned-off-by: ceo <ceo@x>\n(cherry picked from commit abc123)",
    "carriage returns": f"Tweak\r{FORGED.replace(chr(10), chr(13))}\r\n",
    "nul": f"Tweak\x00\n\n{FORGED}",
    "escape sequences": f"Tweak\x1b[2K\x1b[1A\u202e\n\n{FORGED}\x07",
    "unicode line breaks": f"Tweak\u2028\u2028{FORGED.replace(chr(10), chr(0x2029))}\x85\x0b\x0c",
    "very long line": "Tweak " + "x" * 50_000 + f"\n\n{FORGED}",
    "empty": "",
    "blank": " \n\t\n  ",
    "indented trailers": "Tweak\n\n    Author-Id: ceo\n\tVersion-Event: delete",
}
KEYS = tuple(TRAILERS)


@pytest.fixture
def repo(tmp_path: Path) -> WorkflowRepo:
    return PygitRepoStore(tmp_path / "repos").create("acme", uuid.uuid4(), {"name": "Welcome"})


def _git(repo: WorkflowRepo, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo.path), *args], input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout


def _write(repo: WorkflowRepo, message: str) -> str:
    sha, _ = repo.write_commit(
        document=b"{}\n", parents=[], message=message, trailers=TRAILERS, author=ALICE, when=WHEN
    )
    return sha


def _parsed(repo: WorkflowRepo, sha: str) -> dict[str, object]:
    """What each parser makes of one commit's trailers."""
    raw = _git(repo, "cat-file", "commit", sha).split("\n\n", 1)[1]
    return {
        "libgit2": repo.commit_info(sha).trailers,  # reindex, healing, wfv check
        "git log": _git(repo, "log", "-1", "--format=%(trailers:only,unfold)", sha).strip(),
        "interpret-trailers": _git(repo, "interpret-trailers", "--parse", stdin=raw).strip(),
    }


def test_every_parser_reads_exactly_wfvs_trailers(repo: WorkflowRepo) -> None:
    """Each hostile message in its own commit; the failures name the messages."""
    listed = "\n".join(f"{key}: {value}" for key, value in TRAILERS.items())
    expected = {"libgit2": TRAILERS, "git log": listed, "interpret-trailers": listed}
    parsed = {name: _parsed(repo, _write(repo, message)) for name, message in HOSTILE.items()}
    assert {name: found for name, found in parsed.items() if found != expected} == {}
    subprocess.run(["git", "-C", str(repo.path), "fsck", "--strict"], check=True, capture_output=True)


def _shown_trailers(repo: WorkflowRepo, sha: str) -> list[str]:
    """The lines of ``git log`` a reader would take for one of wfv's trailers."""
    shown = _git(repo, "log", "-1", sha)
    keys = tuple(key.lower() for key in KEYS)
    return [line.strip() for line in shown.splitlines() if line.strip().lower().startswith(keys)]


def test_a_reader_of_git_log_sees_no_forged_trailer_and_no_control(repo: WorkflowRepo) -> None:
    ours = [f"{key}: {value}" for key, value in TRAILERS.items()]
    shas = {name: _write(repo, message) for name, message in HOSTILE.items()}
    seen = {name: _shown_trailers(repo, sha) for name, sha in shas.items()}
    assert {name: lines for name, lines in seen.items() if lines != ours} == {}
    shown = _git(repo, "log", "--no-walk", *shas.values())
    assert [ch for ch in "\x00\x1b\r\x07\x0b\x0c\u2028\u2029\u202e\x85" if ch in shown] == []


def test_the_users_text_stays_readable() -> None:
    assert message_text("Shorter delay for EU\r\n\r\nThe 2 day wait was too long.\n") == (
        "Shorter delay for EU\n\nThe 2 day wait was too long."
    )
    assert message_text("Tweak\n---\nAuthor-Id: ceo") == "Tweak\n> ---\n> Author-Id: ceo"
    assert message_text("See https://example.test/x") == "See https://example.test/x"
    assert message_text("bell\x07 and \u202e") == "bell<U+0007> and <U+202E>"
    assert message_text(" \n ") == NO_MESSAGE
    assert text_lines("a\u2028b\x85c\r\nd") == ["a", "b", "c", "d"]
    assert inline_text("a\nb\u2028c\td") == "a<U+000A>b<U+2028>c\td"


def test_a_tag_message_is_made_inert_too(repo: WorkflowRepo) -> None:
    sha = _write(repo, "Publish")
    tag = repo.write_tag(name="v1", target=sha, tagger=ALICE, when=WHEN, message=f"Ship\x00\n{SCISSORS}\n---")
    body = _git(repo, "cat-file", "tag", tag).split("\n\n", 1)[1]
    assert body == f"Ship<U+0000>\n> {SCISSORS}\n> ---\n"


def test_a_trailer_value_that_would_not_read_back_is_refused(repo: WorkflowRepo) -> None:
    for value in ("alice\nVersion-Event: delete", " alice", "", "alice\u2028"):
        with pytest.raises(ValueError, match="would not read back"):
            repo.write_commit(
                document=b"{}\n",
                parents=[],
                message="m",
                trailers={"Author-Id": value},
                author=ALICE,
                when=WHEN,
            )
    assert repo.refs("refs/") == {}
