"""The README's first command, for real: ``wfv serve`` on a fresh data dir, a token from
``wfv token``, the API over HTTP, the repository read with the real ``git`` command, and
``wfv reindex`` rebuilding what the server indexed."""

import json
import sqlite3
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.e2e.helpers import WFV, free_port, run_wfv, running, wfv_env
from tests.factories import example

pytestmark = pytest.mark.e2e


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def test_serve_token_api_git_and_reindex(tmp_path: Path) -> None:
    data = tmp_path / "var"
    env = wfv_env(data)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([WFV, "serve", "--port", str(port)], env, tmp_path / "serve.log", f"{base}/healthz"):
        token = run_wfv(
            "token", "--user", "alice", "--org", "acme", "--perm", "workflows:admin", env=env
        ).strip()
        api = httpx.Client(
            base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert httpx.get(f"{base}/api/v1/workflows").status_code == 401
        created = api.post("/workflows", json={"name": "Welcome", "definition": example("welcome-small")})
        assert created.status_code == 201, created.text
        wid = created.json()["id"]
        assert api.post(f"/workflows/{wid}/versions/1/publish").status_code == 200
        second = api.post(f"/workflows/{wid}/versions", json={"definition": example("welcome-small-b")})
        assert second.status_code == 201
        assert api.post(f"/workflows/{wid}/versions/2/publish").status_code == 200
        rolled = api.post(f"/workflows/{wid}/versions/1/rollback")
        assert rolled.status_code == 201
        listed = api.get(f"/workflows/{wid}/versions").json()["items"]
        docs = httpx.get(f"{base}/openapi.json").json()
        assert "/api/v1/workflows/{workflow_id}/versions/{version}/publish" in docs["paths"]

    repo = next((data / "repos" / "acme").glob("*.git"))
    assert _git(repo, "log", "--format=%s", "main").splitlines() == [
        "Rollback to v1",
        "Publish v2",
        "Publish v1",
    ]
    assert json.loads(_git(repo, "show", "v3:workflow.json")) == example("welcome-small")
    assert (
        _git(repo, "show", "v2:workflow.json")
        == (Path(__file__).parents[1] / "examples" / "welcome-small-b.json").read_text()
    )
    assert "Rollback-Of: 1" in _git(repo, "log", "-1", "--format=%B", "main")
    assert _git(repo, "tag", "--list").split() == ["v1", "v2", "v3"]
    assert [v["version_number"] for v in listed] == [3, 2, 1]

    db = data / "wfv.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("DELETE FROM workflow_versions").rowcount == 3
    out = subprocess.run([WFV, "reindex"], env=env, capture_output=True, text=True, check=True)
    assert "1 repositories" in out.stderr
    with running([WFV, "serve", "--port", str(port)], env, tmp_path / "serve2.log", f"{base}/healthz"):
        again = httpx.get(
            f"{base}/api/v1/workflows/{wid}/versions", headers={"Authorization": f"Bearer {token}"}
        ).json()["items"]
    assert again == listed
