"""The web UI at ``/ui`` in a real headless Chromium (Debian's, driven by Playwright)
against a real ``wfv serve``: each screen's main path through the real API, no mocks.
Screenshots go to ``test-artifacts/ui/`` (git-ignored) for a human to look at."""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect, sync_playwright

from tests.e2e.helpers import WFV, free_port, run_wfv, running, wfv_env
from tests.factories import example

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "ui"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Server:
    base: str
    tokens: dict[str, str]

    def api(self, user: str = "alice") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        return httpx.Client(base_url=f"{self.base}/api/v1", headers=headers, timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("ui")
    env = wfv_env(tmp / "var", WFV_QUEUE="memory")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    with running(args, env, tmp / "serve.log", f"{base}/healthz"):
        perms = {"alice": "workflows:admin", "bob": "workflows:edit", "carol": "workflows:read"}
        tokens = {
            user: run_wfv("token", "--user", user, "--org", "acme", "--perm", perm, env=env).strip()
            for user, perm in perms.items()
        }
        yield Server(base, tokens)


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


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, server: Server, user: str, workflow: str, tab: str = "History") -> None:
    page.goto(f"{server.base}/ui/")
    page.get_by_label("Bearer token").fill(server.tokens[user])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=workflow, exact=True).click()
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


def test_the_ui_is_served_by_the_service_itself(server: Server) -> None:
    page = httpx.get(f"{server.base}/ui", follow_redirects=True)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="app.js">' in page.text
    script = httpx.get(f"{server.base}/ui/app.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]


def test_history_lists_versions_and_publishes_a_draft(page: Page, server: Server) -> None:
    wid = workflow(server, "History flow")
    second_version(server, wid)
    sign_in(page, server, "alice", "History flow")
    rows = page.locator("#versions tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator('tr[data-version="2"] .badge')).to_have_text("draft")
    expect(page.locator('tr[data-version="1"] .badge')).to_have_text("current")
    expect(page.locator('tr[data-version="1"]')).to_contain_text("alice")
    shot(page, "history")
    page.locator('tr[data-version="2"] button[data-action="publish"]').click()
    expect(page.locator('tr[data-version="2"] .badge')).to_have_text("current")
    expect(page.locator('tr[data-version="1"] .badge')).to_have_text("active")
    expect(page.locator("#flash")).to_contain_text("v2 published")

    with server.api() as api:
        assert api.post(f"/workflows/{wid}/versions").status_code == 201
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, server, "carol", "History flow")
    publish = page.locator('tr[data-version="3"] button[data-action="publish"]')
    expect(publish).to_be_disabled()
    expect(page.locator('tr[data-version="3"]')).to_contain_text("needs workflows:edit")
    shot(page, "history-phone-reader")


def test_compare_shows_changes_breaking_warnings_and_the_patch(page: Page, server: Server) -> None:
    wid = workflow(server, "Compare flow")
    contacts_in_flight(server, wid)
    second_version(server, wid, publish=True)
    sign_in(page, server, "alice", "Compare flow", tab="Compare")
    page.get_by_label("From", exact=True).select_option("1")
    page.get_by_label("To", exact=True).select_option("2")
    page.get_by_role("button", name="Compare", exact=True).click()
    warning = page.locator('[data-breaking="action_removed"]')
    expect(warning).to_contain_text("reminder")
    expect(warning).to_contain_text("1 live contact")
    expect(page.locator('.cell[data-kind="removed"]').first).to_contain_text("reminder")
    expect(page.locator('.cell[data-kind="modified"]').first).to_be_visible()
    page.locator("details summary").first.click()
    expect(page.locator(".fields").first).to_be_visible()
    shot(page, "compare")
    page.get_by_label("Unified patch").check()
    expect(page.locator("pre.patch")).to_contain_text('"type": "wait_until"')
    shot(page, "compare-patch")


def test_review_thread_comment_approve_and_publish(page: Page, server: Server) -> None:
    wid = workflow(server, "Review flow")
    second_version(server, wid)
    with server.api() as api:
        assert api.patch(f"/workflows/{wid}", json={"required_approvals": 1}).status_code == 200
    sign_in(page, server, "bob", "Review flow", tab="Review")
    page.get_by_role("button", name="Open review").click()
    publish = page.locator("#review-publish")
    expect(publish).to_be_disabled()
    expect(page.locator("#review-missing")).to_be_visible()
    page.get_by_label("Comment", exact=True).fill("Shorter subject?")
    page.get_by_label("On action (optional)").fill("welcome")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator("#thread")).to_contain_text("Shorter subject?")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#review-state")).to_contain_text("1 of 1 required")
    expect(publish).to_be_enabled()
    shot(page, "review")
    publish.click()
    expect(page.locator('tr[data-version="2"] .badge')).to_have_text("current")
    with server.api() as api:
        assert api.get(f"/workflows/{wid}/versions/2").json()["is_current"] is True


