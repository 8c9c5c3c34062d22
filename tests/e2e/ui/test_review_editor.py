"""A draft's review and the draft editor of ``/ui``, driven as their users drive them,
against a real ``wfv serve``: every effect is read back from the API.

The review: an admin sets the approval rule through its confirmation, the draft's author
reads the changes inline, comments on a step and in the thread and cannot approve (with
the reason), another editor approves (shown before the server answers), and the draft is
published from the UI; a reader sees the rule read-only with the reason; a draft with
problems lists them and stays unpublishable when approved.

The editor: typing is auto-saved (the whole document first, merge patches after, the whole
document again once the store lost the patch's base), kept in this browser while offline
and sent when back online; a commit's validation error shows under the step it names; a
step's form (from the action types' schemas) edits the same document, saved the same way.
"""

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Request, Route, expect

from tests.e2e.ui.conftest import Server, accessible, shot, sign_in, workflow
from tests.factories import example

pytestmark = pytest.mark.e2e

CANNOT_APPROVE = "You edited this draft, so you cannot approve it."
NOT_ADMIN = "Only an admin (workflows:admin) changes how many approvals a draft needs."


def switch_to(page: Page, server: Server, user: str, name: str, tab: str) -> None:
    """Sign the current user out, then ``user`` in, on ``name``'s ``tab``."""
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Token")).to_be_visible()
    sign_in(page, server, user, name, tab=tab)


def draft_by(server: Server, user: str, wid: str, definition: dict[str, Any]) -> None:
    """v2 of ``wid``, a draft created by ``user``."""
    with server.api(user) as api:
        created = api.post(f"/workflows/{wid}/versions", json={"definition": definition})
        assert created.status_code == 201, created.text
        assert created.json()["version_number"] == 2


def the_review(server: Server, wid: str) -> dict[str, Any]:
    """The open (or newest) review of v2, as the API holds it."""
    with server.api() as api:
        listed = api.get(f"/workflows/{wid}/versions/2/reviews")
        assert listed.status_code == 200, listed.text
        rid = listed.json()["items"][0]["id"]
        found = api.get(f"/workflows/{wid}/reviews/{rid}")
        assert found.status_code == 200, found.text
        review: dict[str, Any] = found.json()
    return review


