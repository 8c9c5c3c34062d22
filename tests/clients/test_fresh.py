"""The committed clients (clients/) are what the live OpenAPI document generates today: the
suite regenerates them into a temporary folder with the same script a developer runs and
diffs. A route or a model changed without `make clients` fails here, naming the files."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES

PROJECT = Path(__file__).resolve().parents[2]
CLIENTS = PROJECT / "clients"
GENERATED = ("openapi.json", "python", "typescript/src/schema.d.ts")
CACHES = {"__pycache__", ".ruff_cache", ".mypy_cache", "build", "dist"}
HOW = "run `make clients` (./scripts/clients) and commit clients/ (docs/clients.md)"


def _missing_tools() -> str | None:
    if not (PROJECT / ".venv/generator/bin/openapi-python-client").exists():
        return "openapi-python-client is not installed in .venv/generator (./scripts/bootstrap dev)"
    if not (CLIENTS / "typescript/node_modules/.bin/openapi-typescript").exists():
        return "openapi-typescript is not installed in clients/typescript (./scripts/typescript: npm ci)"
    return None


def _generated(parts: tuple[str, ...]) -> bool:
    """Not a cache, nor what ``pip install clients/python`` leaves behind (git ignores both)."""
    leftover = any(part in CACHES or part.endswith(".egg-info") for part in parts)
    return not leftover and not parts[-1].endswith(".pyc")


def _files(root: Path) -> dict[str, bytes]:
    """Every generated file under ``root``, by its path from ``root``."""
    found: dict[str, bytes] = {}
    for name in GENERATED:
        top = root / name
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            if path.is_file() and _generated(path.relative_to(root).parts):
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def test_the_committed_clients_match_the_live_schema(tmp_path: Path) -> None:
    missing = _missing_tools()
    if missing is not None:
        if REQUIRE_SERVICES:
            pytest.fail(f"the clients' generators are required (WFV_REQUIRE_SERVICES=1): {missing}")
        pytest.skip(missing)
    env = {name: value for name, value in os.environ.items() if name != "VIRTUAL_ENV"}
    done = subprocess.run(
        [str(PROJECT / "scripts" / "clients"), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"scripts/clients failed:\n{done.stdout}{done.stderr}"
    fresh, committed = _files(tmp_path), _files(CLIENTS)
    assert "openapi.json" in fresh
    assert "python/wfv_client/client.py" in fresh
    stale = sorted(
        [
            f"changed: clients/{name}"
            for name in fresh.keys() & committed.keys()
            if fresh[name] != committed[name]
        ]
        + [f"missing: clients/{name}" for name in fresh.keys() - committed.keys()]
        + [f"no longer generated: clients/{name}" for name in committed.keys() - fresh.keys()]
    )
    assert not stale, (
        "the clients are stale against the live OpenAPI document; " + HOW + "\n" + "\n".join(stale[:50])
    )
