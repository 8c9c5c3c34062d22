"""Moving live contacts through the React UI, end to end against a real ``wfv serve``: the
migration wizard (immediate, gradual that halts on its failure threshold, manual), the
rollout panel, and the journey lookup.

Each story drives the screens a person would (by role and label), confirms what the dialogs
ask, and then reads the server through the API: a migration counts only when the server
holds it completed (or cancelled) with the contacts where the screen said they would be,
and a rollout only when its state there is the one the panel's buttons asked for. The
session's server runs its task consumer as ``make serve`` does: a migration's batches and
a gradual migration's later steps run in the worker, when they are due.
"""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.ui.conftest import (
    Server,
    accessible,
    contacts_in_flight,
    second_version,
    shot,
    sign_in,
    workflow,
)

pytestmark = pytest.mark.e2e

# A migration is read again every 2 s by the screen: a few reads, never a worker's tick.
MOVED = 30_000


def migrations(server: Server, wid: str) -> list[dict[str, Any]]:
    with server.api() as api:
        found = api.get(f"/workflows/{wid}/migrations")
        assert found.status_code == 200, found.text
        items: list[dict[str, Any]] = found.json()["items"]
    return items


def contacts_on(server: Server, wid: str, version: int) -> list[str]:
    """The contact ids of the executions on ``version``, sorted."""
    with server.api() as api:
        found = api.get(f"/workflows/{wid}/executions", params={"version": str(version), "limit": 1000})
        assert found.status_code == 200, found.text
    return sorted(item["contact_id"] for item in found.json()["items"])


def three_on_reminder(server: Server, name: str) -> str:
    """Four contacts on v1, three of them waiting on 'reminder' (which v2 drops), v2
    published: a gradual step of two always holds a failure, 50% or more, above 5%."""
    wid = workflow(server, name)
    with server.api() as api:
        ids = ["c-1", "c-2", "c-3", "c-4"]
        assert api.post(f"/workflows/{wid}/executions", json={"contact_ids": ids}).status_code == 201
        moves = [{"contact_id": c, "action_id": "reminder", "status": "waiting"} for c in ids[:3]]
        moved = api.post(f"/workflows/{wid}/executions/positions", json={"moves": moves})
        assert moved.status_code == 200, moved.text
    second_version(server, wid, publish=True)
    return wid


def to_preview(page: Page) -> None:
    """From step "what" (v1's contacts to v2, unmapped ones fail) to the preview."""
    page.get_by_label("Target version").select_option("2")
    expect(page.get_by_role("checkbox", name=re.compile(r"^v1 \(4 contacts live\)"))).to_be_checked()
    page.get_by_label("Contacts on an action with no counterpart").select_option("fail")
    page.get_by_role("button", name="Next: preview").click()
    expect(page.get_by_role("table", name="Dry run")).to_be_visible()


def start_gradual_that_halts(page: Page, server: Server, name: str) -> None:
    """The wizard through to a gradual migration of 50% a step, halting above 5% failed."""
    sign_in(page, server, "alice", name, tab="Migrate")
    to_preview(page)
    page.get_by_role("button", name="Next: strategy").click()
    page.get_by_role("radio", name=re.compile("^Gradual")).check()
    page.get_by_label("Step (percent)").fill("50")
    page.get_by_label("Interval (seconds)").fill("1")
    page.get_by_label("Failure threshold (percent)").fill("5")
    page.get_by_role("button", name="Start migration").click()
    dialog = page.get_by_role("dialog", name="Migrate 4 contacts?")
    expect(dialog).to_contain_text("50% every 1 s, halting when more than 5% of a step fail")
    dialog.get_by_role("button", name="Migrate 4 contacts").click()
    progress = page.get_by_role("region", name="Migration progress")
    expect(progress).to_contain_text("No estimate: halted by its failure threshold", timeout=MOVED)
    expect(progress.get_by_role("status")).to_contain_text(
        re.compile(
            r"Halted at step 1: \d of 2 executions failed since .+ \((50|100)%\), above the threshold of 5%"
        )
    )


