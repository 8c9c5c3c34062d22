"""The whole life of a workflow through ``/ui``, as its people live it, against a real
``wfv serve``: alice creates it and writes v1 in the editor, publishes it, and contacts
enrol; she drafts v2, bob opens its review, dave approves it, alice compares it with v1,
rolls it out and promotes it, migrates v1's contacts with the wizard's preview, looks one
of them up in Journeys and signs out. Every step is taken in the browser (only the
contacts, whom an engine would enrol, and the other people's tokens come from the API),
and each is checked against what the server then holds, read through the API.

Then what signing out must leave behind: nothing. After several screens, a draft typed in
the editor and a copy kept offline under a ``wfv.`` key, Sign out brings back an empty
sign-in form, no token or kept copy stays in either storage, and the back button brings
nothing back. And a token the server stops accepting (it expired) signs out by itself at
the next call, saying the session ended, with nothing of the workflow left on screen.

Why: these are the promises the app makes across screens (one person's work reaching the
next, the server agreeing with the screen, a shared browser keeping no one's data), which
no single component's test can keep."""

import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from service.auth import issue_token
from tests.e2e.ui.conftest import (
    Server,
    accessible,
    contacts_in_flight,
    second_version,
    shot,
    sign_in,
    watched_page,
    workflow,
)
from tests.factories import example

pytestmark = pytest.mark.e2e

SESSION_ENDED = "Your session ended; sign in again."
# The server accepts a token this long after its `exp` (WFV_JWT_LEEWAY_SECONDS, default 30).
LEEWAY_SECONDS = 30


def unique(theme: str) -> str:
    """A workflow name no other test file's workflow has (the server is shared)."""
    return f"{theme} {uuid.uuid4().hex[:8]}"


def eventually(read: Callable[[], Any], wanted: Callable[[Any], bool], what: str, seconds: float = 15) -> Any:
    """``read()`` until ``wanted`` holds of it: the server's state once the UI's call landed."""
    deadline = time.monotonic() + seconds
    while True:
        got = read()
        if wanted(got):
            return got
        assert time.monotonic() < deadline, f"{what}: still {got!r}"
        time.sleep(0.2)


def ok(answer: httpx.Response) -> Any:
    assert answer.is_success, answer.text
    return answer.json()


@contextmanager
def person(browser: Browser, server: Server, user: str) -> Iterator[Page]:
    """Another person's own browser, signed in, held to the same rule as the ``page``
    fixture's: no console error but a refused request."""
    with watched_page(browser, f"{user}'s page") as opened:
        sign_in(opened, server, user)
        yield opened


def check(page: Page, screen: str) -> None:
    """axe-core on the screen once it has settled: a dialog fading in or a button's colour
    mid-transition is not what anyone reads, and axe would measure its contrast."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    accessible(page, screen)


def open_workflow(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Workflows").get_by_role("button", name=name, exact=True).click()


def tab(page: Page, name: str) -> Locator:
    """Open a workflow's tab (its name may carry a version: "Graph (v2)") and return its panel."""
    page.get_by_role("tab", name=name).click()
    return page.get_by_role("tabpanel")