def test_review_lists_the_documents_problems_and_keeps_publish_off(page: Page, server: Server) -> None:
    wid = workflow(server, "Broken draft flow")
    broken = example("welcome-small")
    broken["actions"][1]["config"] = {}
    broken["actions"][4]["type"] = "send_fax"
    with server.api() as api:
        assert api.post(f"/workflows/{wid}/versions", json={"definition": broken}).status_code == 201
        assert api.patch(f"/workflows/{wid}", json={"required_approvals": 1}).status_code == 200
    sign_in(page, server, "bob", "Broken draft flow", tab="Review")
    page.get_by_role("button", name="Open review").click()
    problems = page.locator("#review-problems")
    expect(problems).to_contain_text("/actions/1/config/duration")
    expect(problems).to_contain_text("wait needs duration")
    expect(problems).to_contain_text("unknown action type 'send_fax'")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#review-state")).to_contain_text("1 of 1 required")
    expect(page.locator("#review-publish")).to_be_disabled()
    shot(page, "review-problems")


def test_migration_wizard_runs_to_a_summary_with_failures(page: Page, server: Server) -> None:
    wid = workflow(server, "Migration flow")
    contacts_in_flight(server, wid)
    second_version(server, wid, publish=True)
    sign_in(page, server, "alice", "Migration flow")
    page.locator('tr[data-version="2"]').get_by_role("button", name="Migrate here").click()
    expect(page.get_by_label(re.compile(r"v1 \(active\) — 4 in flight"))).to_be_checked()
    page.get_by_role("button", name="Next: mapping").click()
    choice = page.get_by_label(re.compile("Contacts at 'reminder' \\(1\\)"))
    page.get_by_role("button", name="Next: dry run").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose what happens")
    choice.select_option("fail")
    page.get_by_role("button", name="Next: dry run").click()
    expect(page.locator("#plan-total")).to_contain_text("4 execution(s)")
    expect(page.locator("#plan")).to_contain_text("fail")
    shot(page, "migration-plan")
    page.get_by_role("button", name="Next: confirm").click()
    page.get_by_role("button", name="Start migration").click()
    expect(page.locator("#mig-summary")).to_contain_text("3 migrated", timeout=30_000)
    expect(page.locator("#mig-summary")).to_contain_text("1 failed")
    expect(page.locator("#mig-failed")).to_contain_text("c-1")
    shot(page, "migration-summary")
    with server.api() as api:
        migrations = api.get(f"/workflows/{wid}/migrations").json()["items"]
    assert [(m["status"], m["migrated"], m["failed"]) for m in migrations] == [("completed", 3, 1)]


def test_a_halted_migrations_progress_says_why_it_has_no_eta(page: Page, server: Server) -> None:
    """Three of four contacts wait on 'reminder' (not in v2): a gradual step of two always
    holds a failure (50% or more > 5%), so the migration halts and the ETA says so."""
    wid = workflow(server, "Halting flow")
    with server.api() as api:
        ids = ["c-1", "c-2", "c-3", "c-4"]
        assert api.post(f"/workflows/{wid}/executions", json={"contact_ids": ids}).status_code == 201
        moves = [{"contact_id": c, "action_id": "reminder", "status": "waiting"} for c in ids[:3]]
        assert api.post(f"/workflows/{wid}/executions/positions", json={"moves": moves}).status_code == 200
    second_version(server, wid, publish=True)
    sign_in(page, server, "alice", "Halting flow")
    page.locator('tr[data-version="2"]').get_by_role("button", name="Migrate here").click()
    page.locator("#mig-strategy").select_option("gradual")
    page.locator("#mig-step").fill("50")
    page.locator("#mig-interval").fill("1")
    page.get_by_role("button", name="Next: mapping").click()
    page.get_by_label(re.compile("Contacts at 'reminder' \\(3\\)")).select_option("fail")
    page.get_by_role("button", name="Next: dry run").click()
    page.get_by_role("button", name="Next: confirm").click()
    page.get_by_role("button", name="Start migration").click()
    progress = page.locator("#mig-progress")
    expect(progress).to_contain_text("ETA none: halted in step 1", timeout=30_000)
    expect(progress).to_contain_text("threshold 5%")
    shot(page, "migration-halted")
    with server.api() as api:
        (migration,) = api.get(f"/workflows/{wid}/migrations").json()["items"]
    assert (migration["status"], migration["eta_reason"], migration["halt"]["step"]) == (
        "paused",
        "halted",
        1,
    )


