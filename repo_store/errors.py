"""libgit2 failures translated into our own exceptions, in this one place."""


class RepoError(Exception):
    """A git operation failed for a reason the caller cannot fix by retrying."""

    status_code = 500


class RepoNotFound(RepoError):
    """The workflow has no repository on disk."""

    status_code = 404


class RefConflict(RepoError):
    """A ref was not where we read it: somebody moved it (compare-and-swap refused)."""

    status_code = 409


class RefLocked(RefConflict):
    """Another writer holds ``<ref>.lock`` (or a killed one left it behind)."""
