"""``git push`` to drafts against a real ``wfv serve``, with the real ``git`` command: an
accepted push is an edit like a PATCH (or a new draft); every refused push says why in
git's own lines and changes nothing, in git or in the index."""

import copy
import json
import os
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from schemas.canonical import canonical_json
from service.healing.scan import reindex_all
from tests.e2e.conftest import GitServer
from tests.e2e.gitclient import GitClient
from tests.factories import empty_index, example, index_snapshot, renamed

pytestmark = pytest.mark.e2e


@dataclass
class Checkout:
    git: GitClient
    server: GitServer
    wid: str
    repo: Path
    token: str

    def push(self, *refspecs: str, force: bool = False) -> Any:
        flags = ["--force"] if force else []
        return self.git.run("push", *flags, "origin", *refspecs, cwd=self.repo, token=self.token, check=False)

    def document(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.repo / "workflow.json").read_text())
        return loaded

    def versions(self) -> dict[int, dict[str, Any]]:
        listed = self.server.api().get(f"/workflows/{self.wid}/versions", params={"include_deleted": True})
        assert listed.status_code == 200, listed.text
        return {item["version_number"]: item for item in listed.json()["items"]}

    def audit(self) -> list[dict[str, Any]]:
        answer = self.server.api().get(f"/workflows/{self.wid}/audit", params={"limit": 200})
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items

    def state(self) -> tuple[dict[str, str], dict[int, dict[str, Any]], int]:
        """Everything a push could change: the remote refs, the versions, the audit trail."""
        return self.git.remote_refs(self.repo, self.token), self.versions(), len(self.audit())


@pytest.fixture
def checkout(git_server: GitServer, tmp_path: Path) -> Checkout:
    """v1 published, v2 a draft (a copy of v1); a clone with drafts/v2 checked out."""
    api = git_server.api()
    created = api.post("/workflows", json={"name": "Push", "definition": example("welcome-small")})
    assert created.status_code == 201, created.text
    wid = created.json()["id"]
    assert api.post(f"/workflows/{wid}/versions/1/publish").status_code == 200
    assert api.post(f"/workflows/{wid}/versions").status_code == 201
    git = GitClient(tmp_path / "home")
    token = git_server.token("workflows:edit")
    repo = git.clone(git_server.url(wid), tmp_path / "clone", token)
    git.run("switch", "--quiet", "drafts/v2", cwd=repo)
    return Checkout(git, git_server, wid, repo, token)


def test_a_push_to_a_draft_is_recorded_like_a_patch(checkout: Checkout) -> None:
    git, repo = checkout.git, checkout.repo
    first = renamed(checkout.document(), "one")
    git.commit_document(repo, first, "first edit")
    second = renamed(first, "two")
    tip = git.commit_document(repo, second, "second edit")

    pushed = checkout.push("HEAD:refs/heads/drafts/v2")
    assert pushed.returncode == 0, pushed.stderr
    assert f"wfv: drafts/v2 -> {tip[:12]} (lock_version 2, 2 new commit(s))" in pushed.stderr

    version = checkout.versions()[2]
    assert version["lock_version"] == 2  # one edit per push, whatever the number of commits
    assert version["change_summary"]["text"] == "1 action modified"  # against v1, its parent
    detail = checkout.server.api().get(f"/workflows/{checkout.wid}/versions/2").json()
    assert detail["definition"] == second
    entry = checkout.audit()[0]
    assert (entry["action"], entry["actor_id"]) == ("update", "alice")
    assert entry["details"]["after"]["lock_version"] == 2

    # The pushed commit is the draft's head: nothing to pull, the user's file as they wrote it.
    remote = checkout.git.remote_refs(repo, checkout.token)
    assert remote["refs/heads/drafts/v2"] == tip == version["commit_sha"]
    assert not [name for name in remote if name.startswith("refs/wfv/")]  # wfv's records stay inside
    assert git.out(repo, "show", "HEAD:workflow.json") == json.dumps(second, indent=4) + "\n"

    summary = reindex_all(checkout.server.container)
    assert summary.errors == []
    assert summary.versions_changed == 0  # the index says exactly what git says


def test_pushing_twice_in_a_row_is_a_plain_fast_forward(checkout: Checkout) -> None:
    git, repo = checkout.git, checkout.repo
    for round_, name in enumerate(("again", "and again", "once more"), start=2):
        tip = git.commit_document(repo, renamed(checkout.document(), name), name)
        pushed = checkout.push("HEAD:refs/heads/drafts/v2")
        assert pushed.returncode == 0, pushed.stderr  # no pull in between
        version = checkout.versions()[2]
        assert (version["commit_sha"], version["lock_version"]) == (tip, round_)
    assert [entry["action"] for entry in checkout.audit()].count("update") == 3
    assert reindex_all(checkout.server.container).versions_changed == 0