def test_a_draft_is_reviewed_approved_by_another_editor_and_published_from_the_ui(
    page: Page, server: Server
) -> None:
    name = "Review story flow"
    wid = workflow(server, name)
    draft_by(server, "bob", wid, example("welcome-small-b"))

    # alice (admin) sets the approval rule through its confirmation.
    sign_in(page, server, "alice", name, tab="Review")
    rule = page.get_by_role("region", name="Approval rule")
    expect(rule).to_contain_text("No approval is needed to publish a draft of this workflow.")
    accessible(page, "review as an admin, no review yet")
    rule.get_by_label("Required approvals").fill("1")
    rule.get_by_role("button", name="Change").click()
    dialog = page.get_by_role("dialog", name="Change the approval rule?")
    expect(dialog).to_contain_text("Every draft of this workflow will need 1 current approval (now 0)")
    accessible(page, "approval rule confirmation")
    dialog.get_by_role("button", name="Change").click()
    expect(dialog).to_have_count(0)
    expect(rule).to_contain_text("Publishing a draft needs 1 current approval.")
    with server.api() as api:
        assert api.get(f"/workflows/{wid}").json()["required_approvals"] == 1

    # bob, the draft's author, opens the review, reads the changes and comments.
    switch_to(page, server, "bob", name, "Review")
    review = page.get_by_role("region", name="Review of v2")
    review.get_by_role("button", name="Open a review").click()
    state = review.get_by_role("status")
    expect(state).to_contain_text("Not publishable yet: 1 more approval")
    changes = review.get_by_role("region", name="Changes from v1 to v2")
    steps = changes.get_by_role("navigation", name="Changed steps")
    expect(steps.get_by_role("button", name=re.compile(r"^reminder removed"))).to_be_visible()
    steps.get_by_role("button", name=re.compile(r"^wait-1d modified")).click()
    fields = changes.get_by_role("table", name="Field changes")
    expect(fields).to_contain_text("config.until")
    expect(fields).to_contain_text('"09:00"')
    accessible(page, "review as the author, a changed step selected")
    form = changes.get_by_role("form", name="New comment on wait-1d")
    form.get_by_label("Comment on wait-1d").fill("09:00 in whose time zone?")
    form.get_by_label("Field path (optional)").fill("config.until")
    form.get_by_role("button", name="Comment").click()
    on_step = changes.get_by_role("region", name="Comments on wait-1d")
    expect(on_step).to_contain_text("09:00 in whose time zone?")
    expect(on_step).to_contain_text("bob commented on config.until")
    expect(steps.get_by_role("button", name=re.compile(r"^wait-1d modified.*\(1 comments\)"))).to_be_visible()
    thread = review.get_by_role("region", name="Thread")
    general = thread.get_by_role("form", name="New comment on the draft")
    general.get_by_label("Comment on the draft").fill("Ready for a look.")
    general.get_by_role("button", name="Comment").click()
    expect(thread).to_contain_text("Ready for a look.")
    expect(thread).not_to_contain_text("09:00 in whose time zone?")  # it sits under its step
    approve = review.get_by_role("button", name="Approve")
    expect(approve).to_be_disabled()
    expect(approve).to_have_accessible_description(CANNOT_APPROVE)
    accessible(page, "review as the author, commented")
    shot(page, "review-author")
    comments = [event for event in the_review(server, wid)["events"] if event["kind"] == "comment"]
    assert [(c["author_id"], c["action_id"], c["json_path"], c["body"]) for c in comments] == [
        ("bob", "wait-1d", "config.until", "09:00 in whose time zone?"),
        ("bob", None, None, "Ready for a look."),
    ]

    # carol (reader) sees the rule read-only, with the reason.
    switch_to(page, server, "carol", name, "Review")
    rule = page.get_by_role("region", name="Approval rule")
    expect(rule.get_by_label("Required approvals")).to_be_disabled()
    expect(rule.get_by_label("Required approvals")).to_have_accessible_description(NOT_ADMIN)
    expect(rule.get_by_role("button", name="Change")).to_be_disabled()
    expect(rule.get_by_role("button", name="Change")).to_have_accessible_description(NOT_ADMIN)
    expect(page.get_by_role("region", name="Thread")).to_contain_text("Ready for a look.")
    accessible(page, "review as a reader")

    # dave (another editor) approves: the verdict shows before the server has answered.
    switch_to(page, server, "dave", name, "Review")
    review = page.get_by_role("region", name="Review of v2")
    state = review.get_by_role("status")
    expect(state).to_contain_text("Not publishable yet: 1 more approval")
    held: list[Route] = []
    verdicts = re.compile(r".*/reviews/[^/]+/verdicts$")
    page.route(verdicts, lambda route: held.append(route))
    review.get_by_role("button", name="Approve").click()
    thread = review.get_by_role("region", name="Thread")
    expect(thread).to_contain_text("dave approved (sending…)")
    expect(state).to_contain_text("Approved by dave (1 needed)")
    for _ in range(50):  # the held request reaches this thread while it waits on the page
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    assert the_review(server, wid)["state"]["approved_by"] == []  # shown, not yet taken
    accessible(page, "review, an approval on its way")
    held[0].continue_()
    page.unroute(verdicts)
    expect(state).to_contain_text("Publishable: every approval needed is here.")
    expect(thread).not_to_contain_text("sending…")
    assert the_review(server, wid)["state"]["approved_by"] == ["dave"]
    accessible(page, "review, approved")
    shot(page, "review-approved")

    # Publishing from the history makes v2 current; the review is merged.
    page.get_by_role("tab", name="History").click()
    page.get_by_role("button", name="Publish v2").click()
    dialog = page.get_by_role("dialog", name=f"Publish v2 of {name}?")
    accessible(page, "publish confirmation")
    dialog.get_by_role("button", name="Publish v2").click()
    expect(page.get_by_role("tabpanel").get_by_role("status")).to_have_text("Published: v2 is now current.")
    with server.api() as api:
        assert api.get(f"/workflows/{wid}/versions/2").json()["is_current"] is True
    assert the_review(server, wid)["status"] == "merged"
    accessible(page, "history after the publish")


