"""The index database lost under a request: a 503 problem with Retry-After, and the unit of
work's rule for its refs (moved back when the transaction surely failed; left ahead, for
healing, when the connection died during COMMIT and the outcome is unknown)."""

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from indexer.models import Workflow
from schemas.workflow import WorkflowDefinition
from service.api.app import create_app
from service.container import Container, build_container
from service.errors import CommitOutcomeUnknown
from service.healing.scan import reconcile_all
from service.settings import Settings
from service.uow import UnitOfWork
from service.versions import editing as versions
from service.versions import workflows
from tests.conftest import JWT_SECRET, PG_ADMIN_URL, TokenFactory, app_role_url, truncate_tables
from tests.e2e.helpers import free_port
from tests.factories import API, assert_problem, example, principal
from tests.indexer.test_disconnects import cut_after_checkout

ALICE = principal()


def test_an_unreachable_database_is_a_503_problem(tmp_path: Path, auth) -> None:
    nowhere = f"postgresql+psycopg://wfv_app@127.0.0.1:{free_port()}/wfv"
    settings = Settings(
        data_dir=tmp_path, database_url=nowhere, jwt_secret=JWT_SECRET, queue="memory", _env_file=None
    )
    container = build_container(settings)
    with TestClient(create_app(container=container)) as client:
        response = client.get(API, headers=auth("workflows:read"))
    container.close()
    assert_problem(response, 503, "database-unavailable")
    assert response.headers["Retry-After"] == "2"


@pytest.fixture
def pg_container(postgres_url: str, tmp_path: Path) -> Iterator[Container]:
    truncate_tables(postgres_url)
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=app_role_url(postgres_url),
        migration_database_url=postgres_url,
        jwt_secret=JWT_SECRET,
        queue="memory",
        _env_file=None,
    )
    built = build_container(settings)
    yield built
    built.close()


def _workflow(container: Container) -> Workflow:
    with container.uow("acme", write=True) as uow:
        workflow, _ = workflows.create_workflow(
            uow=uow,
            principal=ALICE,
            name="W",
            definition=WorkflowDefinition.model_validate(example("welcome-small")),
        )
        uow.commit()
    return workflow


def _cut(uow: UnitOfWork) -> None:
    """Terminate this unit's server process from another connection, as a crash would."""
    pid = uow.session.execute(text("SELECT pg_backend_pid()")).scalar()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.postgres
def test_a_connection_lost_before_commit_moves_the_refs_back(pg_container: Container) -> None:
    workflow = _workflow(pg_container)
    repo = pg_container.store.open("acme", workflow.id)
    before = repo.refs("refs/")
    with pg_container.uow("acme", write=True) as uow:
        made = versions.create_version(uow=uow, principal=ALICE, workflow_id=workflow.id)
        assert repo.refs("refs/") != before  # git first
        made.created_by = "staged-after-the-refs"  # a row still to flush when the unit commits
        _cut(uow)
        with pytest.raises(OperationalError):
            uow.commit()  # the flush fails before COMMIT
    assert repo.refs("refs/") == before
    assert reconcile_all(pg_container).repositories == 0


@pytest.mark.postgres
def test_a_connection_lost_during_commit_leaves_git_ahead_for_healing(pg_container: Container) -> None:
    workflow = _workflow(pg_container)
    repo = pg_container.store.open("acme", workflow.id)
    with pg_container.uow("acme", write=True) as uow:
        made = versions.create_version(uow=uow, principal=ALICE, workflow_id=workflow.id)
        uow.session.flush()
        _cut(uow)
        with pytest.raises(CommitOutcomeUnknown):
            uow.commit()  # only COMMIT is left, and it cannot say whether it happened
    assert repo.ref_target("refs/heads/drafts/v2") == made.commit_sha  # left ahead, not undone
    healed = reconcile_all(pg_container)
    assert (healed.repositories, healed.versions_changed) == (1, 1)
    with pg_container.uow("acme") as uow:
        assert versions.find_version(uow, workflow, 2).commit_sha == made.commit_sha


@pytest.mark.postgres
def test_a_connection_lost_at_begin_answers_503_and_the_next_request_succeeds(
    pg_container: Container, auth: TokenFactory
) -> None:
    with TestClient(create_app(container=pg_container)) as client:
        assert client.get(API, headers=auth("workflows:read")).status_code == 200
        cut_after_checkout(pg_container.engine)
        lost = client.get(API, headers=auth("workflows:read"))
        assert_problem(lost, 503, "database-unavailable")
        assert lost.headers["Retry-After"] == "2"
        assert client.get(API, headers=auth("workflows:read")).status_code == 200