def test_the_migration_wizard_previews_moves_and_sums_up_who_could_not_move(
    page: Page, server: Server
) -> None:
    """c-1 waits on 'reminder', which v2 drops: the preview says it fails, and the summary
    says plainly that it stays on v1, by name; the other three move."""
    name = "Migrate wizard flow"
    wid = workflow(server, name)
    contacts_in_flight(server, wid)
    second_version(server, wid, publish=True)
    sign_in(page, server, "alice", name, tab="Migrate")
    expect(page.get_by_role("list", name="Steps")).to_contain_text("1. What moves")
    expect(page.get_by_label(re.compile("^Contacts on reminder go to"))).to_be_visible()
    page.get_by_label(re.compile("^Contacts on reminder go to")).select_option(label="(the policy below)")
    accessible(page, "migration wizard, what moves")

    to_preview(page)
    impact = page.get_by_role("region", name="Impact of v1 to v2")
    expect(impact).to_contain_text("Moving the 4 live contacts of v1 to v2")
    expect(impact.get_by_role("button", name="1 contact will fail: its step has no target")).to_be_enabled()
    dry_run = page.get_by_role("table", name="Dry run")
    expect(dry_run.get_by_role("row").filter(has_text="reminder")).to_contain_text("stays (fails)")
    expect(page.get_by_role("region", name="Dry run")).to_contain_text(
        "Of the 4 contacts of v1, 3 would move to v2 and 1 would stay where it is, reported as failed."
    )
    impact.get_by_role("button", name="1 contact will fail: its step has no target").click()
    expect(page.get_by_role("table", name="Contacts of fails")).to_contain_text("c-1")
    accessible(page, "migration wizard, preview")
    shot(page, "migration-wizard-preview")

    page.get_by_role("button", name="Next: strategy").click()
    expect(page.get_by_role("radio", name=re.compile("^Immediate"))).to_be_checked()
    page.get_by_role("button", name="Start migration").click()
    dialog = page.get_by_role("dialog", name="Migrate 4 contacts?")
    expect(dialog).to_contain_text("4 contacts move from v1 to v2")
    accessible(page, "migration wizard, confirmation")
    dialog.get_by_role("button", name="Migrate 4 contacts").click()

    summary = page.get_by_role("region", name="Migration summary")
    expect(summary).to_contain_text("Finished with failures: 3 contacts moved to v2.", timeout=MOVED)
    expect(summary).to_contain_text("1 contact could not be moved and stays on v1.")
    expect(summary).not_to_contain_text("Completed")
    not_moved = summary.get_by_role("table", name="Contacts not moved")
    expect(not_moved.get_by_role("row")).to_have_count(2)
    expect(not_moved.get_by_role("row").nth(1)).to_contain_text("c-1")
    accessible(page, "migration wizard, summary")
    shot(page, "migration-wizard-summary")
    assert [(m["status"], m["migrated"], m["failed"]) for m in migrations(server, wid)] == [
        ("completed", 3, 1)
    ]
    assert contacts_on(server, wid, 1) == ["c-1"]
    assert contacts_on(server, wid, 2) == ["c-2", "c-3", "c-4"]


