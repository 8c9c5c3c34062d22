"""The retention state file on a bare repository: written canonically, read back exactly,
and refused when it is not what wfv writes."""

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pygit2
import pytest

from repo_store.state import StateInvalid, read_states, write_state_commit
from repo_store.store import WorkflowRepo
from schemas.state import LegalHold, VersionState

WHEN = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def repo(tmp_path: Path) -> WorkflowRepo:
    path = tmp_path / "w.git"
    return WorkflowRepo(path, pygit2.init_repository(str(path), bare=True, initial_head="main"))


def _state(number: int, **values: object) -> VersionState:
    return VersionState.model_validate({"number": number, "version_id": uuid.uuid4(), **values})


def test_states_round_trip_and_an_unchanged_tree_writes_nothing(repo: WorkflowRepo) -> None:
    east = timezone(timedelta(hours=5))
    hold = LegalHold(reason="a\n---\nX: y ✓", by="alice", at=WHEN.astimezone(east))
    states = {2: _state(2, archived_at=WHEN), 10: _state(10, legal_hold=hold)}
    first = write_state_commit(repo, parent=None, changes=states, message="m", when=WHEN)
    assert first is not None
    read = read_states(repo, first[0])
    assert read == states
    held = read[10].legal_hold
    assert held is not None
    assert held.at is not None
    assert held.at.utcoffset() == timedelta(0)  # kept in UTC, the same instant
    assert write_state_commit(repo, parent=first[0], changes=states, message="m", when=WHEN) is None
    cleared = {
        2: _state(2, version_id=states[2].version_id),
        10: _state(10, version_id=states[10].version_id),
    }
    second = write_state_commit(repo, parent=first[0], changes=cleared, message="m", when=WHEN)
    assert second is not None
    assert second[1] == "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # nothing left: the empty tree
    assert read_states(repo, second[0]) == {}


_AT = "2026-12-02T12:00:00Z"


@pytest.mark.parametrize(
    "versions",
    [
        [{"number": 2, "archived_at": _AT}, {"number": 1, "archived_at": _AT}],  # out of order
        [{"number": 1, "archived_at": _AT}, {"number": 1, "unarchived_at": _AT}],  # twice
        [{"number": 1, "archived_at": None}],  # an entry with no state
        [{"number": 1, "archived_at": "2026-12-02T12:00:00"}],  # no offset
        [{"number": 1, "archived_at": _AT, "status": "active"}],  # a field wfv does not write
    ],
)
def test_a_state_file_wfv_would_not_write_is_refused(
    repo: WorkflowRepo, versions: list[dict[str, object]]
) -> None:
    for entry in versions:
        entry["version_id"] = str(uuid.uuid4())
    blob = repo.repo.create_blob(json.dumps({"versions": versions}).encode())
    builder = repo.repo.TreeBuilder()
    builder.insert("state.json", blob, pygit2.GIT_FILEMODE_BLOB)
    signature = pygit2.Signature("m", "m@x", 0, 0)
    commit = repo.repo.create_commit(None, signature, signature, "m", builder.write(), [])
    with pytest.raises(StateInvalid, match="not a valid state"):
        read_states(repo, str(commit))
