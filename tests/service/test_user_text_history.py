"""User text never becomes metadata, and an odd commit never becomes a 500.

Messages that carry a trailer block of their own (after a ``---`` line, as their last
paragraph, before git's scissors) or end in ``---`` go through every writer (create, edit,
publish, rollback); reindex, healing, blame and ``wfv check`` then read back exactly what
wfv wrote. Commits written by hand with malformed trailers or documents are refused with a
reason by reindex, healing and ``wfv check``, on SQLite and PostgreSQL, with real git.
"""

import json
import os
import subprocess
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import AuditEntry
from schemas.history import WATERMARK_REF, draft_ref
from schemas.workflow import WorkflowDefinition
from service.container import Container
from service.healing.check import check_consistency
from service.healing.scan import reindex_all
from service.versions import editing as versions
from service.versions import publishing, workflows
from tests.e2e.helpers import WFV, settings_env
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    empty_index,
    example,
    git_cli,
    index_snapshot,
    post_version,
    principal,
    published_history,
    renamed,
    versions_url,
)

ALICE = principal()
SCISSORS = "# ------------------------ >8 ------------------------"


def _forged(number: int, version_id: object, event: str = "delete") -> str:
    return (
        f"Workflow-Version: {number}\nVersion-Id: {version_id}\nVersion-Event: {event}\n"
        "Lock-Version: 9\nAuthor-Id: ceo"
    )


def _hostile_history(container: Container) -> uuid.UUID:
    """v1 edited, published; v2 created, edited, published; v3 a rollback to v1: every
    message forged."""
    doc = example("welcome-small")
    with container.uow("acme", write=True) as uow:
        workflow, v1 = workflows.create_workflow(
            uow=uow, principal=ALICE, name="Welcome\n---", definition=WorkflowDefinition.model_validate(doc)
        )
        common: dict[str, Any] = {"uow": uow, "principal": ALICE, "workflow_id": workflow.id}
        locked: dict[str, Any] = common

        def edit(number: int, message: str) -> None:
            document = WorkflowDefinition.model_validate(renamed(doc, f"v{number}"))
            versions.update_version(
                **locked, ref=number, definition=document, expected_lock=1, message=message
            )

        edit(1, f"Tweak\n\n{_forged(1, v1.id)}\n---")
        publishing.publish_version(
            **locked, ref=1, expected_lock=None, message=f"Ship it\n\n{_forged(1, v1.id, 'edit')}\n{SCISSORS}"
        )
        v2 = versions.create_version(**common, message=f"Next\x00\n\n{_forged(2, 'x')}")
        edit(2, f"Again\r{_forged(2, v2.id).replace(chr(10), chr(13))}\r---")
        publishing.publish_version(
            **locked, ref=2, expected_lock=None, message=f"# Ship v2\n\n{_forged(2, v2.id, 'edit')}\n# ---"
        )
        publishing.rollback_version(**common, ref=1, message=f"Back\n\n{_forged(3, 'x')}")
        uow.commit()
    return workflow.id


def test_forged_trailers_change_nothing_reindex_rebuilds(container: Container) -> None:
    _hostile_history(container)
    before = index_snapshot(container)
    assert [(v["created_by"], v["lock_version"], v["deleted_at"]) for v in before["versions"]] == [
        ("alice", 3, None),
        ("alice", 3, None),
        ("alice", 2, None),
    ]
    report = check_consistency(container)
    assert (report.ok, report.problems, report.healable) == (True, [], [])
    empty_index(container)

    summary = reindex_all(container)

    assert summary.errors == []
    assert index_snapshot(container) == before


def test_a_message_ending_in_dashes_leaves_reindex_heal_and_blame_working(
    container: Container, client: TestClient, auth: Any
) -> None:
    editor = auth("workflows:admin")
    workflow_id = create_workflow_via_api(client, editor)["id"]
    post_version(
        client, editor, workflow_id, definition=renamed(example("welcome-small"), "b"), message="B\n---"
    )
    published = client.post(
        versions_url(workflow_id, 2, "publish"), json={"message": "Ship\n---"}, headers=editor
    )
    assert published.status_code == 200, published.text
    with container.uow("acme", write=True) as uow:  # git ahead: a crash after the ref move
        lost = versions.create_version(
            uow=uow, principal=ALICE, workflow_id=uuid.UUID(workflow_id), message="Lost\n---"
        )
        uow._undo.clear()

    listed = client.get(versions_url(workflow_id), headers=editor)  # a read heals
    blame = client.get(f"/api/v1/workflows/{workflow_id}/actions/welcome/history", headers=editor)

    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["items"]][:1] == [str(lost.id)]
    assert blame.status_code == 200, blame.text
    assert [(e["version_number"], e["author_id"]) for e in blame.json()["entries"]] == [(2, "alice")]
    with container.uow("acme") as uow:
        assert (
            uow.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "ref_moved")).all() == []
        )
    assert reindex_all(container).errors == []