def test_a_push_to_drafts_new_creates_the_next_version(checkout: Checkout) -> None:
    git, repo = checkout.git, checkout.repo
    git.run("switch", "--quiet", "--detach", "origin/main", cwd=repo)
    document = renamed(checkout.document(), "from git")
    tip = git.commit_document(repo, document, "start from v1")

    pushed = checkout.push("HEAD:refs/heads/drafts/new")
    assert pushed.returncode == 0, pushed.stderr
    assert "created draft v3" in pushed.stderr

    versions = checkout.versions()
    assert versions[3]["status"] == "draft"
    assert versions[3]["parent_version_id"] == versions[1]["id"]  # the current version, as POST …/versions
    assert versions[3]["commit_sha"] == tip
    assert versions[3]["change_summary"]["parent_version_number"] == 1
    assert versions[3]["change_summary"]["text"] == "1 action modified"
    detail = checkout.server.api().get(f"/workflows/{checkout.wid}/versions/3").json()
    assert detail["definition"] == document
    assert checkout.audit()[0]["action"] == "create"
    remote = git.remote_refs(repo, checkout.token)
    assert "refs/heads/drafts/new" not in remote
    assert remote["refs/heads/drafts/v3"] == tip

    # The same commit again (a retried push) answers with the draft it made.
    audit = len(checkout.audit())
    again = checkout.push("HEAD:refs/heads/drafts/new")
    assert again.returncode == 0, again.stderr
    assert "draft v3 was made from this commit already" in again.stderr
    assert sorted(checkout.versions()) == [1, 2, 3]
    assert len(checkout.audit()) == audit
    assert reindex_all(checkout.server.container).versions_changed == 0


def test_a_commit_the_repository_has_cannot_become_another_version(checkout: Checkout) -> None:
    git, repo = checkout.git, checkout.repo
    git.run("switch", "--quiet", "--detach", "origin/main", cwd=repo)
    _refused(checkout, "HEAD:refs/heads/drafts/new", reason="is already in this repository")
    git.run("switch", "--quiet", "drafts/v2", cwd=repo)
    tip = git.commit_document(repo, renamed(checkout.document(), "edit"), "edit")
    assert checkout.push("HEAD:refs/heads/drafts/v2").returncode == 0
    _refused(checkout, f"{tip}:refs/heads/drafts/new", reason="is already v2's")


def test_a_push_of_reformatted_content_moves_the_draft_to_it(checkout: Checkout) -> None:
    document = checkout.document()
    raw = json.dumps(document, indent=8) + "\n"  # another layout, the same document
    tip = checkout.git.commit_document(checkout.repo, None, "reformat", raw=raw)
    pushed = checkout.push("HEAD:refs/heads/drafts/v2")
    assert pushed.returncode == 0, pushed.stderr
    version = checkout.versions()[2]
    assert (version["commit_sha"], version["lock_version"]) == (tip, 2)
    detail = checkout.server.api().get(f"/workflows/{checkout.wid}/versions/2").json()
    assert detail["definition"] == document
    # Published, main gets the canonical document, whatever the pusher's layout.
    published = checkout.server.api().post(f"/workflows/{checkout.wid}/versions/2/publish")
    assert published.status_code == 200, published.text
    checkout.git.run("fetch", "--quiet", "origin", cwd=checkout.repo, token=checkout.token)
    shown = checkout.git.out(checkout.repo, "show", "origin/main:workflow.json")
    assert shown.encode() == canonical_json(document)
    assert reindex_all(checkout.server.container).versions_changed == 0


def test_reindex_into_an_empty_database_restores_pushed_versions_exactly(checkout: Checkout) -> None:
    """Who pushed, when wfv took it, the canonical document: from wfv's records, not from the
    pushed commits' own messages and dates (which say whatever the pusher wrote)."""
    git, repo, api = checkout.git, checkout.repo, checkout.server.api()
    env = {"GIT_COMMITTER_DATE": "2001-01-01T00:00:00", "GIT_AUTHOR_DATE": "2001-01-01T00:00:00"}
    (repo / "workflow.json").write_text(json.dumps(renamed(checkout.document(), "old dates"), indent=3))
    git.run("commit", "--quiet", "-am", "Edit\n\nAuthor-Id: ceo\nLock-Version: 99", cwd=repo, env=env)
    assert checkout.push("HEAD:refs/heads/drafts/v2").returncode == 0
    patched = api.patch(
        f"/workflows/{checkout.wid}/versions/2",
        json={"definition": renamed(checkout.document(), "api on top"), "lock_version": 2},
    )
    assert patched.status_code == 200, patched.text
    git.run("pull", "--quiet", "--ff-only", cwd=repo, token=checkout.token)
    git.commit_document(repo, renamed(checkout.document(), "git after api"), "after the api")
    assert checkout.push("HEAD:refs/heads/drafts/v2").returncode == 0
    git.commit_document(repo, renamed(checkout.document(), "new draft"), "Version-Event: delete")
    assert checkout.push("HEAD:refs/heads/drafts/new").returncode == 0
    assert api.post(f"/workflows/{checkout.wid}/versions/2/publish").status_code == 200
    container, wid = checkout.server.container, uuid.UUID(checkout.wid)
    before = index_snapshot(container, workflow_id=wid)
    assert [v["lock_version"] for v in before["versions"]] == [2, 5, 1]
    assert {v["created_by"] for v in before["versions"]} == {"alice"}

    empty_index(container)
    summary = reindex_all(container)

    assert summary.errors == []
    assert index_snapshot(container, workflow_id=wid) == before


