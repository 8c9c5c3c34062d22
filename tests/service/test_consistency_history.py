"""``wfv check`` compares every version row with what its commits say (who created it,
whether it was deleted or published and by whom, its lock version), not only where the
refs point: a row that disagrees with git is a problem even when every ref is in place."""

from datetime import UTC, datetime

from service.container import Container
from service.healing.check import check_consistency
from service.versions import editing as versions
from tests.factories import principal, published_history, tamper_version


def test_every_row_that_disagrees_with_its_commits_is_reported(container: Container) -> None:
    workflow_id = published_history(container, 2, drafts=2)[0]
    with container.uow("acme", write=True) as uow:
        versions.delete_version(
            uow=uow,
            principal=principal(),
            workflow_id=workflow_id,
            ref=4,
            expected_lock=None,
        )
        uow.commit()
    assert check_consistency(container).problems == []

    tamper_version(container, workflow_id, 1, created_by="ceo")
    tamper_version(
        container, workflow_id, 2, published_by="mallory", published_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    tamper_version(container, workflow_id, 3, lock_version=7)
    tamper_version(container, workflow_id, 4, deleted_at=None)

    report = check_consistency(container)

    found = sorted(
        (p.version_number, p.detail.split(" is ")[0]) for p in report.problems if p.kind == "history-mismatch"
    )
    assert found == [
        (1, "v1's created_by"),
        (2, "v2's published_at"),
        (2, "v2's published_by"),
        (3, "v3's lock_version"),
        (4, "v4's deleted_at"),
    ]
    assert not report.ok
    detail = next(p.detail for p in report.problems if p.detail.startswith("v1's created_by"))
    assert detail == "v1's created_by is 'ceo', git says 'alice'"
