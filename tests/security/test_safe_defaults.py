"""Safe defaults: security headers on every answer (a strict policy for the UI), what
production refuses to start without (a public URL for clone links, a metrics token), the
OpenAPI pages off in production unless asked for, and a private data folder."""

import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from pydantic import ValidationError

from indexer.revisions import upgrade
from service.api.app import create_app
from service.container import build_container
from service.settings import Settings
from tests.conftest import TokenFactory
from tests.e2e.helpers import require_built_ui
from tests.factories import example

PUBLIC_URL = "https://wfv.example.com"
METRICS_TOKEN = "m" * 32
DRAFT_KEY = Fernet.generate_key().decode()
PRODUCTION = {
    "environment": "production",
    "public_url": PUBLIC_URL,
    "metrics_token": METRICS_TOKEN,
    "draft_keys": DRAFT_KEY,
}


def _client(settings: Settings, **update: object) -> TestClient:
    container = build_container(settings.model_copy(update=update))
    if container.settings.resolved_database_url.startswith("sqlite"):
        upgrade(container.engine)
    return TestClient(create_app(container=container), raise_server_exceptions=False)


@pytest.fixture
def production(settings: Settings) -> Iterator[TestClient]:
    # model_copy skips validation; the settings themselves are checked in the tests below.
    Settings.model_validate(settings.model_dump() | PRODUCTION)
    with _client(settings, **PRODUCTION) as client:
        yield client


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_answer_carries_the_security_headers(client: TestClient, auth: TokenFactory) -> None:
    def boom() -> None:
        raise RuntimeError("an unhandled error")

    client.app.add_api_route("/boom", boom)  # type: ignore[attr-defined]
    answers = {
        "json": client.get("/healthz"),
        "problem": client.get("/api/v1/workflows"),
        "unmatched": client.get("/nowhere"),
        "listed": client.get("/api/v1/workflows", headers=auth("workflows:read")),
        "500": TestClient(client.app, raise_server_exceptions=False).get("/boom"),
    }
    assert answers["500"].status_code == 500
    for name, answer in answers.items():
        assert answer.headers["x-content-type-options"] == "nosniff", name
        assert answer.headers["x-frame-options"] == "DENY", name
        assert answer.headers["referrer-policy"] == "no-referrer", name
        policy = answer.headers["content-security-policy"]
        assert "default-src 'none'" in policy, name
        assert "frame-ancestors 'none'" in policy, name


def test_the_ui_gets_a_strict_policy_of_its_own_origin(client: TestClient) -> None:
    """Scripts and styles from this origin only; the page's own answer allows the
    ``<style>`` elements that carry its fresh nonce, and nothing inline otherwise."""
    require_built_ui()
    page = client.get("/ui/")
    assets = re.findall(r'(?:src|href)="\./(assets/[^"]+)"', page.text)
    assert assets, page.text
    nonce = re.search(r'name="wfv-csp-nonce" content="([^"]+)"', page.text)
    assert nonce
    answers = [(page, f"style-src 'self' 'nonce-{nonce.group(1)}';")]  # this answer's own nonce
    answers += [(client.get(f"/ui/{asset}"), "style-src 'self';") for asset in assets]
    for answer, style in answers:
        assert answer.status_code == 200, answer.url
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self';" in policy
        assert style in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe" not in policy
        assert "http" not in policy
    assert "<script>" not in page.text
    assert "style=" not in page.text


def test_the_docs_pages_are_on_in_development_with_a_policy_that_lets_them_load(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "https://cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    assert client.get("/openapi.json").status_code == 200


def test_production_turns_the_docs_off_unless_asked(settings: Settings) -> None:
    with _client(settings, **PRODUCTION) as closed:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert closed.get(path).status_code == 404, path
    with _client(settings, **PRODUCTION, docs_enabled=True) as opened:
        assert opened.get("/openapi.json").status_code == 200


def test_production_builds_clone_urls_from_its_public_url_never_the_host_header(
    production: TestClient, auth: TokenFactory
) -> None:
    headers = auth("workflows:admin")
    body = {"name": "w", "definition": example("welcome-small")}
    created = production.post("/api/v1/workflows", json=body, headers=headers)
    assert created.status_code == 201, created.text
    answer = production.get(
        f"/api/v1/workflows/{created.json()['id']}/git", headers=headers | {"Host": "attacker.example"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["clone_url"].startswith(f"{PUBLIC_URL}/git/")
    assert "attacker" not in answer.text


def test_production_metrics_need_the_token(production: TestClient) -> None:
    assert production.get("/metrics").status_code == 401
    assert production.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).status_code == 200


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"public_url": None}, "WFV_PUBLIC_URL"),
        ({"metrics_token": None}, "WFV_METRICS_TOKEN"),
        ({"metrics_token": "changeme"}, "WFV_METRICS_TOKEN"),
        ({"metrics_token": "short-token"}, "WFV_METRICS_TOKEN"),
        ({"draft_keys": None}, "WFV_DRAFT_KEYS"),
    ],
)
def test_production_refuses_to_start_without_its_operations_settings(
    missing: dict[str, object], message: str
) -> None:
    values = {"jwt_secret": "s" * 40, "database_url": "sqlite:///x.db", **PRODUCTION, **missing}
    with pytest.raises(ValidationError, match=message):
        Settings(**values, _env_file=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    [
        "wfv.example.com",
        "ftp://wfv.example.com",
        "https://",
        "https://u:p@x.example",
        "https://x.example/?a=1",
    ],
)
def test_a_public_url_is_an_http_origin(url: str) -> None:
    with pytest.raises(ValidationError, match="WFV_PUBLIC_URL"):
        Settings(public_url=url, _env_file=None)


def test_the_data_folder_is_created_private_and_tightened_when_found_open(tmp_path: Path) -> None:
    fresh = Settings(data_dir=tmp_path / "fresh", queue="memory", _env_file=None)
    fresh.signing_secret()
    fresh.draft_key_list()
    assert _mode(fresh.data_dir) == 0o700
    assert _mode(fresh.data_dir / "jwt-secret") == 0o600
    assert _mode(fresh.data_dir / "draft-keys") == 0o600

    old = tmp_path / "old"
    old.mkdir(mode=0o755)
    old.chmod(0o755)
    (old / "jwt-secret").write_text("x" * 48)
    (old / "jwt-secret").chmod(0o644)
    container = build_container(Settings(data_dir=old, queue="memory", _env_file=None))
    try:
        assert _mode(old) == 0o700
        assert _mode(old / "jwt-secret") == 0o600
    finally:
        container.close()
