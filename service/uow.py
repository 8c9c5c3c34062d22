"""The unit of work: one SQL transaction plus the git ref moves made inside it.

Leaving the block without ``commit()`` rolls back the SQL and moves every ref back (by
compare-and-swap) to where it was. Only the unit of work commits; use cases never do.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Protocol
from uuid import UUID

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from indexer.db import scoped
from repo_store import PygitRepoStore, RefUpdate, RepoError, WorkflowRepo
from schemas.catalogue import ActionTypes
from service.compare.cache import CompareCache
from service.crashpoints import crash_at
from service.drafts.records import DraftCipher
from service.drafts.redis_store import RedisDraftCache
from service.errors import CommitOutcomeUnknown
from service.jobs import Jobs
from service.settings import Settings
from service.webhooks.signing import SecretSeal

log = logging.getLogger("wfv.uow")


class Services(Protocol):
    """What a unit is opened from (``service.container.Container``), as the unit and the
    use cases working in it see it: the unit needs the sessions, the repositories and the
    crash points; a use case, the settings, the clock, the catalogue of action types and
    the stores whose updates follow a commit (Redis drafts, the queue). Declared here, so
    the unit never imports the container."""

    settings: Settings
    read_sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]
    store: PygitRepoStore
    crash_points: frozenset[str]
    compare_cache: CompareCache
    draft_cipher: DraftCipher
    draft_cache: RedisDraftCache | None
    action_types: ActionTypes
    jobs: Jobs
    webhook_seal: SecretSeal

    @property
    def clock(self) -> Callable[[], datetime]: ...

    def uow(self, tenant: str | None, *, write: bool = False) -> "UnitOfWork": ...


class UnitOfWork:
    """``with container.uow(tenant, write=True) as uow: ...; uow.commit()``.

    A unit belongs to one tenant: on PostgreSQL each of its transactions sets
    ``app.tenant_id`` for row-level security, and it opens only that tenant's repositories.
    """

    session: Session

    def __init__(self, services: Services, *, write: bool, tenant: str | None) -> None:
        self.services = services
        self.write = write
        self.tenant = tenant
        self._repos: dict[UUID, WorkflowRepo] = {}
        self._undo: list[tuple[str, Callable[[], None]]] = []
        self._after_commit: list[tuple[str, Callable[[], None]]] = []
        self._committed = False

    def __enter__(self) -> "UnitOfWork":
        # Every transaction of the unit (a healing reader starts a second one) is scoped to
        # its tenant for RLS, in the BEGIN itself (indexer.db); without a tenant the scope
        # is empty and row-level security shows no rows at all.
        factory = self.services.write_sessions if self.write else self.services.read_sessions
        bind = factory.kw["bind"]
        self.session = factory(bind=scoped(bind, self.tenant) if bind.dialect.name == "postgresql" else bind)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._committed and (self.write or self._undo):
            self.rollback()
        # A reading unit just closes: its transaction ends without expiring what it read,
        # so rows returned from it stay usable after the block.
        self.session.close()

    def _tenant(self) -> str:
        """Repositories are the unit's tenant's: a unit without one opens none."""
        if self.tenant is None:
            raise RepoError("a unit of work without a tenant opens no repository")
        return self.tenant

    def repo(self, workflow_id: UUID) -> WorkflowRepo:
        """This unit's own ``Repository`` of its tenant's workflow (pygit2 objects must not
        cross threads)."""
        if workflow_id not in self._repos:
            self._repos[workflow_id] = self.services.store.open(self._tenant(), workflow_id)
        return self._repos[workflow_id]

    def read_ref(self, workflow_id: UUID, name: str) -> str | None:
        """A ref, from the repository this unit opened, else from the files (no opening)."""
        if workflow_id in self._repos:
            return self._repos[workflow_id].ref_target(name)
        return self.services.store.read_ref(self._tenant(), workflow_id, name)

    def interrupted(self, workflow_id: UUID) -> bool:
        """Was a ref update of this workflow cut short by a crash (``repo_store.journal``)?"""
        return self.services.store.interrupted(self._tenant(), workflow_id)

    def create_repo(self, workflow_id: UUID, meta: dict[str, str]) -> WorkflowRepo:
        store, tenant = self.services.store, self._tenant()
        repo = store.create(tenant, workflow_id, meta)
        self._repos[workflow_id] = repo
        self._undo.append((f"remove {repo.path.name}", lambda: store.remove(tenant, workflow_id)))
        return repo

    def swap_refs(self, repo: WorkflowRepo, updates: list[RefUpdate], *, reflog: str) -> None:
        """Move refs now (git before the SQL commit); undone if the unit does not commit.
        Only the write path calls it (``service.versions.write_path.move_refs``), after checking each
        ref against the index."""
        armed = self.services.crash_points
        cut = (lambda: crash_at(armed, "refs-cut")) if "refs-cut" in armed else None
        repo.update_refs(updates, reflog=reflog, cut=cut)
        reverse = [update.reverse() for update in reversed(updates)]
        self._undo.append((f"revert {reflog}", lambda: repo.update_refs(reverse, reflog=f"undo: {reflog}")))

    def after_commit(self, what: str, action: Callable[[], None]) -> None:
        """Run ``action`` only once the transaction has committed (dropped on rollback):
        side effects that must never describe a change that did not happen."""
        self._after_commit.append((what, action))

    def commit(self) -> None:
        try:
            self.session.flush()  # a failure here comes before COMMIT: nothing was saved
        except BaseException:
            self.rollback()
            raise
        moved = bool(self._undo)  # git changed in this unit: the windows healing is for
        armed = self.services.crash_points
        if armed and moved:
            crash_at(armed, "refs-moved")
        try:
            self.session.commit()
        except DBAPIError as exc:
            if exc.connection_invalidated:
                self._keep_refs(exc)
            self.rollback()
            if exc.connection_invalidated:
                raise CommitOutcomeUnknown(
                    "the database connection was lost while saving: the change may have been "
                    "saved; read it back before retrying"
                ) from exc
            raise
        except BaseException:
            self.rollback()
            raise
        self._committed = True
        self._undo.clear()
        if armed and (moved or self._after_commit):  # git changed, or is about to be
            crash_at(armed, "committed")
        actions, self._after_commit = self._after_commit, []
        for what, action in actions:
            try:
                action()
            except Exception:
                # The change is committed; a follow-up that failed is reported, not undone.
                log.exception("after commit, could not %s", what)

    def _keep_refs(self, exc: DBAPIError) -> None:
        """The connection died while committing: the server may have committed. Moving the
        refs back could leave rows that name commits no ref reaches (the index ahead of git),
        so they stay where they are: git is ahead at worst, and healing settles it."""
        if self._undo:
            what = "; ".join(name for name, _ in self._undo)
            log.warning("connection lost while committing (%s): left to healing: %s", what, exc.orig)
        self._undo.clear()

    def rollback(self) -> None:
        try:
            self.session.rollback()
        except DBAPIError as exc:  # a dead connection: its transaction is gone with it
            log.warning("rollback on a lost connection: %s", exc.orig)
        self._after_commit.clear()
        while self._undo:
            what, undo = self._undo.pop()
            try:
                undo()
            except RepoError:
                # Git stays ahead of the index; reconciliation indexes it on next access.
                log.exception("could not %s; git is ahead of the index until reconciled", what)
