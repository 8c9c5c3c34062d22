"""The History and Compare tabs of ``/ui`` in a real Chromium against a real ``wfv serve``.

The history is where a live workflow changes hands: publishing a draft, rolling back to an
older version, copying one into a new draft, deleting a draft. Each of these is proved end to
end here, as the roles that may and may not do it: the screen lists what the server holds,
every change asks first in a dialog that says what happens to the live contacts, the server
then holds the change (read back through the API), and a refusal (a stale lock, a missing
permission) is shown in words instead of breaking the screen. The compare tab is proved on a
published change that hits a live contact: the breaking change with its count, both graphs
marked step by step, a modified step's field changes, and git's patch. Every state reached
passes axe-core (dialogs included)."""

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Locator, Page, Request, expect

from tests.e2e.ui.conftest import (
    Server,
    accessible,
    contacts_in_flight,
    second_version,
    shot,
    sign_in,
    workflow,
)
from tests.factories import example

pytestmark = pytest.mark.e2e

NOT_ADMIN = (
    "Rolling back needs workflows:admin (an admin's emergency action, which skips review): "
    "your token does not hold it."
)
NOT_EDITOR = re.compile(r"do not include workflows:edit, which changing a live workflow needs")


def history(page: Page) -> Locator:
    return page.get_by_role("table", name="Version history")


def row(page: Page, version: int) -> Locator:
    """The history's row of ``version``, found by its number's button."""
    return (
        history(page)
        .get_by_role("row")
        .filter(has=page.get_by_role("button", name=f"Show v{version} as a graph", exact=True))
    )


def cell(page: Page, version: int, column: str) -> Locator:
    """The cell of ``version`` under the column header ``column``."""
    headers = history(page).get_by_role("columnheader")
    expect(headers.first).to_be_visible()
    index = headers.all_inner_texts().index(column)
    return row(page, version).get_by_role("cell").nth(index)


def listed(page: Page) -> Locator:
    """The version numbers of the history, in the order shown."""
    return history(page).get_by_role("button", name=re.compile(r"^Show v\d+ as a graph$"))


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Token")).to_be_visible()


