"""Plain factory functions for tests and benchmarks."""

import copy
import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from sqlalchemy import delete, func, select, text, update

from indexer.db import make_engine
from indexer.models import (
    AuditEntry,
    Execution,
    MigrationItem,
    ReviewEvent,
    VersionMigration,
    Workflow,
    WorkflowVersion,
)
from service.auth import Permission, Principal
from service.container import Container

EXAMPLES = Path(__file__).parent / "examples"


def example(name: str) -> dict[str, Any]:
    """A document from the shared contract examples (``welcome-small``, ``nurture-50``...)."""
    loaded: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def principal(
    user: str = "alice", org: str = "acme", permissions: tuple[Permission, ...] = tuple(Permission)
) -> Principal:
    return Principal(user, org, frozenset(permissions), user, f"{user}@example.test")


def renamed(document: dict[str, Any], suffix: str) -> dict[str, Any]:
    """A copy of ``document`` whose first action's name differs: a real, small edit."""
    changed = copy.deepcopy(document)
    changed["actions"][0]["name"] = f"{changed['actions'][0].get('name', 'step')} {suffix}"
    return changed


# --- helpers for the REST and git tests (appended) ---------------------------------

PROBLEM_JSON = "application/problem+json"


def create_workflow_via_api(
    client: Any, headers: dict[str, str], name: str = "Welcome", definition: dict[str, Any] | None = None
) -> dict[str, Any]:
    """POST /api/v1/workflows; asserts 201 and returns the body (``id``, ``version``...)."""
    body = {"name": name, "definition": definition if definition is not None else example("welcome-small")}
    response = client.post("/api/v1/workflows", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def assert_problem(response: Any, status: int, slug: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with ``status`` (and type ``/problems/<slug>``)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    if slug is not None:
        assert body["type"] == f"/problems/{slug}"
    return body


def git_cli(path: Path, *args: str) -> str:
    """Run the real ``git`` on ``path`` (a bare repository) and return its stdout."""
    import subprocess

    done = subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


API = "/api/v1/workflows"


def versions_url(workflow_id: object, *parts: object) -> str:
    """``/api/v1/workflows/<id>/versions[/<part>...]``."""
    return "/".join([f"{API}/{workflow_id}/versions", *(str(p) for p in parts)])


def post_version(client: Any, headers: dict[str, str], workflow_id: str, **body: Any) -> dict[str, Any]:
    """POST a new version (``from_version``, ``definition``, ``message``); asserts 201."""
    response = client.post(versions_url(workflow_id), json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def post_publish(client: Any, headers: dict[str, str], workflow_id: str, ref: object) -> dict[str, Any]:
    """Publish version ``ref``; asserts 200."""
    response = client.post(versions_url(workflow_id, ref, "publish"), headers=headers)
    assert response.status_code == 200, response.text
    published: dict[str, Any] = response.json()
    return published


def get_versions(client: Any, headers: dict[str, str], workflow_id: str, **params: Any) -> dict[str, Any]:
    """One page of GET .../versions; asserts 200."""
    response = client.get(versions_url(workflow_id), params=params, headers=headers)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def place_contacts(
    container: Any,
    tenant: str,
    workflow_id: str,
    version_id: str,
    positions: dict[str, int],
    status: str = "waiting",
) -> None:
    """Execution rows: ``positions`` maps an action id to how many contacts sit there."""
    import uuid

    from indexer.models import Execution

    now = datetime.now(UTC)
    with container.uow(tenant, write=True) as uow:
        for action, count in positions.items():
            for n in range(count):
                uow.session.add(
                    Execution(
                        id=uuid.uuid4(),
                        tenant_id=tenant,
                        workflow_id=uuid.UUID(workflow_id),
                        version_id=uuid.UUID(version_id),
                        contact_id=f"{version_id[:8]}-{action}-{n}-{status}",
                        current_action_id=action,
                        status=status,
                        enrolled_at=now,
                        updated_at=now,
                    )
                )
        uow.commit()


def published_pair(container: Any, first: dict[str, Any], second: dict[str, Any]) -> tuple[Any, Any, Any]:
    """A workflow whose v1 (``first``) and v2 (``second``) are both published; returns
    (workflow id, v1 id, v2 id)."""
    workflow_id, v1, v2 = published_history(container, 2, documents=[first, second])
    return workflow_id, v1, v2


def count_executions(uow: Any, *where: Any) -> int:
    """How many execution rows match (through the unit's tenant-scoped session)."""
    from sqlalchemy import func, select

    from indexer.models import Execution

    found: int = uow.session.scalar(select(func.count()).select_from(Execution).where(*where))
    return found


def published_history(
    container: Any,
    count: int,
    *,
    org: str = "acme",
    drafts: int = 0,
    documents: list[dict[str, Any]] | None = None,
    name: str = "History",
) -> list[Any]:
    """A workflow with ``count`` published versions (the last one current), then ``drafts``
    drafts, through the use cases in one unit of work (a thousand versions take seconds);
    version N is ``documents[N-1]``, else welcome-small renamed. Returns [workflow id, v1
    id, v2 id, ...]."""
    from schemas.workflow import WorkflowDefinition
    from service.versions import editing as versions
    from service.versions import publishing, workflows

    owner = principal(org=org)
    document = example("welcome-small")

    def content(number: int) -> WorkflowDefinition:
        if documents is not None:
            return WorkflowDefinition.model_validate(documents[number - 1])
        return WorkflowDefinition.model_validate(document if number == 1 else renamed(document, f"v{number}"))

    with container.uow(owner.tenant_id, write=True) as uow:
        workflow, first = workflows.create_workflow(
            uow=uow, principal=owner, name=name, definition=content(1)
        )
        ids = [first.id]
        for number in range(1, count + drafts + 1):
            if number > 1:
                made = versions.create_version(
                    uow=uow, principal=owner, workflow_id=workflow.id, definition=content(number)
                )
                ids.append(made.id)
            if number <= count:
                publishing.publish_version(
                    uow=uow,
                    principal=owner,
                    workflow_id=workflow.id,
                    ref=number,
                    expected_lock=None,
                )
        uow.commit()
        return [workflow.id, *ids]


def waiting_contacts(
    container: Any, workflow_id: Any, version_id: Any, count: int, *, org: str = "acme"
) -> None:
    """``count`` contacts waiting on ``version_id``, spread over welcome-small's actions;
    inserted in bulk (ten thousand in about a second)."""
    import uuid

    from sqlalchemy import insert

    from indexer.models import Execution

    now = datetime.now(UTC)
    rows = [
        {
            "id": uuid.uuid4(),
            "tenant_id": org,
            "workflow_id": workflow_id,
            "version_id": version_id,
            "contact_id": f"c-{i}",
            "current_action_id": ("welcome", "wait-1d", "tips")[i % 3],
            "status": "waiting",
            "enrolled_at": now,
            "updated_at": now,
        }
        for i in range(count)
    ]
    with container.uow(org, write=True) as uow:
        for start in range(0, count, 5000):
            uow.session.execute(insert(Execution), rows[start : start + 5000])
        uow.commit()


def migration_ready(container: Any, contacts: int, *, org: str = "acme") -> tuple[Any, Any]:
    """v1 and v2 published (welcome-small, welcome-small-a) with ``contacts`` waiting on v1,
    ready to be migrated to v2; returns (workflow id, v1 id)."""
    workflow_id, v1, _ = published_history(
        container, 2, org=org, documents=[example("welcome-small"), example("welcome-small-a")]
    )
    waiting_contacts(container, workflow_id, v1, contacts, org=org)
    return workflow_id, v1


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """The service's one clock (``service.clock``) reads ``moment`` meanwhile: a history
    made "long ago" is long ago in git and in the index alike."""

    class _Then:
        """What ``service.clock`` calls ``datetime``: its ``now`` gives a plain datetime
        (not a subclass of it: sqlite3 binds none, and migration batches bind the clock)."""

        @staticmethod
        def now(tz: Any = None) -> datetime:
            return datetime.fromtimestamp(moment.timestamp(), tz)

    with patch("service.clock.datetime", _Then):
        yield


def published_long_ago(container: Any, *, org: str = "acme", versions: int = 3, days: int = 120) -> Any:
    """A workflow whose ``versions`` published versions were all published ``days`` ago, so
    the retention policy may archive all but the newest it keeps; returns its id."""
    with clock_at(datetime.now(UTC) - timedelta(days=days)):
        return published_history(container, versions, org=org)[0]


def within_one_window(seconds: float, needed: float) -> None:
    """Wait, if need be, until the wall clock's current ``seconds``-long window (counted
    from the epoch, as tenant budgets counted in process are: ``limits``' memory storage)
    has ``needed`` seconds left. A sliding window counter frees part of the last window's
    count the moment a new one starts, so a budget spent across a boundary lets one
    request more through than the test counts on."""
    left = seconds - time.time() % seconds
    if left < needed:
        time.sleep(left + 0.05)


def index_snapshot(container: Container, tenant: str = "acme", workflow_id: Any = None) -> dict[str, Any]:
    """Every version and workflow row of a tenant (or of one workflow), column by column
    (``updated_at`` aside: git does not keep it), to compare an index with one rebuilt from git."""
    versions = select(WorkflowVersion).order_by(WorkflowVersion.workflow_id, WorkflowVersion.version_number)
    flows = select(Workflow).order_by(Workflow.id)
    if workflow_id is not None:
        versions = versions.where(WorkflowVersion.workflow_id == workflow_id)
        flows = flows.where(Workflow.id == workflow_id)
    with container.uow(tenant) as uow:
        columns = [c.key for c in WorkflowVersion.__table__.columns]
        wf_columns = [c.key for c in Workflow.__table__.columns if c.key != "updated_at"]
        return {
            "versions": [
                {name: getattr(row, name) for name in columns} for row in uow.session.scalars(versions)
            ],
            "workflows": [
                {name: getattr(row, name) for name in wf_columns} for row in uow.session.scalars(flows)
            ],
        }


def empty_index(container: Container, tenant: str = "acme") -> None:
    """Drop a tenant's version and workflow rows, as a database lost and restored empty.
    Run as the schema owner: the service role may not delete either (migration 0009), and
    the append-only rows that keep them go first (nothing cascades into those)."""
    engine = make_engine(container.settings.resolved_migration_url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": tenant})
            for model in (ReviewEvent, MigrationItem, VersionMigration, Execution, WorkflowVersion, Workflow):
                conn.execute(delete(model).where(model.tenant_id == tenant))
    finally:
        engine.dispose()


def workflow_with_history(client: Any, auth: Any, org: str = "acme") -> str:
    """A workflow whose history is in every append-only table, and nothing in flight: a
    review with a comment, a manual migration that left a failed item (``c-0`` sat on an
    action v2 lacks), audit entries of each step; every contact then exited."""
    admin = auth("workflows:admin", org=org)
    wid = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
    post_publish(client, admin, wid, 1)
    executions = f"/api/v1/workflows/{wid}/executions"
    client.post(executions, json={"contact_ids": ["c-0", "c-1"]}, headers=admin)
    moved = [{"contact_id": "c-0", "action_id": "reminder", "status": "waiting"}]
    assert client.post(f"{executions}/positions", json={"moves": moved}, headers=admin).status_code == 200
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    review = client.post(versions_url(wid, 2, "reviews"), json={"title": "b"}, headers=admin).json()
    comment = {"body": "fine", "action_id": "welcome"}
    comments = f"/api/v1/workflows/{wid}/reviews/{review['id']}/comments"
    assert client.post(comments, json=comment, headers=admin).status_code == 201
    post_publish(client, admin, wid, 2)
    manual = {"from_versions": [1], "strategy": "manual", "contact_ids": ["c-0"]}
    assert client.post(versions_url(wid, 2, "migrate"), json=manual, headers=admin).status_code == 202
    exited = [{"contact_id": c, "status": "exited"} for c in ("c-0", "c-1")]
    assert client.post(f"{executions}/positions", json={"moves": exited}, headers=admin).status_code == 200
    return str(wid)


def history_counts(container: Container, workflow_id: Any, tenant: str = "acme") -> dict[str, int]:
    """Rows of each append-only table for one workflow, as the service role sees them."""
    wid = uuid.UUID(str(workflow_id))
    with container.uow(tenant) as uow:
        counted = {
            model.__tablename__: uow.session.scalar(
                select(func.count()).select_from(model).where(model.workflow_id == wid)
            )
            for model in (AuditEntry, ReviewEvent, MigrationItem)
        }
    return {name: int(count or 0) for name, count in counted.items()}


def tamper_version(
    container: Container, workflow_id: Any, number: int, *, org: str = "acme", **values: object
) -> None:
    """Change one version row in SQL alone, behind git's back (an operator's UPDATE, or an
    index older than what git now keeps)."""
    with container.uow(org, write=True) as uow:
        uow.session.execute(
            update(WorkflowVersion)
            .where(WorkflowVersion.workflow_id == workflow_id, WorkflowVersion.version_number == number)
            .values(**values)
        )
        uow.commit()


def the_migration(container: Container, org: str = "acme") -> VersionMigration:
    """The tenant's one migration as the index holds it now."""
    with container.uow(org) as uow:
        return uow.session.scalars(select(VersionMigration)).one()


def wait_for_migration(
    container: Container, done: Callable[[VersionMigration], bool], seconds: float
) -> VersionMigration:
    """Poll the tenant's one migration until ``done`` or ``seconds`` pass; its last state."""
    deadline = time.monotonic() + seconds
    while True:
        state = the_migration(container)
        if done(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.05)
