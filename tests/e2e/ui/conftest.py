"""The web UI at ``/ui`` (the app built from ``web/``) in a real headless Chromium
(Debian's, driven by Playwright: never a browser download) against a real ``wfv serve``:
the screens' paths through the real API, no mocks.

Every page a test opens fails the test on an uncaught script error or a console error
other than a refused request the test caused (a Content-Security-Policy violation is a
console error), and ``accessible`` runs axe-core (web/'s pinned copy) on a screen: no
serious or critical violation. Screenshots go to ``test-artifacts/ui/`` (git-ignored)."""

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from tests.e2e.helpers import WFV, free_port, require_built_ui, run_wfv, running, wfv_env
from tests.factories import example

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).parents[3]
ARTIFACTS = ROOT / "test-artifacts" / "ui"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A refused request shows in the console as "Failed to load resource: ... status of 409", and
# one made while the test holds the browser offline as "net::ERR_INTERNET_DISCONNECTED"; the
# tests cause them on purpose (a conflict, a sign-out's 401, offline saves), the screens show them.
REFUSED = re.compile(
    r"^Failed to load resource: (the server responded with a status of \d{3}|net::ERR_INTERNET_DISCONNECTED)"
)


@dataclass
class Server:
    base: str
    tokens: dict[str, str]
    # The server's environment (its data folder holds the secret tokens are signed with), for
    # a test that needs a token of its own, such as one that expires while it is used.
    env: dict[str, str]

    def api(self, user: str = "alice") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        return httpx.Client(base_url=f"{self.base}/api/v1", headers=headers, timeout=30)


@dataclass
class Watched:
    """What a page said it got wrong."""

    errors: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not REFUSED.match(message.text):
            self.errors.append(message.text)


# The users the screens are tried as: an admin, an editor, a reader, and a second editor
# (a review's approver must not be the draft's author or one of its editors).
USERS = {
    "alice": "workflows:admin",
    "bob": "workflows:edit",
    "carol": "workflows:read",
    "dave": "workflows:edit",
}


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_built_ui()
    tmp = tmp_path_factory.mktemp("ui")
    # As `make serve` runs: the task queue on SQLite with its consumer inside the server, so
    # migrations, their gradual steps and rollouts run as they do for a user.
    env = wfv_env(tmp / "var")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [WFV, "serve", "--port", str(port)]
    with running(args, env, tmp / "serve.log", f"{base}/healthz"):
        tokens = {
            user: run_wfv("token", "--user", user, "--org", "acme", "--perm", perm, env=env).strip()
            for user, perm in USERS.items()
        }
        yield Server(base, tokens, env)


# Per module, not per session: Playwright's sync API keeps an event loop running in this
# thread while it is open, which would break every later test that runs one of its own.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("WFV_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@contextmanager
def watched_page(browser: Browser, whose: str = "the page") -> Iterator[Page]:
    """A page in a browser context of its own (a person's own browser: storage and all),
    failing the test on a script error or a console error but a refused request."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    watched = Watched()
    opened.on("console", watched.console)
    opened.on("pageerror", lambda error: watched.errors.append(f"uncaught: {error}"))
    try:
        yield opened
    finally:
        context.close()
    assert watched.errors == [], f"{whose} reported errors"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with watched_page(browser) as opened:
        yield opened


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def accessible(page: Page, screen: str) -> None:
    """axe-core on the page once it stopped moving: no serious or critical violation (the
    rest printed). A dialog fades and zooms in: axe measuring its text half-transparent
    would report a contrast it never has, so finite animations are waited for first."""
    assert AXE.is_file(), f"{AXE} is missing: ./scripts/web installs web/'s tools"
    # Through the DevTools protocol, like axe itself (the page's policy forbids eval).
    page.evaluate(
        "() => Promise.all(document.getAnimations()"
        ".filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)"
        ".map(a => a.finished.catch(() => null)))"
    )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's own policy (no inline script)
        # stays in force, and a violation of it by the app still fails the test.
        page.evaluate(AXE.read_text())
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    print(f"axe on {screen}: {len(found)} violation(s) {[(v['id'], v['impact']) for v in found]}")
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], f"axe on {screen}:\n{json.dumps(serious, indent=2)}"


def sign_in(
    page: Page, server: Server, user: str, workflow: str | None = None, tab: str | None = None
) -> None:
    """Sign in as ``user`` by pasting a token; open ``workflow`` and its ``tab`` when given."""
    page.goto(f"{server.base}/ui/")
    page.get_by_label("Token").fill(server.tokens[user])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    if workflow is not None:
        page.get_by_role("navigation", name="Workflows").get_by_role(
            "button", name=workflow, exact=True
        ).click()
    if tab is not None:
        page.get_by_role("tab", name=tab).click()


def workflow(server: Server, name: str, definition: dict[str, Any] | None = None) -> str:
    """A workflow with v1 published; returns its id."""
    with server.api() as api:
        created = api.post(
            "/workflows", json={"name": name, "definition": definition or example("welcome-small")}
        )
        assert created.status_code == 201, created.text
        wid: str = created.json()["id"]
        assert api.post(f"/workflows/{wid}/versions/1/publish").status_code == 200
    return wid


def second_version(server: Server, wid: str, *, publish: bool = False) -> None:
    """v2 = welcome-small-b (drops 'reminder', changes 'wait-1d'), as a draft or published."""
    with server.api() as api:
        assert api.post(
            f"/workflows/{wid}/versions", json={"definition": example("welcome-small-b")}
        ).is_success
        if publish:
            assert api.post(f"/workflows/{wid}/versions/2/publish").status_code == 200


def contacts_in_flight(server: Server, wid: str) -> None:
    """Four contacts on the current version; c-1 waits on 'reminder', c-2 on 'wait-1d'."""
    with server.api() as api:
        ids = ["c-1", "c-2", "c-3", "c-4"]
        assert api.post(f"/workflows/{wid}/executions", json={"contact_ids": ids}).status_code == 201
        moves = [
            {"contact_id": "c-1", "action_id": "reminder", "status": "waiting"},
            {"contact_id": "c-2", "action_id": "wait-1d", "status": "waiting"},
        ]
        moved = api.post(f"/workflows/{wid}/executions/positions", json={"moves": moves})
        assert moved.status_code == 200, moved.text
