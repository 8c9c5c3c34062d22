"""What one push may cost, against a real ``wfv serve`` with the real ``git``: pushes past
the limits are refused before git unpacks them, a push keeps only what its accepted commits
reach, a command that moves nothing records nothing, and a maximal push leaves the other
tenants' writes alone."""

import json
import secrets
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from repo_store.incoming import QUARANTINE_PREFIX
from repo_store.upkeep import count_loose, count_packs
from repo_store.wire import pkt_line
from tests.e2e.conftest import GitServer
from tests.e2e.gitclient import GitClient
from tests.factories import example, renamed

pytestmark = pytest.mark.e2e
RECEIVE_REQUEST = "application/x-git-receive-pack-request"


class Draft:
    """A workflow with v1 published and v2 a draft, cloned with drafts/v2 checked out."""

    def __init__(self, server: GitServer, tmp_path: Path, org: str = "acme") -> None:
        self.server, self.org = server, org
        self.token = server.token("workflows:admin", org=org)
        api = server.api(self.token)
        created = api.post("/workflows", json={"name": "Bounds", "definition": example("welcome-small")})
        assert created.status_code == 201, created.text
        self.wid = created.json()["id"]
        assert api.post(f"/workflows/{self.wid}/versions/1/publish").status_code == 200
        assert api.post(f"/workflows/{self.wid}/versions").status_code == 201
        self.git = GitClient(tmp_path / "home")
        self.repo = self.git.clone(server.url(self.wid), tmp_path / "clone", self.token)
        self.git.run("switch", "--quiet", "drafts/v2", cwd=self.repo)
        self.bare = server.container.store.path_for(org, uuid.UUID(self.wid))

    def push(self, *refspecs: str) -> subprocess.CompletedProcess[str]:
        return self.git.run("push", "origin", *refspecs, cwd=self.repo, token=self.token, check=False)

    def version(self) -> dict[str, Any]:
        answer = self.server.api(self.token).get(f"/workflows/{self.wid}/versions/2")
        assert answer.status_code == 200, answer.text
        loaded: dict[str, Any] = answer.json()
        return loaded

    def audit_size(self) -> int:
        answer = self.server.api(self.token).get(f"/workflows/{self.wid}/audit", params={"limit": 200})
        return len(answer.json()["items"])

    def storage(self) -> tuple[int, int]:
        """Loose objects and packs of the bare repository, and no quarantine left."""
        assert not list((self.bare / "objects").glob(f"{QUARANTINE_PREFIX}*"))
        return count_loose(self.bare), count_packs(self.bare)

    def has(self, sha: str) -> bool:
        found = subprocess.run(["git", "--git-dir", str(self.bare), "cat-file", "-e", sha], check=False)
        return found.returncode == 0

    def send(self, commands: list[str], pack: bytes) -> bytes:
        """A receive-pack request as git would send it, built by hand."""
        first, *rest = commands
        lines = [pkt_line(f"{first}\0report-status\n".encode())]
        lines += [pkt_line(f"{command}\n".encode()) for command in rest]
        body = b"".join(lines) + b"0000" + pack
        answer = httpx.post(
            f"{self.server.url(self.wid)}/git-receive-pack",
            content=body,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": RECEIVE_REQUEST},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        return answer.content

    def pack_of(self, *object_ids: str) -> bytes:
        """A pack of exactly these objects, as ``git pack-objects`` writes it."""
        done = subprocess.run(
            ["git", "pack-objects", "--stdout"],
            cwd=self.repo,
            input="".join(f"{sha}\n" for sha in object_ids).encode(),
            capture_output=True,
            check=True,
        )
        return done.stdout

    def head(self) -> str:
        return self.git.out(self.repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def draft(git_server: GitServer, tmp_path: Path) -> Draft:
    return Draft(git_server, tmp_path)


def _stray_blob(draft: Draft, size: int = 4096) -> str:
    """An object in the clone that no commit reaches."""
    path = draft.repo.parent / "stray.bin"
    path.write_bytes(secrets.token_bytes(size))
    return draft.git.out(draft.repo, "hash-object", "-w", str(path)).strip()


def test_a_push_of_too_many_commits_is_refused_before_git_unpacks_it(draft: Draft) -> None:
    document = draft.version()["definition"]
    for number in range(400):
        (draft.repo / "workflow.json").write_text(json.dumps(renamed(document, f"edit {number}"), indent=2))
        draft.git.run("commit", "--quiet", "-am", f"edit {number}", cwd=draft.repo)
    before = (draft.version(), draft.audit_size(), draft.storage())
    started = time.monotonic()
    pushed = draft.push("HEAD:refs/heads/drafts/v2")
    assert pushed.returncode != 0
    assert "at most 100 commits per push (WFV_GIT_PUSH_MAX_COMMITS); push in parts" in pushed.stderr
    assert time.monotonic() - started < 30  # refused from the pack's header, not after unpacking it
    assert (draft.version(), draft.audit_size(), draft.storage()) == before


def test_a_pack_that_inflates_past_the_limit_is_refused_and_leaves_nothing(draft: Draft) -> None:
    # 32 MiB of zeros: about 32 KB on the wire, twice the default inflated limit.
    (draft.repo / "workflow.json").write_bytes(b"0" * (32 * 1024 * 1024))
    draft.git.run("commit", "--quiet", "-am", "a bomb", cwd=draft.repo)
    before = (draft.version(), draft.audit_size(), draft.storage())
    pushed = draft.push("HEAD:refs/heads/drafts/v2")
    assert pushed.returncode != 0
    assert "inflate to more than 16777216 bytes (WFV_GIT_PUSH_MAX_INFLATED_BYTES)" in pushed.stderr
    assert (draft.version(), draft.audit_size(), draft.storage()) == before


def test_objects_no_accepted_commit_reaches_are_never_kept(draft: Draft) -> None:
    old = draft.head()
    new = draft.git.commit_document(draft.repo, renamed(draft.version()["definition"], "kept"), "kept")
    tree = draft.git.out(draft.repo, "rev-parse", "HEAD^{tree}").strip()
    blob = draft.git.out(draft.repo, "rev-parse", "HEAD:workflow.json").strip()
    stray = _stray_blob(draft)
    answer = draft.send([f"{old} {new} refs/heads/drafts/v2"], draft.pack_of(new, tree, blob, stray))
    assert b"ok refs/heads/drafts/v2" in answer
    assert draft.version()["commit_sha"] == new
    assert all(draft.has(sha) for sha in (new, tree, blob))
    assert not draft.has(stray)


def test_a_command_that_moves_nothing_keeps_nothing_and_records_nothing(draft: Draft) -> None:
    head = draft.head()
    stray = _stray_blob(draft)
    before = (draft.version(), draft.audit_size(), draft.storage())
    answer = draft.send([f"{head} {head} refs/heads/drafts/v2"], draft.pack_of(stray))
    assert b"ok refs/heads/drafts/v2" in answer
    assert (draft.version(), draft.audit_size(), draft.storage()) == before
    assert not draft.has(stray)


def _fill_to_the_limits(draft: Draft) -> None:
    """100 commits whose objects inflate to just under 16 MiB, a valid workflow at the tip."""
    pad = 150 * 1024
    for number in range(99):
        filler = {"work in progress": secrets.token_hex(pad // 2), "step": number}
        (draft.repo / "workflow.json").write_text(json.dumps(filler))
        draft.git.run("commit", "--quiet", "-am", f"wip {number}", cwd=draft.repo)
    draft.git.commit_document(draft.repo, renamed(draft.version()["definition"], "done"), "done")


def test_a_maximal_push_leaves_other_tenants_writes_alone(git_server: GitServer, tmp_path: Path) -> None:
    draft = Draft(git_server, tmp_path / "acme")
    _fill_to_the_limits(draft)
    other = git_server.api(git_server.token("workflows:admin", org="globex"))
    latencies: list[float] = []
    done = threading.Event()

    def write_elsewhere() -> None:
        while not done.is_set():
            started = time.monotonic()
            created = other.post(
                "/workflows", json={"name": "Elsewhere", "definition": example("welcome-small")}
            )
            latencies.append(time.monotonic() - started)
            assert created.status_code == 201, created.text

    writer = threading.Thread(target=write_elsewhere)
    writer.start()
    try:
        pushed = draft.push("HEAD:refs/heads/drafts/v2")
    finally:
        done.set()
        writer.join()
    assert pushed.returncode == 0, pushed.stderr
    assert "100 new commit(s)" in pushed.stderr
    assert draft.version()["lock_version"] == 2
    assert len(latencies) >= 3
    assert max(latencies) < 1.0, latencies
