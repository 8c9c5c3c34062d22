"""Blame's cache of ``main`` (``workflow_blame_commits``, ``workflow_blame_changes``).

Rows describe immutable commits, so they are only ever added: two readers filling the
same commits at once write the same rows, and the second insert does nothing.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from indexer.models import BlameChange, BlameCommit


@dataclass(frozen=True)
class LineRow:
    """One commit of ``main`` as blame read it."""

    sha: str
    parent: str | None
    base: str | None  # the newest readable commit at or below it (None: none yet)
    problem: str | None  # why it is left out, for an odd commit


def load_line(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> dict[str, LineRow]:
    """Every commit read so far for this workflow, by sha."""
    rows = session.execute(
        select(
            BlameCommit.commit_sha, BlameCommit.parent_sha, BlameCommit.base_sha, BlameCommit.problem
        ).where(BlameCommit.tenant_id == tenant_id, BlameCommit.workflow_id == workflow_id)
    )
    return {sha: LineRow(sha, parent, base, problem) for sha, parent, base, problem in rows}


def action_changes(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, action_id: str
) -> dict[str, str | None]:
    """The commits that changed one action: commit sha -> the action's JSON (None: removed)."""
    rows = session.execute(
        select(BlameChange.commit_sha, BlameChange.action).where(
            BlameChange.tenant_id == tenant_id,
            BlameChange.workflow_id == workflow_id,
            BlameChange.action_id == action_id,
        )
    )
    return {row[0]: row[1] for row in rows}


def _insert(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(module.insert(table).on_conflict_do_nothing(), list(rows))


def add_line(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    commits: Sequence[LineRow],
    changes: Sequence[tuple[str, str, str | None]],
) -> None:
    """Record commits read and the (commit, action id, action JSON) changes they made."""
    _insert(
        session,
        BlameCommit.__table__,
        [
            {
                "tenant_id": tenant_id,
                "workflow_id": workflow_id,
                "commit_sha": row.sha,
                "parent_sha": row.parent,
                "base_sha": row.base,
                "problem": row.problem,
            }
            for row in commits
        ],
    )
    _insert(
        session,
        BlameChange.__table__,
        [
            {
                "tenant_id": tenant_id,
                "workflow_id": workflow_id,
                "commit_sha": sha,
                "action_id": key,
                "action": action,
            }
            for sha, key, action in changes
        ],
    )
