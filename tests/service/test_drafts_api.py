"""Draft auto-save over HTTP, on SQLite and PostgreSQL, with and without Redis: save and
restore, patches, merges and conflicts between tabs, ownership, discard, commit, publish."""

import copy
import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import API, assert_problem, create_workflow_via_api, example, git_cli, versions_url

Headers = dict[str, str]


def draft_url(workflow_id: str, version: object = 1, *parts: str) -> str:
    return versions_url(workflow_id, version, "draft", *parts)


def save(
    client: TestClient, headers: Headers, workflow_id: str, body: dict[str, Any], version: object = 1
) -> Any:
    return client.post(draft_url(workflow_id, version), json=body, headers=headers)


def saved(client: TestClient, headers: Headers, workflow_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = save(client, headers, workflow_id, body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def restore(client: TestClient, headers: Headers, workflow_id: str, version: object = 1) -> dict[str, Any]:
    response = client.get(draft_url(workflow_id, version), headers=headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def named(document: dict[str, Any], action_id: str, name: str) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    next(a for a in changed["actions"] if a["id"] == action_id)["name"] = name
    return changed


def action(document: dict[str, Any], action_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in document["actions"] if a["id"] == action_id)
    return found


@pytest.fixture
def editor(auth) -> Headers:
    headers: Headers = auth("workflows:edit")
    return headers


@pytest.fixture
def wid(draft_client: TestClient, editor: Headers) -> str:
    """A workflow whose v1 is a draft (its definition: welcome-small)."""
    return str(create_workflow_via_api(draft_client, editor)["id"])


BASE = example("welcome-small")


def _nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"n": value}
    return value


def test_save_then_restore(draft_client: TestClient, editor: Headers, wid: str) -> None:
    first = saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "Hi"), "revision": 0})
    assert first["revision"] == 1
    assert first["merged"] is False
    assert first["definition"] is None
    found = restore(draft_client, editor, wid)
    assert found["revision"] == 1
    assert found["definition"] == named(BASE, "welcome", "Hi")
    assert found["saved_at"] == first["saved_at"]
    second = saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "Hey"), "revision": 1})
    assert second["revision"] == 2
    assert second["saved_at"] >= first["saved_at"]
    assert action(restore(draft_client, editor, wid, "v1")["definition"], "welcome")["name"] == "Hey"


def test_the_version_itself_is_untouched_by_saves(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "Draft only"), "revision": 0})
    version = draft_client.get(versions_url(wid, 1), headers=editor).json()
    assert version["definition"] == BASE
    assert version["lock_version"] == 1


def test_patches_apply_to_the_last_save_and_revision_zero_is_the_version(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    first = saved(
        draft_client, editor, wid, {"patch": {"settings": {"timezone": "Europe/Paris"}}, "revision": 0}
    )
    assert first["revision"] == 1
    assert restore(draft_client, editor, wid)["definition"]["settings"] == {
        "allow_reentry": False,
        "timezone": "Europe/Paris",
    }
    saved(
        draft_client,
        editor,
        wid,
        {"patch": {"settings": {"allow_reentry": None}, "x-note": "hi"}, "revision": 1},
    )
    found = restore(draft_client, editor, wid)["definition"]
    assert found["settings"] == {"timezone": "Europe/Paris"}
    assert found["x-note"] == "hi"
    assert found["actions"] == BASE["actions"]


def test_two_tabs_editing_different_actions_merge(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    saved(draft_client, editor, wid, {"definition": BASE, "revision": 0})
    tab_a = saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "From A"), "revision": 1})
    assert tab_a["revision"] == 2
    tab_b = saved(draft_client, editor, wid, {"definition": named(BASE, "tips", "From B"), "revision": 1})
    assert tab_b["revision"] == 3
    assert tab_b["merged"] is True
    merged = tab_b["definition"]
    assert action(merged, "welcome")["name"] == "From A"
    assert action(merged, "tips")["name"] == "From B"
    assert restore(draft_client, editor, wid) == {**restore(draft_client, editor, wid), "definition": merged}
    assert restore(draft_client, editor, wid)["revision"] == 3


def test_a_patch_from_an_old_revision_merges_against_its_base(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    saved(draft_client, editor, wid, {"definition": BASE, "revision": 0})
    saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "Newer"), "revision": 1})
    answer = saved(
        draft_client, editor, wid, {"patch": {"settings": {"timezone": "Asia/Tokyo"}}, "revision": 1}
    )
    assert answer["merged"] is True
    found = restore(draft_client, editor, wid)["definition"]
    assert found["settings"]["timezone"] == "Asia/Tokyo"
    assert action(found, "welcome")["name"] == "Newer"


