"""The web package (web/, docs/web.md) type-checks, passes its component tests and builds,
with the standalone app's initial JavaScript within its budget (printed); a fresh clone's
``./scripts/web`` (what ``make serve`` runs) builds the app ``/ui`` serves, once; and the
starter document it creates workflows from is a draft the API accepts."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import REQUIRE_SERVICES, TokenFactory
from tests.factories import create_workflow_via_api

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
STARTER = WEB / "src" / "api" / "starter.json"
BUDGET_KB = 300.0


def _npm() -> str:
    """npm's absolute path, once web/ has its tools (./scripts/web); else skip, or fail under CI."""
    npm = shutil.which("npm")
    missing = (
        "npm is not installed"
        if npm is None
        else "web/node_modules is not installed (./scripts/web: npm ci)"
        if not (WEB / "node_modules" / ".bin" / "vite").exists()
        else None
    )
    if missing is not None or npm is None:
        if REQUIRE_SERVICES:
            pytest.fail(f"the web package's tools are required (WFV_REQUIRE_SERVICES=1): {missing}")
        pytest.skip(str(missing))
    return str(Path(npm).resolve())


def _run(script: str) -> str:
    done = subprocess.run(
        [_npm(), "run", script],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = f"{done.stdout}{done.stderr}"
    assert done.returncode == 0, f"`npm run {script}` failed in {WEB}:\n{output}"
    return output


def test_the_web_package_type_checks() -> None:
    _run("typecheck")


def test_the_web_components_pass_their_tests() -> None:
    _run("test")


def test_the_app_builds_within_its_javascript_budget() -> None:
    output = _run("build")
    found = re.search(r"initial JS gzipped: ([\d.]+) KB", output)
    assert found, f"the build printed no size:\n{output}"
    print(found.group(0))
    assert float(found.group(1)) <= BUDGET_KB
    assert (ROOT / "service" / "api" / "ui" / "app" / "index.html").exists()


def test_a_fresh_clone_builds_the_ui_it_serves_once(tmp_path: Path) -> None:
    """As a newcomer's ``make serve`` does: the tools from the lock, then the build; a second
    run finds both up to date and does nothing."""
    _npm()  # the script finds npm on PATH, as a newcomer's shell does
    clone = tmp_path / "wfv"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    script = str(clone / "scripts" / "web")
    first = subprocess.run([script], capture_output=True, text=True, timeout=900, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "building the web UI" in first.stdout
    page = (clone / "service" / "api" / "ui" / "app" / "index.html").read_text()
    assert '<div id="root"></div>' in page
    assert "__WFV_CSP_NONCE__" in page  # where the service puts each answer's nonce
    again = subprocess.run([script], capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout == ""


def test_the_starter_document_is_a_draft_the_api_accepts(client: TestClient, auth: TokenFactory) -> None:
    created = create_workflow_via_api(
        client, auth("workflows:edit"), name="Started", definition=json.loads(STARTER.read_text())
    )
    assert created["version"]["status"] == "draft"
