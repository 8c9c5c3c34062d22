"""``wfv serve``'s address: taken before anything starts, announced once the server is up.

The port is bound here, first, and the socket handed to uvicorn: a second ``wfv serve``
on a busy port stops at once with one line, before it migrates, starts a task consumer or
tells anyone a URL that another process answers. Once the server is up, a newcomer is
told where to go: the API, the web UI, and the exact command for a trial token.
"""

import errno
import logging
import shlex
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from service.cli.failures import Refused
from service.settings import Settings

BACKLOG = 2048  # uvicorn's own default


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or one line saying why there is none."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # As uvicorn does: a port left in TIME_WAIT by the last run is free; a listening one is not.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        hint = ""
        if isinstance(exc, socket.gaierror):
            hint = " (WFV_HOST or --host: an address or a name of this machine)"
        elif exc.errno == errno.EADDRINUSE:
            hint = " (another process listens there: stop it, or choose --port or WFV_PORT)"
        raise Refused(f"wfv: cannot listen on {_address(host, port)}: {reason}{hint}") from None
    return sock


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class Welcome:
    """What ``wfv serve`` says once it answers."""

    data_dir: Path
    api: str
    ui: str
    docs: str | None
    token_command: str | None

    def lines(self) -> list[str]:
        lines = [f"wfv is up (data in {self.data_dir})"]
        lines += [f"  API        {self.api}", f"  web UI     {self.ui}"]
        if self.docs:
            lines.append(f"  API docs   {self.docs}")
        if self.token_command:
            lines.append(f"  a token:   {self.token_command}")
        return lines


def welcome(settings: Settings, host: str, port: int) -> Welcome:
    base = settings.public_url or f"http://{_address(_reachable_host(host), port)}"
    return Welcome(
        data_dir=settings.data_dir,
        api=f"{base}/api/v1",
        ui=f"{base}/ui/",
        docs=f"{base}/docs" if settings.resolved_docs_enabled else None,
        token_command=_token_command(settings),
    )


def _reachable_host(host: str) -> str:
    """Where a browser on this machine reaches a server bound to every interface."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)


def _token_command(settings: Settings) -> str | None:
    """The ``wfv token`` a user can paste, or None where development tokens are refused
    (production with only an identity provider)."""
    if settings.hmac_secret() is None:
        return None
    words = [_wfv_executable(), "token", "--user", "alice", "--org", "acme", "--perm", "workflows:admin"]
    if settings.data_dir != Path(str(Settings.model_fields["data_dir"].default)).resolve():
        # Elsewhere than ./var of this folder: the token command must be told where.
        words.insert(0, f"WFV_DATA_DIR={settings.data_dir}")
    return shlex.join(words)


def _wfv_executable() -> str:
    """``wfv`` if that is the one on PATH, else the path to this one (``make serve`` runs
    ``.venv/bin/wfv`` with no virtualenv activated)."""
    ours = Path(sys.argv[0]).resolve()
    on_path = shutil.which("wfv")
    if on_path is not None and Path(on_path).resolve() == ours:
        return "wfv"
    try:
        return str(ours.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(ours)


def announce(message: Welcome, json_lines: bool) -> None:
    """As plain lines on stderr for a person; as one log line (with each URL as a field)
    where logs are JSON for a machine to read."""
    if json_lines:
        fields = {
            "data_dir": str(message.data_dir),
            "api_url": message.api,
            "ui_url": message.ui,
            "token_command": message.token_command,
        }
        logging.getLogger("wfv.serve").info("wfv is up: API %s", message.api, extra=fields)
        return
    sys.stderr.write("".join(f"{line}\n" for line in message.lines()))
    sys.stderr.flush()