def test_overlapping_edits_conflict_with_both_sides_and_change_nothing(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    saved(draft_client, editor, wid, {"definition": BASE, "revision": 0})
    theirs = named(BASE, "welcome", "Theirs")
    saved(draft_client, editor, wid, {"definition": theirs, "revision": 1})
    mine = named(named(BASE, "welcome", "Mine"), "tips", "Also mine")
    problem = assert_problem(
        save(draft_client, editor, wid, {"definition": mine, "revision": 1}), 409, "draft-conflict"
    )
    assert problem["conflicts"] == ["/actions/welcome/name"]
    assert problem["mine"] == mine
    assert problem["theirs"] == theirs
    assert problem["revision"] == 2
    assert problem["base_revision"] == 1
    assert restore(draft_client, editor, wid)["revision"] == 2
    assert restore(draft_client, editor, wid)["definition"] == theirs
    resolved = saved(draft_client, editor, wid, {"definition": mine, "revision": problem["revision"]})
    assert resolved["revision"] == 3


def test_a_base_older_than_the_kept_history_is_a_whole_document_conflict(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    keep = draft_client.app.state.container.settings.draft_history  # type: ignore[attr-defined]
    for revision in range(keep + 2):
        saved(
            draft_client,
            editor,
            wid,
            {"definition": named(BASE, "welcome", f"r{revision}"), "revision": revision},
        )
    problem = assert_problem(
        save(draft_client, editor, wid, {"definition": named(BASE, "tips", "late"), "revision": 1}),
        409,
        "draft-conflict",
    )
    assert problem["conflicts"] == [""]
    assert action(problem["theirs"], "welcome")["name"] == f"r{keep + 1}"
    patch = save(draft_client, editor, wid, {"patch": {"format": 1}, "revision": 1})
    assert_problem(patch, 409, "draft-base-unknown")


def test_a_revision_the_store_never_had_takes_a_whole_definition_but_no_patch(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    unknown = assert_problem(
        save(draft_client, editor, wid, {"patch": {"format": 1}, "revision": 5}), 409, "draft-base-unknown"
    )
    # What to do, as a field a client acts on: send the whole document instead.
    assert (unknown["resend"], unknown["revision"]) == ("definition", 0)
    assert draft_client.get(draft_url(wid), headers=editor).status_code == 404
    answer = saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "kept"), "revision": 5})
    assert answer["revision"] == 6
    overtaken = assert_problem(
        save(draft_client, editor, wid, {"patch": {"format": 1}, "revision": 9}), 409, "draft-base-unknown"
    )
    assert (overtaken["resend"], overtaken["revision"]) == ("definition", 6)
    assert saved(draft_client, editor, wid, {"definition": BASE, "revision": 9})["revision"] == 10


def test_drafts_belong_to_their_user_and_tenant(
    draft_client: TestClient, auth, editor: Headers, wid: str
) -> None:
    saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "Alice's"), "revision": 0})
    bob = auth("workflows:edit", user="bob")
    assert_problem(draft_client.get(draft_url(wid), headers=bob), 404, "draft-not-found")
    assert_problem(draft_client.delete(draft_url(wid), headers=bob), 404, "draft-not-found")
    assert saved(draft_client, bob, wid, {"definition": BASE, "revision": 0})["revision"] == 1
    assert restore(draft_client, bob, wid)["definition"] == BASE
    assert action(restore(draft_client, editor, wid)["definition"], "welcome")["name"] == "Alice's"
    stranger = auth("workflows:admin", org="globex")
    assert_problem(draft_client.get(draft_url(wid), headers=stranger), 404, "workflow-not-found")
    assert_problem(
        save(draft_client, stranger, wid, {"definition": BASE, "revision": 0}), 404, "workflow-not-found"
    )
    reader = auth("workflows:read")
    assert_problem(save(draft_client, reader, wid, {"definition": BASE, "revision": 0}), 403, "forbidden")
    assert action(restore(draft_client, editor, wid)["definition"], "welcome")["name"] == "Alice's"