def confirm(page: Page, button: str, dialog_button: str | None = None) -> None:
    """A ConfirmButton: the button opens a dialog saying what happens; its own button acts."""
    page.get_by_role("button", name=button, exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    check(page, f"the confirmation of {button!r}")
    dialog.get_by_role("button", name=dialog_button or button, exact=True).click()
    expect(dialog).to_have_count(0)


def type_document(page: Page, document: dict[str, Any]) -> None:
    """Replace the draft's JSON in the editor (CodeMirror) by typing it, as a person pastes."""
    editor = page.get_by_role("textbox", name="Definition (JSON)")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(json.dumps(document, indent=2, ensure_ascii=False))


@pytest.fixture
def api(server: Server) -> Iterator[httpx.Client]:
    """Alice's API client: what the server holds after each step the UI took."""
    with server.api("alice") as client:
        yield client


def versions(api: httpx.Client, wid: str) -> dict[int, dict[str, Any]]:
    return {row["version_number"]: row for row in ok(api.get(f"/workflows/{wid}/versions"))["items"]}


def test_a_workflow_goes_from_a_name_to_migrated_contacts_entirely_through_the_ui(
    page: Page, browser: Browser, server: Server, api: httpx.Client
) -> None:
    name = unique("Story flow")
    v1, v2 = example("welcome-small"), example("welcome-small-b")

    # Alice creates the workflow with the "New workflow" dialog; the search finds it.
    sign_in(page, server, "alice")
    page.get_by_role("button", name="New workflow").click()
    dialog = page.get_by_role("dialog", name="New workflow")
    dialog.get_by_role("textbox", name="Name").fill(name)
    check(page, "the new-workflow dialog, filled in")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_have_count(0)
    listed = eventually(
        lambda: [w for w in ok(api.get("/workflows", params={"limit": 200}))["items"] if w["name"] == name],
        lambda found: len(found) == 1,
        "the workflow created",
    )
    wid = listed[0]["id"]
    assert list(versions(api, wid)) == [1]
    assert versions(api, wid)[1]["status"] == "draft"
    nav = page.get_by_role("navigation", name="Workflows")
    nav.get_by_role("searchbox", name="Search workflows by name").fill(name.upper())
    expect(nav.get_by_role("listitem")).to_have_count(1)
    expect(nav.get_by_role("button", name=name, exact=True)).to_have_attribute("aria-current", "page")
    check(page, "the workflows list, searched")
    shot(page, "story-created")

    # She writes v1 in the editor: auto-saved as she types, then committed as the version.
    panel = tab(page, "Edit")
    expect(panel.get_by_role("heading", name="Edit draft v1")).to_be_visible()
    type_document(page, v1)
    eventually(
        lambda: api.get(f"/workflows/{wid}/versions/1/draft"),
        lambda answer: answer.status_code == 200 and answer.json()["definition"] == v1,
        "v1's auto-saved draft",
    )
    expect(page.locator("#draft-save-state")).to_have_text("Saved")
    check(page, "the editor, saved")
    shot(page, "story-editor-v1")
    panel.get_by_role("button", name="Commit as the version's next edit").click()
    expect(panel.get_by_text("Committed: version 1 now holds this text.")).to_be_visible()
    assert ok(api.get(f"/workflows/{wid}/versions/1"))["definition"] == v1

    # She publishes v1 from the history (a first publish: no rollout without a current version).
    panel = tab(page, "History")
    expect(panel.get_by_role("table", name="Version history")).to_be_visible()
    confirm(page, "Publish v1")
    expect(panel.get_by_role("status")).to_have_text("Published: v1 is now current.")
    check(page, "the history, v1 published")
    assert versions(api, wid)[1]["is_current"] is True

    # Contacts enrol on v1, as an engine would enrol them (the API). Enrolment goes to the
    # current version (or a rollout's split), so v1's contacts enrol while v1 is current.
    contacts_in_flight(server, wid)
    assert versions(api, wid)[1]["active_executions"] == 4

    # She drafts v2 from v1 and asks for one approval before any publish.
    page.get_by_role("button", name="New draft from v1").click()
    expect(panel.get_by_role("status")).to_have_text("Draft v2 created from v1.")
    assert versions(api, wid)[2]["status"] == "draft"
    check(page, "the history, v2 drafted")
    panel = tab(page, "Review")
    rule = panel.get_by_role("region", name="Approval rule")
    rule.get_by_role("spinbutton", name="Required approvals").fill("1")
    confirm(page, "Change")
    expect(rule).to_contain_text("Publishing a draft needs 1 current approval.")
    assert ok(api.get(f"/workflows/{wid}"))["required_approvals"] == 1
    check(page, "the review tab before any review")

    # She edits v2: saved, committed.
    panel = tab(page, "Edit")
    expect(panel.get_by_role("heading", name="Edit draft v2")).to_be_visible()
    type_document(page, v2)
    eventually(
        lambda: api.get(f"/workflows/{wid}/versions/2/draft"),
        lambda answer: answer.status_code == 200 and answer.json()["definition"] == v2,
        "v2's auto-saved draft",
    )
    expect(page.locator("#draft-save-state")).to_have_text("Saved")
    panel.get_by_role("button", name="Commit as the version's next edit").click()
    expect(panel.get_by_text("Committed: version 2 now holds this text.")).to_be_visible()
    assert ok(api.get(f"/workflows/{wid}/versions/2"))["definition"] == v2

    # Bob opens the review.
    with person(browser, server, "bob") as bob:
        open_workflow(bob, name)
        panel = tab(bob, "Review")
        panel.get_by_role("button", name="Open a review").click()
        expect(panel.get_by_text("Opened by bob")).to_be_visible()
        check(bob, "the review, opened by bob")
        shot(bob, "story-review-opened")
    reviews = ok(api.get(f"/workflows/{wid}/versions/2/reviews"))["items"]
    assert [(r["status"], r["opened_by"]) for r in reviews] == [("open", "bob")]
    review_id = reviews[0]["id"]

    # Dave approves it: now it is publishable.
    with person(browser, server, "dave") as dave:
        open_workflow(dave, name)
        panel = tab(dave, "Review")
        expect(panel.get_by_text("Not publishable yet")).to_be_visible()
        panel.get_by_role("button", name="Approve").click()
        expect(panel.get_by_text("Publishable: every approval needed is here.")).to_be_visible()
        check(dave, "the review, approved by dave")
        shot(dave, "story-review-approved")
    state = ok(api.get(f"/workflows/{wid}/reviews/{review_id}"))["state"]
    assert state["approved_by"] == ["dave"]
    assert state["publishable"] is True

    # Alice compares v1 with the draft: what the screen says is what the server compares.
    compared = ok(api.get(f"/workflows/{wid}/versions/compare", params={"from": 1, "to": 2}))
    panel = tab(page, "Compare")
    expect(panel.get_by_role("combobox", name="From", exact=True)).to_have_value("1")
    expect(panel.get_by_role("combobox", name="To", exact=True)).to_have_value("2")
    view = panel.get_by_role("region", name="v1 compared with v2")
    expect(view).to_contain_text(compared["summary"])
    expect(view.get_by_role("navigation", name="Changed steps")).to_contain_text("reminder")
    check(page, "compare v1 with v2")
    shot(page, "story-compare")

    # She publishes v2 through a rollout: started, then promoted.
    panel = tab(page, "Rollout")
    form = panel.get_by_role("form", name="Start a rollout")
    expect(form.get_by_label("Draft")).to_have_value("2")
    check(page, "the rollout form")
    confirm(page, "Start rollout")
    expect(panel.get_by_role("heading", name="v2 rolling out over v1")).to_be_visible()
    rollout = ok(api.get(f"/workflows/{wid}/rollout"))
    assert (rollout["state"], rollout["target"]["version_number"]) == ("running", 2)
    check(page, "the rollout running")
    shot(page, "story-rollout-running")
    confirm(page, "Promote")
    expect(panel.get_by_role("heading", name="v2 rolling out over v1")).to_contain_text("published")
    assert ok(api.get(f"/workflows/{wid}/rollout"))["state"] == "published"
    check(page, "the rollout, published")
    listed_versions = versions(api, wid)
    assert listed_versions[2]["is_current"] is True
    assert listed_versions[1]["active_executions"] == 4

    # She migrates v1's contacts to v2 with the wizard: v2 has no 'reminder', so c-1 goes to 'tips'.
    panel = tab(page, "Migrate")
    wizard = panel.get_by_role("region", name="Migrate contacts")
    expect(wizard.get_by_label("Target version")).to_have_value("2")
    expect(wizard.get_by_role("checkbox", name="v1 (4 contacts live)")).to_be_checked()
    wizard.get_by_role("combobox", name="Contacts on reminder go to").select_option("tips")
    check(page, "the wizard's first step")
    wizard.get_by_role("button", name="Next: preview").click()
    dry = wizard.get_by_role("region", name="Dry run")
    expect(dry).to_contain_text("4 contacts of v1 would move to v2.")
    expect(wizard.get_by_role("heading", name="Moving the 4 live contacts of v1 to v2")).to_be_visible()
    check(page, "the wizard's preview")
    shot(page, "story-migration-preview")
    wizard.get_by_role("button", name="Next: strategy").click()
    confirm(page, "Start migration", "Migrate 4 contacts")
    expect(wizard.get_by_role("region", name="Migration summary")).to_contain_text(
        "Completed: 4 contacts moved to v2."
    )
    check(page, "the migration's summary")
    moved = versions(api, wid)
    assert (moved[1]["active_executions"], moved[2]["active_executions"]) == (0, 4)

    # She looks c-1 up in Journeys: on v2, at 'tips', where the migration put it.
    panel = tab(page, "Journeys")
    panel.get_by_label("Contact id").fill("c-1")
    panel.get_by_role("button", name="Look up").click()
    executions = panel.get_by_role("table", name="Executions of c-1")
    expect(executions).to_contain_text("v2 · tips")
    check(page, "a contact's journey")
    shot(page, "story-journey")
    (execution,) = ok(api.get(f"/workflows/{wid}/executions", params={"contact": "c-1"}))["items"]
    assert (execution["version_id"], execution["current_action_id"]) == (moved[2]["id"], "tips")
    assert execution["last_migration_id"] is not None
    journey = panel.get_by_role("table", name=f"Journey of {execution['id']}")
    expect(journey.get_by_role("row").filter(has_text="migration").get_by_role("cell")).to_have_text(
        [re.compile("UTC$"), "migration", "v1 · reminder · waiting", "v2 · tips · waiting"]
    )

    # She signs out: the sign-in form, empty.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to wfv")).to_be_visible()
    expect(page.get_by_label("Token")).to_have_value("")
    expect(page.get_by_text(name)).to_have_count(0)
    assert page.evaluate("Object.keys(sessionStorage).concat(Object.keys(localStorage))") == []
    check(page, "signed out")


def storage_keys(page: Page) -> list[str]:
    """Every key of this origin's sessionStorage and localStorage."""
    keys: list[str] = page.evaluate("() => [...Object.keys(sessionStorage), ...Object.keys(localStorage)]")
    return keys


def test_signing_out_leaves_no_workflow_data_on_screen_in_storage_or_behind_the_back_button(
    page: Page, server: Server, api: httpx.Client
) -> None:
    name = unique("Story sign-out")
    wid = workflow(server, name)
    second_version(server, wid)
    # A page before the app, for the back button to go back to.
    page.goto(f"{server.base}/healthz")
    sign_in(page, server, "alice", name)

    panel = tab(page, "History")
    expect(panel.get_by_role("table", name="Version history")).to_contain_text("alice")
    panel = tab(page, "Graph (v1)")
    expect(panel).to_contain_text("Trigger")
    panel = tab(page, "Compare")
    expect(panel.get_by_role("region", name="v1 compared with v2")).to_be_visible()
    check(page, "compare, before signing out")

    # Typing in the editor: the server holds alice's draft copy.
    panel = tab(page, "Edit")
    expect(panel.get_by_role("heading", name="Edit draft v2")).to_be_visible()
    edited = example("welcome-small-b")
    edited["actions"][0]["name"] = "Welcome mail, edited"
    type_document(page, edited)
    eventually(
        lambda: api.get(f"/workflows/{wid}/versions/2/draft"),
        lambda answer: answer.status_code == 200 and answer.json()["definition"] == edited,
        "the auto-saved draft",
    )
    expect(page.locator("#draft-save-state")).to_have_text("Saved")

    # Offline once: the next change is kept in this browser, under a wfv. key.
    page.context.set_offline(True)
    edited["actions"][0]["name"] = "Welcome mail, edited offline"
    type_document(page, edited)
    expect(page.locator("#draft-save-state")).to_have_text("Offline: kept in this browser")
    kept = [key for key in storage_keys(page) if key.startswith("wfv.")]
    assert sorted(kept) == ["wfv.draft." + wid + ".v2", "wfv.token"], storage_keys(page)
    check(page, "the editor, offline")
    shot(page, "story-offline-before-sign-out")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to wfv")).to_be_visible()
    expect(page.get_by_label("Token")).to_have_value("")
    expect(page.get_by_text(name)).to_have_count(0)
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_role("tab")).to_have_count(0)
    assert "Welcome mail" not in page.content()
    assert storage_keys(page) == []
    check(page, "signed out")
    shot(page, "story-signed-out")
    page.context.set_offline(False)
    # Nothing typed offline reached the server after sign-out: its copy is the last online save.
    time.sleep(1.5)
    assert ok(api.get(f"/workflows/{wid}/versions/2/draft"))["definition"]["actions"][0]["name"] == (
        "Welcome mail, edited"
    )

    # Back leaves the app (it keeps no history of its own); forward comes back signed out.
    page.go_back()
    expect(page).to_have_url(f"{server.base}/healthz")
    page.go_forward()
    expect(page.get_by_role("heading", name="Sign in to wfv")).to_be_visible()
    expect(page.get_by_label("Token")).to_have_value("")
    expect(page.get_by_text(name)).to_have_count(0)
    assert storage_keys(page) == []


