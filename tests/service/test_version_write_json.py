"""A version write serialises its document once, never through the standard library's
pure-Python encoder (what an indented ``json.dumps`` runs: it was a fifth of a creation),
and the bytes in git are the canonical form. Real database (both), real git."""

import json
from typing import Any

import pytest

import schemas.canonical
from schemas.canonical import reference_json
from schemas.history import MAIN_REF, draft_ref
from schemas.workflow import WorkflowDefinition
from service.container import Container
from service.versions import editing as versions
from service.versions import publishing, workflows
from tests.factories import example, git_cli, principal

ALICE = principal()


class Calls:
    """What a write serialised: each document given to the canonical encoder, and how
    often the pure-Python encoder was built (once per indented ``json.dumps``)."""

    def __init__(self) -> None:
        self.documents: list[Any] = []
        self.pure_python = 0


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    seen = Calls()
    fast = schemas.canonical.fast_json
    pure = json.encoder._make_iterencode  # type: ignore[attr-defined]

    def counted_fast(document: Any) -> bytes | None:
        seen.documents.append(document)
        return fast(document)

    def counted_pure(*args: Any, **kwargs: Any) -> Any:
        seen.pure_python += 1
        return pure(*args, **kwargs)

    monkeypatch.setattr(schemas.canonical, "fast_json", counted_fast)
    monkeypatch.setattr(json.encoder, "_make_iterencode", counted_pure)
    return seen


def _edited(name: str) -> WorkflowDefinition:
    document = example("nurture-50")
    document["actions"][3]["name"] = name
    return WorkflowDefinition.model_validate(document)


def test_create_edit_and_publish_serialise_once_without_the_pure_python_encoder(
    container: Container, calls: Calls
) -> None:
    with container.uow(ALICE.tenant_id, write=True) as uow:
        workflow, _ = workflows.create_workflow(
            uow=uow, principal=ALICE, name="nurture", definition=_edited("first")
        )
        uow.commit()
    assert len(calls.documents) == 1

    with container.uow(ALICE.tenant_id, write=True) as uow:
        created = versions.create_version(
            uow=uow, principal=ALICE, workflow_id=workflow.id, definition=_edited("second")
        )
        uow.commit()
    assert len(calls.documents) == 2  # the new document, once

    with container.uow(ALICE.tenant_id, write=True) as uow:
        versions.update_version(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            ref=created.version_number,
            definition=_edited("third"),
            expected_lock=1,
        )
        uow.commit()
    assert len(calls.documents) == 4  # the edit once, and the draft it is compared with

    with container.uow(ALICE.tenant_id, write=True) as uow:
        publishing.publish_version(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            ref=created.version_number,
            expected_lock=None,
        )
        uow.commit()
    assert len(calls.documents) == 4  # a publish commits the draft's tree: nothing to serialise
    assert calls.pure_python == 0

    path = container.store.path_for(ALICE.tenant_id, workflow.id)
    stored = (git_cli(path, "show", f"v{created.version_number}:workflow.json") + "\n").encode()
    assert stored == reference_json(_edited("third").document())
    draft = draft_ref(created.version_number)
    published_tree = git_cli(path, "rev-parse", f"{MAIN_REF}^{{tree}}")
    assert published_tree == git_cli(path, "rev-parse", f"{draft}^{{tree}}")