def _commit(checkout: Checkout, change: Callable[[dict[str, Any]], Any], message: str) -> None:
    document = copy.deepcopy(checkout.document())
    change(document)
    checkout.git.commit_document(checkout.repo, document, message)


def _refused(checkout: Checkout, *refspecs: str, reason: str, force: bool = False) -> str:
    """The push fails with git's rejection line and our reason, and nothing changed."""
    before = checkout.state()
    pushed = checkout.push(*refspecs, force=force)
    assert pushed.returncode != 0
    assert "[remote rejected]" in pushed.stderr
    assert reason in pushed.stderr, pushed.stderr
    assert checkout.state() == before
    return str(pushed.stderr)


def test_pushes_to_main_tags_notes_and_other_refs_are_refused(checkout: Checkout) -> None:
    git, repo = checkout.git, checkout.repo
    _commit(checkout, lambda d: d["actions"][0].update(name="sneaky"), "valid edit")
    _refused(checkout, "HEAD:refs/heads/main", reason="main is written by publishing")
    git.run("tag", "v9", cwd=repo)
    _refused(checkout, "refs/tags/v9", reason="tags are written by publishing")
    git.run("notes", "--ref=reviews", "add", "-m", "forged approval", "HEAD", cwd=repo)
    _refused(checkout, "refs/notes/reviews", reason="review notes are written by the review API")
    _refused(checkout, "HEAD:refs/heads/feature", reason="only refs/heads/drafts/v<N>")
    _refused(checkout, ":refs/heads/drafts/v2", reason="deleting refs is refused")
    both = _refused(checkout, "HEAD:refs/heads/drafts/v2", "HEAD:refs/heads/main", reason="main is written")
    assert "not applied: another ref of this push was refused" in both  # all or nothing


def test_pushes_of_invalid_content_are_refused_naming_the_commit(checkout: Checkout) -> None:
    git, repo = checkout.git, checkout.repo
    start = git.out(repo, "rev-parse", "HEAD").strip()

    def reset() -> None:
        git.run("reset", "--quiet", "--hard", start, cwd=repo)

    git.commit_document(repo, None, "broken json", raw='{"format": 1,\n')
    bad = git.out(repo, "rev-parse", "--short=12", "HEAD").strip()
    message = _refused(checkout, "HEAD:refs/heads/drafts/v2", reason="workflow.json is not valid JSON")
    assert f"commit {bad} (broken json)" in message
    reset()
    _commit(checkout, lambda d: d["actions"][1].update(id="not an id!"), "bad action id")
    _refused(checkout, "HEAD:refs/heads/drafts/v2", reason="in action 'not an id!': actions.1.id")
    reset()
    _commit(checkout, lambda d: d.update(format=2), "format 2")
    _refused(checkout, "HEAD:refs/heads/drafts/v2", reason="workflow.json is not a valid workflow: format")
    reset()
    (repo / "README.md").write_text("notes\n")
    _commit(checkout, lambda d: d["actions"][0].update(name="with readme"), "extra file")
    _refused(checkout, "HEAD:refs/heads/drafts/v2", reason="it also holds: README.md")
    reset()
    git.run("mv", "workflow.json", "flow.json", cwd=repo)
    git.run("commit", "--quiet", "-m", "renamed file", cwd=repo)
    _refused(checkout, "HEAD:refs/heads/drafts/v2", reason="also holds: flow.json")
    reset()
    git.run("rm", "--quiet", "workflow.json", cwd=repo)
    os.symlink("/etc/passwd", repo / "workflow.json")
    git.run("add", "-A", cwd=repo)
    git.run("commit", "--quiet", "-m", "a symlink", cwd=repo)
    _refused(checkout, "HEAD:refs/heads/drafts/v2", reason="workflow.json must be a regular file")