def test_a_halted_gradual_migration_says_why_it_has_no_eta_and_resumes_with_a_new_threshold(
    page: Page, server: Server
) -> None:
    name = "Migrate halting flow"
    wid = three_on_reminder(server, name)
    start_gradual_that_halts(page, server, name)
    (halted,) = migrations(server, wid)
    assert (halted["status"], halted["eta_reason"], halted["halt"]["step"]) == ("paused", "halted", 1)
    accessible(page, "migration progress, halted")
    shot(page, "migration-halted")

    page.get_by_role("button", name="Resume").click()
    dialog = page.get_by_role("dialog", name="Resume the migration?")
    expect(dialog).to_contain_text("against the threshold of 5% unless you set another")
    dialog.get_by_label("New failure threshold (percent, optional)").fill("100")
    accessible(page, "migration resume dialog")
    dialog.get_by_role("button", name="Resume").click()

    progress = page.get_by_role("region", name="Migration progress")
    expect(progress.get_by_role("heading")).to_contain_text("running")
    expect(progress.get_by_role("button", name="Pause")).to_be_visible()
    (resumed,) = migrations(server, wid)
    # The resume's own effect; the worker takes the next step when it is due.
    assert resumed["status"] in ("running", "completed")
    assert (resumed["failure_threshold"], resumed["halt"]) == (1.0, None)
    accessible(page, "migration progress, resumed")

    # The worker takes step 2 when it is due (1 s on).
    summary = page.get_by_role("region", name="Migration summary")
    expect(summary).to_contain_text("Finished with failures: 1 contact moved to v2.", timeout=MOVED)
    expect(summary).to_contain_text("3 contacts could not be moved and stay on v1.")
    expect(summary.get_by_role("table", name="Contacts not moved").get_by_role("row")).to_have_count(4)
    accessible(page, "migration summary after a resume")
    (done,) = migrations(server, wid)
    assert (done["status"], done["migrated"], done["failed"], done["failure_threshold"]) == (
        "completed",
        1,
        3,
        1.0,
    )
    assert contacts_on(server, wid, 2) == ["c-4"]


def test_a_halted_gradual_migration_cancelled_after_a_confirmation_ends_cancelled(
    page: Page, server: Server
) -> None:
    name = "Migrate cancel flow"
    wid = three_on_reminder(server, name)
    start_gradual_that_halts(page, server, name)
    moved = migrations(server, wid)[0]["migrated"]

    page.get_by_role("button", name="Cancel migration").click()
    dialog = page.get_by_role("dialog", name="Cancel the migration?")
    already = f"The {moved} contact already on v2 stays there" if moved == 1 else f"The {moved} contacts"
    expect(dialog).to_contain_text(already)
    accessible(page, "migration cancel dialog")
    dialog.get_by_role("button", name="Cancel migration").click()

    summary = page.get_by_role("region", name="Migration summary")
    expect(summary).to_contain_text("Cancelled:", timeout=MOVED)
    expect(summary).to_contain_text("the rest stay where they were")
    accessible(page, "migration summary, cancelled")
    (cancelled,) = migrations(server, wid)
    assert (cancelled["status"], cancelled["migrated"]) == ("cancelled", moved)
    assert len(contacts_on(server, wid, 1)) == 4 - moved


def test_a_manual_migration_moves_only_the_picked_executions(page: Page, server: Server) -> None:
    """c-3 and c-4 are active, c-1 and c-2 waiting: c-3 is picked from the active list and
    c-2 from the waiting one; only those two move."""
    name = "Migrate manual flow"
    wid = workflow(server, name)
    contacts_in_flight(server, wid)
    second_version(server, wid, publish=True)
    sign_in(page, server, "alice", name, tab="Migrate")
    to_preview(page)
    page.get_by_role("button", name="Next: strategy").click()
    page.get_by_role("radio", name=re.compile("^Manual")).check()
    picker = page.get_by_role("group", name=re.compile(r"^Executions to move"))
    expect(picker.get_by_role("checkbox")).to_have_count(2)
    picker.get_by_role("checkbox", name=re.compile("^Contact c-3 on")).check()
    picker.get_by_label("Status").select_option("waiting")
    expect(picker.get_by_role("checkbox", name="Contact c-2 on wait-1d")).to_be_visible()
    picker.get_by_role("checkbox", name="Contact c-2 on wait-1d").check()
    expect(picker).to_contain_text("(2 picked)")
    accessible(page, "migration wizard, manual picks")
    page.get_by_role("button", name="Start migration").click()
    dialog = page.get_by_role("dialog", name="Migrate 2 contacts?")
    expect(dialog).to_contain_text("only the picked executions")
    dialog.get_by_role("button", name="Migrate 2 contacts").click()

    summary = page.get_by_role("region", name="Migration summary")
    expect(summary).to_contain_text("Completed: 2 contacts moved to v2.", timeout=MOVED)
    accessible(page, "migration summary, manual")
    assert [(m["status"], m["migrated"], m["failed"]) for m in migrations(server, wid)] == [
        ("completed", 2, 0)
    ]
    assert contacts_on(server, wid, 2) == ["c-2", "c-3"]
    assert contacts_on(server, wid, 1) == ["c-1", "c-4"]


