"""What a save does to a draft, whichever store holds it: the rules in one place, no I/O.

- Based on the current revision: the new document becomes the next revision.
- Based on an older one (another tab): three-way merge against that base; an overlap is
  a 409 with both sides.
- Based on a revision the store never had (Redis lost saves the editor saw): a whole
  definition is taken as it is, since the editor holds the newest text; a patch cannot be
  applied without its base (409, send the whole definition).
- No draft yet (or a discarded one): revision 0 is the version's own definition; numbers
  continue after a tombstone, so they never repeat.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from pydantic import ValidationError

from schemas.drafts import MAX_REVISION, DraftSave
from schemas.merge import merge_patch, three_way_merge
from schemas.messages import message
from schemas.workflow import WorkflowDefinition, check_document_bounds
from service.drafts.records import BoundCipher, DraftInvalid, DraftRecord, compact_json
from service.errors import Problem


class DraftConflict(Problem):
    status_code, title, slug = 409, "Draft conflict", "draft-conflict"


class DraftBaseUnknown(Problem):
    """A patch names a revision this store does not hold (lost with a Redis restart, or not
    yet copied into the database the save fell back to): it cannot be applied, and nothing
    is lost by sending the whole document instead, which the answer says in a field a
    client acts on (``resend: "definition"``), not only in words."""

    status_code, title, slug = 409, "Draft base unknown", "draft-base-unknown"

    def __init__(self, detail: str, *, revision: int) -> None:
        super().__init__(detail, revision=revision, resend="definition")


@dataclass(frozen=True)
class Planned:
    record: DraftRecord
    fields: dict[int, bytes]  # what to add to the stored history (all of it when ``fresh``)
    fresh: bool  # a new record: replaces whatever (tombstone) was there
    merged: dict[str, Any] | None = None  # the merged document, when the save was merged


@dataclass
class SaveContext:
    cipher: BoundCipher
    keep: int
    now: datetime
    version_document: Callable[[], dict[str, Any]]


def validated(document: Any) -> dict[str, Any]:
    """The workflow model's checks, for a working copy about to become the version's edit."""
    try:
        return WorkflowDefinition.model_validate(document).document()
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(part) for part in error["loc"]), "message": message(error)}
            for error in exc.errors()
        ]
        first = errors[0] if errors else {"field": "", "message": "invalid"}
        raise DraftInvalid(
            f"the resulting definition is invalid: {first['field']}: {first['message']}",
            field=first["field"],
            errors=errors,
        ) from exc


def working_copy(document: Any) -> dict[str, Any]:
    """What a patched or merged working copy must be: a JSON object within the format's
    size limits (valid or not yet: see ``schemas.drafts.WorkingCopy``)."""
    if not isinstance(document, dict):
        raise DraftInvalid("the resulting definition must be a JSON object", field="definition")
    try:
        return check_document_bounds(document)
    except ValueError as exc:
        raise DraftInvalid(f"the resulting definition is too large: {exc}", field="definition") from exc


def _document_json(change: DraftSave) -> bytes:
    assert change.definition is not None
    return compact_json(change.definition)


def sealed_definition(change: DraftSave, cipher: BoundCipher) -> bytes:
    return cipher.seal(_document_json(change))


def plan_save(current: DraftRecord | None, change: DraftSave, ctx: SaveContext) -> Planned:
    if current is None or not current.live:
        return _start(current, change, ctx)
    if change.revision > current.revision:
        return _overtake(current, change, ctx)
    if change.revision == current.revision:
        mine = _mine(change, lambda: ctx.cipher.open(current.current))
        return _next(current, current.revision + 1, compact_json(mine), ctx)
    return _merge(current, change, ctx)


def _mine(change: DraftSave, base: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    if change.definition is not None:
        return change.definition
    return working_copy(merge_patch(base(), change.patch))


def _next(current: DraftRecord, revision: int, document_json: bytes, ctx: SaveContext) -> Planned:
    if revision > MAX_REVISION + 1:
        raise DraftConflict("the draft has run out of revision numbers; discard it and start again")
    token = ctx.cipher.seal(document_json)
    return Planned(current.successor(revision, token, ctx.now, ctx.keep), {revision: token}, fresh=False)


def _start(tombstone: DraftRecord | None, change: DraftSave, ctx: SaveContext) -> Planned:
    if change.patch is not None and change.revision != 0:
        raise DraftBaseUnknown(
            f"there is no draft with revision {change.revision} to patch; send the whole definition",
            revision=tombstone.revision if tombstone else 0,
        )
    version = ctx.version_document()
    mine = (
        change.definition
        if change.definition is not None
        else working_copy(merge_patch(version, change.patch))
    )
    revision = max(change.revision, tombstone.revision if tombstone else 0) + 1
    history = {0: ctx.cipher.seal(compact_json(version)), revision: ctx.cipher.seal(compact_json(mine))}
    record = DraftRecord(revision, ctx.now, ctx.now, history)
    return Planned(record, history, fresh=True)


def _overtake(current: DraftRecord, change: DraftSave, ctx: SaveContext) -> Planned:
    if change.definition is None:
        raise DraftBaseUnknown(
            f"revision {change.revision} is not in the draft store this save reached (it has "
            f"{current.revision}): send the whole definition, based on revision {change.revision}",
            revision=current.revision,
        )
    return _next(current, change.revision + 1, _document_json(change), ctx)


def _merge(current: DraftRecord, change: DraftSave, ctx: SaveContext) -> Planned:
    theirs = ctx.cipher.open(current.current)
    base_token = current.history.get(change.revision)
    if base_token is None:
        if change.definition is None:
            raise DraftBaseUnknown(
                f"revision {change.revision} is older than the {ctx.keep} kept; send the whole definition",
                revision=current.revision,
            )
        _conflict(current, change.revision, [""], change.definition, theirs)
    base = ctx.cipher.open(base_token)
    mine = _mine(change, lambda: base)
    result = three_way_merge(base, mine, theirs)
    if result.conflicts:
        _conflict(current, change.revision, result.conflicts, mine, theirs)
    merged = working_copy(result.document)
    planned = _next(current, current.revision + 1, compact_json(merged), ctx)
    return Planned(planned.record, planned.fields, fresh=False, merged=merged)


def _conflict(
    current: DraftRecord, base: int, paths: list[str], mine: dict[str, Any], theirs: dict[str, Any]
) -> NoReturn:
    where = ", ".join(path or "(whole document)" for path in paths[:5])
    raise DraftConflict(
        f"revision {base} was edited since, and both sides changed {where}; "
        f"resolve and save again with revision {current.revision}",
        conflicts=paths,
        mine=mine,
        theirs=theirs,
        revision=current.revision,
        base_revision=base,
    )