def test_a_draft_with_problems_lists_them_and_stays_unpublishable_when_approved(
    page: Page, server: Server
) -> None:
    name = "Review broken draft flow"
    wid = workflow(server, name)
    broken = example("welcome-small")
    broken["actions"][1]["config"] = {}
    broken["actions"][4]["type"] = "send_fax"
    draft_by(server, "alice", wid, broken)
    with server.api() as api:
        assert api.patch(f"/workflows/{wid}", json={"required_approvals": 1}).status_code == 200

    sign_in(page, server, "bob", name, tab="Review")
    review = page.get_by_role("region", name="Review of v2")
    review.get_by_role("button", name="Open a review").click()
    problems = review.get_by_role("list", name="Problems in the draft")
    expect(problems).to_contain_text("wait needs duration")
    expect(problems).to_contain_text("unknown action type 'send_fax'")
    accessible(page, "review of a draft with problems")
    review.get_by_role("button", name="Approve").click()
    state = review.get_by_role("status")
    expect(state).to_contain_text("Approved by bob (1 needed)")
    expect(review.get_by_role("region", name="Thread")).to_contain_text("bob approved")
    expect(review.get_by_role("region", name="Thread")).not_to_contain_text("sending…")
    expect(state).to_contain_text("Not publishable yet")
    assert the_review(server, wid)["state"]["approved_by"] == ["bob"]
    assert the_review(server, wid)["state"]["publishable"] is False
    accessible(page, "review of a draft with problems, approved")
    shot(page, "review-problems")

    # The history's publish is refused with the document's problems.
    page.get_by_role("tab", name="History").click()
    page.get_by_role("button", name="Publish v2").click()
    page.get_by_role("dialog", name=f"Publish v2 of {name}?").get_by_role("button", name="Publish v2").click()
    refused = page.get_by_role("tabpanel").get_by_role("alert")
    expect(refused).to_contain_text("Refused: version 2 cannot be published: 2 problem(s)")
    expect(refused).to_contain_text("wait needs duration")
    accessible(page, "history, a publish refused")
    with server.api() as api:
        assert api.get(f"/workflows/{wid}/versions/2").json()["is_current"] is False
        assert api.get(f"/workflows/{wid}/versions/1").json()["is_current"] is True


# --- The draft editor ---------------------------------------------------------------------


def pretty(document: dict[str, Any]) -> str:
    """The document as the editor shows it (JSON.stringify(document, null, 2))."""
    return json.dumps(document, indent=2, ensure_ascii=False)


def definition_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Definition (JSON)")


def save_state(page: Page) -> Locator:
    """The editor's save indicator (its one status)."""
    return page.get_by_role("region", name="Edit draft v1").get_by_role("status")


def replace_text(page: Page, text: str) -> None:
    """Select the whole editor's text and type ``text`` over it (one input, as a paste)."""
    definition_box(page).click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)


def draft_of(server: Server, wid: str) -> dict[str, Any]:
    """alice's working copy of v1, once the API has one."""
    with server.api() as api:
        found = api.get(f"/workflows/{wid}/versions/1/draft")
    assert found.status_code == 200, found.text
    draft: dict[str, Any] = found.json()
    return draft


def unpublished(server: Server, name: str) -> str:
    """A workflow whose v1 is still a draft; returns its id."""
    with server.api() as api:
        created = api.post("/workflows", json={"name": name, "definition": example("welcome-small")})
        assert created.status_code == 201, created.text
        wid: str = created.json()["id"]
    return wid


