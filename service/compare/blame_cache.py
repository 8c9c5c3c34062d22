"""Blame from a cache of ``main``: what each commit changed, per action, kept in SQL.

Profiled on 1,000 published versions, the plain walk spends its time per version reading
the document blob (zlib, or a delta chain once packed) and parsing the whole JSON; both
grow with the document, not with the action asked about. A published commit never
changes, so each is read once: a row per commit (its first parent, its base, whether it
is odd) and a row per action it changed, holding that action's JSON. A blame then reads
the line's rows and the few rows of one action, and loads no document at all.

Filled on read, incrementally (only the commits ``main`` gained since), under the
caller's tenant scope; the rows are facts about immutable commits, so concurrent fills
write the same rows and a cache emptied by ``wfv reindex`` fills again the same.
"""

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from indexer.blame import LineRow, action_changes, add_line, load_line
from indexer.models import Workflow
from repo_store.main_line import MainWalk, OddCommit, actions_by_id, main_commit, main_since, read_step
from repo_store.store import WorkflowRepo
from schemas.blame import ActionHistory, SkippedCommit
from schemas.workflow import ACTION_ID_PATTERN
from service.compare.blame_walk import Point, history_from, walk_history
from service.uow import UnitOfWork

log = logging.getLogger("wfv.blame")
_ACTION_ID = re.compile(ACTION_ID_PATTERN)


@dataclass
class _Filled:
    rows: list[LineRow] = field(default_factory=list)
    changes: list[tuple[str, str, str | None]] = field(default_factory=list)


def _changes(sha: str, before: dict[str, Any], after: dict[str, Any], out: _Filled) -> None:
    for key in before.keys() | after.keys():
        new = after.get(key)
        if before.get(key) != new and _ACTION_ID.match(key):
            out.changes.append((sha, key, None if new is None else json.dumps(new)))


def _base_state(repo: WorkflowRepo, base: str | None) -> tuple[str | None, dict[str, Any]]:
    """The tree and actions new commits are compared with (nothing, below the first)."""
    if base is None:
        return None, {}
    return repo.commit_info(base).tree_sha, actions_by_id(repo.read_document(base))


def _read(repo: WorkflowRepo, walk: MainWalk, known: dict[str, LineRow]) -> _Filled:
    """Rows for the commits of ``walk``: exactly the comparisons the plain walk makes."""
    filled = _Filled()
    first = walk.commits[0]
    below = known.get(first.parents[0]) if first.parents else None
    base = below.base if below else None
    base_tree, before = _base_state(repo, base)
    for info in walk.commits:
        parent = info.parents[0] if info.parents else None
        try:
            after = read_step(repo, info, base_tree)
        except OddCommit as odd:
            filled.rows.append(LineRow(info.sha, parent, base, str(odd)))
            continue
        if after is not None:
            _changes(info.sha, before, after, filled)
            before, base_tree = after, info.tree_sha
        base = info.sha
        filled.rows.append(LineRow(info.sha, parent, base, None))
    return filled


def _store(uow: UnitOfWork, workflow: Workflow, filled: _Filled) -> None:
    """Keep the rows (a short writing unit of their own); if that fails, the answer
    computed from them still stands and the next blame reads the commits again."""
    try:
        with uow.services.uow(workflow.tenant_id, write=True) as writer:
            add_line(writer.session, workflow.tenant_id, workflow.id, filled.rows, filled.changes)
            writer.commit()
    except SQLAlchemyError as exc:
        log.warning("blame cache of workflow %s not stored: %s", workflow.id, exc)


def _follow(known: dict[str, LineRow], tip: str | None) -> tuple[list[LineRow], str | None]:
    """The line from ``tip`` down through known rows, oldest first, and the first commit
    below it that is not known (None: the line reaches the root)."""
    line: list[LineRow] = []
    current = tip
    while current is not None and current in known:
        line.append(known[current])
        current = known[current].parent
    line.reverse()
    return line, current


@dataclass
class Line:
    """``main`` as blame reads it, oldest first, and the commits left out."""

    rows: list[LineRow]
    skipped: list[SkippedCommit]
    new_changes: list[tuple[str, str, str | None]]


def read_line(uow: UnitOfWork, workflow: Workflow, repo: WorkflowRepo) -> Line:
    """The cached line of ``main``, filled first with any commits it lacks."""
    known = load_line(uow.session, workflow.tenant_id, workflow.id)
    tip = main_commit(repo)
    rows, gap = _follow(known, tip)
    filled, broken = _Filled(), None
    if gap is not None:
        walk = main_since(repo, gap, known)
        if walk.commits:
            filled = _read(repo, walk, known)
            _store(uow, workflow, filled)
            known.update((row.sha, row) for row in filled.rows)
            rows, gap = _follow(known, tip)
        broken = walk.broken
    skipped = [SkippedCommit(commit_sha=broken[0], reason=broken[1])] if broken and gap else []
    skipped += [SkippedCommit(commit_sha=row.sha, reason=row.problem) for row in rows if row.problem]
    return Line(rows, skipped, filled.changes)


def _parsed(action: str | None) -> dict[str, Any] | None:
    return None if action is None else dict(json.loads(action))


def cached_history(uow: UnitOfWork, workflow: Workflow, repo: WorkflowRepo, action_id: str) -> ActionHistory:
    """Blame of one action from the cache: git is read only for the commits that changed
    it (their trailers), and for commits ``main`` gained since the last blame."""
    if not _ACTION_ID.match(action_id):
        return walk_history(repo, action_id)  # never cached (no route can ask for it)
    line = read_line(uow, workflow, repo)
    changed = action_changes(uow.session, workflow.tenant_id, workflow.id, action_id)
    changed.update((sha, action) for sha, key, action in line.new_changes if key == action_id)
    points: list[Point] = [
        (repo.commit_info(row.sha), _parsed(changed[row.sha])) for row in line.rows if row.sha in changed
    ]
    return history_from(action_id, points, line.skipped)
