"""Every failure of the ``wfv`` command a user can cause is one line on stderr and a
non-zero exit, never a traceback: run through the real console script, as a user would."""

import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.e2e.helpers import WFV, free_port, wfv_env


def _wfv(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WFV, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def _one_line_failure(done: subprocess.CompletedProcess[str], *expected: str) -> str:
    """The failure as a user sees it: non-zero, no traceback, one line holding ``expected``."""
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for part in expected:
        assert part in lines[0], lines[0]
    return lines[0]


def _dead_database() -> str:
    """A PostgreSQL URL where nothing listens (a port just found free)."""
    return f"postgresql+psycopg://wfv:s3cret-pw@127.0.0.1:{free_port()}/wfv"


@pytest.mark.parametrize(
    ("extra", "args", "expected"),
    [
        ({"WFV_PORT": "abc"}, ["serve"], ["WFV_PORT", "valid integer", "'abc'"]),
        ({"WFV_ENVIRONMENT": "prod"}, ["check"], ["WFV_ENVIRONMENT", "'production'", "'prod'"]),
        ({"WFV_GC_THRESHOLDS": "fast"}, ["serve"], ["WFV_GC_THRESHOLDS", "JSON"]),
        ({"WFV_OTLP_ENDPOINT": "collector:4318"}, ["worker"], ["WFV_OTLP_ENDPOINT", "http(s) URL", "4318"]),
        (
            {"WFV_ENVIRONMENT": "production", "WFV_DATABASE_URL": "postgresql+psycopg://x@127.0.0.1/x"},
            ["serve"],
            ["production needs WFV_JWKS_URL, WFV_JWT_PUBLIC_KEY or WFV_JWT_SECRET"],
        ),
        (
            {"WFV_DATABASE_URL": "postgres://wfv:s3cret-pw@db.example:5432/wfv"},
            ["serve"],
            ["WFV_DATABASE_URL", "postgresql+psycopg://wfv:***@db.example:5432/wfv"],
        ),
        (
            {"WFV_MIGRATION_DATABASE_URL": "postgresql://owner@db.example/wfv"},
            ["db", "upgrade"],
            ["WFV_MIGRATION_DATABASE_URL", "postgresql+psycopg://owner@db.example/wfv"],
        ),
    ],
)
def test_refused_settings_name_the_setting(
    tmp_path: Path, extra: dict[str, str], args: list[str], expected: list[str]
) -> None:
    done = _wfv(*args, env=wfv_env(tmp_path / "var", **extra))
    line = _one_line_failure(done, "configuration refused", *expected)
    assert done.returncode == 2
    assert "s3cret-pw" not in line  # a password is never echoed
    assert not (tmp_path / "var").exists()  # refused before anything was made


@pytest.mark.parametrize("args", [["serve"], ["check"], ["reindex"], ["db", "upgrade"], ["worker"]])
def test_an_unreachable_database_is_named_in_one_line(tmp_path: Path, args: list[str]) -> None:
    url = _dead_database()
    port = url.rsplit(":", 1)[1].split("/")[0]
    env = wfv_env(tmp_path / "var", WFV_DATABASE_URL=url, WFV_PORT=str(free_port()))
    line = _one_line_failure(_wfv(*args, env=env), "cannot use the database", f"127.0.0.1:{port}")
    assert "s3cret-pw" not in line
    assert "Connection refused" in line


def test_version_is_the_installed_package_version(tmp_path: Path) -> None:
    done = _wfv("--version", env=wfv_env(tmp_path / "var"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wfv {version('wfv')}"


def test_serve_help_shows_the_defaults(tmp_path: Path) -> None:
    done = _wfv("serve", "--help", env=wfv_env(tmp_path / "var"))
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # as read, whatever the terminal's width
    assert "--host HOST Interface to bind. [default: (WFV_HOST, else 127.0.0.1)]" in text
    assert "--port PORT Port to listen on. [default: (WFV_PORT, else 8000)" in text
    assert "--workers N Background task threads (embedded consumer). [default: 2" in text