class Saves:
    """The draft saves the page sends, in order (their JSON bodies)."""

    def __init__(self, page: Page) -> None:
        self.sent: list[dict[str, Any]] = []
        page.on("request", self.record)

    def record(self, request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/draft"):
            self.sent.append(request.post_data_json or {})


def saved_as(page: Page, server: Server, wid: str, revision: int) -> dict[str, Any]:
    """Waits until the server holds ``revision`` of alice's draft of v1, and returns it."""
    with server.api() as api:
        for _ in range(150):
            found = api.get(f"/workflows/{wid}/versions/1/draft")
            if found.status_code == 200 and found.json()["revision"] == revision:
                break
            page.wait_for_timeout(100)
    assert found.status_code == 200, found.text
    assert found.json()["revision"] == revision, found.text
    # Playwright hands the page's events (the requests Saves records) to this thread only
    # while it waits on the browser: one round trip, so the save just held is recorded.
    page.wait_for_timeout(50)
    draft: dict[str, Any] = found.json()
    return draft


def test_the_editor_saves_typing_as_the_whole_document_then_as_merge_patches(
    page: Page, server: Server
) -> None:
    name = "Review editor patch flow"
    wid = unpublished(server, name)
    saves = Saves(page)
    sign_in(page, server, "alice", name, tab="Edit")
    status = save_state(page)
    box = definition_box(page)
    expect(box).to_be_visible()
    expect(status).to_have_text("Saved")
    accessible(page, "editor, opened")

    # Typed with the keyboard: after the step's name, inside its quotes.
    box.get_by_text('"Welcome mail"').click()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type(" (one)")
    expect(status).to_have_text("Unsaved changes")
    expect(status).to_have_text("Saved")
    assert saved_as(page, server, wid, 1)["definition"]["actions"][0]["name"] == "Welcome mail (one)"
    accessible(page, "editor, saved")
    shot(page, "editor-saved")

    document = example("welcome-small")
    document["actions"][0]["name"] = "Welcome mail (two)"
    replace_text(page, pretty(document))
    assert saved_as(page, server, wid, 2)["definition"]["actions"][0]["name"] == "Welcome mail (two)"
    assert sorted(saves.sent[0]) == ["definition", "revision"]  # the first save: all of it
    assert saves.sent[0]["revision"] == 0
    assert saves.sent[1] == {"revision": 1, "patch": {"actions": document["actions"]}}  # then what changed
    expect(status).to_have_text("Saved")

    # Another tab discards the draft: the store loses the patch's base.
    with server.api() as api:
        assert api.delete(f"/workflows/{wid}/versions/1/draft").status_code == 204
    saves.sent.clear()
    document["actions"][0]["name"] = "Welcome mail (three)"
    replace_text(page, pretty(document))
    assert saved_as(page, server, wid, 3)["definition"] == document
    # The patch answered 409 draft-base-unknown; the editor sent the whole document at once.
    assert [sorted(body) for body in saves.sent] == [["patch", "revision"], ["definition", "revision"]]
    assert saves.sent[1] == {"revision": 2, "definition": document}
    expect(status).to_have_text("Saved")


def test_the_editor_keeps_typing_offline_and_sends_it_back_online(page: Page, server: Server) -> None:
    name = "Review editor offline flow"
    wid = unpublished(server, name)
    sign_in(page, server, "alice", name, tab="Edit")
    status = save_state(page)
    expect(definition_box(page)).to_be_visible()
    document = example("welcome-small")
    document["actions"][0]["name"] = "Welcome mail (edited)"
    replace_text(page, pretty(document))
    assert saved_as(page, server, wid, 1)["definition"] == document
    expect(status).to_have_text("Saved")

    page.context.set_offline(True)
    document["actions"][0]["name"] = "Welcome mail (offline)"
    replace_text(page, pretty(document))
    expect(status).to_have_text("Offline: kept in this browser")
    accessible(page, "editor, offline")
    shot(page, "editor-offline")
    kept = page.evaluate(
        "Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('wfv.draft.'))"
        ".map(k => [k, JSON.parse(localStorage.getItem(k))]))"
    )
    assert list(kept) == [f"wfv.draft.{wid}.v1"]
    assert json.loads(kept[f"wfv.draft.{wid}.v1"]["text"]) == document
    assert draft_of(server, wid)["revision"] == 1  # nothing reached the server

    page.context.set_offline(False)
    assert saved_as(page, server, wid, 2)["definition"] == document
    expect(status).to_have_text("Saved")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('wfv.draft.'))") == []


def test_a_commits_validation_error_shows_under_the_step_it_names(page: Page, server: Server) -> None:
    name = "Review editor commit flow"
    wid = unpublished(server, name)
    sign_in(page, server, "alice", name, tab="Edit")
    status = save_state(page)
    expect(definition_box(page)).to_be_visible()
    document = example("welcome-small")
    document["actions"][1]["next"] = 5  # wait-1d: next must be a step's id
    replace_text(page, pretty(document))
    assert saved_as(page, server, wid, 1)["definition"] == document  # a working copy may be invalid
    expect(status).to_have_text("Saved")
    page.get_by_role("button", name="Commit as the version's next edit").click()
    step = page.get_by_role("listitem", name="wait-1d", exact=True)
    expect(step).to_contain_text("actions.1.next: Input should be a valid string")
    expect(step.get_by_role("button")).to_have_accessible_description(
        "actions.1.next: Input should be a valid string"
    )
    expect(page.get_by_role("listitem", name="Welcome mail", exact=True)).not_to_contain_text(
        "Input should be"
    )
    expect(page.get_by_role("alert")).to_contain_text("1 problem to fix before this draft can be committed")
    accessible(page, "editor, a commit refused")
    shot(page, "editor-commit-refused")
    with server.api() as api:  # v1 is unchanged, the draft kept
        assert api.get(f"/workflows/{wid}/versions/1").json()["definition"]["actions"][1]["next"] == "opened?"
    assert draft_of(server, wid)["revision"] == 1


def test_a_steps_form_edits_its_config_and_the_change_is_saved(page: Page, server: Server) -> None:
    name = "Review editor form flow"
    wid = unpublished(server, name)
    sign_in(page, server, "alice", name, tab="Edit")
    status = save_state(page)
    expect(definition_box(page)).to_be_visible()
    page.get_by_role("listitem", name="Welcome mail", exact=True).get_by_role("button").click()
    settings = page.get_by_role("group", name=re.compile("settings$"))
    template = settings.get_by_label(re.compile(r"^template"))
    expect(template).to_have_value("welcome")
    accessible(page, "editor, a step's form")
    template.fill("welcome-v2")
    expect(definition_box(page)).to_contain_text('"template": "welcome-v2"')
    expect(status).to_have_text("Saved")
    saved = saved_as(page, server, wid, 1)["definition"]
    assert saved["actions"][0]["config"] == {"template": "welcome-v2"}
    shot(page, "editor-form")
