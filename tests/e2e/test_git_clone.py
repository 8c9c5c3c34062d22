"""``git clone`` and ``git fetch`` of a workflow's history from a real ``wfv serve``, with
the real ``git`` command: what the clone holds, credentials, another tenant, v2 protocol."""

import json
from pathlib import Path

import httpx
import pytest

from schemas.canonical import canonical_json
from tests.e2e.conftest import GitServer
from tests.e2e.gitclient import GitClient
from tests.factories import example

pytestmark = pytest.mark.e2e


def published_history(server: GitServer) -> str:
    """v1 published, v2 published after an approved review (a git note), v3 a draft."""
    api, bob = server.api(), server.api(server.token("workflows:edit", user="bob"))
    created = api.post("/workflows", json={"name": "Welcome", "definition": example("welcome-small")})
    assert created.status_code == 201, created.text
    wid = created.json()["id"]
    assert api.post(f"/workflows/{wid}/versions/1/publish").status_code == 200
    assert (
        api.post(f"/workflows/{wid}/versions", json={"definition": example("welcome-small-b")}).status_code
        == 201
    )
    review = api.post(f"/workflows/{wid}/versions/2/reviews")
    assert review.status_code == 201, review.text
    verdict = bob.post(
        f"/workflows/{wid}/reviews/{review.json()['id']}/verdicts", json={"verdict": "approve"}
    )
    assert verdict.status_code == 201, verdict.text
    assert api.post(f"/workflows/{wid}/versions/2/publish").status_code == 200
    assert api.post(f"/workflows/{wid}/versions").status_code == 201
    return str(wid)


def test_clone_holds_main_tags_drafts_and_notes(git_server: GitServer, tmp_path: Path) -> None:
    git = GitClient(tmp_path / "home")
    wid = published_history(git_server)
    token = git_server.token("workflows:read")
    repo = git.clone(git_server.url(wid), tmp_path / "clone", token)

    assert git.out(repo, "log", "--format=%s", "main").splitlines() == ["Publish v2", "Publish v1"]
    assert len(git.out(repo, "log", "--oneline", "main").splitlines()) == 2
    assert git.out(repo, "show", "v1:workflow.json").encode() == canonical_json(example("welcome-small"))
    assert json.loads(git.out(repo, "show", "v2:workflow.json")) == example("welcome-small-b")
    diff = git.out(repo, "diff", "v1", "v2")
    assert '-      "type": "wait"' in diff
    assert '+      "type": "wait_until"' in diff
    assert git.out(repo, "tag").split() == ["v1", "v2"]
    branches = git.out(repo, "branch", "-r", "--format=%(refname:short)").split()
    assert {"origin/drafts/v1", "origin/drafts/v2", "origin/drafts/v3", "origin/main"} <= set(branches)

    remote = git.remote_refs(repo, token)
    assert "refs/notes/reviews" in remote
    assert not [name for name in remote if name.startswith("refs/wfv/")]  # the index watermark is internal
    git.run("fetch", "--quiet", "origin", "refs/notes/*:refs/notes/*", cwd=repo, token=token)
    noted = git.out(repo, "log", "--notes=reviews", "-1", "main")
    assert "Review:" in noted
    assert "[approve] bob" in noted


def test_clone_with_a_credential_helper_and_basic_auth(git_server: GitServer, tmp_path: Path) -> None:
    git = GitClient(tmp_path / "home")
    wid = published_history(git_server)
    token = git_server.token("workflows:read")
    helper = f"!f() {{ echo username=anyone; echo password={token}; }}; f"
    git.run("-c", f"credential.helper={helper}", "clone", "--quiet", git_server.url(wid), str(tmp_path / "a"))
    assert git.out(tmp_path / "a", "log", "--format=%s", "-1", "origin/main").strip() == "Publish v2"
    with_password = git_server.url(wid).replace("http://", f"http://me:{token}@")
    git.run("clone", "--quiet", with_password, str(tmp_path / "b"))
    assert git.out(tmp_path / "b", "rev-parse", "origin/main") == git.out(
        tmp_path / "a", "rev-parse", "origin/main"
    )


