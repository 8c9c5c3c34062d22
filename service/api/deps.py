"""FastAPI dependencies: the container, the caller, permission checks, path parsing."""

import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from schemas.api import VersionDetail
from service.api.budgets import Budget, budget_of, charge_request
from service.api.turns import take_turn
from service.auth import Permission, Principal, principal_from_claims
from service.container import Container
from service.errors import PreconditionFailed, PreconditionRequired, Problem, StaleLock, Unauthorized
from service.versions.editing import VersionRef

# The dependencies below are ``async`` although they do not await (but for a token not
# verified yet): FastAPI runs a plain ``def`` dependency in a worker thread, and four thread
# hops per request cost more than most of our routes do.


async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]

_BEARER = re.compile(r"^Bearer\s+(\S+)$", re.IGNORECASE)


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("send Authorization: Bearer <token>")
    match = _BEARER.match(authorization.strip())
    if match is None:
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    return match.group(1)


async def current_principal(
    request: Request, container: ContainerDep, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    """A token verified in the last minute is known at once; a new one is verified in a
    worker thread, as that may fetch the identity provider's keys. The request is then
    charged to the caller's tenant (``budgets.py``): a 429 before any work is done; then
    it waits for its tenant's turn when the process is busy (``turns.py``). Draft saves
    take no turn: they mostly wait for their group commit, whose batches need many saves
    in flight, and their CPU has its own bounds (``routes/drafts.py``)."""
    token = bearer_token(authorization)
    claims = container.verifier.verified.get(token)
    if claims is not None:
        principal = principal_from_claims(claims, container.settings.role_permissions)
    else:
        principal = await run_in_threadpool(container.principal_for, token)
    await charge_request(request, principal)
    if budget_of(request) is not Budget.DRAFT_SAVES:
        await take_turn(principal.tenant_id)
    return principal


def require(permission: Permission) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        principal.require(permission)
        return principal

    check.__name__ = f"require_{permission.name.lower()}"
    return check


Reader = Annotated[Principal, Depends(require(Permission.READ))]
Editor = Annotated[Principal, Depends(require(Permission.EDIT))]
Admin = Annotated[Principal, Depends(require(Permission.ADMIN))]


class InvalidVersionRef(Problem):
    status_code, title, slug = 422, "Invalid version reference", "invalid-version-ref"


def to_version_ref(text: str, field: str) -> VersionRef:
    """A version is named by its UUID, its number, or ``v<number>``."""
    text = text.strip()
    if re.fullmatch(r"v?[1-9][0-9]{0,8}", text):
        return int(text.lstrip("v"))
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise InvalidVersionRef(
            "a version is named by its id (UUID), its number or v<number>", field=field
        ) from exc


async def version_path(version: str) -> VersionRef:
    return to_version_ref(version, "version")


VersionPath = Annotated[VersionRef, Depends(version_path)]


@dataclass(frozen=True)
class Precondition:
    """What the request's If-Match says: absent, ``*`` (any version: a deliberate blind
    write, RFC 9110), or the lock_version of the ETag this service sent."""

    given: bool
    lock_version: int | None = None


async def parse_if_match(if_match: Annotated[str | None, Header()] = None) -> Precondition:
    if if_match is None:
        return Precondition(given=False)
    text = if_match.strip()
    if text == "*":
        return Precondition(given=True)
    text = text.removeprefix("W/").strip('"')
    if not text.isdigit():
        raise PreconditionFailed("If-Match must be an ETag this service sent, or *", field="If-Match")
    return Precondition(given=True, lock_version=int(text))


IfMatch = Annotated[Precondition, Depends(parse_if_match)]


def etag(lock_version: int) -> str:
    return f'"{lock_version}"'


@dataclass(frozen=True)
class ExpectedLock:
    """The lock_version a write is based on, and whether If-Match said it."""

    value: int | None
    from_header: bool


def expected_lock(if_match: Precondition, body_lock: int | None, *, required: bool) -> ExpectedLock:
    """If-Match wins over the body's lock_version. ``required``: an edit that names neither
    is refused (428), so nobody overwrites a version without saying which state they edited."""
    if if_match.given:
        return ExpectedLock(if_match.lock_version, from_header=True)
    if body_lock is None and required:
        raise PreconditionRequired(
            "send If-Match with the version's ETag, or lock_version in the body", field="lock_version"
        )
    return ExpectedLock(body_lock, from_header=False)


@contextmanager
def stale_answered_as(expected: ExpectedLock) -> Iterator[None]:
    """Use cases raise ``StaleLock`` (409: the body named a lock that moved on); one whose
    lock came from If-Match is a failed precondition, 412 (RFC 9110). HTTP decides here."""
    try:
        yield
    except StaleLock as exc:
        if expected.from_header and not isinstance(exc, PreconditionFailed):
            raise PreconditionFailed(exc.detail, **exc.extra) from exc
        raise


def json_answer(model: BaseModel, headers: dict[str, str] | None = None) -> Response:
    """A model answered as it is: FastAPI would validate it again against the route's
    response model, in a worker thread of its own, which costs the most read of all."""
    return Response(model.model_dump_json(), media_type="application/json", headers=headers)


def version_detail(version: object, response: Response) -> VersionDetail:
    """One version's answer, with its lock_version as the ETag."""
    detail = VersionDetail.model_validate(version)
    response.headers["ETag"] = etag(detail.lock_version)
    return detail