@pytest.mark.parametrize(
    ("body", "status", "slug"),
    [
        ({"revision": 0}, 422, "invalid-request"),
        ({"definition": BASE, "patch": {"format": 1}, "revision": 0}, 422, "invalid-request"),
        ({"definition": BASE}, 422, "invalid-request"),
        ({"definition": BASE, "revision": -1}, 422, "invalid-request"),
        ({"definition": BASE, "revision": 2_000_000_001}, 422, "invalid-request"),
        ({"definition": BASE, "revision": 0, "extra": 1}, 422, "invalid-request"),
        ({"definition": [BASE], "revision": 0}, 422, "invalid-request"),
        ({"definition": {**BASE, "settings": {"k": "x" * 10_001}}, "revision": 0}, 422, "invalid-request"),
        (
            {"definition": {**BASE, "actions": [{"id": f"a{n}"} for n in range(1001)]}, "revision": 0},
            422,
            None,
        ),
        ({"definition": {**BASE, "settings": _nested(13)}, "revision": 0}, 422, "invalid-request"),
        ({"patch": {"settings": _nested(13)}, "revision": 0}, 422, "invalid-request"),
        # the patch is within bounds, the document it makes is not (201 settings)
        ({"patch": {"settings": {f"k{n}": n for n in range(199)}}, "revision": 0}, 422, "invalid-draft"),
        ({"patch": "not an object", "revision": 0}, 422, "invalid-request"),
    ],
)
def test_bad_saves_are_problems_that_change_nothing(
    draft_client: TestClient, editor: Headers, wid: str, body: dict[str, Any], status: int, slug: str | None
) -> None:
    saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "good"), "revision": 0})
    assert_problem(save(draft_client, editor, wid, body), status, slug)
    found = restore(draft_client, editor, wid)
    assert found["revision"] == 1
    assert action(found["definition"], "welcome")["name"] == "good"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"definition": {**BASE, "format": 2}}, "format"),
        ({"patch": {"trigger": None}}, "trigger"),
        ({"patch": {"trigger": {"type": 7}}}, "trigger.type"),
        ({"patch": {"actions": [{"id": "bad id!", "type": "wait"}]}}, "actions.0.id"),
    ],
)
def test_an_unfinished_working_copy_is_kept_and_commit_names_what_is_wrong(
    draft_client: TestClient, editor: Headers, wid: str, body: dict[str, Any], field: str
) -> None:
    """What the editor holds is saved even while it is not a valid workflow yet: refusing
    it would lose what the user typed. Committing it is where the model is enforced."""
    answer = saved(draft_client, editor, wid, {**body, "revision": 0})
    working_copy = restore(draft_client, editor, wid)
    assert working_copy["revision"] == answer["revision"] == 1
    if "definition" in body:
        assert working_copy["definition"] == body["definition"]
    refused = draft_client.post(draft_url(wid, 1, "commit"), json={"lock_version": 1}, headers=editor)
    problem = assert_problem(refused, 422, "invalid-draft")
    assert problem["field"] == field
    assert draft_client.get(versions_url(wid, 1), headers=editor).json()["lock_version"] == 1
    assert restore(draft_client, editor, wid)["revision"] == 1


def test_unknown_and_bad_versions(draft_client: TestClient, editor: Headers, wid: str) -> None:
    body = {"definition": BASE, "revision": 0}
    assert_problem(save(draft_client, editor, wid, body, version=9), 404, "version-not-found")
    assert_problem(save(draft_client, editor, wid, body, version="nine"), 422, "invalid-version-ref")
    other = "00000000-0000-4000-8000-000000000000"
    assert_problem(save(draft_client, editor, other, body), 404, "workflow-not-found")
    assert_problem(draft_client.get(draft_url(wid, 9), headers=editor), 404, "version-not-found")
    assert_problem(draft_client.get(draft_url(wid), headers=editor), 404, "draft-not-found")


def test_discard_is_audited_and_numbers_continue_after_it(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    saved(draft_client, editor, wid, {"definition": BASE, "revision": 0})
    saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "two"), "revision": 1})
    response = draft_client.delete(draft_url(wid), headers=editor)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(draft_client.get(draft_url(wid), headers=editor), 404, "draft-not-found")
    assert_problem(draft_client.delete(draft_url(wid), headers=editor), 404, "draft-not-found")
    audit = draft_client.get(f"{API}/{wid}/audit", params={"action": "draft_discard"}, headers=editor).json()
    assert [(e["actor_id"], e["details"]["revision"]) for e in audit["items"]] == [("alice", 2)]
    again = saved(draft_client, editor, wid, {"definition": BASE, "revision": 0})
    assert again["revision"] == 3
    assert restore(draft_client, editor, wid)["definition"] == BASE