def test_a_token_the_server_stops_accepting_signs_out_at_the_next_call_and_says_why(
    page: Page, server: Server
) -> None:
    name = unique("Story expiry")
    workflow(server, name)
    # A token of alice's that the server accepts for `valid` seconds more (its `exp` is in
    # the past, within the server's leeway), signed with the server's own secret.
    secret = (Path(server.env["WFV_DATA_DIR"]) / "jwt-secret").read_text(encoding="utf-8").strip()
    valid = 20
    token = issue_token(
        secret=secret,
        user="alice",
        org="acme",
        permissions=["workflows:admin"],
        ttl=timedelta(seconds=valid - LEEWAY_SECONDS),
    )
    refused_after = time.monotonic() + valid
    short_lived = httpx.Client(
        base_url=f"{server.base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )

    page.goto(f"{server.base}/ui/")
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    open_workflow(page, name)
    expect(page.get_by_role("table", name="Version history")).to_contain_text("alice")
    assert time.monotonic() < refused_after, "the workflow took longer to show than the token lived"
    assert short_lived.get("/workflows").status_code == 200
    check(page, "the history, signed in with a token about to expire")

    # The server now refuses it: a 401, read through the API.
    eventually(
        lambda: short_lived.get("/workflows").status_code, lambda code: code == 401, "the token refused", 45
    )
    short_lived.close()

    # The next call the app makes answers 401: the app signs out and says why.
    page.get_by_role("tab", name="Audit").click()
    expect(page.get_by_role("status")).to_have_text(SESSION_ENDED)
    expect(page.get_by_role("heading", name="Sign in to wfv")).to_be_visible()
    expect(page.get_by_label("Token")).to_have_value("")
    expect(page.get_by_text(name)).to_have_count(0)
    expect(page.get_by_role("tab")).to_have_count(0)
    assert storage_keys(page) == []
    check(page, "signed out by a 401")
    shot(page, "story-session-ended")
