"""The bare git repositories, one per workflow: the source of truth for every version."""

from repo_store.errors import RefConflict, RepoError, RepoNotFound
from repo_store.gitenv import hermetic_libgit2
from repo_store.store import CommitInfo, Identity, PygitRepoStore, RefUpdate, WorkflowRepo

hermetic_libgit2()

__all__ = [
    "CommitInfo",
    "Identity",
    "PygitRepoStore",
    "RefConflict",
    "RefUpdate",
    "RepoError",
    "RepoNotFound",
    "WorkflowRepo",
]