def version(server: Server, wid: str, number: int) -> dict[str, Any]:
    with server.api() as api:
        answer = api.get(f"/workflows/{wid}/versions/{number}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
    return found


def test_an_admin_publishes_a_draft_after_a_stale_lock_was_refused_in_words(
    page: Page, server: Server
) -> None:
    name = "History publish flow"
    wid = workflow(server, name)
    contacts_in_flight(server, wid)
    second_version(server, wid)
    sign_in(page, server, "alice", name, tab="History")

    # Newest first, with status, change summary, author and the live counts.
    expect(listed(page)).to_have_text(["v2", "v1"])
    expect(cell(page, 2, "Status")).to_have_text("draft")
    expect(cell(page, 1, "Status")).to_have_text("current")
    expect(cell(page, 2, "Changes")).to_have_text(
        "1 action removed, 2 modified; trigger changed", use_inner_text=True
    )
    expect(cell(page, 2, "Author")).to_have_text("alice")
    expect(cell(page, 1, "Live")).to_have_text("4")
    expect(cell(page, 2, "Live")).to_have_text("0")
    accessible(page, "history with a draft")
    shot(page, "history-draft")

    # Publishing asks first, naming the workflow, both versions and the contacts that stay.
    row(page, 2).get_by_role("button", name="Publish v2").click()
    dialog = page.get_by_role("dialog", name=f"Publish v2 of {name}?")
    expect(dialog).to_contain_text(
        f"v2 becomes the current version of {name}: new contacts enrol on it. "
        "4 contacts stay on v1 until migrated."
    )
    accessible(page, "the publish dialog")
    shot(page, "history-publish-dialog")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert version(server, wid, 2)["status"] == "draft"

    # Another client edits the draft meanwhile: the screen's lock is stale, the server refuses.
    seen = version(server, wid, 2)
    edited = example("welcome-small-b")
    edited["actions"][3]["name"] = "Tips mail"
    with server.api("bob") as api:
        patched = api.patch(
            f"/workflows/{wid}/versions/2",
            json={"definition": edited, "lock_version": seen["lock_version"]},
        )
        assert patched.status_code == 200, patched.text
    row(page, 2).get_by_role("button", name="Publish v2").click()
    page.get_by_role("dialog").get_by_role("button", name="Publish v2").click()
    refusal = page.get_by_role("alert")
    lock = seen["lock_version"]
    expect(refusal).to_have_text(
        f"Refused: version 2 is at lock_version {lock + 1}, the write was based on {lock}"
    )
    expect(refusal.get_by_role("button")).to_have_count(0)
    expect(history(page)).to_be_visible()
    accessible(page, "history after a refused publish")
    shot(page, "history-publish-refused")
    assert version(server, wid, 2)["status"] == "draft"
    assert version(server, wid, 1)["is_current"] is True

    # Read again, the draft's lock is the new one: the publish goes through.
    page.reload()
    page.get_by_role("navigation", name="Workflows").get_by_role("button", name=name, exact=True).click()
    row(page, 2).get_by_role("button", name="Publish v2").click()
    page.get_by_role("dialog", name=f"Publish v2 of {name}?").get_by_role("button", name="Publish v2").click()
    expect(page.get_by_role("status")).to_have_text("Published: v2 is now current.")
    expect(cell(page, 2, "Status")).to_have_text("current")
    expect(cell(page, 1, "Status")).to_have_text("active")
    expect(cell(page, 1, "Live")).to_have_text("4")
    accessible(page, "history after publishing")
    shot(page, "history-published")
    published = version(server, wid, 2)
    assert published["is_current"] is True
    assert published["status"] == "active"
    assert published["definition"]["actions"][3]["name"] == "Tips mail"
    assert version(server, wid, 1)["status"] == "active"
    assert version(server, wid, 1)["is_current"] is False


def test_only_an_admin_rolls_back_and_a_reader_on_a_phone_is_told_why_nothing_is_open(
    page: Page, server: Server
) -> None:
    name = "History rollback flow"
    wid = workflow(server, name)
    contacts_in_flight(server, wid)
    second_version(server, wid, publish=True)
    v1 = version(server, wid, 1)
    sign_in(page, server, "alice", name, tab="History")
    expect(listed(page)).to_have_text(["v2", "v1"])

    # Alice rolls back to v1: a new version, v1's content, current at once.
    row(page, 1).get_by_role("button", name="Roll back to v1").click()
    dialog = page.get_by_role("dialog", name=f"Roll {name} back to v1 from v2?")
    expect(dialog).to_contain_text(
        f"A new version with v1's content becomes the current version of {name}, without review "
        "(an admin's emergency action). No contact is live on v2. The 4 contacts on v1 stay on it."
    )
    accessible(page, "the rollback dialog")
    shot(page, "history-rollback-dialog")
    dialog.get_by_role("button", name="Roll back to v1").click()
    expect(page.get_by_role("status")).to_have_text("Rolled back: v3, v1's content, is now current.")
    expect(listed(page)).to_have_text(["v3", "v2", "v1"])
    expect(cell(page, 3, "Status")).to_have_text("current")
    accessible(page, "history after a rollback")
    rolled = version(server, wid, 3)
    assert rolled["is_current"] is True
    assert rolled["rollback_of_version_id"] == v1["id"]
    assert rolled["definition"] == v1["definition"]

    # A new draft from v1 changes nothing live: it is made at once.
    row(page, 1).get_by_role("button", name="New draft from v1").click()
    expect(page.get_by_role("status")).to_have_text("Draft v4 created from v1.")
    expect(cell(page, 4, "Status")).to_have_text("draft")
    accessible(page, "history with a new draft")
    draft = version(server, wid, 4)
    assert draft["status"] == "draft"
    assert draft["definition"] == v1["definition"]

    # Deleting the draft asks first, then sends the lock it was shown with.
    row(page, 4).get_by_role("button", name="Delete draft v4").click()
    dialog = page.get_by_role("dialog", name=f"Delete draft v4 of {name}?")
    expect(dialog).to_contain_text("No contact is on a draft: nothing live changes.")
    accessible(page, "the delete-draft dialog")
    with page.expect_request(lambda request: request.method == "DELETE") as deleting:
        dialog.get_by_role("button", name="Delete draft v4").click()
    sent: Request = deleting.value
    assert sent.headers.get("if-match") == f'"{draft["lock_version"]}"'
    expect(page.get_by_role("status")).to_have_text("Draft v4 deleted.")
    expect(listed(page)).to_have_text(["v3", "v2", "v1"])
    accessible(page, "history after deleting a draft")
    with server.api() as api:
        # Soft-deleted (docs/api.md): gone from the history, still readable by its number.
        deleted = api.get(f"/workflows/{wid}/versions/4")
        assert deleted.status_code == 200
        assert deleted.json()["deleted_at"] is not None
        numbers = [item["version_number"] for item in api.get(f"/workflows/{wid}/versions").json()["items"]]
        assert numbers == [3, 2, 1]
        assert api.post(f"/workflows/{wid}/versions", json={"from_version": 3}).status_code == 201

    # Bob edits but is no admin: rollback is off, and says why; publishing is his to do.
    sign_out(page)
    sign_in(page, server, "bob", name, tab="History")
    expect(listed(page)).to_have_text(["v5", "v3", "v2", "v1"])
    rollback = row(page, 1).get_by_role("button", name="Roll back to v1")
    expect(rollback).to_be_disabled()
    expect(rollback).to_have_accessible_description(NOT_ADMIN)
    expect(page.get_by_text(NOT_ADMIN)).to_be_visible()
    expect(row(page, 5).get_by_role("button", name="Publish v5")).to_be_enabled()
    accessible(page, "history as an editor")
    shot(page, "history-editor")

    # Carol only reads, on a phone: publish and new draft are off, described by why.
    sign_out(page)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, "carol", name, tab="History")
    publish = row(page, 5).get_by_role("button", name="Publish v5")
    expect(publish).to_be_disabled()
    expect(publish).to_have_accessible_description(NOT_EDITOR)
    fresh = row(page, 3).get_by_role("button", name="New draft from v3")
    expect(fresh).to_be_disabled()
    expect(fresh).to_have_accessible_description(NOT_EDITOR)
    expect(row(page, 5).get_by_role("button", name="Delete draft v5")).to_be_disabled()
    # The page fits the phone: the wide table scrolls in its own box, the tabs wrap.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    accessible(page, "history as a reader at 390px")
    shot(page, "history-reader-phone")
    with server.api() as api:
        numbers = [item["version_number"] for item in api.get(f"/workflows/{wid}/versions").json()["items"]]
    assert numbers == [5, 3, 2, 1]
    assert version(server, wid, 3)["is_current"] is True


