"""The reference engine run as its documentation runs it (``python -m examples.engine``,
docs/engine-contract.md), against a real ``wfv serve`` on each database: its contacts go
through the workflow to the end, and the API shows each where the engine says it is."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import GitServer
from tests.factories import example

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_the_reference_engine_runs_contacts_to_their_end(api_server: GitServer) -> None:
    api = api_server.api()
    made = api.post("/workflows", json={"name": "reference engine", "definition": example("welcome-small")})
    assert made.status_code == 201, made.text
    workflow_id = made.json()["id"]
    assert api.post(f"/workflows/{workflow_id}/versions/1/publish").status_code == 200

    token = api_server.token("workflows:edit", user="engine")
    args = ["--url", api_server.base, "--token", token, "--workflow", workflow_id]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "examples.engine",
            *args,
            "--contacts",
            "40",
            "--ticks",
            "8",
            "--interval",
            "0",
        ],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT / "clients" / "python")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith("tick 8: 0 moved, 0 in flight"), run.stdout

    executions = api.get(f"/workflows/{workflow_id}/executions", params={"limit": 1000}).json()["items"]
    assert len(executions) == 40
    ends = {(item["current_action_id"], item["status"]) for item in executions}
    # Both branches of ``opened?`` were taken, by the contacts' simulated attributes.
    assert ends == {("tips", "completed"), ("reminder", "completed")}
