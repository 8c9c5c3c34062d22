"""Publishing checks the action types (both databases): an unknown type or a config its
schema refuses is a 422 listing each problem by pointer and action, and changes nothing;
a draft may hold either; the review shows the same problems; an operator's folder adds
types (and a bad one refuses start-up); a rollback is not blocked by a catalogue change;
``GET /api/v1/action-types`` lists the catalogue, the same to every tenant."""

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from service.api.app import create_app
from service.container import Container
from service.settings import Settings
from tests.e2e.helpers import WFV, wfv_env
from tests.factories import (
    API,
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    versions_url,
)
from tests.service.conftest import open_container

FAX = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["number"],
    "properties": {"number": {"type": "string", "description": "a fax number"}},
}


def with_fax(number: str | None = "+441234567") -> dict[str, Any]:
    """welcome-small whose 'tips' step sends a fax (a type wfv does not ship)."""
    document = example("welcome-small")
    document["actions"][3] = {
        "id": "tips",
        "type": "send_fax",
        "config": {"number": number} if number else {},
        "next": None,
    }
    return document


def without_duration() -> dict[str, Any]:
    document = example("welcome-small")
    document["actions"][1]["config"] = {"durations": "P1D"}
    return document


def refs_of(container: Container, tenant: str, workflow_id: str) -> dict[str, str]:
    return container.store.open(tenant, uuid.UUID(workflow_id)).refs("refs/")


def test_an_unknown_type_is_saved_as_a_draft_and_refused_at_publish(
    client: TestClient, auth: Any, container: Container
) -> None:
    editor = auth("workflows:edit")
    wid = create_workflow_via_api(client, editor, definition=with_fax())["id"]
    saved = client.post(
        versions_url(wid, 1, "draft"), json={"revision": 0, "definition": with_fax(None)}, headers=editor
    )
    assert saved.status_code == 200, saved.text
    refs = refs_of(container, "acme", wid)
    problem = assert_problem(
        client.post(versions_url(wid, 1, "publish"), headers=editor), 422, "definition-incomplete"
    )
    assert problem["problems"] == [
        {"pointer": "/actions/3/type", "action_id": "tips", "message": "unknown action type 'send_fax'"}
    ]
    assert problem["problems_truncated"] is False
    assert "/actions/3/type" in problem["detail"]
    assert refs_of(container, "acme", wid) == refs
    after = client.get(versions_url(wid, 1), headers=editor).json()
    assert (after["status"], after["is_current"], after["lock_version"]) == ("draft", False, 1)


def test_an_invalid_config_is_refused_with_its_pointer(client: TestClient, auth: Any) -> None:
    editor = auth("workflows:edit")
    wid = create_workflow_via_api(client, editor)["id"]
    post_publish(client, editor, wid, 1)
    draft = post_version(client, editor, wid, definition=without_duration())
    assert draft["version_number"] == 2
    problem = assert_problem(
        client.post(versions_url(wid, 2, "publish"), headers=editor), 422, "definition-incomplete"
    )
    assert [(p["pointer"], p["action_id"]) for p in problem["problems"]] == [
        ("/actions/1/config/duration", "wait-1d")
    ]
    assert "ISO-8601" in problem["problems"][0]["message"]
    current = client.get(f"{API}/{wid}", headers=editor).json()["current_version_id"]
    assert current == client.get(versions_url(wid, 1), headers=editor).json()["id"]


def test_the_review_shows_what_publishing_would_refuse(client: TestClient, auth: Any) -> None:
    editor, admin = auth("workflows:edit"), auth("workflows:admin", user="root")
    wid = create_workflow_via_api(client, editor, definition=without_duration())["id"]
    assert client.patch(f"{API}/{wid}", json={"required_approvals": 1}, headers=admin).status_code == 200
    review = client.post(versions_url(wid, 1, "reviews"), headers=editor)
    assert review.status_code == 201, review.text
    approved = client.post(
        f"{API}/{wid}/reviews/{review.json()['id']}/verdicts",
        json={"verdict": "approve"},
        headers=auth("workflows:edit", user="bob"),
    )
    state = approved.json()["state"]
    assert state["missing"] == []
    assert state["publishable"] is False
    assert [(p["pointer"], p["action_id"]) for p in state["problems"]] == [
        ("/actions/1/config/duration", "wait-1d")
    ]
    refused = assert_problem(
        client.post(versions_url(wid, 1, "publish"), headers=editor), 422, "definition-incomplete"
    )
    assert refused["problems"] == state["problems"]


@pytest.fixture
def fax_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "action-types"
    folder.mkdir()
    (folder / "send_fax.json").write_text(json.dumps(FAX), encoding="utf-8")
    return folder


