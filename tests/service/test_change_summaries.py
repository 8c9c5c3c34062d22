"""Each version's change summary in the versions list, on both databases: written with the
document by every writer (create, copy, edit, rollback, a draft made from a draft that is
then edited), worded as the compare view words it, computed at read time (and not stored)
for rows from before revision 0019, and rebuilt by reindex from git alone."""

import copy
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from indexer.models import WorkflowVersion
from service.container import Container
from service.healing.scan import reindex_all
from tests.factories import (
    create_workflow_via_api,
    empty_index,
    example,
    get_versions,
    index_snapshot,
    post_publish,
    post_version,
    versions_url,
)

FIRST = {
    "parent_version_number": None,
    "actions_added": 0,
    "actions_removed": 0,
    "actions_modified": 0,
    "actions_moved": 0,
    "trigger_changed": False,
    "conditions_changed": False,
    "settings_changed": False,
    "text": "first version",
}


def _edited(document: dict[str, Any]) -> dict[str, Any]:
    """Two actions modified, one removed, the trigger changed."""
    changed = copy.deepcopy(document)
    changed["actions"] = [a for a in changed["actions"] if a["id"] != "reminder"]
    by_id = {a["id"]: a for a in changed["actions"]}
    by_id["welcome"]["name"] = "Welcome!"
    by_id["opened?"]["config"]["else"] = "tips"
    changed["trigger"]["config"]["tag"] = "lead"
    return changed


def _summaries(client: TestClient, headers: dict[str, str], wid: str) -> dict[int, Any]:
    page = get_versions(client, headers, wid, include_deleted=True)
    return {item["version_number"]: item["change_summary"] for item in page["items"]}


def _stored(container: Container) -> dict[int, Any]:
    with container.uow("acme") as uow:
        rows = uow.session.execute(select(WorkflowVersion.version_number, WorkflowVersion.change_summary))
        return dict(iter(rows.tuples()))  # a Result has keys(): dict() would index it


def _history(client: TestClient, auth) -> tuple[str, dict[str, str]]:
    """v1 published; v2 its copy, edited; v3 made from draft v2; v4 a rollback to v1."""
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    post_publish(client, admin, wid, 1)
    post_version(client, admin, wid)
    edit = client.patch(
        versions_url(wid, 2),
        json={"definition": _edited(example("welcome-small")), "lock_version": 1},
        headers=admin,
    )
    assert edit.status_code == 200, edit.text
    post_version(client, admin, wid, from_version=2)
    post_publish(client, admin, wid, 2)
    rollback = client.post(versions_url(wid, 1, "rollback"), headers=admin)
    assert rollback.status_code == 201, rollback.text
    return wid, admin


def test_every_version_says_what_changed_against_its_parent(client: TestClient, auth) -> None:
    wid, admin = _history(client, auth)
    found = _summaries(client, admin, wid)
    assert found[1] == FIRST
    assert found[2] == {
        "parent_version_number": 1,
        "actions_added": 0,
        "actions_removed": 1,
        "actions_modified": 2,
        "actions_moved": 0,
        "trigger_changed": True,
        "conditions_changed": False,
        "settings_changed": False,
        "text": "1 action removed, 2 modified; trigger changed",
    }
    assert found[3] == FIRST | {"parent_version_number": 2, "text": "no changes"}
    assert found[4] == FIRST | {"parent_version_number": 1, "text": "no changes"}  # a rollback to v1
    compared = client.get(versions_url(wid, "compare"), params={"from": 1, "to": 2}, headers=admin)
    assert compared.status_code == 200, compared.text
    assert compared.json()["summary"] == found[2]["text"]  # one wording for one change
    one = client.get(versions_url(wid, 2), headers=admin)
    assert one.json()["change_summary"] == found[2]


def test_an_edit_rewrites_the_summaries_of_the_versions_made_from_it(client: TestClient, auth) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    post_version(client, admin, wid)
    post_version(client, admin, wid, from_version=2)
    assert _summaries(client, admin, wid)[3]["text"] == "no changes"
    edit = client.patch(
        versions_url(wid, 2),
        json={"definition": _edited(example("welcome-small")), "lock_version": 1},
        headers=admin,
    )
    assert edit.status_code == 200, edit.text
    assert edit.json()["change_summary"]["text"] == "1 action removed, 2 modified; trigger changed"
    found = _summaries(client, admin, wid)
    # v3 is still v2's old document: against v2 as it is now, the edit reads backwards.
    assert found[3]["parent_version_number"] == 2
    assert found[3]["text"] == "1 action added, 2 modified; trigger changed"


def test_a_committed_draft_writes_its_summary_and_auto_saves_write_none(
    client: TestClient, auth, container: Container
) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    post_version(client, admin, wid)
    draft = versions_url(wid, 2, "draft")
    saved = client.post(
        draft, json={"definition": _edited(example("welcome-small")), "revision": 0}, headers=admin
    )
    assert saved.status_code == 200, saved.text
    assert _stored(container)[2]["text"] == "no changes"  # a working copy is not the version
    committed = client.post(f"{draft}/commit", json={"lock_version": 1}, headers=admin)
    assert committed.status_code == 200, committed.text
    assert _stored(container)[2]["text"] == "1 action removed, 2 modified; trigger changed"


def test_rows_from_before_the_column_are_summarised_at_read_time_and_not_stored(
    client: TestClient, auth, container: Container
) -> None:
    wid, admin = _history(client, auth)
    expected = _summaries(client, admin, wid)
    with container.uow("acme", write=True) as uow:
        uow.session.execute(update(WorkflowVersion).values(change_summary=None))
        uow.commit()
    assert _summaries(client, admin, wid) == expected
    assert client.get(versions_url(wid, 3), headers=admin).json()["change_summary"] == expected[3]
    paged = get_versions(
        client, admin, wid, limit=1, cursor=get_versions(client, admin, wid, limit=2)["next_cursor"]
    )
    assert paged["items"][0]["change_summary"] == expected[2]  # its parent is on no page read
    assert set(_stored(container).values()) == {None}  # a GET writes nothing


def test_reindex_rebuilds_the_summaries_from_git(client: TestClient, auth, container: Container) -> None:
    wid, admin = _history(client, auth)
    expected = _stored(container)
    assert None not in expected.values()
    before = index_snapshot(container)
    empty_index(container)
    assert reindex_all(container).errors == []
    assert index_snapshot(container) == before  # change_summary is one of the columns compared

    with container.uow("acme", write=True) as uow:  # rows from before revision 0019
        uow.session.execute(update(WorkflowVersion).values(change_summary=None))
        uow.commit()
    summary = reindex_all(container)
    assert summary.versions_changed == 0  # what git says is unchanged...
    assert _stored(container) == expected  # ...and the summaries are stored again
    assert _summaries(client, admin, wid)[2] == expected[2]
