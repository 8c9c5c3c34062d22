"""The core benchmark's floor (``bench/floor.py``) writes what it says it writes: versions
the service itself reads back as its own (document, commit, branch, watermark, audit
entry), with no healing, so the floor's figures measure a real version write. On
PostgreSQL there is no floor: it is SQLite's standard library driver."""

from pygit2 import Commit, Repository

from bench import core
from schemas.history import WATERMARK_REF, draft_ref
from service.container import Container
from service.healing.reconcile import needs_healing
from service.versions import editing, workflows
from tests.factories import principal

ALICE = principal()


def test_the_floor_writes_versions_the_service_reads_as_its_own(container: Container) -> None:
    floor = core.the_floor(container)
    if not container.settings.resolved_database_url.startswith("sqlite"):
        assert floor is None
        return
    assert floor is not None
    docs = core.documents(3)
    for doc in docs:
        floor.write(doc)
    floor.close()
    with container.uow(ALICE.tenant_id) as uow:
        (workflow,) = workflows.list_workflows(uow=uow, principal=ALICE, limit=10, cursor=None)[0]
        assert workflow.name == "floor"
        assert workflow.last_version_number == 4
        assert not needs_healing(uow, workflow)  # git's watermark is the row's
        repo = Repository(str(uow.repo(workflow.id).path))
        for number, doc in enumerate(docs, start=2):
            version = editing.get_version(uow=uow, principal=ALICE, workflow_id=workflow.id, ref=number)
            assert version.definition == doc
            assert version.status == "draft"
            assert str(repo.references[draft_ref(number)].target) == version.commit_sha
            commit = repo[version.commit_sha]
            assert isinstance(commit, Commit)
            assert str(commit.tree_id) == version.tree_sha
        assert str(repo.references[WATERMARK_REF].target) == workflow.git_head == version.commit_sha
        entries, _ = workflows.audit_page(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            version_id=None,
            action="create",
            limit=10,
            cursor=None,
        )
    assert sorted(entry.details["version_number"] for entry in entries) == [2, 3, 4]
