"""The reference engine run as its documentation runs it (``python -m examples.engine``,
docs/engine-contract.md), against a real ``wfv serve`` on each database: stopped with its
contacts waiting, then started again (it rebuilds its copy from wfv), its contacts go
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
    common = ["--url", api_server.base, "--token", token, "--workflow", workflow_id, "--interval", "0"]

    first = _engine(*common, "--contacts", "40", "--ticks", "3")
    assert first.splitlines()[-1].startswith("tick 3: 0 moved, 40 in flight"), first
    # Restarted: no new contacts, the 40 in flight loaded from wfv and run to their end.
    again = _engine(*common, "--contacts", "0", "--ticks", "8")
    assert again.splitlines()[0].startswith("tick 1: 0 moved, 40 in flight"), again
    assert again.splitlines()[-1].startswith("tick 8: 0 moved, 0 in flight"), again

    executions = api.get(f"/workflows/{workflow_id}/executions", params={"limit": 1000}).json()["items"]
    assert len(executions) == 40
    ends = {(item["current_action_id"], item["status"]) for item in executions}
    # Both branches of ``opened?`` were taken, by the contacts' simulated attributes.
    assert ends == {("tips", "completed"), ("reminder", "completed")}


def _engine(*args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "examples.engine", *args],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT / "clients" / "python")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()
