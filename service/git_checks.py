"""What every pushed commit must be: one ``workflow.json`` that parses and validates.

The checks the REST API makes on a body, made on each commit a push brings (identical
trees are checked once), with a message naming the commit and the problem.
"""

import json
from dataclasses import dataclass
from typing import Any, NoReturn

import pygit2
from pydantic import ValidationError

from repo_store.incoming import Incoming, PackRejected, TreeRejected
from schemas.workflow import WorkflowDefinition

MAX_PUSHED_COMMITS = 10_000


class Refused(Exception):
    """A ref of a push that cannot be applied; ``reason`` is what git shows the pusher."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Checked:
    """The pushed tip's definition, and how many new commits led to it."""

    definition: WorkflowDefinition
    commits: int
    subject: str


def subject_of(commit: pygit2.Commit) -> str:
    line = commit.message.split("\n", 1)[0]
    flat = "".join(ch if ch.isprintable() else " " for ch in line).strip()
    return (flat[:120] + "…") if len(flat) > 120 else (flat or "(no message)")


def _no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _where(error: dict[str, Any], document: Any) -> str:
    """``actions.2.next`` with the action's id, as the API's errors name it."""
    location = tuple(error.get("loc", ()))
    path = ".".join(str(part) for part in location)
    if len(location) >= 2 and location[0] == "actions" and isinstance(location[1], int):
        try:
            action_id = document["actions"][location[1]]["id"]
        except (KeyError, IndexError, TypeError):
            return path
        return f"in action '{action_id}': {path}"
    return path


def parse_definition(data: bytes) -> WorkflowDefinition:
    """``workflow.json`` bytes to a validated definition; ``ValueError`` says what is wrong."""
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError as exc:
        raise ValueError(f"workflow.json is not UTF-8: {exc.reason} at byte {exc.start}") from exc
    except RecursionError as exc:
        raise ValueError("workflow.json is nested too deeply") from exc
    except ValueError as exc:
        raise ValueError(f"workflow.json is not valid JSON: {exc}") from exc
    try:
        return WorkflowDefinition.model_validate(document)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = _where(dict(first), document)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ValueError(f"workflow.json is not a valid workflow: {where}: {first['msg']}{more}") from exc


def _definition(pushed: Incoming, commit: pygit2.Commit, max_bytes: int) -> WorkflowDefinition:
    label = f"commit {str(commit.id)[:12]} ({subject_of(commit)})"
    try:
        return parse_definition(pushed.document(commit, max_bytes))
    except (TreeRejected, ValueError) as exc:
        raise Refused(f"{label}: {exc}") from exc


def check_commits(pushed: Incoming, tip: str, *, max_bytes: int, limit: int) -> Checked:
    """Check every commit ``tip`` brings (and ``tip``); the tip's definition if all pass."""
    try:
        commits = pushed.new_commits(tip, limit)
        head = pushed.commit(tip)
    except PackRejected as exc:
        raise Refused(str(exc)) from exc
    checked: dict[pygit2.Oid, WorkflowDefinition] = {}
    for commit in [*commits, head]:
        if commit.tree_id not in checked:
            checked[commit.tree_id] = _definition(pushed, commit, max_bytes)
    return Checked(checked[head.tree_id], len(commits), subject_of(head))