def test_compare_shows_the_breaking_change_both_marked_graphs_the_field_changes_and_the_patch(
    page: Page, server: Server
) -> None:
    name = "Compare graph flow"
    wid = workflow(server, name)
    contacts_in_flight(server, wid)
    second_version(server, wid, publish=True)
    compared: list[list[tuple[str, str]]] = []

    def comparing(request: Request) -> None:
        url = urlsplit(request.url)
        if url.path.endswith("/versions/compare"):
            compared.append(parse_qsl(url.query))

    page.on("request", comparing)
    sign_in(page, server, "alice", name, tab="Compare")

    # Never opened on one version twice: the picker starts on v1 → v2, and an identical pair
    # is refused before any call.
    expect(page.get_by_label("From", exact=True)).to_have_value("1")
    expect(page.get_by_label("To", exact=True)).to_have_value("2")
    page.get_by_label("From", exact=True).select_option("2")
    expect(page.get_by_role("alert")).to_have_text(
        "v2 and v2 are the same version: pick two different versions"
    )
    accessible(page, "compare on an identical pair")
    assert compared, "the opening pair, v1 → v2, was compared"
    assert all(dict(pair)["from"] != dict(pair)["to"] for pair in compared)

    page.get_by_label("From", exact=True).select_option("1")
    page.get_by_label("To", exact=True).select_option("2")
    view = page.get_by_role("region", name="v1 compared with v2")
    expect(view.get_by_role("paragraph").filter(has_text="v1 → v2:")).to_have_text(
        "v1 → v2: 1 action removed, 2 modified; trigger changed; 3 breaking"
    )
    legend = view.get_by_role("list", name="Legend")
    for word in ("added", "removed", "modified", "moved"):
        expect(legend).to_contain_text(word)

    # Both graphs are drawn, each step named by its change.
    old = view.get_by_role("region", name="Version 1 as a graph, steps marked by change")
    new = view.get_by_role("region", name="Version 2 as a graph, steps marked by change")
    expect(
        old.get_by_role("group", name="Step reminder, send_sms: removed, breaking: 1 live")
    ).to_be_visible()
    expect(old.get_by_role("group", name="Step wait-1d, wait: modified, breaking: 1 live")).to_be_visible()
    expect(
        new.get_by_role("group", name="Step wait-1d, wait_until: modified, breaking: 1 live")
    ).to_be_visible()
    expect(new.get_by_role("group", name=re.compile(r"^Step reminder"))).to_have_count(0)
    expect(old.get_by_role("group", name="Step opened?, if_else: modified")).to_be_visible()
    expect(new.get_by_role("group", name="Step tips, send_email", exact=True)).to_be_visible()
    expect(
        old.get_by_role("group", name=re.compile(r"tag_added: modified, breaking: 4 live$"))
    ).to_be_visible()
    expect(
        new.get_by_role("group", name=re.compile(r"form_submitted: modified, breaking: 4 live$"))
    ).to_be_visible()
    accessible(page, "compare v1 with v2")

    # The breaking change, with the live contact it hits.
    old.get_by_role("group", name=re.compile(r"^Step reminder")).click()
    step = view.get_by_role("region", name="Changes of reminder")
    expect(step).to_contain_text("Removed in v2 (it was send_sms in v1).")
    breaking = step.get_by_role("list", name="Breaking changes")
    expect(breaking).to_contain_text("reminder")
    expect(breaking).to_contain_text("1 live contact hit right now")
    accessible(page, "compare with the removed step selected")

    # A modified step's field changes.
    new.get_by_role("group", name=re.compile(r"^Step wait-1d")).click()
    step = view.get_by_role("region", name="Changes of wait-1d")
    fields = step.get_by_role("table", name="Field changes")
    type_row = fields.get_by_role("row").filter(has=page.get_by_role("cell", name="type", exact=True))
    expect(type_row).to_contain_text('"wait"')
    expect(type_row).to_contain_text('"wait_until"')
    expect(view.get_by_role("button", name=re.compile(r"wait-1d modified"))).to_have_attribute(
        "aria-pressed", "true"
    )
    accessible(page, "compare with a modified step selected")
    shot(page, "compare-graph")

    # git's unified patch of the same pair.
    view.get_by_role("button", name="Show git's patch").click()
    patch = view.get_by_label("git's patch from v1 to v2")
    expect(patch).to_contain_text('"type": "wait_until"')
    expect(patch).to_contain_text('-      "type": "wait"')
    accessible(page, "compare's patch")
    shot(page, "compare-patch")
    assert any(("format", "patch") in pair for pair in compared)

    # The other way round, the removed step is an added one.
    page.get_by_label("From", exact=True).select_option("2")
    page.get_by_label("To", exact=True).select_option("1")
    back = page.get_by_role("region", name="v2 compared with v1")
    added = back.get_by_role("region", name="Version 1 as a graph, steps marked by change")
    expect(added.get_by_role("group", name=re.compile(r"^Step reminder, send_sms: added"))).to_be_visible()
    accessible(page, "compare v2 with v1")
    assert all(dict(pair).get("from") != dict(pair).get("to") for pair in compared)
