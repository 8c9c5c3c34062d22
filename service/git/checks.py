"""What a pushed commit must be: one ``workflow.json``, and at a pushed tip one that
parses and validates.

Every new commit is checked for its tree's shape and its document's size, read from object
headers (nothing is inflated or kept); only the tips, which become versions, are parsed and
validated, with the checks the REST API makes on a body. Each refusal names the commit.
"""

import json
from dataclasses import dataclass
from typing import Any, NoReturn

import pygit2
from pydantic import ValidationError

from repo_store.incoming import Incoming, PushLimits, TreeRejected
from schemas.messages import message
from schemas.text import first_text_problem
from schemas.workflow import WorkflowDefinition


class Refused(Exception):
    """A ref of a push that cannot be applied; ``reason`` is what git shows the pusher."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Checked:
    """A pushed tip's definition, and how many new commits the push brought."""

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
    refused = first_text_problem(document)  # the API's text rule, for pushed documents too
    if refused is not None:
        place = ".".join(map(str, refused[0])) or "(top)"
        raise ValueError(f"workflow.json: {place} {refused[1]}")
    try:
        return WorkflowDefinition.model_validate(document)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = _where(dict(first), document)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ValueError(f"workflow.json is not a valid workflow: {where}: {message(first)}{more}") from exc


def _label(commit: pygit2.Commit) -> str:
    return f"commit {str(commit.id)[:12]} ({subject_of(commit)})"


def check_commits(
    pushed: Incoming, tips: list[str], limits: PushLimits
) -> tuple[dict[str, Checked], list[pygit2.Commit]]:
    """Check every commit the tips bring; each tip's definition if all pass, and the new
    commits (what the repository must keep if the push is accepted).

    Raises:
        Refused: a commit is not one ``workflow.json`` within the size limit, or a tip's
            document is not a valid workflow.
        PushTooBig: more new commits than one push may bring.
        PackRejected: a tip is not a commit the push carries.
    """
    commits = pushed.new_commits(tips, limits.commits)
    for commit in commits:
        try:
            pushed.document_blob(commit, limits.document_bytes)
        except TreeRejected as exc:
            raise Refused(f"{_label(commit)}: {exc}") from exc
    checked = {}
    for tip in dict.fromkeys(tips):
        head = pushed.commit(tip)
        try:
            definition = parse_definition(pushed.document(head, limits.document_bytes))
        except (TreeRejected, ValueError) as exc:
            raise Refused(f"{_label(head)}: {exc}") from exc
        checked[tip] = Checked(definition, len(commits), subject_of(head))
    return checked, commits
