"""A fetch serves only what an advertised ref reaches, over protocol v0, v1 and v2.

Protocol v2's ``want`` may name any object (gitprotocol-v2) and git's upload-pack then
serves it, and a ``shallow`` line with ``deepen`` makes any protocol send the parents of
the commit it names: so objects nothing keeps (pushed, then refused) or that only an
internal ``refs/wfv/*`` ref reaches would be anybody's to download. Real ``git``, real
``wfv serve``; the hidden objects are written into the bare repository directly."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from repo_store.wire import FLUSH, pkt_line
from tests.e2e.conftest import GitServer
from tests.e2e.gitclient import GitClient
from tests.e2e.test_git_clone import published_history

pytestmark = pytest.mark.e2e

DELIM = b"0001"
# Settings that would let a server serve any object: given to the client they must change nothing.
CLIENT_ALLOW_ANY = (
    "-c",
    "uploadpack.allowAnySHA1InWant=true",
    "-c",
    "uploadpack.allowReachableSHA1InWant=true",
    "-c",
    "uploadpack.allowTipSHA1InWant=true",
)


@dataclass
class Hidden:
    """A workflow's repository with objects no advertised ref reaches."""

    server: GitServer
    wid: str
    bare: Path
    blob: str  # written alone, reached by nothing
    internal: str  # a commit only refs/wfv/probe reaches
    internal_parent: str  # that commit's parent: its tree holds the secret blob
    secret: str  # the blob in internal_parent's tree

    def git(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            ["git", "--git-dir", str(self.bare), *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.bare)},
        )
        return done.stdout.strip()

    def upload_pack(self, body: bytes, *, version: int) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {self.server.token('workflows:read')}",
            "Content-Type": "application/x-git-upload-pack-request",
        }
        if version:
            headers["Git-Protocol"] = f"version={version}"
        return httpx.post(f"{self.server.url(self.wid)}/git-upload-pack", content=body, headers=headers)


def _commit(hidden: Hidden, tree: str, message: str, *parents: str) -> str:
    flags = [part for parent in parents for part in ("-p", parent)]
    return hidden.git(
        "-c", "user.name=x", "-c", "user.email=x@example.test", "commit-tree", tree, *flags, "-m", message
    )


@pytest.fixture
def hidden(git_server: GitServer) -> Hidden:
    wid = published_history(git_server)
    bare = git_server.data / "repos" / "acme" / f"{wid}.git"
    state = Hidden(git_server, wid, bare, "", "", "", "")
    state.blob = state.git("hash-object", "-w", "--stdin", stdin="nobody's business\n")
    state.secret = state.git("hash-object", "-w", "--stdin", stdin='{"secret": "only refs/wfv reaches me"}\n')
    tree = state.git("mktree", stdin=f"100644 blob {state.secret}\tworkflow.json\n")
    main = state.git("rev-parse", "refs/heads/main")
    state.internal_parent = _commit(state, tree, "hidden parent", main)
    empty = state.git("mktree", stdin="")
    state.internal = _commit(state, empty, "hidden tip", state.internal_parent)
    state.git("update-ref", "refs/wfv/probe", state.internal)
    return state


def _v2_fetch(*args: str) -> bytes:
    lines = [b"command=fetch\n", b"object-format=sha1\n", DELIM]
    lines += [pkt_line(f"{arg}\n".encode()) for arg in (*args, "done")]
    return b"".join(pkt_line(line) if line in lines[:2] else line for line in lines) + FLUSH


def _v0_fetch(*args: str) -> bytes:
    first, *rest = args
    lines = [pkt_line(f"{first} ofs-delta side-band-64k\n".encode())]
    lines += [pkt_line(f"{arg}\n".encode()) for arg in rest]
    return b"".join(lines) + FLUSH + pkt_line(b"done\n")


def _refused(answer: httpx.Response, oid: str) -> None:
    """A git error line naming the object, and no pack."""
    assert answer.status_code == 200, answer.text
    assert b"PACK" not in answer.content
    assert b"ERR " in answer.content, answer.content[:300]
    assert oid.encode() in answer.content


def _clone(hidden: Hidden, tmp_path: Path, *flags: str) -> tuple[GitClient, Path, str]:
    git = GitClient(tmp_path / "home")
    token = hidden.server.token("workflows:read")
    repo = tmp_path / "clone"
    git.run("clone", "--quiet", *flags, hidden.server.url(hidden.wid), str(repo), token=token)
    return git, repo, token


@pytest.mark.parametrize("version", [2, 1, 0])
def test_git_fetch_of_an_unreachable_object_by_id_is_refused(
    hidden: Hidden, tmp_path: Path, version: int
) -> None:
    git, repo, token = _clone(hidden, tmp_path)
    for target in (hidden.blob, hidden.internal, hidden.internal_parent, hidden.secret):
        for client in ((), CLIENT_ALLOW_ANY):
            fetched = git.run(
                *client,
                "-c",
                f"protocol.version={version}",
                "fetch",
                "origin",
                target,
                cwd=repo,
                token=token,
                check=False,
            )
            assert fetched.returncode != 0, fetched.stderr
            if version == 2:
                assert f"not our ref {target}" in fetched.stderr
            missing = git.run("cat-file", "-e", target, cwd=repo, check=False)
            assert missing.returncode != 0


