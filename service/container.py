"""Everything a request or a task needs, built once from the settings it is given."""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from indexer.db import make_engine, make_session_factory, writer
from repo_store import PygitRepoStore
from schemas.catalogue import ActionTypes
from service.auth import Principal, principal_from_claims
from service.auth.tokens import TokenVerifier
from service.compare.cache import CompareCache, build_compare_cache
from service.drafts.group_commit import BatchHandler, GroupCommit
from service.drafts.records import DraftCipher
from service.drafts.redis_store import RedisDraftCache
from service.jobs import Jobs, NoQueue
from service.ops import tracing
from service.ops.data_dir import prepare_data_dir
from service.settings import Settings
from service.uow import UnitOfWork
from service.webhooks.signing import SecretSeal

P = TypeVar("P")
R = TypeVar("R")


@dataclass
class Container:
    settings: Settings
    engine: Engine
    read_sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]
    store: PygitRepoStore
    verifier: TokenVerifier
    compare_cache: CompareCache
    draft_cipher: DraftCipher
    draft_cache: RedisDraftCache | None
    # The action types publishing checks documents with, compiled once from the settings.
    action_types: ActionTypes
    # Seals webhook endpoints' signing secrets at rest (with the draft keys).
    webhook_seal: SecretSeal
    # The wall clock: times git never sees (draft saves, archival's "now"); tests move it.
    # What git and the index both keep is stamped by the clock of record (service/clock.py).
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # Set by a process that hosts the app next to a task queue (``wfv serve``): asks a worker
    # to flush Redis drafts to the database soon. Unset, the workers' minute sweep does it.
    draft_flush_scheduler: Callable[[], None] | None = None
    # Background work use cases ask for: the queue's (``tasks.jobs``), attached by the
    # process that hosts the app or the worker (service/jobs.py).
    jobs: Jobs = field(default_factory=NoQueue)
    # Fault tests only: where a write SIGKILLs this process (service/crashpoints.py).
    crash_points: frozenset[str] = frozenset()
    _writers: dict[str, GroupCommit[Any, Any]] = field(default_factory=dict)
    _writers_lock: threading.Lock = field(default_factory=threading.Lock)

    def principal_for(self, token: str) -> Principal:
        """The caller a token names: one verifier for the API and the git endpoint alike."""
        return principal_from_claims(self.verifier.claims(token), self.settings.role_permissions)

    def uow(self, tenant: str | None, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self, write=write, tenant=tenant)

    def migration_engine(self) -> Engine:
        """The schema owner's engine (``WFV_MIGRATION_DATABASE_URL``), for Alembic only."""
        url = self.settings.resolved_migration_url
        return self.engine if url == self.settings.resolved_database_url else make_engine(url)

    def group_commit(self, name: str, handler: BatchHandler[P, R]) -> GroupCommit[P, R]:
        """This container's writer ``name`` (``service.drafts.group_commit``), made on first use."""
        with self._writers_lock:
            if name not in self._writers:
                self._writers[name] = GroupCommit(handler, name=name)
            found: GroupCommit[P, R] = self._writers[name]
            return found

    def close(self) -> None:
        with self._writers_lock:
            batch_writers, self._writers = list(self._writers.values()), {}
        for batch_writer in batch_writers:
            batch_writer.close()
        self.engine.dispose()
        if self.draft_cache is not None:
            self.draft_cache.close()


def build_container(settings: Settings) -> Container:
    prepare_data_dir(settings.data_dir)
    settings.repos_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    # Traces, when the process turned them on (service/ops/tracing.py): SQL and git writes.
    tracing.instrument_engine(engine)
    return Container(
        settings=settings,
        engine=engine,
        read_sessions=make_session_factory(engine),
        write_sessions=make_session_factory(writer(engine)),
        store=PygitRepoStore(settings.repos_dir, tracer=tracing.tracer()),
        verifier=TokenVerifier(settings),
        compare_cache=build_compare_cache(settings.redis_url, settings.compare_live_ttl_seconds),
        draft_cipher=DraftCipher(settings.draft_key_list()),
        draft_cache=RedisDraftCache.from_settings(settings),
        action_types=settings.action_types,
        webhook_seal=SecretSeal(settings.draft_key_list()),
        crash_points=frozenset(settings.test_crash_points),
    )
