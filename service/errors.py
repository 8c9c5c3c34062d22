"""Domain errors: plain exceptions with a status, a title and a slug, raised by use cases
and tasks. Nothing here knows HTTP; ``service.api.problems`` is the one place they become
RFC 9457 ``application/problem+json`` answers."""

from typing import Any


class Problem(Exception):
    """A failure the caller can act on. ``extra`` fields join the problem document;
    ``headers`` are response fields the problem carries (a 429's ``Retry-After``), named
    here as data: HTTP renders them."""

    status_code = 400
    title = "Bad request"
    slug = "bad-request"
    headers: dict[str, str] | None = None

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class Unauthorized(Problem):
    status_code, title, slug = 401, "Unauthorized", "unauthorized"


class Forbidden(Problem):
    status_code, title, slug = 403, "Forbidden", "forbidden"


class WorkflowNotFound(Problem):
    status_code, title, slug = 404, "Workflow not found", "workflow-not-found"


class VersionNotFound(Problem):
    status_code, title, slug = 404, "Version not found", "version-not-found"


class VersionConflict(Problem):
    status_code, title, slug = 409, "Version conflict", "version-conflict"


class StaleLock(Problem):
    """A write based on an old ``lock_version`` (409 from the body, 412 from If-Match)."""

    status_code, title, slug = 409, "Stale lock version", "stale-lock-version"


class PreconditionFailed(StaleLock):
    status_code, title = 412, "Precondition failed"


class PreconditionRequired(Problem):
    status_code, title, slug = 428, "Precondition required", "precondition-required"


class VersionLimitReached(Problem):
    status_code, title, slug = 409, "Version limit reached", "version-limit-reached"


class DefinitionIncomplete(Problem):
    status_code, title, slug = 422, "Definition incomplete", "definition-incomplete"


class RefsMoved(Problem):
    """A repository's refs are not where wfv left them (moved by hand, a restored backup):
    nothing is written or indexed from them until an operator puts them back."""

    status_code, title, slug = 409, "Repository refs moved outside wfv", "ref-moved"


class UnsupportedMediaType(Problem):
    """A body the route cannot read as sent (the API's JSON, git's own request types)."""

    status_code, title, slug = 415, "Unsupported media type", "unsupported-media-type"


class PayloadTooLarge(Problem):
    status_code, title, slug = 413, "Payload too large", "payload-too-large"


class DatabaseUnavailable(Problem):
    """The index database cannot be reached (down, restarting, pool exhausted): retry."""

    status_code, title, slug = 503, "Database unavailable", "database-unavailable"


class TransactionConflict(DatabaseUnavailable):
    """The database rolled the transaction back to settle a conflict with a concurrent one
    (a deadlock, a serialization failure, SQLite's lock wait running out): nothing was
    changed, and the same request is likely to succeed when sent again."""

    title, slug = "Transaction conflict", "transaction-conflict"


class CommitOutcomeUnknown(DatabaseUnavailable):
    """The connection was lost during COMMIT: the change may or may not be saved. Git was
    left ahead of the index, never behind, so healing settles it either way."""

    title, slug = "Commit outcome unknown", "commit-outcome-unknown"


class InvalidIdempotencyKey(Problem):
    """An ``Idempotency-Key`` that is empty, too long or not printable ASCII."""

    status_code, title, slug = 400, "Invalid idempotency key", "invalid-idempotency-key"


class IdempotencyKeyReused(Problem):
    """The key was sent before with another request (method, path, If-Match or body)."""

    status_code, title, slug = 422, "Idempotency key reused", "idempotency-key-reused"


class IdempotencyKeyInUse(Problem):
    """The first request with this key is still running: retry after ``retry_after``."""

    status_code, title, slug = 409, "Idempotency key in use", "idempotency-key-in-use"

    def __init__(self, detail: str, *, retry_after: int, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers = {"Retry-After": str(retry_after)}


class RolloutInProgress(Problem):
    """A publish, a rollback, or an edit of the version being rolled out, refused while a
    guarded rollout of the workflow is not over (``service.rollouts``)."""

    status_code, title, slug = 409, "Rollout in progress", "rollout-in-progress"