def test_commit_turns_the_draft_into_the_next_edit(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    edited = named(BASE, "welcome", "Committed")
    saved(draft_client, editor, wid, {"definition": edited, "revision": 0})
    response = draft_client.post(draft_url(wid, 1, "commit"), json={"lock_version": 1}, headers=editor)
    assert response.status_code == 200, response.text
    version = response.json()
    assert version["definition"] == edited
    assert version["lock_version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert_problem(draft_client.get(draft_url(wid), headers=editor), 404, "draft-not-found")
    audit = draft_client.get(f"{API}/{wid}/audit", params={"action": "update"}, headers=editor).json()
    assert len(audit["items"]) == 1
    assert audit["items"][0]["details"]["after"]["lock_version"] == 2
    path = draft_client.app.state.container.store.path_for("acme", uuid.UUID(wid))  # type: ignore[attr-defined]
    assert git_cli(path, "log", "-1", "--format=%s", "drafts/v1") == "Commit draft of v1 (revision 1)"


def test_commit_needs_a_current_lock_and_keeps_the_draft_when_refused(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "x"), "revision": 0})
    url = draft_url(wid, 1, "commit")
    assert_problem(draft_client.post(url, json={}, headers=editor), 428, "precondition-required")
    assert_problem(
        draft_client.post(url, json={"lock_version": 7}, headers=editor), 409, "stale-lock-version"
    )
    assert_problem(draft_client.post(url, json={}, headers={**editor, "If-Match": '"7"'}), 412)
    stale = draft_client.post(url, json={"lock_version": 1, "revision": 4}, headers=editor)
    assert assert_problem(stale, 409, "draft-changed")["revision"] == 1
    assert restore(draft_client, editor, wid)["revision"] == 1
    assert draft_client.get(versions_url(wid, 1), headers=editor).json()["lock_version"] == 1
    ok = draft_client.post(url, json={"revision": 1}, headers={**editor, "If-Match": '"1"'})
    assert ok.status_code == 200, ok.text


def test_commit_without_a_draft_is_a_404(draft_client: TestClient, editor: Headers, wid: str) -> None:
    response = draft_client.post(draft_url(wid, 1, "commit"), json={"lock_version": 1}, headers=editor)
    assert_problem(response, 404, "draft-not-found")


def test_publishing_ends_every_users_drafts(
    draft_client: TestClient, auth, editor: Headers, wid: str
) -> None:
    bob = auth("workflows:edit", user="bob")
    for who in (editor, bob):
        saved(draft_client, who, wid, {"definition": named(BASE, "welcome", "unpublished"), "revision": 0})
    assert draft_client.post(versions_url(wid, 1, "publish"), headers=editor).status_code == 200
    for who in (editor, bob):
        assert_problem(draft_client.get(draft_url(wid), headers=who), 404, "draft-not-found")
        problem = assert_problem(save(draft_client, who, wid, {"definition": BASE, "revision": 1}), 409)
        assert problem["type"] == "/problems/version-not-draft"
    cache = draft_client.app.state.container.draft_cache  # type: ignore[attr-defined]
    if cache is not None:
        assert cache.client.keys("wfv:draft:*") == []
        assert cache.client.keys("wfv:drafts:of:*") == []
        assert cache.client.zcard("wfv:drafts:dirty") == 0


def _raw_save(client: TestClient, headers: Headers, workflow_id: str, extra: bytes) -> Any:
    raw = b'{"revision": 0, "definition": ' + json.dumps(BASE)[:-1].encode() + b", " + extra + b"}}"
    return client.post(
        draft_url(workflow_id), content=raw, headers=headers | {"content-type": "application/json"}
    )


def test_bodies_orjson_refuses_are_read_as_before(
    draft_client: TestClient, editor: Headers, wid: str
) -> None:
    """Draft bodies are parsed by orjson; what it will not read goes to the standard
    library: an integer beyond 64 bits is kept, a lone surrogate (valid JSON, but no
    Unicode text) is a 422 problem naming the field (the text rule), not a 500."""
    surrogate = _raw_save(draft_client, editor, wid, b'"x_text": "\\ud800"')
    assert assert_problem(surrogate, 422, "invalid-request")["field"] == "body.definition.x_text"
    assert_problem(draft_client.get(draft_url(wid), headers=editor), 404, "draft-not-found")
    big = _raw_save(draft_client, editor, wid, b'"x_big": 123456789012345678901234567890')
    assert big.status_code == 200, big.text
    assert restore(draft_client, editor, wid)["definition"]["x_big"] == 123456789012345678901234567890


@pytest.mark.parametrize("raw", [b'{"revision": 0, "definition": {', b'{"revision": 0, "definition": NaN}'])
def test_malformed_bodies_are_problems_and_save_nothing(
    draft_client: TestClient, editor: Headers, wid: str, raw: bytes
) -> None:
    response = draft_client.post(
        draft_url(wid), content=raw, headers=editor | {"content-type": "application/json"}
    )
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert_problem(draft_client.get(draft_url(wid), headers=editor), 404, "draft-not-found")