def test_draft_editor_auto_saves_and_survives_going_offline(page: Page, server: Server) -> None:
    with server.api() as api:
        created = api.post("/workflows", json={"name": "Editor flow", "definition": example("welcome-small")})
        wid = created.json()["id"]
    sign_in(page, server, "alice", "Editor flow", tab="Edit draft")
    editor = page.get_by_label(re.compile("Definition"))
    editor.fill(editor.input_value().replace("Welcome mail", "Welcome mail (edited)"))
    expect(page.locator("#save-status")).to_contain_text(re.compile(r"saved at \d\d:\d\d:\d\d"))
    shot(page, "editor")
    with server.api() as api:
        draft = api.get(f"/workflows/{wid}/versions/1/draft").json()
    assert draft["definition"]["actions"][0]["name"] == "Welcome mail (edited)"

    page.context.set_offline(True)
    editor.fill(editor.input_value().replace("(edited)", "(offline)"))
    expect(page.locator("#save-status")).to_have_text("offline, will retry")
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('wfv.unsaved.'))")
    assert len(kept) == 1
    page.context.set_offline(False)
    expect(page.locator("#save-status")).to_contain_text("saved at")
    with server.api() as api:
        draft = api.get(f"/workflows/{wid}/versions/1/draft").json()
    assert draft["definition"]["actions"][0]["name"] == "Welcome mail (offline)"


def test_draft_editor_sends_patches_and_the_whole_document_when_the_base_is_gone(
    page: Page, server: Server
) -> None:
    with server.api() as api:
        created = api.post("/workflows", json={"name": "Patch flow", "definition": example("welcome-small")})
        wid = created.json()["id"]
    draft_url = f"/workflows/{wid}/versions/1/draft"
    sent: list[dict[str, Any]] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/draft"):
            sent.append(request.post_data_json or {})

    page.on("request", record)

    def saved_as(revision: int, name: str) -> None:
        """Waits until the server holds ``revision`` with the first action named ``name``."""
        with server.api() as api:
            for _ in range(100):
                found = api.get(draft_url)
                if found.status_code == 200 and found.json()["revision"] == revision:
                    break
                page.wait_for_timeout(100)
        assert found.json()["definition"]["actions"][0]["name"] == name, found.text
        # Playwright hands the page's events (the request ``record`` keeps) to this thread
        # only while it waits on the browser: one round trip, so ``sent`` has the save the
        # server already holds (the server can answer before the event is dispatched).
        page.wait_for_timeout(50)

    sign_in(page, server, "alice", "Patch flow", tab="Edit draft")
    editor = page.get_by_label(re.compile("Definition"))
    editor.fill(editor.input_value().replace("Welcome mail", "Welcome mail (one)"))
    saved_as(1, "Welcome mail (one)")
    editor.fill(editor.input_value().replace("(one)", "(two)"))
    saved_as(2, "Welcome mail (two)")
    assert sorted(sent[0]) == ["definition", "revision"]  # the first save: all of it
    assert sent[1] == {"revision": 1, "patch": {"actions": sent[1]["patch"]["actions"]}}  # then what changed

    with server.api() as api:  # the store loses the patch's base (another tab discarded it)
        assert api.delete(draft_url).status_code == 204
    sent.clear()
    editor.fill(editor.input_value().replace("(two)", "(three)"))
    saved_as(3, "Welcome mail (three)")
    # The patch answered 409 draft-base-unknown; the editor sent the whole document at once.
    assert [sorted(body) for body in sent] == [["patch", "revision"], ["definition", "revision"]]
    expect(page.locator("#save-status")).to_contain_text("saved at")
