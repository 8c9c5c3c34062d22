"""The Dockerfile, checked without a Docker engine: what it copies is enough for
``pip install .`` to build a wheel that carries the migrations and the web UI, and the
image runs as a user of its own."""

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _copied() -> list[str]:
    sources: list[str] = []
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY "):
            sources.extend(line.split()[1:-1])
    return sources


def test_the_image_is_python_311_slim_with_git_and_runs_as_its_own_user() -> None:
    assert re.search(r"^FROM python:3\.11-slim$", DOCKERFILE, re.MULTILINE)
    assert "apt-get install -y --no-install-recommends git" in DOCKERFILE
    users = re.findall(r"^USER (\S+)$", DOCKERFILE, re.MULTILINE)
    assert users
    assert users[-1] not in ("root", "0")
    assert DOCKERFILE.index(f"USER {users[-1]}") < DOCKERFILE.index("CMD ")
    assert re.search(r"RUN pip install \. ", DOCKERFILE)


def test_the_build_context_keeps_out_what_the_image_must_not_carry() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", "tests"} <= ignored


def test_what_the_dockerfile_copies_builds_a_wheel_with_migrations_and_ui(tmp_path: Path) -> None:
    context = tmp_path / "context"
    context.mkdir()
    for source in _copied():
        origin = ROOT / source
        if origin.is_dir():
            shutil.copytree(origin, context / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, context / source)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(context)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "dist").glob("wfv-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "indexer/migrations/env.py" in names
    migrations = {p.name for p in (ROOT / "indexer/migrations/versions").glob("*.py")}
    assert {f"indexer/migrations/versions/{name}" for name in migrations} <= names
    assert "service/ui/static/index.html" in names
    assert "service/api/ops.py" in names
    assert "tasks/queue.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "wfv = service.cli:app" in zipfile.ZipFile(wheel).read(entry_points).decode()
