"""Drafts at rest: what a saved working copy is, and how it is sealed.

Each revision of a draft is compact JSON, compressed, then sealed (``indexer.draft_seal``:
the first key encrypts, every key decrypts, so keys rotate without rewriting anything) with
whose draft of which version it is as associated data, so a token moved to another row
does not open there. The same sealed tokens live in Redis and in the database's revision
rows, so the write-behind copies bytes and never decrypts. Only the revision numbers and
times around them are in the clear.
"""

import json
import logging
import uuid
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from indexer.draft_seal import DraftSeal, SealBroken, associated_data
from indexer.drafts import DraftKey, DraftRow, Revisions
from service.errors import Problem

log = logging.getLogger("wfv.drafts")


class DraftUnreadable(Problem):
    """A stored draft that does not open: a key dropped from WFV_DRAFT_KEYS too early, or a
    token that is not this draft's (moved from another row, or sealed before revision 0010)."""

    status_code, title, slug = 500, "Draft unreadable", "draft-unreadable"


class DraftCipher:
    def __init__(self, keys: list[str]) -> None:
        self._seal = DraftSeal(keys)

    def seal(self, document_json: bytes, key: DraftKey) -> bytes:
        """Compress first (8x on workflow JSON), then encrypt, bound to ``key``."""
        return self._seal.seal(zlib.compress(document_json, 1), _bound_to(key))

    def open(self, token: bytes, key: DraftKey) -> dict[str, Any]:
        try:
            packed = self._seal.open(token, _bound_to(key))
        except SealBroken as exc:
            log.error("a stored draft does not open as this user's draft of this version: %s", exc)
            raise DraftUnreadable(
                "the draft cannot be decrypted as yours (a dropped key, or a moved copy)"
            ) from exc
        document: dict[str, Any] = json.loads(zlib.decompress(packed))
        return document

    def bound(self, key: DraftKey) -> "BoundCipher":
        return BoundCipher(self, key)


@dataclass(frozen=True)
class BoundCipher:
    """The cipher for one draft: what a save plan seals and opens, none other's."""

    cipher: DraftCipher
    key: DraftKey

    def seal(self, document_json: bytes) -> bytes:
        return self.cipher.seal(document_json, self.key)

    def open(self, token: bytes) -> dict[str, Any]:
        return self.cipher.open(token, self.key)


def _bound_to(key: DraftKey) -> bytes:
    return associated_data(key.tenant_id, key.version_id, key.user_id)


class DraftInvalid(Problem):
    status_code, title, slug = 422, "Invalid draft", "invalid-draft"


def compact_json(document: Any) -> bytes:
    """orjson (a tenth of the standard library's time on a 20 KB draft, paid on every
    save); the standard library for the integers beyond 64 bits that orjson refuses. A
    lone surrogate (``"\\ud800"`` is valid JSON) is no Unicode text, and no store keeps it."""
    try:
        return orjson.dumps(document)
    except TypeError:
        try:
            return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DraftInvalid(
                "the definition holds a string that is not Unicode text (a lone surrogate)",
                field="definition",
            ) from exc


@dataclass(frozen=True)
class DraftRecord:
    """One user's working copy of one version, as either store holds it.

    ``history`` maps revision numbers to sealed documents: the newest few, kept so that a
    save based on an older revision can be merged against its base; revision 0, while kept,
    is the version's own definition the draft started from. An empty history is a
    tombstone: the draft was discarded or committed at ``revision``, and a late copy of an
    older revision (the write-behind) must not bring it back.
    """

    revision: int
    saved_at: datetime
    created_at: datetime
    history: Mapping[int, bytes]

    @property
    def live(self) -> bool:
        return self.revision in self.history

    @property
    def current(self) -> bytes:
        return self.history[self.revision]

    def loaded(self) -> "DraftRecord":
        """This record with every document read now (its session is about to close)."""
        return DraftRecord(self.revision, self.saved_at, self.created_at, dict(self.history))

    def successor(self, revision: int, token: bytes, saved_at: datetime, keep: int) -> "DraftRecord":
        """This record with ``revision`` added, keeping the ``keep`` newest revisions (the
        older documents are not read: a store adds one and drops what fell off)."""
        kept = sorted({*self.history, revision})[-keep:]
        history = Revisions(kept, {revision: token}, lambda: self.history)
        return DraftRecord(revision, saved_at, self.created_at, history)


def newest(*records: DraftRecord | None) -> DraftRecord | None:
    """The later of the stores' copies; on equal revisions a tombstone wins (the draft
    was discarded at that revision), then the first given."""
    found = [record for record in records if record is not None]
    if not found:
        return None
    return max(found, key=lambda record: (record.revision, not record.live))


def record_from_row(row: DraftRow) -> DraftRecord:
    return DraftRecord(row.revision, row.last_saved_at, row.created_at, row.tokens)


def row_from_record(record: DraftRecord) -> DraftRow:
    """A record as a row to write (a new row's id, should there be none yet)."""
    return DraftRow(uuid.uuid4(), record.revision, record.saved_at, record.created_at, record.history)
