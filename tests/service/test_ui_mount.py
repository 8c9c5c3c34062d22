"""``/ui`` serves the web app built into the package, its page with a fresh style nonce in
the page and in its Content-Security-Policy; a checkout that was never built says so, with
the command that builds it, instead of a bare 404."""

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import service.api.ui as ui
from service.api.security_headers import UI_POLICY, SecurityHeaders


def _client(monkeypatch: pytest.MonkeyPatch, built: Path) -> TestClient:
    monkeypatch.setattr(ui, "APP", built)
    app = FastAPI()
    ui.mount_ui(app)
    app.add_middleware(SecurityHeaders)
    return TestClient(app)


def test_a_built_app_is_served_at_ui_with_its_assets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(
        '<meta name="wfv-csp-nonce" content="__WFV_CSP_NONCE__" />'
        '<div id="root"></div><script type="module" src="./assets/a.js">'
    )
    (tmp_path / "assets" / "a.js").write_text("export {};")
    client = _client(monkeypatch, tmp_path)
    page = client.get("/", follow_redirects=True)
    assert (page.status_code, str(page.url)) == (200, "http://testserver/ui/")
    assert '<div id="root">' in page.text
    script = client.get("/ui/assets/a.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert script.headers["content-security-policy"] == UI_POLICY  # no nonce, no inline style
    # named by its content's hash: kept for a year; the page, which names them, never
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert page.headers["cache-control"] == "no-store"


def test_each_answer_of_the_page_has_a_nonce_of_its_own_in_the_page_and_its_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "index.html").write_text('<meta name="wfv-csp-nonce" content="__WFV_CSP_NONCE__" />')
    client = _client(monkeypatch, tmp_path)
    nonces = []
    for path in ("/ui/", "/ui/index.html", "/ui/"):
        page = client.get(path)
        (nonce,) = re.findall(r'content="([^"]+)"', page.text)
        assert len(nonce) >= 24
        assert "__" not in nonce
        policy = page.headers["content-security-policy"]
        assert f"style-src 'self' 'nonce-{nonce}';" in policy
        assert "script-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert page.headers["cache-control"] == "no-store"
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_an_unbuilt_checkout_says_how_to_build_the_ui(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(monkeypatch, tmp_path / "missing")
    for path in ("/ui/", "/ui/index.html", "/ui"):
        page = client.get(path)
        assert page.status_code == 503, path
        assert page.headers["content-type"].startswith("text/html")
        assert "./scripts/web" in page.text
    assert client.get("/api/v1/anything").status_code == 404  # the API's own routes are untouched