@pytest.mark.parametrize("version", [2, 1, 0])
def test_a_raw_want_of_an_unreachable_object_is_refused(hidden: Hidden, version: int) -> None:
    body = _v2_fetch if version == 2 else _v0_fetch
    for target in (hidden.blob, hidden.internal, hidden.secret):
        _refused(hidden.upload_pack(body(f"want {target}"), version=version), target)
    upper = hidden.blob.upper()  # git reads hex in either case
    _refused(hidden.upload_pack(body(f"want {upper}"), version=version), hidden.blob)


@pytest.mark.parametrize("version", [2, 1, 0])
def test_a_shallow_line_cannot_unshallow_a_hidden_commit(hidden: Hidden, version: int) -> None:
    """``shallow X`` + ``deepen`` makes upload-pack send X's parents, whatever reaches X."""
    main = hidden.git("rev-parse", "refs/heads/main")
    body = _v2_fetch if version == 2 else _v0_fetch
    answer = hidden.upload_pack(
        body(f"want {main}", f"shallow {hidden.internal}", "deepen 2147483647"), version=version
    )
    _refused(answer, hidden.internal)


def test_only_ls_refs_and_fetch_are_served_over_v2(hidden: Hidden) -> None:
    body = pkt_line(b"command=object-info\n") + DELIM + pkt_line(b"size\n")
    body += pkt_line(f"oid {hidden.blob}\n".encode()) + FLUSH
    answer = hidden.upload_pack(body, version=2)
    assert b"ERR " in answer.content
    assert b"object-info" in answer.content
    assert str(len("nobody's business\n")).encode() not in answer.content.split(b"ERR", 1)[0]


def test_a_malformed_request_is_a_problem(hidden: Hidden) -> None:
    answer = hidden.upload_pack(b"zzzzwant", version=2)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert "pkt-line" in answer.json()["detail"]


@pytest.mark.parametrize("version", [2, 0])
def test_reachable_objects_by_id_are_still_served(hidden: Hidden, tmp_path: Path, version: int) -> None:
    first_blob = hidden.git("rev-parse", "refs/tags/v1^{commit}:workflow.json")
    first_commit = hidden.git("rev-parse", "refs/tags/v1^{commit}")
    body = _v2_fetch if version == 2 else _v0_fetch
    for target in (first_commit, first_blob, hidden.git("rev-parse", "refs/heads/main")):
        answer = hidden.upload_pack(body(f"want {target}"), version=version)
        assert answer.status_code == 200
        assert b"PACK" in answer.content, answer.content[:300]
    if version == 2:  # git's client asks for objects by id only over v2
        git, repo, token = _clone(hidden, tmp_path, "--bare", "--depth=1")
        git.run("fetch", "--quiet", "origin", first_commit, cwd=repo, token=token)
        assert git.out(repo, "cat-file", "-t", first_commit).strip() == "commit"


def test_clone_fetch_and_partial_clone_still_work(hidden: Hidden, tmp_path: Path) -> None:
    git, repo, token = _clone(hidden, tmp_path / "full")
    assert git.out(repo, "log", "--format=%s", "origin/main").splitlines() == ["Publish v2", "Publish v1"]
    api = hidden.server.api()
    assert api.post(f"/workflows/{hidden.wid}/versions/3/publish").status_code == 200
    git.run("fetch", "--quiet", "origin", cwd=repo, token=token)
    assert git.out(repo, "log", "-1", "--format=%s", "origin/main").strip() == "Publish v3"

    lazy, partial, _ = _clone(hidden, tmp_path / "partial", "--filter=blob:none")
    assert lazy.out(partial, "config", "remote.origin.partialclonefilter").strip() == "blob:none"
    old = lazy.run("show", "v1:workflow.json", cwd=partial, token=token)  # fetched on demand, by id
    assert '"format": 1' in old.stdout
    patch = lazy.run("log", "-p", "--format=%s", "v1..v2", cwd=partial, token=token).stdout
    assert "Publish v2" in patch
    assert '+      "type": "wait_until"' in patch
    assert old.stdout.encode() == hidden.git("cat-file", "blob", "v1:workflow.json").encode() + b"\n"


def test_a_sparse_filter_naming_a_blob_is_refused(hidden: Hidden, tmp_path: Path) -> None:
    """``sparse:oid=<name>`` makes upload-pack read a blob by any name, hidden refs' too."""
    git = GitClient(tmp_path / "home")
    token = hidden.server.token("workflows:read")
    cloned = git.run(
        "clone",
        "--quiet",
        f"--filter=sparse:oid={hidden.secret}",
        hidden.server.url(hidden.wid),
        str(tmp_path / "sparse"),
        token=token,
        check=False,
    )
    assert cloned.returncode != 0
    assert "filter 'sparse:oid' not supported" in cloned.stderr
