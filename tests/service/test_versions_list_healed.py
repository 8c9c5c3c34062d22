"""The versions list when its workflow is healed in the middle of the request.

The route lists the rows, then counts their executions (and their drain); the counts look the workflow up
again, and when git got ahead meanwhile (another process died between its ref move and its
commit) that lookup heals the index and rolls the reader's transaction back, which expires
every row already listed. Answered from rows read after that, each is loaded again: one
more query per row, and when the database has just gone away (the chaos run's PostgreSQL
restart) the failure surfaces inside the response model as a 500, not a 503. The rows are
read into the answer before the counts, so nothing is loaded twice."""

import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from service.container import Container
from service.executions import draining
from service.versions import editing
from tests.factories import API, principal, published_history


def test_rows_listed_before_a_heal_are_not_read_again(
    client: TestClient, container: Container, auth: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow_id, *_ = published_history(container, 2, drafts=1)
    statements: list[str] = []
    healed: list[int] = []
    real_counts = draining.of_listed

    def counts_after_a_crash(
        *, versions: Sequence[draining.Shown], **kw: Any
    ) -> dict[uuid.UUID, draining.Drained]:
        # Another writer moves the refs (a new draft) and dies before its commit.
        with container.uow("acme", write=True) as other:
            made = editing.create_version(uow=other, principal=principal(), workflow_id=workflow_id)
            healed.append(made.version_number)
            other._undo.clear()
        found = real_counts(versions=versions, **kw)  # heals: git is ahead
        event.listen(container.engine, "before_cursor_execute", record)
        return found

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    monkeypatch.setattr(draining, "of_listed", counts_after_a_crash)
    try:
        response = client.get(f"{API}/{workflow_id}/versions", headers=auth("workflows:read"))
    finally:
        if event.contains(container.engine, "before_cursor_execute", record):
            event.remove(container.engine, "before_cursor_execute", record)

    assert response.status_code == 200, response.text
    assert [item["version_number"] for item in response.json()["items"]] == [3, 2, 1]
    assert healed == [4]
    assert [s for s in statements if "workflow_versions" in s] == []
    again = client.get(f"{API}/{workflow_id}/versions", headers=auth("workflows:read"))
    assert [item["version_number"] for item in again.json()["items"]] == [4, 3, 2, 1]  # healed
