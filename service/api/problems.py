"""Every error becomes one kind of answer, RFC 9457 ``application/problem+json``: the
domain errors (``service.errors``), FastAPI's validation errors, Starlette's HTTP errors,
the index's and the repository's, and a database that is away or rolled a request back.
:func:`install_problem_handlers` is the single place that happens."""

import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.pagination import InvalidCursor
from repo_store.errors import RefConflict, RepoError, RepoNotFound
from schemas.status import InvalidTransition
from service.api.validation import refusal, unparsable_body
from service.errors import DatabaseUnavailable, Problem, TransactionConflict
from service.request_context import current_request_id

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 2  # a database restart or failover takes seconds, not minutes
log = logging.getLogger("wfv.errors")


def problem_response(
    status: int,
    title: str,
    slug: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """``headers``: fields the problem itself carries (a 429's ``Retry-After`` and RateLimit)."""
    body = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    request_id = current_request_id()
    if request_id is not None:
        body["request_id"] = request_id  # what to quote to whoever reads the logs
    fields = dict(headers or {})
    if status == 401:
        fields.setdefault("WWW-Authenticate", 'Bearer realm="wfv"')
    elif status == 503:
        fields.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
    return ProblemResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=fields or None)


class ProblemResponse(JSONResponse):
    """A problem body always encodes: one that echoes a string UTF-8 cannot hold (a lone
    surrogate in a conflicting draft) is sent with ASCII escapes rather than failing
    half-way into a 500 and a reset connection."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode(
                "ascii"
            )


async def _on_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_answer(exc)


def problem_answer(exc: Problem) -> JSONResponse:
    """A domain error's answer, with the fields it carries (a 429's or a 409's ``Retry-After``)."""
    return problem_response(
        exc.status_code, exc.title, exc.slug, exc.detail, headers=exc.headers, **exc.extra
    )


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problem = refusal(request, exc)
    return problem_response(problem.status_code, problem.title, problem.slug, problem.detail, **problem.extra)


async def _on_http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 413:
        return problem_response(413, "Payload too large", "payload-too-large", str(exc.detail))
    if exc.status_code == 400:  # FastAPI could not parse the body (e.g. JSON nested too deep)
        detail = unparsable_body(exc, str(exc.detail))
        return problem_response(400, "Malformed body", "malformed-body", detail)
    slug = "not-found" if exc.status_code == 404 else f"http-{exc.status_code}"
    return problem_response(exc.status_code, str(exc.detail), slug, str(exc.detail))


async def _on_transition(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidTransition)
    return transition_answer(exc)


def transition_answer(exc: InvalidTransition) -> JSONResponse:
    return problem_response(
        409,
        "Invalid transition",
        "invalid-transition",
        str(exc),
        transition=exc.transition.value,
        status_from=exc.status.value,
    )


async def _on_cursor(_request: Request, exc: Exception) -> JSONResponse:
    return problem_response(400, "Invalid cursor", "invalid-cursor", str(exc), field="cursor")


async def _on_repo(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RepoError)
    if isinstance(exc, RepoNotFound):
        log.error("index names a workflow whose repository is missing: %s", exc)
        return problem_response(404, "Repository not found", "repository-not-found", str(exc))
    if isinstance(exc, RefConflict):
        return problem_response(409, "Concurrent change", "concurrent-change", f"{exc}; retry the request")
    log.error("repository failure: %s", exc)
    return problem_response(500, "Repository error", "repository-error", "the version store failed")


def database_unavailable(exc: BaseException) -> bool:
    """Is this a database that could not be reached (rather than a query that is wrong)?
    Disconnects, refused or timed-out connections, a pool with no connection to give, and
    the errors a server that is shutting down or recovering answers with."""
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)
    return isinstance(exc, sa_exc.DisconnectionError | sa_exc.TimeoutError)


def transaction_conflict(exc: BaseException) -> bool:
    """Was the transaction rolled back because of a concurrent one, on a database that is
    up? PostgreSQL says so with SQLSTATE class 40 (``40P01`` deadlock, ``40001``
    serialization failure); SQLite says its database is locked or busy."""
    if not isinstance(exc, sa_exc.OperationalError) or exc.connection_invalidated:
        return False
    state = getattr(exc.orig, "sqlstate", None)
    if isinstance(state, str):
        return state.startswith("40")
    return "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig)


async def _on_database(request: Request, exc: Exception) -> JSONResponse:
    if not database_unavailable(exc):
        return await _on_unexpected(request, exc)
    problem: DatabaseUnavailable
    if transaction_conflict(exc):
        log.warning("transaction rolled back by a conflict: %s", str(exc).splitlines()[0])
        problem = TransactionConflict("a concurrent change made the database roll this one back; retry it")
    else:
        log.warning("database unavailable: %s", str(exc).splitlines()[0])
        problem = DatabaseUnavailable("the database is unavailable; retry shortly")
    return problem_response(problem.status_code, problem.title, problem.slug, problem.detail)


async def _on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return problem_response(500, "Internal error", "internal-error", "an unexpected error occurred")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(InvalidTransition, _on_transition)
    app.add_exception_handler(InvalidCursor, _on_cursor)
    app.add_exception_handler(RepoError, _on_repo)
    for database_error in (sa_exc.DBAPIError, sa_exc.DisconnectionError, sa_exc.TimeoutError):
        app.add_exception_handler(database_error, _on_database)
    app.add_exception_handler(Exception, _on_unexpected)
