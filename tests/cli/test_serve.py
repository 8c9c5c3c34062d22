"""``wfv serve`` as a newcomer meets it: it says where the API and the UI are and the exact
command for a token once it answers (and that command works), ``/`` leads to the UI, the
task consumer keeps its start-up listing and periodic ticks to itself, and a busy port is
refused before anything starts."""

import os
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.helpers import WFV, free_port, require_built_ui, running, wfv_env

pytestmark = pytest.mark.e2e


def _told(log: Path, label: str) -> str:
    """The value on the line of the welcome that starts with ``label``."""
    for line in log.read_text().splitlines():
        if line.strip().startswith(label):
            return line.strip().removeprefix(label).strip()
    raise AssertionError(f"no {label!r} line in:\n{log.read_text()}")


def _run_as_shown(command: str, cwd: Path) -> str:
    """A command as a user pastes it: ``NAME=value`` words first set the environment."""
    words = shlex.split(command)
    env = {name: value for name, value in os.environ.items() if not name.startswith("WFV_")}
    while "=" in words[0] and not words[0].startswith(("/", ".")):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    done = subprocess.run(words, env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_serve_says_where_to_go_and_the_token_command_works(tmp_path: Path) -> None:
    require_built_ui()
    data, log, port = tmp_path / "data", tmp_path / "serve.log", free_port()
    base = f"http://127.0.0.1:{port}"
    with running([WFV, "serve", "--port", str(port)], wfv_env(data), log, f"{base}/healthz", cwd=tmp_path):
        deadline = time.monotonic() + 10
        while "a token:" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        time.sleep(1.5)  # a first periodic tick, whose chatter must not show
        home = httpx.get(f"{base}/", follow_redirects=False)
        ui = httpx.get(f"{base}/", follow_redirects=True)
        api, ui_url = _told(log, "API "), _told(log, "web UI")
        command = _told(log, "a token:")
        token = _run_as_shown(command, cwd=tmp_path.parent)  # the command works from elsewhere too
        listed = httpx.get(f"{api}/workflows", headers={"Authorization": f"Bearer {token}"})
        text = log.read_text()

    assert (home.status_code, home.headers["location"]) == (307, "/ui/")
    assert ui.status_code == 200
    assert ui.url == ui_url == f"{base}/ui/"
    assert "text/html" in ui.headers["content-type"]
    assert '<div id="root"></div>' in ui.text  # the web app, not the page saying it is not built
    assert api == f"{base}/api/v1"
    assert command.startswith(f"WFV_DATA_DIR={data} ")  # not the default ./var: said where
    assert " token --user alice --org acme --perm workflows:admin" in command
    assert listed.status_code == 200, listed.text
    # Announced once the server answers: after uvicorn's start-up, never before.
    assert text.index("Application startup complete") < text.index("wfv is up")
    for chatter in ("The following commands are available", "enqueueing periodic task", "Executing tasks."):
        assert chatter not in text


def test_the_default_data_dir_needs_no_mention(tmp_path: Path) -> None:
    """Started with no WFV_DATA_DIR, the token command is the bare one, for this folder."""
    env = {name: value for name, value in wfv_env(tmp_path).items() if name != "WFV_DATA_DIR"}
    log, port = tmp_path / "serve.log", free_port()
    with running(
        [WFV, "serve", "--port", str(port)], env, log, f"http://127.0.0.1:{port}/healthz", cwd=tmp_path
    ):
        deadline = time.monotonic() + 10
        while "a token:" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        command = _told(log, "a token:")
        token = _run_as_shown(command, cwd=tmp_path)
    # ``wfv`` where it is the one on PATH, else the path to this one (no venv activated).
    shown = shlex.split(command)[0]
    assert Path(shutil.which(shown) or shown).resolve() == Path(WFV).resolve()
    assert "WFV_DATA_DIR" not in command
    assert token.count(".") == 2


def test_a_busy_port_is_refused_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [WFV, "serve", "--port", str(port)],
            env=wfv_env(tmp_path / "var"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"wfv: cannot listen on 127.0.0.1:{port}: Address already in use "
        "(another process listens there: stop it, or choose --port or WFV_PORT)"
    ]
    assert not (tmp_path / "var").exists()  # no migration, no task consumer, no secret
