"""Database draft saves by group commit (``service.drafts.batches.write_save_batch``): many saves
in one transaction, each with its own answer, on both databases."""

import threading
import uuid
from typing import Any

import pytest

from indexer import drafts as rows
from schemas.drafts import DraftSave
from schemas.workflow import WorkflowDefinition
from service.auth import Principal
from service.container import Container
from service.drafts import autosave as drafts
from service.drafts.batches import DatabaseSave, database_writer, write_save_batch
from service.drafts.common import DraftNotFound, SavedDraft
from service.drafts.plan import DraftBaseUnknown
from service.errors import VersionNotFound
from service.versions.workflows import create_workflow
from tests.factories import example, principal, renamed
from tests.service.test_drafts_api import named

BASE = example("welcome-small")


def _workflow(container: Container) -> uuid.UUID:
    owner = principal("owner")
    with container.uow(owner.tenant_id, write=True) as uow:
        workflow, _ = create_workflow(
            uow=uow, principal=owner, name="w", definition=WorkflowDefinition.model_validate(BASE)
        )
        uow.commit()
    return workflow.id


def _save(user: Principal, workflow_id: uuid.UUID, ref: int = 1, **body: Any) -> DatabaseSave:
    return DatabaseSave(user, workflow_id, ref, DraftSave.model_validate(body))


def _restored(container: Container, user: Principal, workflow_id: uuid.UUID) -> tuple[int, dict[str, Any]]:
    with container.uow(user.tenant_id) as uow:
        found = drafts.restore_draft(uow=uow, principal=user, workflow_id=workflow_id, ref=1)
    return found.revision, found.definition


def test_a_refused_save_leaves_the_rest_of_its_batch_alone(container: Container) -> None:
    workflow_id = _workflow(container)
    alice, bob, carol = principal("alice"), principal("bob"), principal("carol")
    outcomes = write_save_batch(
        container,
        [
            _save(alice, workflow_id, definition=named(BASE, "welcome", "A"), revision=0),
            _save(bob, workflow_id, ref=9, definition=BASE, revision=0),  # no such version
            _save(carol, workflow_id, patch={"name": "x"}, revision=4),  # a base it never had
            _save(bob, workflow_id, definition=named(BASE, "welcome", "B"), revision=0),
        ],
    )
    assert isinstance(outcomes[0], tuple)
    assert outcomes[0][1].revision == 1
    assert isinstance(outcomes[1], VersionNotFound)
    assert isinstance(outcomes[2], DraftBaseUnknown)
    assert isinstance(outcomes[3], tuple)
    assert outcomes[3][1].revision == 1
    assert _restored(container, alice, workflow_id) == (1, named(BASE, "welcome", "A"))
    assert _restored(container, bob, workflow_id) == (1, named(BASE, "welcome", "B"))
    with container.uow("acme") as uow:
        with pytest.raises(DraftNotFound):
            drafts.restore_draft(uow=uow, principal=carol, workflow_id=workflow_id, ref=1)


def test_two_tabs_in_one_batch_merge_as_one_after_the_other(container: Container) -> None:
    workflow_id = _workflow(container)
    alice = principal("alice")
    first = write_save_batch(container, [_save(alice, workflow_id, definition=BASE, revision=0)])
    assert isinstance(first[0], tuple)
    one_tab = named(BASE, "welcome", "From tab one")
    other_tab = {**BASE, "settings": {**BASE["settings"], "timezone": "Europe/Paris"}}
    outcomes = write_save_batch(
        container,
        [
            _save(alice, workflow_id, definition=one_tab, revision=1),
            _save(alice, workflow_id, definition=other_tab, revision=1),  # the same base: merged
        ],
    )
    answers = [outcome[1] for outcome in outcomes if isinstance(outcome, tuple)]
    assert [(answer.revision, answer.merged is not None) for answer in answers] == [(2, False), (3, True)]
    both = {**one_tab, "settings": other_tab["settings"]}
    assert answers[1].merged == both
    assert _restored(container, alice, workflow_id) == (3, both)


def test_concurrent_saves_share_transactions_and_each_is_answered_once_durable(container: Container) -> None:
    """32 users saving from 32 threads at once: fewer batches than saves, every answer a
    revision that is then in the database, every user's last save restored."""
    workflow_id = _workflow(container)
    users = [principal(f"user-{n}") for n in range(32)]
    answers: dict[str, list[SavedDraft]] = {user.user_id: [] for user in users}
    failures: list[BaseException] = []
    start = threading.Barrier(len(users))

    def edit(user: Principal) -> None:
        start.wait()
        revision = 0
        try:
            for turn in range(5):
                change = DraftSave(revision=revision, definition=renamed(BASE, f"{user.user_id} {turn}"))
                answer = drafts.save_draft(
                    container=container, principal=user, workflow_id=workflow_id, ref=1, change=change
                )
                answers[user.user_id].append(answer)
                revision = answer.revision
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=edit, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    writer = database_writer(container)
    assert writer.items_written == 32 * 5
    assert writer.batches_written < writer.items_written
    for user in users:
        assert [answer.revision for answer in answers[user.user_id]] == [1, 2, 3, 4, 5]
        assert _restored(container, user, workflow_id) == (5, renamed(BASE, f"{user.user_id} 4"))
    with container.uow("acme") as uow:
        version_id = rows.find_target(uow.session, "acme", workflow_id, 1)
        assert version_id is not None
        keys = [rows.DraftKey("acme", workflow_id, version_id.version_id, user.user_id) for user in users]
        stored = rows.get_drafts(uow.session, keys)
        # Revision 0 (the version) and the five saves: all six kept.
        assert {sorted(row.tokens) == [0, 1, 2, 3, 4, 5] for row in stored.values()} == {True}


@pytest.mark.postgres
def test_a_database_error_fails_one_save_not_its_batch(container: Container) -> None:
    """A user id too long for its column makes PostgreSQL refuse the statement (and the
    transaction with it): the batch is written again save by save, and only that one fails."""
    if container.engine.dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce column lengths")
    workflow_id = _workflow(container)
    alice, bob, too_long = principal("alice"), principal("bob"), principal("x" * 300)
    outcomes = write_save_batch(
        container,
        [
            _save(alice, workflow_id, definition=named(BASE, "welcome", "A"), revision=0),
            _save(too_long, workflow_id, definition=BASE, revision=0),
            _save(bob, workflow_id, definition=named(BASE, "welcome", "B"), revision=0),
        ],
    )
    assert isinstance(outcomes[0], tuple)
    assert isinstance(outcomes[2], tuple)
    assert isinstance(outcomes[1], Exception)
    assert not isinstance(outcomes[1], tuple)
    assert "too long" in str(outcomes[1])
    assert _restored(container, alice, workflow_id) == (1, named(BASE, "welcome", "A"))
    assert _restored(container, bob, workflow_id) == (1, named(BASE, "welcome", "B"))
