"""The version life cycle state machine."""

import pytest

from schemas.status import InvalidTransition, Transition, VersionStatus, apply_transition

ALLOWED = {
    (Transition.PUBLISH, VersionStatus.DRAFT): VersionStatus.ACTIVE,
    (Transition.ARCHIVE, VersionStatus.ACTIVE): VersionStatus.ARCHIVED,
    (Transition.UNARCHIVE, VersionStatus.ARCHIVED): VersionStatus.ACTIVE,
    (Transition.DELETE, VersionStatus.DRAFT): VersionStatus.DRAFT,
    (Transition.EDIT, VersionStatus.DRAFT): VersionStatus.DRAFT,
}
REFUSED = [(t, s) for t in Transition for s in VersionStatus if (t, s) not in ALLOWED]


def test_publish_draft_gives_active() -> None:
    assert apply_transition(Transition.PUBLISH, VersionStatus.DRAFT) is VersionStatus.ACTIVE


def test_archive_active_gives_archived() -> None:
    assert apply_transition(Transition.ARCHIVE, VersionStatus.ACTIVE) is VersionStatus.ARCHIVED


@pytest.mark.parametrize(("transition", "status"), list(ALLOWED))
def test_allowed_transitions(transition: Transition, status: VersionStatus) -> None:
    assert apply_transition(transition, status) == ALLOWED[(transition, status)]


@pytest.mark.parametrize(("transition", "status"), REFUSED, ids=lambda v: str(v))
def test_every_other_transition_is_refused(transition: Transition, status: VersionStatus) -> None:
    with pytest.raises(InvalidTransition) as caught:
        apply_transition(transition, status)
    error = caught.value
    assert error.status_code == 409
    assert error.transition is transition
    assert error.status is status
    message = str(error)
    assert transition.value in message
    assert status.value in message


def test_refused_cases_cover_the_whole_table() -> None:
    assert len(REFUSED) == len(Transition) * len(VersionStatus) - len(ALLOWED) == 10


def test_status_values_are_the_strings_the_api_uses() -> None:
    assert [s.value for s in VersionStatus] == ["draft", "active", "archived"]
    assert VersionStatus("active") is VersionStatus.ACTIVE
    with pytest.raises(ValueError, match="deleted"):
        VersionStatus("deleted")


def test_message_names_the_required_status() -> None:
    with pytest.raises(InvalidTransition, match="only a draft version can be published"):
        apply_transition(Transition.PUBLISH, VersionStatus.ARCHIVED)
    with pytest.raises(InvalidTransition, match="only an active version can be archived"):
        apply_transition(Transition.ARCHIVE, VersionStatus.DRAFT)
    with pytest.raises(InvalidTransition, match="only an archived version can be unarchived"):
        apply_transition(Transition.UNARCHIVE, VersionStatus.ACTIVE)
