"""Long histories built fast, through the use cases in one unit of work (not over HTTP):
shared by the 1,000-version clone test and ``bench/git_clone.py``."""

import copy

from schemas.workflow import WorkflowDefinition
from service import publishing, versions, workflows
from service.container import Container
from service.errors import StaleLock
from tests.factories import example, principal


def build_history(container: Container, count: int) -> str:
    """``count`` published versions in one unit of work (seconds, not minutes)."""
    alice, base = principal(), example("welcome-small")
    definitions = []
    for number in range(1, count + 1):
        document = copy.deepcopy(base)
        document["actions"][0]["name"] = f"Step {number}"
        definitions.append(WorkflowDefinition.model_validate(document))
    with container.uow("acme", write=True) as uow:
        workflow, _ = workflows.create_workflow(
            uow=uow, principal=alice, name="big", definition=definitions[0]
        )
        for number, definition in enumerate(definitions, start=1):
            if number > 1:
                versions.create_version(
                    uow=uow, principal=alice, workflow_id=workflow.id, definition=definition
                )
            publishing.publish_version(
                uow=uow,
                principal=alice,
                workflow_id=workflow.id,
                ref=number,
                expected_lock=None,
                stale_error=StaleLock,
            )
        uow.commit()
    return str(workflow.id)
