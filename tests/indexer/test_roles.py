"""The service role's password: taken from the service URL, refused when that URL cannot
give one, and stored by PostgreSQL as a SCRAM verifier of exactly that password."""

import base64
import hashlib
import hmac
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest

from indexer.db import make_engine
from indexer.roles import RolePasswordError, app_role_credentials, set_role_password
from tests.conftest import PG_ADMIN_URL
from tests.e2e.helpers import WFV, wfv_env


def test_credentials_come_from_the_service_url() -> None:
    url = "postgresql+psycopg://wfv_app:s3cret-pw@db:5432/wfv"
    assert app_role_credentials(url) == ("wfv_app", "s3cret-pw")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("sqlite:////srv/wfv/wfv.db", "PostgreSQL only"),
        ("postgresql+psycopg://postgres:pw@db/wfv", "connects as 'postgres'"),
        ("postgresql+psycopg://wfv_app@db/wfv", "no password"),
    ],
)
def test_a_url_that_cannot_give_the_password_is_refused(url: str, reason: str) -> None:
    with pytest.raises(RolePasswordError, match=reason):
        app_role_credentials(url)


def _scram_matches(verifier: str, password: str) -> bool:
    """RFC 5802/7677: SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>."""
    method, params, keys = verifier.split("$")
    iterations, salt = params.split(":")
    stored, server = (base64.b64decode(k) for k in keys.split(":"))
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    return (
        method == "SCRAM-SHA-256"
        and hashlib.sha256(client_key).digest() == stored
        and hmac.digest(salted, b"Server Key", "sha256") == server
    )


@pytest.mark.postgres
def test_the_role_gets_a_scram_verifier_of_the_password(postgres_url: str) -> None:
    role = f"wfv_pw_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" NOLOGIN')
        try:
            owner = make_engine(postgres_url)
            set_role_password(owner, role, "correct horse battery staple")
            owner.dispose()
            login, stored = admin.execute(
                "SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = %s", (role,)
            ).fetchone()  # type: ignore[misc]
        finally:
            admin.execute(f'DROP ROLE "{role}"')
    assert login is True
    assert "correct horse" not in stored
    assert _scram_matches(stored, "correct horse battery staple")
    assert not _scram_matches(stored, "another password")


def test_wfv_db_upgrade_refuses_before_migrating_when_it_cannot_set_the_password(tmp_path: Path) -> None:
    env = wfv_env(tmp_path / "var")
    done = subprocess.run(
        [WFV, "db", "upgrade", "--set-app-password"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "PostgreSQL only" in done.stderr
    assert not (tmp_path / "var" / "wfv.db").exists()  # refused before any migration ran
