"""The least a version write can cost in wfv's design, written by hand: the raw pygit2
commit of ``bench.core`` plus what the design adds to every write, with no wfv code, no
SQLAlchemy and no checks. In git: the draft's branch and the watermark ref
(``refs/wfv/head``) moved in the workflow's own repository. In one SQLite transaction
(``BEGIN IMMEDIATE``, the service's pragmas, the standard library's ``sqlite3``, the
service's own database and schema): the workflow row read and updated, the version row
inserted with its document, the audit entry inserted.

It is a floor, not a rival: it skips what the specification asks of a write and the
service does (authorisation, healing checks, the ref journal and compare-and-swap, the
change summary, the idempotency claim, the tenant's scope). Its ratio to raw pygit2 in the
same run says how much of the distance between the service and raw pygit2 is the design's
(an index and an audit trail written in a transaction beside git) and how much is the
service's own code: ``bench.core`` prints both.
"""

import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pygit2
from sqlalchemy.engine import make_url

from schemas.canonical import canonical_json

_VERSION = """INSERT INTO workflow_versions (id, tenant_id, workflow_id, version_number, status,
    is_current, lock_version, commit_sha, tree_sha, parent_version_id, created_by, created_at,
    definition) VALUES (?, ?, ?, ?, 'draft', 0, 1, ?, ?, ?, ?, ?, ?)"""
_AUDIT = """INSERT INTO workflow_version_audit_logs (tenant_id, workflow_id, version_id, action,
    actor_id, created_at, details) VALUES (?, ?, ?, 'create', ?, ?, ?)"""


def _stamp(moment: datetime) -> str:
    """A UTC time as SQLAlchemy's SQLite ``DateTime`` stores it."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class IndexedPygit2:
    """Raw pygit2's commit plus the refs and index rows every version write needs, for a
    workflow the service created (its row, its repository at ``repo_path``, its version 1
    at ``head``). Git's watermark and the row's stay equal, so the service reads the
    floor's versions as its own (without healing)."""

    def __init__(
        self, repo_path: Path, database_url: str, tenant_id: str, workflow_id: uuid.UUID, head: str
    ) -> None:
        database = make_url(database_url).database
        if not database:
            raise ValueError(f"not a SQLite file: {database_url}")
        self.db = sqlite3.connect(database, isolation_level=None, timeout=60)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", "busy_timeout=60000"):
            self.db.execute(f"PRAGMA {pragma}")
        self.repo = pygit2.Repository(str(repo_path))
        self.signature = pygit2.Signature("alice", "alice@example.test")
        self.tenant_id, self.workflow_id = tenant_id, workflow_id.hex
        self.parent = pygit2.Oid(hex=head)
        self.parent_id: str | None = None

    def write(self, doc: dict[str, Any]) -> None:
        """``doc`` as the workflow's next version."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            # The watermark is read as the service reads it (the swap's expected value).
            number, _watermark = db.execute(
                "SELECT last_version_number, git_head FROM workflows "
                "WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
                (self.workflow_id, self.tenant_id),
            ).fetchone()
            number += 1
            builder = self.repo.TreeBuilder()
            blob = self.repo.create_blob(canonical_json(doc))
            builder.insert("workflow.json", blob, pygit2.GIT_FILEMODE_BLOB)
            tree = builder.write()
            oid = self.repo.create_commit(
                f"refs/heads/drafts/v{number}", self.signature, self.signature, "v", tree, [self.parent]
            )
            self.repo.references.create("refs/wfv/head", oid, force=True)
            version_id, now = uuid.uuid4().hex, _stamp(datetime.now(UTC))
            row = (version_id, self.tenant_id, self.workflow_id, number, str(oid), str(tree), self.parent_id)
            db.execute(_VERSION, (*row, "alice", now, orjson.dumps(doc).decode()))
            db.execute(
                "UPDATE workflows SET last_version_number = ?, git_head = ?, updated_at = ? WHERE id = ?",
                (number, str(oid), now, self.workflow_id),
            )
            details = orjson.dumps({"version_number": number, "commit": str(oid)}).decode()
            db.execute(_AUDIT, (self.tenant_id, self.workflow_id, version_id, "alice", now, details))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.parent, self.parent_id = oid, version_id

    def close(self) -> None:
        self.db.close()