def rollout(server: Server, wid: str) -> dict[str, Any]:
    with server.api() as api:
        found = api.get(f"/workflows/{wid}/rollout")
        assert found.status_code == 200, found.text
        body: dict[str, Any] = found.json()
    return body


def confirm(page: Page, button: str, title: str, screen: str) -> None:
    """Click a rollout control, check its dialog, and confirm it with the dialog's own button."""
    page.get_by_role("region", name="Rollout").get_by_role("button", name=button, exact=True).click()
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible()
    accessible(page, screen)
    dialog.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_rollout_panel_starts_pauses_and_promotes_a_rollout(page: Page, server: Server) -> None:
    name = "Rollout panel flow"
    wid = workflow(server, name)
    second_version(server, wid)
    sign_in(page, server, "alice", name, tab="Rollout")
    panel = page.get_by_role("region", name="Rollout")
    expect(panel).to_contain_text("No rollout has run for this workflow.")
    form = page.get_by_role("form", name="Start a rollout")
    expect(form.get_by_label("Draft")).to_have_value("2")
    form.get_by_label("Step 1 percent").fill("25")
    form.get_by_label("Step 2 seconds").fill("7200")
    accessible(page, "rollout panel, start form")

    form.get_by_role("button", name="Start rollout").click()
    dialog = page.get_by_role("dialog", name="Roll out v2?")
    expect(dialog).to_contain_text("25% for 1 h, then 50% for 2 h, then 100% for 1 h, then it is published.")
    accessible(page, "rollout panel, start confirmation")
    dialog.get_by_role("button", name="Start rollout").click()

    expect(panel.get_by_role("heading", name=re.compile("rolling out over"))).to_contain_text(
        "v2 rolling out over v1"
    )
    expect(panel).to_contain_text("running")
    expect(panel).to_contain_text("New contacts now: 25% to v2")
    steps = panel.get_by_role("table", name="Rollout steps")
    expect(steps.get_by_role("row")).to_have_count(4)
    expect(steps.get_by_role("row").nth(1)).to_contain_text(re.compile(r"1 \(current\)\s*25%\s*1 h"))
    expect(steps.get_by_role("row").nth(2)).to_contain_text(re.compile(r"2\s*50%\s*2 h"))
    expect(steps.get_by_role("row").nth(3)).to_contain_text(re.compile(r"3\s*100%\s*1 h"))
    expect(panel).to_contain_text(re.compile(r"Guards \((waiting for a sample|within the margin)\)"))
    accessible(page, "rollout panel, running")
    shot(page, "rollout-panel")
    started = rollout(server, wid)
    assert (started["state"], started["step_index"], started["share"]) == ("running", 0, 25)
    assert [(s["percent"], s["seconds"]) for s in started["steps"]] == [(25, 3600), (50, 7200), (100, 3600)]

    confirm(page, "Pause", "Pause the rollout?", "rollout pause dialog")
    expect(panel.get_by_role("heading", name=re.compile("rolling out over"))).to_contain_text("paused")
    expect(panel.get_by_role("button", name="Resume")).to_be_visible()
    assert rollout(server, wid)["state"] == "paused"
    accessible(page, "rollout panel, paused")

    confirm(page, "Promote", "Publish the target now?", "rollout promote dialog")
    expect(panel.get_by_role("heading", name=re.compile("rolling out over"))).to_contain_text("published")
    expect(panel).to_contain_text("Published")
    accessible(page, "rollout panel, published")
    assert rollout(server, wid)["state"] == "published"
    with server.api() as api:
        versions = api.get(f"/workflows/{wid}/versions").json()["items"]
    assert [v["version_number"] for v in versions if v["is_current"]] == [2]