@pytest.fixture
def fax_client(settings: Settings, fax_folder: Path) -> Iterator[TestClient]:
    """The service of ``client``, on the same database and data, with the operator's types."""
    built = open_container(
        Settings(**{**settings.model_dump(), "action_types_dir": fax_folder}, _env_file=None)
    )
    with TestClient(create_app(container=built)) as test_client:
        yield test_client
    built.close()


def test_an_operator_type_publishes(fax_client: TestClient, auth: Any) -> None:
    editor = auth("workflows:edit")
    wid = create_workflow_via_api(fax_client, editor, definition=with_fax(None))["id"]
    problem = assert_problem(
        fax_client.post(versions_url(wid, 1, "publish"), headers=editor), 422, "definition-incomplete"
    )
    assert [(p["pointer"], p["message"]) for p in problem["problems"]] == [
        ("/actions/3/config/number", "send_fax needs number: a fax number")
    ]
    post_version(fax_client, editor, wid, from_version=1, definition=with_fax())
    published = post_publish(fax_client, editor, wid, 2)
    assert (published["status"], published["is_current"]) == ("active", True)


def test_a_rollback_is_not_blocked_by_a_catalogue_change(
    fax_client: TestClient, client: TestClient, auth: Any
) -> None:
    """v1 published with the operator's send_fax; the folder gone (``client`` has only
    the shipped types), a new fax is refused but the rollback to v1 goes through."""
    editor, admin = auth("workflows:edit"), auth("workflows:admin", user="root")
    wid = create_workflow_via_api(fax_client, editor, definition=with_fax())["id"]
    post_publish(fax_client, editor, wid, 1)
    post_version(client, editor, wid, definition=example("welcome-small"))
    post_publish(client, editor, wid, 2)
    post_version(client, editor, wid, definition=with_fax("+449999999"))
    assert_problem(client.post(versions_url(wid, 3, "publish"), headers=editor), 422, "definition-incomplete")
    rolled = client.post(versions_url(wid, 1, "rollback"), headers=admin)
    assert rolled.status_code in (200, 201), rolled.text
    assert rolled.json()["is_current"] is True
    assert rolled.json()["definition"]["actions"][3]["type"] == "send_fax"


def test_a_bad_schema_file_refuses_the_settings_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "types"
    folder.mkdir()
    (folder / "send_fax.json").write_text('{"type": "fax"}', encoding="utf-8")
    monkeypatch.setenv("WFV_ACTION_TYPES_DIR", str(folder))
    with pytest.raises(ValidationError) as refused:
        Settings(data_dir=tmp_path / "data", _env_file=None)
    assert str(folder / "send_fax.json") in str(refused.value)
    monkeypatch.setenv("WFV_ACTION_TYPES_DIR", str(tmp_path / "absent"))
    with pytest.raises(ValidationError, match="not a folder"):
        Settings(data_dir=tmp_path / "data", _env_file=None)


def test_wfv_serve_refuses_to_start_with_a_bad_schema_file(tmp_path: Path) -> None:
    folder = tmp_path / "types"
    folder.mkdir()
    (folder / "send_fax.json").write_text('{"required": "number"}', encoding="utf-8")
    env = wfv_env(tmp_path / "data", WFV_ACTION_TYPES_DIR=str(folder), WFV_QUEUE="memory")
    done = subprocess.run(
        [WFV, "serve", "--port", "9"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr
    assert str(folder / "send_fax.json") in done.stderr
    assert "not a valid JSON Schema" in done.stderr
    assert "Traceback" not in done.stderr


SHIPPED = Path(__file__).parents[2] / "schemas" / "action_types"


def test_the_catalogue_lists_each_type_with_its_schema(client: TestClient, auth: Any) -> None:
    answer = client.get("/api/v1/action-types", headers=auth("workflows:read"))
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert [item["name"] for item in items] == sorted(path.stem for path in SHIPPED.glob("*.json"))
    email = next(item for item in items if item["name"] == "send_email")
    schema = json.loads((SHIPPED / "send_email.json").read_text(encoding="utf-8"))
    assert email == {
        "name": "send_email",
        "title": schema["title"],
        "description": "Sends an email made from a template of the CRM.",
        "config_schema": schema,
    }
    assert_problem(client.get("/api/v1/action-types"), 401, "unauthorized")


def test_the_operators_types_are_listed_to_every_tenant(fax_client: TestClient, auth: Any) -> None:
    """One catalogue per process: every tenant's readers see the same list."""
    answers = [
        fax_client.get("/api/v1/action-types", headers=auth("workflows:read", org=org)).json()
        for org in ("acme", "globex")
    ]
    assert answers[0] == answers[1]
    fax = next(item for item in answers[0]["items"] if item["name"] == "send_fax")
    assert fax == {"name": "send_fax", "title": "send_fax", "description": None, "config_schema": FAX}
