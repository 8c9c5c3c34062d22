"""Publishing reads a draft's branch without moving it; a branch moved by hand is refused
all the same: the published version would say one thing and its branch another."""

from typing import Any

from fastapi.testclient import TestClient

from schemas.history import MAIN_REF, draft_ref, tag_ref
from service.container import Container
from tests.factories import assert_problem, git_cli, published_history, versions_url


def test_a_draft_whose_branch_was_moved_by_hand_is_not_published(
    container: Container, client: TestClient, auth: Any
) -> None:
    workflow_id = published_history(container, 1, drafts=1)[0]
    path = container.store.path_for("acme", workflow_id)
    git_cli(path, "update-ref", draft_ref(2), git_cli(path, "rev-parse", f"{draft_ref(1)}"))
    main = git_cli(path, "rev-parse", MAIN_REF)

    refused = client.post(versions_url(workflow_id, 2, "publish"), headers=auth("workflows:edit"))

    body = assert_problem(refused, 409, "ref-moved")
    assert body["refs"][0]["ref"] == draft_ref(2)
    assert git_cli(path, "rev-parse", MAIN_REF) == main
    assert git_cli(path, "for-each-ref", tag_ref(2)) == ""
    assert (
        client.get(versions_url(workflow_id, 2), headers=auth("workflows:read")).json()["status"] == "draft"
    )
