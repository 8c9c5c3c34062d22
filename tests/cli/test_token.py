"""``wfv token`` signs with the secret the server uses, found the way the server finds it
(``WFV_DATA_DIR``, else ``./var`` of the folder it runs in), and never makes one up: a
token signed with a secret no server has is refused with a bare 401."""

import subprocess
from pathlib import Path

import jwt
import pytest

from service.settings import Settings
from tests.e2e.helpers import WFV, wfv_env


def _token(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WFV, "token", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


ALICE = ("--user", "alice", "--org", "acme", "--perm", "workflows:admin")


def _server_secret(data: Path) -> str:
    """The secret as ``wfv serve`` creates it on its first start (``Settings.signing_secret``)."""
    return Settings(data_dir=data, _env_file=None).signing_secret()


def _no_wfv_env() -> dict[str, str]:
    env = wfv_env(Path("unused"))
    del env["WFV_DATA_DIR"]
    return env


def test_outside_the_server_folder_it_refuses_and_creates_nothing(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = _token(*ALICE, env=_no_wfv_env(), cwd=elsewhere)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert "WFV_DATA_DIR" in done.stderr
    assert str(elsewhere / "var" / "jwt-secret") in done.stderr  # where it looked
    assert list(elsewhere.iterdir()) == []  # no ./var, no secret


def test_it_finds_the_servers_secret_by_the_servers_rules(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    elsewhere.mkdir()
    secret = _server_secret(project / "var")

    in_project = _token(*ALICE, env=_no_wfv_env(), cwd=project)  # ./var, as the server's default
    assert in_project.returncode == 0, in_project.stderr
    told = _token(*ALICE, env=wfv_env(project / "var"), cwd=elsewhere)  # WFV_DATA_DIR from anywhere
    assert told.returncode == 0, told.stderr
    relative = _token(*ALICE, env=wfv_env(Path("../project/var")), cwd=elsewhere)
    assert relative.returncode == 0, relative.stderr
    for done in (in_project, told, relative):
        claims = jwt.decode(done.stdout.strip(), secret, algorithms=["HS256"])
        assert (claims["sub"], claims["org_id"], claims["permissions"]) == (
            "alice",
            "acme",
            ["workflows:admin"],
        )
    assert (project / "var" / "jwt-secret").read_text().strip() == secret  # untouched


@pytest.mark.parametrize("hours", ["0", "-1", "8761", "100000"])
def test_a_lifetime_out_of_bounds_is_refused(tmp_path: Path, hours: str) -> None:
    _server_secret(tmp_path / "var")
    done = _token(*ALICE, "--hours", hours, env=wfv_env(tmp_path / "var"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "--hours" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_lifetime_is_the_one_asked_for(tmp_path: Path) -> None:
    secret = _server_secret(tmp_path / "var")
    done = _token(*ALICE, "--hours", "8760", env=wfv_env(tmp_path / "var"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    claims = jwt.decode(done.stdout.strip(), secret, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 8760 * 3600


def test_an_unknown_permission_is_refused_and_help_lists_them(tmp_path: Path) -> None:
    _server_secret(tmp_path / "var")
    env = wfv_env(tmp_path / "var")
    done = _token("--user", "a", "--org", "acme", "--perm", "workflows:write", env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert "workflows:write" in done.stderr
    assert "Traceback" not in done.stderr
    shown = " ".join(_token("--help", env=env, cwd=tmp_path).stdout.split())
    assert "workflows:read, workflows:edit, workflows:admin" in shown


def test_production_with_only_an_identity_provider_gives_no_development_token(tmp_path: Path) -> None:
    env = wfv_env(
        tmp_path / "var",
        WFV_ENVIRONMENT="production",
        WFV_DATABASE_URL="postgresql+psycopg://wfv@127.0.0.1/wfv",
        WFV_JWKS_URL="https://idp.example/.well-known/jwks.json",
        WFV_JWT_ISSUER="https://idp.example/",
        WFV_JWT_AUDIENCE="wfv",
        WFV_PUBLIC_URL="https://wfv.example",
        WFV_DRAFT_KEYS="V0ZWLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmctaGVyZSE=",
        WFV_METRICS_TOKEN="a-metrics-token-of-enough-length",
    )
    done = _token(*ALICE, env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "identity provider" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "var").exists()
