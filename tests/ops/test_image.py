"""The Dockerfile, checked without a Docker engine: what it copies is enough for
``pip install .`` to build a wheel that carries the migrations and the web UI, and the
image runs as a user of its own."""

import re
import shutil
import stat
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.e2e.helpers import UI_APP, WFV, free_port, require_built_ui, running, wfv_env

ROOT = Path(__file__).parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _copied() -> list[str]:
    """What the final stage copies from the build context (not from another stage)."""
    final = DOCKERFILE[DOCKERFILE.rindex("\nFROM ") :]
    sources: list[str] = []
    for line in final.splitlines():
        if line.startswith("COPY ") and not line.startswith("COPY --from="):
            sources.extend(line.split()[1:-1])
    return sources


def test_the_web_ui_is_built_in_a_stage_of_its_own_and_copied_where_the_package_serves_it() -> None:
    """Node.js builds the UI from the lock in a first stage; the image gets the files only."""
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?$", DOCKERFILE, re.MULTILINE)
    assert [name for _, name in stages] == ["web", ""]
    assert re.fullmatch(r"node:20\.\d+\.\d+-bookworm-slim", stages[0][0])
    web = DOCKERFILE[: DOCKERFILE.rindex("\nFROM ")]
    assert (
        web.index("COPY web/package.json web/package-lock.json")
        < web.index("npm ci")
        < web.index("npm run build")
    )
    assert "COPY --from=web /src/service/api/ui/app ./service/api/ui/app" in DOCKERFILE
    vite = (ROOT / "web" / "vite.config.ts").read_text()
    assert 'outDir: here("../service/api/ui/app")' in vite  # /src/web's ../service/api/ui/app


def test_the_image_is_python_311_slim_with_git_and_runs_as_its_own_user() -> None:
    # An exact Python patch release and Debian release (a digest may follow), never a
    # moving tag like 3.11-slim.
    assert re.search(
        r"^FROM python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?$", DOCKERFILE, re.MULTILINE
    )
    assert "apt-get install -y --no-install-recommends git" in DOCKERFILE
    users = re.findall(r"^USER (\S+)$", DOCKERFILE, re.MULTILINE)
    assert users
    assert users[-1] not in ("root", "0")
    assert DOCKERFILE.index(f"USER {users[-1]}") < DOCKERFILE.index("CMD ")


def test_python_packages_come_only_from_the_lock() -> None:
    installs = re.findall(r"pip install ([^&\n]+)", DOCKERFILE)
    assert [i.strip() for i in installs] == ["--no-deps -r requirements.lock", "--no-deps ."]
    assert "pip check" in DOCKERFILE
    assert DOCKERFILE.index("COPY requirements.lock") < DOCKERFILE.index("-r requirements.lock")


def _lock() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s=]+", line), f"not an exact pin: {line!r}"
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def _needed(package: str, extras: set[str]) -> list[Requirement]:
    """What an installed package requires here (Linux, this Python) with these extras."""
    found = [Requirement(text) for text in metadata.requires(package) or []]
    return [r for r in found if r.marker is None or any(r.marker.evaluate({"extra": e}) for e in extras)]


def test_the_lock_holds_every_runtime_dependency_at_the_version_the_suite_runs_on() -> None:
    """What ``pip check`` would find in the image, found here: the closure of wfv's
    requirements (with their extras, on Linux and this Python) is pinned, and each pin is
    the version installed in the environment these tests run in."""
    pins = _lock()
    wanted = _needed("wfv", {""})  # not the dev extra
    seen: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements.lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (requirement, pins[name])
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        wanted.extend(_needed(name, requirement.extras | {""}))
    assert {key.split("[")[0] for key in seen} == set(pins), "the lock pins packages nothing needs"
    installed = {name: metadata.version(name) for name in pins}
    assert installed == pins


def test_the_build_context_keeps_out_what_the_image_must_not_carry() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", "tests", "web/node_modules", "service/api/ui/app"} <= ignored


def test_what_the_dockerfile_copies_builds_a_wheel_with_migrations_and_ui(tmp_path: Path) -> None:
    require_built_ui()
    context = tmp_path / "context"
    context.mkdir()
    for source in _copied():
        origin = ROOT / source
        if origin.is_dir():
            shutil.copytree(origin, context / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, context / source)
    # What the web stage built (the .dockerignore keeps a local build out of the context).
    shutil.rmtree(context / "service/api/ui/app", ignore_errors=True)
    shutil.copytree(UI_APP, context / "service/api/ui/app")
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
    assert "indexer/schema/env.py" in names
    migrations = {p.name for p in (ROOT / "indexer/schema/versions").glob("*.py")}
    assert {f"indexer/schema/versions/{name}" for name in migrations} <= names
    assert "service/api/ui/app/index.html" in names
    assert any(re.fullmatch(r"service/api/ui/app/assets/[^/]+\.js", name) for name in names)
    assert "service/api/routes/ops.py" in names
    assert "service/cli/servers.py" in names
    assert "tasks/queue.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "wfv = service.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def _image_environment() -> dict[str, str]:
    """The ``ENV`` the Dockerfile sets, as the container starts with it."""
    block = re.search(r"^ENV WFV_ENVIRONMENT=.*?(?<!\\)$", DOCKERFILE, re.MULTILINE | re.DOTALL)
    assert block, "the image sets no WFV_ENVIRONMENT"
    pairs = re.findall(r"(WFV_[A-Z_]+)=(\S+)", block.group(0))
    return dict(pairs)


def _serve_once(env: dict[str, str], port: int) -> subprocess.CompletedProcess[str]:
    command = [WFV, "serve", "--port", str(port)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_the_image_starts_in_production_mode_and_refuses_to_run_without_its_secrets(tmp_path: Path) -> None:
    image = _image_environment()
    assert image["WFV_ENVIRONMENT"] == "production"
    assert image["WFV_HOST"] == "0.0.0.0"
    port = free_port()
    # Where the image keeps its data and listens, moved to this test's folder and loopback.
    env = wfv_env(
        tmp_path / "srv", **(image | {"WFV_DATA_DIR": str(tmp_path / "srv"), "WFV_HOST": "127.0.0.1"})
    )
    refused = subprocess.run(
        [WFV, "serve", "--port", str(port)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "configuration refused" in refused.stderr
    assert "Traceback" not in refused.stderr
    secrets = {
        "WFV_JWT_SECRET": "j" * 40,
        "WFV_DATABASE_URL": f"sqlite:///{tmp_path / 'wfv.db'}",
        "WFV_DRAFT_KEYS": Fernet.generate_key().decode(),
        "WFV_PUBLIC_URL": "https://wfv.example.com",
        "WFV_METRICS_TOKEN": "m" * 32,
        "WFV_QUEUE": "memory",
    }
    for missing in secrets:
        if missing == "WFV_QUEUE":
            continue
        partial = env | {k: v for k, v in secrets.items() if k != missing}
        done = subprocess.run(
            [WFV, "serve", "--port", str(port)],
            env=partial,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, missing
        assert missing in done.stderr, (missing, done.stderr)
    base = f"http://127.0.0.1:{port}"
    args = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    with running(args, env | secrets, tmp_path / "serve.log", f"{base}/healthz"):
        assert httpx.get(f"{base}/docs").status_code == 404
        assert httpx.get(f"{base}/metrics").status_code == 401
    assert stat.S_IMODE((tmp_path / "srv").stat().st_mode) == 0o700
