"""Reviews of drafts: the request/answer models and the pure rule that decides whether a
draft may be published (who approved the content as it is now, who still asks for
changes, what is missing, what is wrong with the document itself)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from schemas.structure import DocumentProblem, PublishCheck
from schemas.text import RequestBody
from schemas.timestamps import Timestamp
from schemas.workflow import ACTION_ID_PATTERN

Verdict = Literal["approve", "request_changes"]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


class ReviewCreate(RequestBody):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = (
        None
    )


class CommentCreate(RequestBody):
    """A comment, optionally anchored to an action id and/or a JSON path in the draft."""

    model_config = ConfigDict(extra="forbid")

    body: Body
    action_id: Annotated[str, StringConstraints(pattern=ACTION_ID_PATTERN)] | None = None
    path: Annotated[str, StringConstraints(min_length=1, max_length=512)] | None = None


class VerdictCreate(RequestBody):
    model_config = ConfigDict(extra="forbid")

    verdict: Verdict
    body: Body | None = None


class ReviewEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: Literal["comment", "approve", "request_changes"]
    author_id: str
    body: str
    action_id: str | None
    json_path: str | None
    lock_version: int
    commit_sha: str
    created_at: Timestamp
    stale: bool = False


class ReviewState(BaseModel):
    required_approvals: int
    approved_by: list[str]
    stale_approvals: list[str]
    changes_requested_by: list[str]
    publishable: bool
    missing: list[str]
    # What publishing would refuse in the document (the 422's list): the same check.
    problems: list[DocumentProblem] = Field(default_factory=list)
    problems_truncated: bool = False


class ReviewPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    workflow_id: UUID
    version_id: UUID
    base_version_id: UUID | None
    status: Literal["open", "merged", "closed"]
    title: str
    opened_by: str
    opened_at: Timestamp
    closed_at: Timestamp | None
    state: ReviewState
    events: list[ReviewEventPublic] = Field(default_factory=list)


class ReviewList(BaseModel):
    items: list[ReviewPublic]


@dataclass(frozen=True)
class Vote:
    """A verdict as the rule sees it, in the order given."""

    reviewer: str
    verdict: Verdict
    lock_version: int


def review_state(
    votes: Iterable[Vote],
    *,
    lock_version: int,
    required: int,
    authors: set[str],
    document: PublishCheck | None = None,
) -> ReviewState:
    """Each reviewer's latest verdict counts. An approval of an older edit is stale; an
    author's approval never counts; a request for changes stands until that reviewer
    approves. A document with problems (``document``) is not publishable, whatever the
    votes: ``missing`` lists what the reviewers owe, ``problems`` what the author does."""
    latest: dict[str, Vote] = {}
    for vote in votes:
        latest[vote.reviewer] = vote
    approved = sorted(
        r
        for r, v in latest.items()
        if v.verdict == "approve" and v.lock_version == lock_version and r not in authors
    )
    stale = sorted(r for r, v in latest.items() if v.verdict == "approve" and v.lock_version != lock_version)
    blocking = sorted(r for r, v in latest.items() if v.verdict == "request_changes")
    missing = []
    if len(approved) < required:
        note = f" ({len(stale)} stale after later edits)" if stale else ""
        missing.append(f"{required - len(approved)} more approval(s) of the current edit needed{note}")
    if blocking:
        missing.append(f"changes requested by {', '.join(blocking)}")
    return ReviewState(
        required_approvals=required,
        approved_by=approved,
        stale_approvals=stale,
        changes_requested_by=blocking,
        publishable=not missing and not document,
        missing=missing,
        problems=list(document.problems) if document else [],
        problems_truncated=document.truncated if document else False,
    )
