"""``make serve`` installs what serving needs and nothing more; ``make test`` (and lint,
bench, chaos) the dev tools too. One script, ``./scripts/bootstrap serve|dev``, idempotent,
with a stamp per mode, where a venv installed for dev already serves."""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]


def _make_plan(target: str) -> list[str]:
    done = subprocess.run(
        ["make", "-n", "-C", str(PROJECT), target], capture_output=True, text=True, timeout=60, check=True
    )
    return [line for line in done.stdout.splitlines() if "bootstrap" in line]


def test_make_serve_installs_for_serving_and_the_rest_for_development() -> None:
    assert _make_plan("serve") == ["./scripts/bootstrap serve"]
    for target in ("test", "lint", "bench", "chaos"):
        assert _make_plan(target) == ["./scripts/bootstrap dev"], target


def _bootstrap(clone: Path, mode: str) -> None:
    env = {name: value for name, value in os.environ.items() if name != "VIRTUAL_ENV"}
    done = subprocess.run(
        [str(clone / "scripts" / "bootstrap"), mode], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr


def _installed(clone: Path, distribution: str) -> bool:
    python = str(clone / ".venv" / "bin" / "python")
    shown = subprocess.run([python, "-m", "pip", "show", "-q", distribution], capture_output=True, timeout=60)
    return shown.returncode == 0


def _installed_versions(clone: Path) -> dict[str, str]:
    python = str(clone / ".venv" / "bin" / "python")
    listing = (
        "import json, importlib.metadata as m; print(json.dumps("
        "{d.metadata['Name'].lower().replace('_', '-'): d.version for d in m.distributions()}))"
    )
    shown = subprocess.run([python, "-c", listing], capture_output=True, text=True, timeout=60, check=True)
    versions: dict[str, str] = json.loads(shown.stdout)
    return versions


def _locked(clone: Path) -> dict[str, str]:
    pins = {}
    for line in (clone / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split(";")[0].strip().split("==")
            pins[name.lower().replace("_", "-")] = version.strip()
    return pins


def test_bootstrap_serve_installs_no_test_toolchain_and_runs_once(tmp_path: Path) -> None:
    clone = tmp_path / "wfv"
    subprocess.run(["git", "clone", "-q", str(PROJECT), str(clone)], check=True, timeout=120)
    _bootstrap(clone, "serve")
    stamp = clone / ".venv" / ".wfv-installed-serve"
    version = subprocess.run(
        [str(clone / ".venv" / "bin" / "wfv"), "--version"], capture_output=True, text=True, timeout=60
    )
    assert version.stdout.startswith("wfv "), version.stderr
    assert _installed(clone, "uvicorn")
    for tool in ("pytest", "mypy", "ruff", "playwright", "schemathesis"):
        assert not _installed(clone, tool), tool
    # Every dependency at the version the image ships, not the newest release upstream (a
    # newer deepdiff once pulled a cachebox the lock did not hold, on a fresh machine only).
    installed, locked = _installed_versions(clone), _locked(clone)
    drift = {name: (installed[name], pin) for name, pin in locked.items() if installed.get(name, pin) != pin}
    assert not drift, drift
    assert "deepdiff" in installed

    # Again: nothing to do (pip would rewrite the stamp).
    installed_at = stamp.stat().st_mtime_ns
    _bootstrap(clone, "serve")
    assert stamp.stat().st_mtime_ns == installed_at

    # A venv installed for dev serves as it is.
    stamp.unlink()
    (clone / ".venv" / ".wfv-installed").touch()
    _bootstrap(clone, "serve")
    assert not stamp.exists()

    # A pyproject.toml changed since is installed again.
    (clone / ".venv" / ".wfv-installed").unlink()
    stamp.touch()
    # Older than the clone's pyproject.toml (not than now: the first install may take a minute).
    before = min(time.time(), (clone / "pyproject.toml").stat().st_mtime) - 60
    os.utime(stamp, (before, before))
    _bootstrap(clone, "serve")
    assert stamp.stat().st_mtime > before + 30