def local_input(page: Page, at: datetime) -> str:
    """``at`` as a ``datetime-local`` value in the browser's own time zone, to the second."""
    value: str = page.evaluate(
        """iso => {
            const d = new Date(iso);
            const p = n => String(n).padStart(2, '0');
            const day = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
            return `${day}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
        }""",
        at.isoformat(),
    )
    return value


def test_the_journey_lookup_shows_a_moved_contacts_path_and_where_it_was_as_of_an_instant(
    page: Page, server: Server
) -> None:
    """c-2 waits on 'wait-1d' in v1, then a migration moves it to v2: its journey shows the
    move, and the as-of answer for an instant before the move puts it on v1."""
    name = "Journeys lookup flow"
    wid = workflow(server, name)
    contacts_in_flight(server, wid)
    second_version(server, wid, publish=True)
    # An instant after the seeding and before the migration, on a whole second (the field's
    # step). The server keeps whole seconds, so the migration is started in a later second.
    before = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
    page.wait_for_timeout((before + timedelta(seconds=1.1) - datetime.now(UTC)).total_seconds() * 1000)
    with server.api() as api:
        body = {"from_versions": [1], "unmapped": "fail", "strategy": "immediate"}
        started = api.post(f"/workflows/{wid}/versions/2/migrate", json=body)
        assert started.status_code in (200, 201, 202), started.text
    for _ in range(300):  # the worker runs it: a few tenths of a second
        if [m["status"] for m in migrations(server, wid)] == ["completed"]:
            break
        page.wait_for_timeout(100)
    assert [m["status"] for m in migrations(server, wid)] == ["completed"]
    assert "c-2" in contacts_on(server, wid, 2)

    sign_in(page, server, "alice", name, tab="Journeys")
    lookup = page.get_by_role("region", name="Journey lookup")
    lookup.get_by_label("Contact id").fill("c-2")
    lookup.get_by_role("button", name="Look up").click()
    executions = lookup.get_by_role("table", name="Executions of c-2")
    expect(executions.get_by_role("row")).to_have_count(2)
    expect(executions).to_contain_text("v2 · wait-1d · waiting")
    journey = lookup.get_by_role("table", name=re.compile("^Journey of "))
    expect(journey).to_contain_text("v1 · wait-1d · waiting")
    expect(journey.get_by_role("row").last).to_contain_text("v2 · wait-1d · waiting")
    accessible(page, "journey lookup, c-2's journey")

    lookup.get_by_label("As of (your local time)").fill(local_input(page, before))
    lookup.get_by_role("button", name="Where was c-2?").click()
    answer = lookup.get_by_role("status")
    expect(answer).to_contain_text("c-2 was at v1 · wait-1d · waiting")
    accessible(page, "journey lookup, as-of answer")
    shot(page, "journey-lookup")
    with server.api() as api:
        then = api.get(f"/workflows/{wid}/contacts/c-2/as-of", params={"at": before.isoformat()})
    assert then.status_code == 200, then.text
    assert (then.json()["version_number"], then.json()["action_id"]) == (1, "wait-1d")

    lookup.get_by_label("Contact id").fill("nobody-here")
    lookup.get_by_role("button", name="Look up").click()
    expect(lookup).to_contain_text("Contact nobody-here has no executions in this workflow.")
    expect(lookup.get_by_role("table")).to_have_count(0)
    accessible(page, "journey lookup, unknown contact")