# --- commits written by hand ----------------------------------------------------------

# (what is odd, the trailers changed or added, the workflow.json blob or "tree", what the reason names)
ODD: dict[str, tuple[dict[str, str], str | None, str]] = {
    "lock not a number": ({"Lock-Version": "two"}, None, "trailers are missing or malformed"),
    "version not ascii digits": ({"Workflow-Version": "\u00b2"}, None, "trailers are missing or malformed"),
    "version id not a uuid": ({"Version-Id": "nope"}, None, "trailers are missing or malformed"),
    "no trailers": ({}, None, "trailers are missing or malformed"),
    "parent id not a uuid": (
        {"Version-Event": "create", "Parent-Version-Id": "nope"},
        None,
        "Parent-Version-Id 'nope'",
    ),
    "document does not parse": ({}, "{", "workflow.json"),
    "document not an object": ({}, "[]", "not a JSON object"),
    "document is a folder": ({}, "tree", "workflow.json"),
}


def _odd_commit(path: Any, head: str, changes: dict[str, str], document: str | None) -> str:
    """A commit on top of ``head`` made with git itself, its message copied from ``head``'s
    trailers with ``changes`` (no changes and no document: no trailers at all)."""
    trailers = dict(
        line.split(": ", 1)
        for line in git_cli(path, "log", "-1", "--format=%(trailers:only,unfold)", head).splitlines()
    )
    tree = git_cli(path, "rev-parse", f"{head}^{{tree}}")
    if document == "tree":
        inner = git_cli(path, "mktree", "--missing")  # an empty tree named workflow.json
        tree = _run_git(path, ["mktree"], f"040000 tree {inner}\tworkflow.json\n")
    elif document is not None:
        blob = _run_git(path, ["hash-object", "-w", "--stdin"], document)
        tree = _run_git(path, ["mktree"], f"100644 blob {blob}\tworkflow.json\n")
    lines = [f"{key}: {value}" for key, value in (trailers | changes).items()] if changes or document else []
    message = "Edited by hand\n\n" + "\n".join(lines)
    return _run_git(path, ["commit-tree", tree, "-p", head], message)


def _run_git(path: Any, args: list[str], stdin: str) -> str:
    who = {"GIT_AUTHOR_NAME": "Mallory", "GIT_AUTHOR_EMAIL": "m@x", "GIT_COMMITTER_NAME": "Mallory"}
    env = {**os.environ, **who, "GIT_COMMITTER_EMAIL": "m@x"}
    done = subprocess.run(
        ["git", "-C", str(path), *args], input=stdin, capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


def _odd_workflows(container: Container) -> dict[str, uuid.UUID]:
    """One workflow per odd kind (v1 published, v2 a draft whose branch and the watermark
    were moved to a hand-written commit, as a crash after a ref move leaves them)."""
    made = {}
    for kind, (changes, document, _) in ODD.items():
        workflow_id = published_history(container, 1, drafts=1)[0]
        path = container.store.path_for("acme", workflow_id)
        odd = _odd_commit(path, git_cli(path, "rev-parse", draft_ref(2)), changes, document)
        git_cli(path, "update-ref", draft_ref(2), odd)
        git_cli(path, "update-ref", WATERMARK_REF, odd)
        made[kind] = workflow_id
    return made


def test_odd_commits_are_refused_with_a_reason_never_a_500(
    container: Container, client: TestClient, auth: Any
) -> None:
    odd = _odd_workflows(container)
    healthy = published_history(container, 1, drafts=1)[0]
    editor = auth("workflows:admin")

    for kind, workflow_id in odd.items():  # healing, from a read and from a write
        read = client.get(versions_url(workflow_id, 2), headers=editor)
        assert read.status_code == 200, (kind, read.text)  # the index as it was
        assert_problem(client.post(versions_url(workflow_id, 2, "publish"), headers=editor), 409, "ref-moved")

    summary = reindex_all(container)

    errors = {kind: [e for e in summary.errors if str(workflow_id) in e] for kind, workflow_id in odd.items()}
    assert {kind: len(found) for kind, found in errors.items()} == dict.fromkeys(ODD, 1)
    assert {kind: ODD[kind][2] in found[0] for kind, found in errors.items()} == dict.fromkeys(ODD, True)
    assert not [e for e in summary.errors if str(healthy) in e]
    with container.uow("acme") as uow:
        refused = set(
            uow.session.scalars(select(AuditEntry.workflow_id).where(AuditEntry.action == "ref_moved"))
        )
    assert refused == set(odd.values())

    report = check_consistency(container)
    flagged = {p.workflow_id for p in report.problems}
    assert flagged == set(odd.values())
    assert _wfv_check(container)["problems"]


def _wfv_check(container: Container) -> dict[str, Any]:
    """``wfv check --json`` as an operator runs it: a report, never a traceback."""
    done = subprocess.run(
        [WFV, "check", "--json"],
        env=settings_env(container.settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, "Traceback" in done.stderr) == (1, False), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report