def test_fetch_after_a_publish(git_server: GitServer, tmp_path: Path) -> None:
    git = GitClient(tmp_path / "home")
    wid = published_history(git_server)
    token = git_server.token("workflows:read")
    repo = git.clone(git_server.url(wid), tmp_path / "clone", token)
    assert git_server.api().post(f"/workflows/{wid}/versions/3/publish").status_code == 200

    git.run("fetch", "--quiet", "origin", cwd=repo, token=token)
    assert git.out(repo, "log", "--format=%s", "origin/main").splitlines() == [
        "Publish v3",
        "Publish v2",
        "Publish v1",
    ]
    assert git.out(repo, "tag").split() == ["v1", "v2", "v3"]
    assert json.loads(git.out(repo, "show", "v3:workflow.json")) == example("welcome-small-b")


def test_fetch_speaks_protocol_v2(git_server: GitServer, tmp_path: Path) -> None:
    git = GitClient(tmp_path / "home")
    wid = published_history(git_server)
    token = git_server.token("workflows:read")
    repo = git.clone(git_server.url(wid), tmp_path / "clone", token)
    traced = git.run(
        "-c",
        "protocol.version=2",
        "ls-remote",
        "origin",
        cwd=repo,
        token=token,
        env={"GIT_TRACE_PACKET": "1"},
    )
    assert "git< version 2" in traced.stderr
    assert "refs/heads/main" in traced.stdout


def test_no_or_bad_credentials_get_a_401_and_git_asks_for_them(git_server: GitServer, tmp_path: Path) -> None:
    git = GitClient(tmp_path / "home")
    wid = published_history(git_server)
    url = git_server.url(wid)

    answer = httpx.get(f"{url}/info/refs", params={"service": "git-upload-pack"})
    assert answer.status_code == 401
    assert 'Basic realm="wfv"' in answer.headers["www-authenticate"]
    assert answer.headers["content-type"].startswith("application/problem+json")

    anonymous = git.run("clone", url, str(tmp_path / "a"), check=False)
    assert anonymous.returncode != 0
    assert "could not read Username" in anonymous.stderr  # git got the challenge and wanted to prompt
    bad_bearer = git.run("clone", url, str(tmp_path / "b"), token="not-a-token", check=False)
    assert bad_bearer.returncode != 0
    assert "could not read Username" in bad_bearer.stderr
    bad_basic = git.run(
        "clone", url.replace("http://", "http://me:not-a-token@"), str(tmp_path / "c"), check=False
    )
    assert bad_basic.returncode != 0
    assert "Authentication failed" in bad_basic.stderr
    assert not (tmp_path / "a").exists()


def test_another_tenants_workflow_is_not_found(git_server: GitServer, tmp_path: Path) -> None:
    git = GitClient(tmp_path / "home")
    wid = published_history(git_server)
    stranger = git_server.token("workflows:admin", user="eve", org="globex")
    refused = git.run("clone", git_server.url(wid), str(tmp_path / "x"), token=stranger, check=False)
    assert refused.returncode != 0
    assert "not found" in refused.stderr
    answer = httpx.get(
        f"{git_server.url(wid)}/info/refs",
        params={"service": "git-upload-pack"},
        headers={"Authorization": f"Bearer {stranger}"},
    )
    assert answer.status_code == 404
    assert answer.json()["type"] == "/problems/workflow-not-found"


def test_a_reader_clones_but_cannot_push(git_server: GitServer, tmp_path: Path) -> None:
    git = GitClient(tmp_path / "home")
    wid = published_history(git_server)
    reader = git_server.token("workflows:read")
    repo = git.clone(git_server.url(wid), tmp_path / "clone", reader)
    git.run("switch", "--quiet", "drafts/v3", cwd=repo)
    document = json.loads((repo / "workflow.json").read_text())
    document["actions"][0]["name"] = "Reader edit"
    git.commit_document(repo, document, "reader edit")
    refused = git.run("push", "origin", "HEAD:refs/heads/drafts/v3", cwd=repo, token=reader, check=False)
    assert refused.returncode != 0
    assert "403" in refused.stderr
    assert (
        git.remote_refs(repo, reader)["refs/heads/drafts/v3"]
        == git.out(repo, "rev-parse", "origin/drafts/v3").strip()
    )
