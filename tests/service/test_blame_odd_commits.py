"""Commits written onto ``main`` by hand (pygit2, as an operator's script would): blame
answers 200 with every version wfv published, names each odd commit in ``skipped`` with
its reason, and compares the versions around it with each other; the cached answer
equals the plain walk. Both databases."""

import json
import uuid
from pathlib import Path
from typing import Any

import pygit2
import pytest
from fastapi.testclient import TestClient

from schemas.history import MAIN_REF
from service.compare.blame_walk import walk_history
from service.container import Container
from tests.factories import example, published_history

API = "/api/v1/workflows"
GOOD_ID = str(uuid.uuid4())


def by_hand(path: Path, message: str, files: dict[str, bytes], *, parent: str | None = None) -> str:
    """A commit on top of ``main`` (or ``parent``), and ``main`` moved to it."""
    repo = pygit2.Repository(str(path))
    builder = repo.TreeBuilder()
    for name, data in files.items():
        builder.insert(name, repo.create_blob(data), pygit2.GIT_FILEMODE_BLOB)
    signature = pygit2.Signature("mallory", "mallory@example.test")
    base = parent or str(repo.references[MAIN_REF].target)
    commit = repo.create_commit(None, signature, signature, message, builder.write(), [base])
    repo.references[MAIN_REF].set_target(commit)
    return str(commit)


def _document(name: str = "welcome-small-b") -> bytes:
    return json.dumps(example(name)).encode()


ODD = {
    "not json": (
        "Publish v4\n\nWorkflow-Version: 4\nVersion-Id: " + GOOD_ID + "\n",
        b"{not json",
        "not JSON",
    ),
    "no version id": ("by hand\n\nWorkflow-Version: 4\n", None, "no Version-Id trailer"),
    "bad version number": (
        "Publish v4\n\nWorkflow-Version: four\nVersion-Id: " + GOOD_ID + "\n",
        None,
        "'four', not a version number",
    ),
    "bad version id": ("Publish v4\n\nWorkflow-Version: 4\nVersion-Id: nope\n", None, "'nope', not a UUID"),
    "json array": (
        "Publish v4\n\nWorkflow-Version: 4\nVersion-Id: " + GOOD_ID + "\n",
        b"[1, 2]",
        "JSON list",
    ),
}


@pytest.fixture
def flow(container: Container) -> dict[str, Any]:
    workflow_id = published_history(container, 3)[0]
    return {"id": workflow_id, "path": container.store.path_for("acme", workflow_id)}


def _history(client: TestClient, auth: Any, workflow_id: object, action_id: str) -> dict[str, Any]:
    response = client.get(f"{API}/{workflow_id}/actions/{action_id}/history", headers=auth("workflows:read"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _walked(container: Container, workflow_id: uuid.UUID, action_id: str) -> dict[str, Any]:
    with container.uow("acme") as uow:
        walked: dict[str, Any] = json.loads(walk_history(uow.repo(workflow_id), action_id).model_dump_json())
        return walked


@pytest.mark.parametrize("case", ODD)
def test_an_odd_commit_on_main_is_skipped_and_named(
    container: Container, client: TestClient, auth: Any, flow: dict[str, Any], case: str
) -> None:
    before = _history(client, auth, flow["id"], "welcome")
    message, document, reason = ODD[case]
    odd = by_hand(flow["path"], message, {"workflow.json": document or _document()})

    after = _history(client, auth, flow["id"], "welcome")

    assert after["entries"] == before["entries"]  # v1 added, v2 and v3 modified, nothing from the odd one
    assert [(s["commit_sha"], reason in s["reason"]) for s in after["skipped"]] == [(odd, True)]
    assert after == _walked(container, flow["id"], "welcome")


def test_versions_around_an_odd_commit_are_compared_with_each_other(
    container: Container, client: TestClient, auth: Any, flow: dict[str, Any]
) -> None:
    _history(client, auth, flow["id"], "reminder")  # the cache holds v1..v3
    no_file = by_hand(flow["path"], "by hand\n", {"README": b"hello"})
    not_json = by_hand(
        flow["path"],
        "Publish v4\n\nWorkflow-Version: 4\nVersion-Id: " + GOOD_ID + "\n",
        {"workflow.json": b"{"},
    )
    good = by_hand(
        flow["path"],
        "Publish v4\n\nWorkflow-Version: 4\nVersion-Id: " + GOOD_ID + "\nAuthor-Id: mallory\n",
        {"workflow.json": _document()},  # drops reminder
    )
    answer = _history(client, auth, flow["id"], "reminder")
    assert [(e["version_number"], e["change"], e["commit_sha"]) for e in answer["entries"]] == [
        (1, "added", answer["entries"][0]["commit_sha"]),
        (4, "removed", good),
    ]
    assert [s["commit_sha"] for s in answer["skipped"]] == [no_file, not_json]
    assert "not a publish commit wfv wrote" in answer["skipped"][0]["reason"]
    assert answer == _walked(container, flow["id"], "reminder")


def test_main_at_something_that_is_not_a_commit(
    container: Container, client: TestClient, auth: Any, flow: dict[str, Any]
) -> None:
    repo = pygit2.Repository(str(flow["path"]))
    blob = repo.create_blob(b"not a commit")
    repo.references[MAIN_REF].set_target(blob)
    answer = _history(client, auth, flow["id"], "welcome")
    assert answer["entries"] == []
    assert [s["commit_sha"] for s in answer["skipped"]] == [str(blob)]
    assert "not a readable commit" in answer["skipped"][0]["reason"]
    assert answer == _walked(container, flow["id"], "welcome")
