"""``make serve`` as a newcomer runs it, then ``git push`` twice: a fresh clone of the
project, ``wfv serve`` started in it with no ``WFV_DATA_DIR`` (the data in ``./var``,
relative), a token from ``wfv token``, a draft edited by pushing. Every other git test
hands the server an absolute data folder, which hid a relative ``GIT_DIR`` given to
``git index-pack`` (every push refused: "unpacker error")."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.gitclient import GitClient
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import example, renamed

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]


def _newcomer_env(port: int) -> dict[str, str]:
    """Our environment without any ``WFV_*`` (a newcomer sets none), plus the port."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("WFV_")}
    return env | {"WFV_PORT": str(port)}


def _token(project: Path, env: dict[str, str]) -> str:
    """As the README says: ``wfv token`` in the same folder, so the same ``./var`` secret."""
    args = [WFV, "token", "--user", "alice", "--org", "acme", "--perm", "workflows:admin"]
    done = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _edit_and_push(git: GitClient, repo: Path, token: str, suffix: str) -> dict[str, Any]:
    document = renamed(json.loads((repo / "workflow.json").read_text()), suffix)
    git.commit_document(repo, document, f"edit {suffix}")
    pushed = git.run("push", "origin", "HEAD:refs/heads/drafts/v2", cwd=repo, token=token, check=False)
    assert pushed.returncode == 0, pushed.stderr
    return document


def test_make_serve_defaults_take_two_pushes_in_a_row(tmp_path: Path) -> None:
    project = tmp_path / "wfv"
    subprocess.run(["git", "clone", "-q", str(PROJECT), str(project)], check=True, timeout=120)
    assert not (project / "var").exists()
    port = free_port()
    env, base = _newcomer_env(port), f"http://127.0.0.1:{port}"
    with running([WFV, "serve"], env, tmp_path / "serve.log", f"{base}/healthz", cwd=project):
        token = _token(project, env)
        api = httpx.Client(
            base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        created = api.post("/workflows", json={"name": "Newcomer", "definition": example("welcome-small")})
        assert created.status_code == 201, created.text
        wid = created.json()["id"]
        assert api.post(f"/workflows/{wid}/versions/1/publish").status_code == 200
        assert api.post(f"/workflows/{wid}/versions").status_code == 201

        git = GitClient(tmp_path / "home")
        repo = git.clone(f"{base}/git/{wid}.git", tmp_path / "clone", token)
        git.run("switch", "--quiet", "drafts/v2", cwd=repo)
        _edit_and_push(git, repo, token, "one")
        head = git.out(repo, "rev-parse", "HEAD").strip()
        assert git.remote_refs(repo, token)["refs/heads/drafts/v2"] == head  # the push is the draft's tip
        second = _edit_and_push(git, repo, token, "two")

        detail = api.get(f"/workflows/{wid}/versions/2")
        assert detail.status_code == 200, detail.text
        assert detail.json()["definition"] == second
        assert detail.json()["lock_version"] == 3  # two edits, one per push
    assert (project / "var" / "repos" / "acme" / f"{wid}.git").is_dir()  # ./var, where make serve keeps it
