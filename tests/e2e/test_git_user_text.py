"""In a real clone of a real ``wfv serve``, a reader of ``git log`` and of the review notes
sees wfv's metadata and nothing user text forged: messages that carry their own trailer
block, a workflow name ending in ``---``, a review comment written like a verdict."""

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import GitServer
from tests.e2e.gitclient import GitClient
from tests.factories import example, renamed

pytestmark = pytest.mark.e2e

WFV_KEYS = {"Workflow-Version", "Version-Id", "Version-Event", "Lock-Version", "Author-Id"}
EXTRA_KEYS = {"Parent-Version-Id", "Draft-Commit", "Rollback-Of", "Rollback-Of-Version-Id"}
FORGED = "Workflow-Version: 2\nVersion-Event: delete\nLock-Version: 99\nAuthor-Id: ceo"
SCISSORS = "# ------------------------ >8 ------------------------"
VERDICT = "[approve] cfo at 2026-01-01"


def _ok(response: Any) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _hostile_workflow(server: GitServer) -> str:
    """v1 published; v2 created, edited, draft-committed, reviewed, published: every piece
    of user text hostile."""
    alice, bob = server.api(), server.api(server.token("workflows:edit", user="bob"))
    doc = example("welcome-small")
    wid = _ok(alice.post("/workflows", json={"name": "Welcome\n---", "definition": doc}))["id"]
    _ok(alice.post(f"/workflows/{wid}/versions/1/publish", json={"message": f"Go\n\n{FORGED}\n---"}))
    _ok(alice.post(f"/workflows/{wid}/versions", json={"message": f"Next\n\n{FORGED}\n{SCISSORS}"}))
    edit = {"definition": renamed(doc, "b"), "lock_version": 1, "message": f"Edit\r{FORGED}\u202e"}
    _ok(alice.patch(f"/workflows/{wid}/versions/2", json=edit))
    _ok(
        alice.post(
            f"/workflows/{wid}/versions/2/draft", json={"revision": 0, "definition": renamed(doc, "c")}
        )
    )
    commit = {"lock_version": 2, "message": f"Saved\u2028{FORGED}\n---"}
    _ok(alice.post(f"/workflows/{wid}/versions/2/draft/commit", json=commit))
    review = _ok(alice.post(f"/workflows/{wid}/versions/2/reviews", json={"title": f"Copy\n{VERDICT}"}))["id"]
    comment = {"body": f"{VERDICT}\nReview: v2 (merged)", "action_id": "welcome", "path": f"$.x\n{VERDICT}"}
    _ok(bob.post(f"/workflows/{wid}/reviews/{review}/comments", json=comment))
    _ok(
        bob.post(
            f"/workflows/{wid}/reviews/{review}/verdicts",
            json={"verdict": "approve", "body": "\u202eKO\u2028[approve] cfo"},
        )
    )
    _ok(alice.post(f"/workflows/{wid}/versions/2/publish", json={"message": f"Ship\n\n{FORGED}"}))
    return str(wid)


@pytest.fixture(scope="module")
def clone(git_server: GitServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[GitClient, Path]:
    """A real clone (branches, tags and the review notes) of the hostile workflow."""
    tmp = tmp_path_factory.mktemp("user-text")
    git = GitClient(tmp / "home")
    wid = _hostile_workflow(git_server)
    token = git_server.token("workflows:read")
    repo = git.clone(git_server.url(wid), tmp / "clone", token)
    git.run("fetch", "--quiet", "origin", "refs/notes/*:refs/notes/*", cwd=repo, token=token)
    return git, repo


def test_git_log_in_a_clone_shows_wfvs_trailers_and_no_forged_one(
    clone: tuple[GitClient, Path], tmp_path: Path
) -> None:
    git, repo = clone
    commits = git.out(repo, "rev-list", "--branches", "--remotes", "--tags").split()
    assert len(commits) == 6  # v1 create, publish; v2 create, edit, draft commit, publish

    for sha in commits:
        listed = git.out(repo, "log", "-1", "--format=%(trailers:only,unfold)", sha).strip().splitlines()
        message = tmp_path / "message"
        message.write_text(git.out(repo, "cat-file", "commit", sha).split("\n\n", 1)[1], encoding="utf-8")
        parsed = git.out(repo, "interpret-trailers", "--parse", str(message))
        keys = {line.split(": ", 1)[0] for line in listed}
        assert WFV_KEYS <= keys <= WFV_KEYS | EXTRA_KEYS, (sha, listed)
        assert [line for line in listed if line.startswith("Author-Id")] == ["Author-Id: alice"]
        assert parsed.strip().splitlines() == listed

    shown = git.out(repo, "log", "--branches", "--remotes", "--tags")
    assert [line.strip() for line in shown.splitlines() if line.strip().startswith("Author-Id")] == [
        "Author-Id: alice"
    ] * len(commits)
    assert "Version-Event: delete" not in shown.replace("> Version-Event: delete", "")
    assert [ch for ch in "\u202e\r\u2028" if ch in shown] == []  # NUL and ESC stop at the boundary


def test_a_comment_written_like_a_verdict_does_not_read_as_one(clone: tuple[GitClient, Path]) -> None:
    git, repo = clone
    note = git.out(repo, "notes", "--ref=reviews", "show", "main")
    headers = [line for line in note.splitlines() if line and not line.startswith(" ")]
    assert [h.split(" at ")[0] for h in headers] == [
        "Review: v2 (merged)",
        "Opened by alice",
        "[comment] bob",
        "[approve] bob",
    ]
    noted = git.out(repo, "log", "--notes=reviews", "-1", "main")  # git indents a note by 4
    at_margin = [line[4:] for line in noted.splitlines() if line.startswith("    ") and line[4:5] != " "]
    assert [line for line in at_margin if line.startswith(("[", "Review:"))] == [
        header for header in headers if header.startswith(("[", "Review:"))
    ]
    assert f"        {VERDICT}" in noted.splitlines()  # the comment is there, readable, under its header
    assert "\u202e" not in noted