def test_every_pushed_commit_is_checked_for_its_shape_and_the_tip_for_its_content(checkout: Checkout) -> None:
    git, repo = checkout.git, checkout.repo
    start = git.out(repo, "rev-parse", "HEAD").strip()
    (repo / "notes.txt").write_text("scratch\n")
    git.commit_document(repo, renamed(checkout.document(), "with notes"), "an extra file in the middle")
    middle = git.out(repo, "rev-parse", "--short=12", "HEAD").strip()
    git.run("rm", "--quiet", "notes.txt", cwd=repo)
    git.commit_document(repo, renamed(checkout.document(), "clean tip"), "valid tip")
    message = _refused(checkout, "HEAD:refs/heads/drafts/v2", reason="it also holds: notes.txt")
    assert f"commit {middle}" in message

    # Work in progress in between is history, not a version: only the tip must validate.
    git.run("reset", "--quiet", "--hard", start, cwd=repo)
    valid = renamed(checkout.document(), "fixed")
    git.commit_document(repo, None, "half typed", raw="not json yet\n")
    git.commit_document(repo, valid, "valid tip")
    assert checkout.push("HEAD:refs/heads/drafts/v2").returncode == 0
    detail = checkout.server.api().get(f"/workflows/{checkout.wid}/versions/2").json()
    assert detail["definition"] == valid


def test_non_fast_forward_published_deleted_and_missing_drafts_are_refused(checkout: Checkout) -> None:
    git, repo, api = checkout.git, checkout.repo, checkout.server.api()
    git.run("switch", "--quiet", "--detach", "origin/main", cwd=repo)
    _commit(checkout, lambda d: d["actions"][0].update(name="beside the draft"), "not on drafts/v2")
    _refused(checkout, "HEAD:refs/heads/drafts/v2", reason="non-fast-forward", force=True)
    _refused(
        checkout,
        "HEAD:refs/heads/drafts/v1",
        reason="v1 is active: published versions never change",
        force=True,
    )
    _refused(checkout, "HEAD:refs/heads/drafts/v9", reason="there is no v9")

    assert api.post(f"/workflows/{checkout.wid}/versions").status_code == 201
    assert api.delete(f"/workflows/{checkout.wid}/versions/3").status_code == 200
    git.run("fetch", "--quiet", "origin", cwd=repo, token=checkout.token)
    git.run("switch", "--quiet", "--detach", "origin/drafts/v3", cwd=repo)
    _commit(checkout, lambda d: d["actions"][0].update(name="after delete"), "on a deleted draft")
    _refused(checkout, "HEAD:refs/heads/drafts/v3", reason="v3 is deleted")


def test_a_draft_edited_through_the_api_since_the_clone_refuses_a_stale_push(checkout: Checkout) -> None:
    api = checkout.server.api()
    patched = api.patch(
        f"/workflows/{checkout.wid}/versions/2",
        json={"definition": renamed(example("welcome-small"), "api"), "lock_version": 1},
    )
    assert patched.status_code == 200, patched.text
    _commit(checkout, lambda d: d["actions"][0].update(name="git"), "based on the old head")
    before = checkout.state()
    pushed = checkout.push("HEAD:refs/heads/drafts/v2")
    assert pushed.returncode != 0
    assert "[rejected]" in pushed.stderr  # git itself sees the draft moved: fetch first
    assert checkout.state() == before


def test_concurrent_pushes_to_one_draft_record_exactly_one_edit(checkout: Checkout, tmp_path: Path) -> None:
    git, server = checkout.git, checkout.server
    other = git.clone(server.url(checkout.wid), tmp_path / "other", checkout.token)
    git.run("switch", "--quiet", "drafts/v2", cwd=other)
    mine, theirs = renamed(checkout.document(), "mine"), renamed(checkout.document(), "theirs")
    git.commit_document(checkout.repo, mine, "mine")
    git.commit_document(other, theirs, "theirs")

    def push(repo: Path) -> Any:
        return git.run(
            "push", "origin", "HEAD:refs/heads/drafts/v2", cwd=repo, token=checkout.token, check=False
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(push, [checkout.repo, other]))
    codes = sorted(result.returncode for result in results)
    assert codes[0] == 0
    assert codes[1] != 0
    loser = next(result for result in results if result.returncode != 0)
    assert "fetch first" in loser.stderr  # refused by us under the lock, or by git on the new head
    winner = mine if results[0].returncode == 0 else theirs
    assert checkout.versions()[2]["lock_version"] == 2
    detail = server.api().get(f"/workflows/{checkout.wid}/versions/2").json()
    assert detail["definition"] == winner
    assert [entry["action"] for entry in checkout.audit()].count("update") == 1
