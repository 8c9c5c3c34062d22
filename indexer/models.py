"""The index tables. Every row carries ``tenant_id``; the version rows can be rebuilt
from git alone (``indexer.rebuild``), the rest (executions, audit, drafts, migrations) is
state git does not hold."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from indexer.types import BigId, JsonDocument, UtcDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TENANT = String(128)
USER = String(255)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Workflow(Base):
    __tablename__ = "workflows"
    __table_args__ = (
        Index(None, "tenant_id", "created_at", "id"),
        CheckConstraint("required_approvals >= 0 AND required_approvals <= 10", name="required_approvals"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    name: Mapped[str] = mapped_column(String(200))
    # No FK: versions point at workflows, and a cycle would complicate every insert.
    current_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    last_version_number: Mapped[int] = mapped_column(Integer, default=0)
    # Approvals a draft's review needs before it may be published (0: no review needed).
    required_approvals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The newest commit the index knows of; git's refs/wfv/head differing means git is ahead.
    git_head: Mapped[str | None] = mapped_column(String(40))
    # Where the index left refs/wfv/state (versions' retention state): the CAS's expectation.
    state_head: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(USER)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Deleted softly: hidden from every route, its history (audit, reviews, migrations) kept.
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deleted_by: Mapped[str | None] = mapped_column(USER)


class WorkflowVersion(Base):
    __tablename__ = "workflow_versions"
    __table_args__ = (
        UniqueConstraint("workflow_id", "version_number"),
        CheckConstraint("status IN ('draft', 'active', 'archived')", name="status"),
        CheckConstraint("NOT is_current OR status = 'active'", name="current_is_active"),
        CheckConstraint("version_number >= 1", name="version_number_positive"),
        CheckConstraint("lock_version >= 1", name="lock_version_positive"),
        Index(
            "uq_workflow_versions_one_current",
            "workflow_id",
            unique=True,
            postgresql_where=text("is_current"),
            sqlite_where=text("is_current"),
        ),
        Index(None, "workflow_id"),
        Index(None, "status"),
        Index(None, "is_current"),
        Index(None, "tenant_id", "workflow_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    version_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    commit_sha: Mapped[str] = mapped_column(String(40))
    tree_sha: Mapped[str] = mapped_column(String(40))
    parent_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    rollback_of_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_by: Mapped[str] = mapped_column(USER)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_by: Mapped[str | None] = mapped_column(USER)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Retention, kept in git too (refs/wfv/state, schemas.state): a version under legal hold
    # is never archived; ``unarchived_at`` restarts the idle clock so the next run does not
    # undo it.
    legal_hold_reason: Mapped[str | None] = mapped_column(Text)
    legal_hold_by: Mapped[str | None] = mapped_column(USER)
    legal_hold_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    unarchived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A copy of the commit's document, so reads and later queries (action ids of a
    # version) need no git access; git stays the truth and rebuild rewrites it.
    definition: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    # What changed against the parent (``schemas.summaries``), written with the document
    # so the versions list never diffs; NULL on rows older than revision 0019.
    change_summary: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)


class VersionMigration(Base):
    __tablename__ = "workflow_version_migrations"
    __table_args__ = (
        CheckConstraint("strategy IN ('immediate', 'gradual', 'manual')", name="strategy"),
        CheckConstraint(
            "status IN ('queued', 'running', 'paused', 'completed', 'cancelled', 'failed')",
            name="status",
        ),
        Index(None, "status"),
        Index(None, "workflow_id"),
        Index(None, "tenant_id", "workflow_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    target_version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_versions.id"))
    source_version_ids: Mapped[list[str]] = mapped_column(JsonDocument)
    strategy: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    mapping: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    options: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    total: Mapped[int] = mapped_column(Integer, default=0)
    migrated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(USER)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Progress of the batch runner: resumable from here after a crash.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cursor: Mapped[str | None] = mapped_column(String(36))
    source_index: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sweep: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status_reason: Mapped[str | None] = mapped_column(Text)
    # The current window (a gradual step, or the batches since a resume): the halt rule
    # judges its failures alone, and the rate counts only time spent inside windows
    # (``service.executions.window``).
    window_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    window_processed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    window_failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    next_step_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    halt: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    # The live runner chain: bumped whenever a chain is started on purpose (start, resume,
    # the watchdog); a queued job of another generation exits (``service.executions.runner``).
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class MigrationItem(Base):
    """An execution a migration did not move (failed: no counterpart; exited by policy;
    skipped: gone when its turn came; pinned: its contact is pinned to its version): rows
    you can list, never just a counter."""

    __tablename__ = "workflow_version_migration_items"
    __table_args__ = (
        CheckConstraint("outcome IN ('failed', 'exited', 'skipped', 'pinned')", name="outcome"),
        Index(None, "migration_id", "outcome", "id"),
        Index(None, "migration_id", "execution_id"),
        Index(None, "tenant_id", "workflow_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    # No cascade (append-only): deleting the workflow or migration fails while items exist.
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflows.id"))
    migration_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_version_migrations.id"))
    execution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    contact_id: Mapped[str] = mapped_column(String(255))
    from_version_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    from_action_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class VersionDraft(Base):
    __tablename__ = "workflow_version_drafts"
    __table_args__ = (
        UniqueConstraint("workflow_id", "version_id", "user_id"),
        Index(None, "last_saved_at"),
        Index(None, "tenant_id", "workflow_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_versions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(USER)
    revision: Mapped[int] = mapped_column(Integer)
    last_saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class VersionDraftRevision(Base):
    """A kept revision of a draft: a save adds one row (a few KB) and drops the oldest,
    where one row holding the whole history rewrote ten times that on every save. A draft
    with no row at its own revision is a tombstone (discarded or committed there)."""

    __tablename__ = "workflow_version_draft_revisions"

    draft_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workflow_version_drafts.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    # Sealed (compressed, then Fernet-encrypted) by the service; never plaintext.
    content: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEntry(Base):
    __tablename__ = "workflow_version_audit_logs"
    __table_args__ = (
        Index(None, "tenant_id", "workflow_id", "id"),
        Index(None, "workflow_id"),
        Index(None, "version_id"),
        Index(None, "action"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    # None for a tenant-wide entry (an archival report made or read): revision 0011.
    workflow_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str] = mapped_column(USER)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


class Execution(Base):
    __tablename__ = "executions"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'waiting', 'completed', 'exited', 'failed')", name="status"),
        # Counts per position (summary, dry runs, breaking impact) come from this index alone.
        Index(None, "workflow_id", "version_id", "status", "current_action_id"),
        # Migration batches walk a version's executions in id order (keyset ranges).
        Index(None, "workflow_id", "version_id", "id"),
        Index(None, "workflow_id", "contact_id"),
        Index(None, "tenant_id", "workflow_id"),
        Index(None, "last_migration_id"),
        # Archival asks for the latest activity of each version: an index-only max().
        Index(None, "version_id", "updated_at"),
        # A rollout's guards count each version's executions enrolled in a step by status:
        # an index-only range (16 ms over a day of 1,000,000 executions, 150 ms scanned).
        Index(
            "ix_executions_enrolled_window", "workflow_id", "version_id", "enrolled_at", "status", "tenant_id"
        ),
        # A contact is in flight at most once per workflow.
        Index(
            "uq_executions_one_live_per_contact",
            "workflow_id",
            "contact_id",
            unique=True,
            postgresql_where=text("status IN ('active', 'waiting')"),
            sqlite_where=text("status IN ('active', 'waiting')"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_versions.id"))
    contact_id: Mapped[str] = mapped_column(String(255))
    current_action_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    # The migration that last moved this execution (what a cancelled migration moved).
    last_migration_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Bumped by every change of position (enrolment is 1): the journey row of a change
    # names it, so "not moved since" is one comparison (a revert restores only those).
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


# The journey rows of changes wfv itself made (the change feed), as SQL both databases'
# planners match against the feed's partial index.
FEED_CAUSES = "cause IN ('migration', 'revert')"


class JourneyEvent(Base):
    """One change of an execution's position: where it went (version, action, status,
    the execution's revision after it), where it was (``from_*``, none for an enrolment),
    when, and why (``cause``: enrolment, engine, migration, revert; ``cause_id``: the
    migration or revert). Written by the statement batch that makes the change
    (``indexer.journey``), so the history and the position never disagree.

    On PostgreSQL the table is partitioned by ``at`` (a partition per week, made ahead and
    dropped after WFV_JOURNEY_RETENTION_DAYS by the daily task through a function the
    migration defines, since the service's role owns no table); on SQLite a plain table
    whose expired rows the same task deletes."""

    __tablename__ = "execution_journey"
    __table_args__ = (
        CheckConstraint("cause IN ('enrolment', 'engine', 'migration', 'revert')", name="cause"),
        # An execution's journey, oldest first (a partition's index each, in time order).
        Index(None, "execution_id", "at", "seq"),
        # Where was this contact at T: the newest row at or before T.
        Index(None, "workflow_id", "contact_id", "at", "seq"),
        # What a migration (or revert) moved, by execution and in order (a revert's
        # batches): small, enrolments and reports carry no id.
        Index(
            "ix_execution_journey_cause_id",
            "cause_id",
            "execution_id",
            postgresql_where=text("cause_id IS NOT NULL"),
            sqlite_where=text("cause_id IS NOT NULL"),
        ),
        Index(
            "ix_execution_journey_cause_id_seq",
            "cause_id",
            "seq",
            postgresql_where=text("cause_id IS NOT NULL"),
            sqlite_where=text("cause_id IS NOT NULL"),
        ),
        # The change feed (``indexer.journey_feed``): what wfv moved, per tenant in commit
        # order, (xid, seq) on PostgreSQL, seq on SQLite (xid NULL there).
        Index(
            "ix_execution_journey_feed",
            "tenant_id",
            "xid",
            "seq",
            postgresql_where=text(FEED_CAUSES),
            sqlite_where=text(FEED_CAUSES),
        ),
        # SQLite: never reuse a seq (the feed's cursor), even once every row expired.
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # PostgreSQL: the writing transaction's id (a column DEFAULT, revision 0018), so the
    # feed serves a row only once no transaction that could commit before it is running.
    # 0 for rows from before that revision; NULL on SQLite (one writer: seq is commit order).
    xid: Mapped[int | None] = mapped_column(BigId, nullable=True, server_default=FetchedValue())
    tenant_id: Mapped[str] = mapped_column(TENANT)
    workflow_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    execution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    contact_id: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    version_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    action_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    cause: Mapped[str] = mapped_column(String(16))
    cause_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    from_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    from_action_id: Mapped[str | None] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(16))


class Pin(Base):
    """A contact pinned to the version it is on: migrations, reverts and a rollout's
    migrate-back leave its execution where it is and report it as pinned."""

    __tablename__ = "execution_pins"

    workflow_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workflows.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    # The version the contact was on when pinned (none: it had no live execution then).
    version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    pinned_by: Mapped[str] = mapped_column(USER)
    pinned_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MigrationRevert(Base):
    """The undoing of a migration: every execution it moved that has not moved since (its
    revision is still the one the migration's journey row names) and is not pinned goes
    back where it was, in batches on the worker, resumable from ``cursor`` (the last
    journey ``seq`` handled). Each restore is a ``revert`` row in the journeys."""

    __tablename__ = "migration_reverts"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'completed', 'failed')", name="status"),
        Index(None, "tenant_id", "workflow_id", "created_at"),
        Index(None, "migration_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    migration_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_version_migrations.id"))
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[int] = mapped_column(Integer, default=0)
    restored: Mapped[int] = mapped_column(Integer, default=0)
    moved_since: Mapped[int] = mapped_column(Integer, default=0)
    pinned: Mapped[int] = mapped_column(Integer, default=0)
    # Exited by the migration, and its contact is in flight again on another execution.
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[int] = mapped_column(BigId, default=0)
    generation: Mapped[int] = mapped_column(Integer, default=1)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(USER)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Review(Base):
    """A pull-request-style review of a draft against the version current when it opened."""

    __tablename__ = "workflow_version_reviews"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'merged', 'closed')", name="status"),
        Index(
            "uq_workflow_version_reviews_one_open",
            "version_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index(None, "tenant_id", "workflow_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_versions.id", ondelete="CASCADE"))
    base_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    opened_by: Mapped[str] = mapped_column(USER)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReviewEvent(Base):
    """One comment or verdict. Whether an approval is stale is derived (its lock_version
    against the draft's), never stored."""

    __tablename__ = "workflow_version_review_events"
    __table_args__ = (
        CheckConstraint("kind IN ('comment', 'approve', 'request_changes')", name="kind"),
        Index(None, "review_id", "id"),
        Index(None, "tenant_id", "workflow_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    # No cascade (append-only): deleting the workflow or review fails while events exist.
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflows.id"))
    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_version_reviews.id"))
    kind: Mapped[str] = mapped_column(String(24))
    author_id: Mapped[str] = mapped_column(USER)
    body: Mapped[str] = mapped_column(Text)
    action_id: Mapped[str | None] = mapped_column(String(64))
    json_path: Mapped[str | None] = mapped_column(String(512))
    lock_version: Mapped[int] = mapped_column(Integer)
    commit_sha: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ArchivalRun(Base):
    """One archival pass over one tenant (row-level security keeps each tenant's runs its
    own). At most one ``running`` row per tenant: the guard two workers cannot both pass,
    and the cursor a resumed run continues from."""

    __tablename__ = "workflow_version_archival_runs"
    __table_args__ = (
        CheckConstraint("status IN ('running', 'completed', 'failed')", name="status"),
        Index(
            "uq_workflow_version_archival_runs_one_running",
            "tenant_id",
            unique=True,
            postgresql_where=text("status = 'running'"),
            sqlite_where=text("status = 'running'"),
        ),
        Index(None, "tenant_id", "started_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    trigger: Mapped[str] = mapped_column(String(16))
    triggered_by: Mapped[str] = mapped_column(USER)
    workflow_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The policy the run applied, and the instant "idle for N days" was measured from.
    cutoff: Mapped[datetime] = mapped_column(UtcDateTime)
    keep_versions: Mapped[int] = mapped_column(Integer)
    cursor: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    batches: Mapped[int] = mapped_column(Integer, default=0)
    examined: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    error: Mapped[str | None] = mapped_column(Text)


class ArchivalReportEntry(Base):
    """One line of an archival run's report: a version the run archived (``rule`` is why
    it could be), or a version one retention rule kept (one row per rule that keeps it).
    Written by the run's batches in their own transactions, so a completed run always has
    its whole report; names and shas are copied, as the run saw them. Deleted only with
    the run (``ON DELETE CASCADE``)."""

    __tablename__ = "workflow_version_archival_report_entries"
    __table_args__ = (
        CheckConstraint("outcome IN ('archived', 'kept')", name="outcome"),
        # The report's order: archived first, then kept rule by rule; keyset-paged by it.
        Index(None, "run_id", "outcome", "rule", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workflow_version_archival_runs.id", ondelete="CASCADE")
    )
    tenant_id: Mapped[str] = mapped_column(TENANT)
    outcome: Mapped[str] = mapped_column(String(8))
    rule: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    workflow_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    workflow_name: Mapped[str] = mapped_column(String(200))
    version_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version_number: Mapped[int] = mapped_column(Integer)
    commit_sha: Mapped[str] = mapped_column(String(40))
    last_activity_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class BlameCommit(Base):
    """A commit of ``main`` that blame has read: a cache of git (a published commit never
    changes), kept so a blame reads digests of what changed instead of every document.
    ``base_sha`` is the newest readable commit at or below this one on its first-parent
    line (what its changes are measured against); ``problem`` says why blame leaves an
    odd commit out."""

    __tablename__ = "workflow_blame_commits"

    workflow_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workflows.id", ondelete="CASCADE"), primary_key=True
    )
    commit_sha: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    parent_sha: Mapped[str | None] = mapped_column(String(40))
    base_sha: Mapped[str | None] = mapped_column(String(40))
    problem: Mapped[str | None] = mapped_column(Text)


class BlameChange(Base):
    """One action that a ``main`` commit changed against its base: the action as that
    commit has it (JSON text, key order kept), or NULL where the commit removed it."""

    __tablename__ = "workflow_blame_changes"

    workflow_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workflows.id", ondelete="CASCADE"), primary_key=True
    )
    action_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    commit_sha: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    action: Mapped[str | None] = mapped_column(Text)


class WebhookEndpoint(Base):
    """A tenant's webhook endpoint: where events of the types it asked for are delivered,
    signed with its secret (sealed with the draft keys: the service needs it to sign, so it
    cannot be a hash). Deleted softly, so its deliveries' history stays readable."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index(None, "tenant_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    url: Mapped[str] = mapped_column(String(2048))
    event_types: Mapped[list[str]] = mapped_column(JsonDocument)
    description: Mapped[str | None] = mapped_column(String(500))
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    created_by: Mapped[str] = mapped_column(USER)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebhookEvent(Base):
    """The outbox: an event, written in the same transaction as the change it describes
    (so a change that rolls back sends nothing, and one that commits cannot lose it).
    ``payload`` is the body every endpoint receives; ``traceparent`` the W3C trace context
    of the change, sent along when set."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index(None, "tenant_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    event_type: Mapped[str] = mapped_column(String(40))
    workflow_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    traceparent: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WebhookDelivery(Base):
    """One event to one endpoint (``endpoint_id`` NULL: the operator's endpoint of the
    environment, ``WFV_MIGRATION_WEBHOOK_URL``). Its id is the ``webhook-id`` every attempt
    carries, so a receiver drops repeats. ``pending`` rows are due at ``next_attempt_at``;
    a ``delivering`` row is claimed by a worker until ``lease_until`` (a worker killed
    mid-delivery leaves it to be claimed again once that passes)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint(
            "state IN ('pending', 'delivering', 'delivered', 'failed', 'cancelled')", name="state"
        ),
        UniqueConstraint("event_id", "endpoint_id"),
        Index(None, "tenant_id", "state", "next_attempt_at"),
        Index(None, "tenant_id", "endpoint_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"))
    endpoint_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Past this, a failed attempt is the last: the delivery is ``failed`` (a day after the
    # event, or after a manual redeliver).
    retry_until: Mapped[datetime] = mapped_column(UtcDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebhookAttempt(Base):
    """One try of a delivery: when, the answer's status (none: no answer), how long it took,
    and our own words for what went wrong (never the receiver's body)."""

    __tablename__ = "webhook_delivery_attempts"
    __table_args__ = (Index(None, "delivery_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    delivery_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"))
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(300))


class IdempotencyKey(Base):
    """One ``Idempotency-Key`` a caller sent with a POST that creates or acts, scoped to
    its tenant and user (``service/idempotency.py``). ``running``: claimed, with a lease
    (a retry meanwhile is answered 409; once the lease lapses, the first request is taken
    for dead and a retry may do the work); ``done``: the first answer, replayed for the
    same request until ``expires_at``. The effect's own transaction turns the claim into
    ``done``, so the stored answer and the effect commit together or not at all."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        CheckConstraint("state IN ('running', 'done')", name="state"),
        Index(None, "expires_at"),
    )

    tenant_id: Mapped[str] = mapped_column(TENANT, primary_key=True)
    user_id: Mapped[str] = mapped_column(USER, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # sha256 of the method, the path, If-Match and the body: what "the same request" means.
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(8))
    # Whose claim this is: every later write of the row names it, so a request whose lease
    # lapsed (and whose key a retry took over) can no longer record its answer.
    claim: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_until: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status_code: Mapped[int | None] = mapped_column(Integer)
    # The answer's replayed headers (a JSON object of strings) and its body, bounded by
    # WFV_IDEMPOTENCY_MAX_ANSWER_BYTES (NULL with a status: the body was too big to keep).
    headers: Mapped[str | None] = mapped_column(Text)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)


class Rollout(Base):
    """A guarded rollout of a draft (``target``) to new enrolments while the current version
    (``baseline``) stays current: a ramp of steps, each a share of new contacts for a time
    (``service.rollouts``). The state lives here, so a worker killed between steps resumes
    the schedule from it; every change is also a line in the target's git note
    (``refs/notes/rollouts``), from which reindex restores the row (the cohort aside: contact
    ids never go into git). ``revision`` counts the records: a compare-and-set names it."""

    __tablename__ = "rollouts"
    __table_args__ = (
        CheckConstraint("state IN ('running', 'paused', 'halted', 'published', 'aborted')", name="state"),
        CheckConstraint("step_index >= 0", name="step_index"),
        # At most one rollout per workflow that is not over.
        Index(
            "uq_rollouts_one_active",
            "workflow_id",
            unique=True,
            postgresql_where=text("state IN ('running', 'paused', 'halted')"),
            sqlite_where=text("state IN ('running', 'paused', 'halted')"),
        ),
        # The schedule's query: running rollouts whose next step is due.
        Index(None, "tenant_id", "state", "next_step_at"),
        Index(None, "tenant_id", "workflow_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(TENANT)
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    target_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workflow_versions.id", ondelete="CASCADE")
    )
    baseline_version_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    state: Mapped[str] = mapped_column(String(16))
    # [{"percent": 5, "seconds": 3600}, ...]: strictly increasing, the last 100.
    steps: Mapped[list[dict[str, int]]] = mapped_column(JsonDocument)
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    step_started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When the schedule moves on (NULL unless running).
    next_step_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Contact ids that always get the target (bounded by schemas.rollouts).
    cohort: Mapped[list[str]] = mapped_column(JsonDocument)
    # failure_margin, exit_margin, min_sample, migrate_back: read by the guards.
    guard: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    halted_reason: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(USER)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
