"""Idempotency keys: a POST that creates or acts, sent again with the same
``Idempotency-Key`` (draft-ietf-httpapi-idempotency-key-header), is answered with its
first answer instead of being done twice.

A key's life, in three transactions at most:

1. **claim** (:func:`claim`, a transaction of its own, committed before any work): a
   ``running`` row with a lease. A retry while it runs is refused (409, try again); a
   retry with another request under the same key, at any time, is refused (422).
2. **settle** (:func:`settle`, inside the route's own unit of work, just before its
   commit): the row becomes ``done`` with the answer. The answer and the effect commit
   together or not at all: a crash before the commit leaves a claim whose lease lapses,
   and the retry then does the work, which never committed; a crash after it leaves the
   answer, which the retry gets.
3. or, when the request changed nothing, **keep** the answer of a refusal the request
   will always get (a 404, a 412, a definition that is incomplete; :func:`keep`), or
   **release** the claim of a failure worth retrying (a database away, a transaction rolled
   back by a conflict, a commit whose outcome is unknown; :func:`release`), so the
   retry does the work. Both are conditional on the claim still being ours and running:
   a release after a commit that did happen (the connection lost in COMMIT) finds the row
   ``done`` and leaves the answer in place.

A claim whose lease lapsed (its request died, or is still running after
``WFV_IDEMPOTENCY_LEASE_SECONDS``) may be taken over by a retry; the first request, if
alive, then fails to settle (409) and its unit of work rolls back: one effect at most.

One window is git's: a request that died after its ref move and before its SQL commit
left an effect the index does not have yet (healing adopts it) and a claim still
``running``. So every commit a request writes carries its claim id (the
``Idempotency-Claim`` trailer, :func:`claim_trailers`; a workflow it creates is named
after it, :func:`workflow_id_for`), and the retry that takes over a lapsed claim
(:attr:`Claim.lapsed`) first looks in git for that claim's effect, and answers from it
instead of doing the work again (``service.versions.retries``).
Keys live ``WFV_IDEMPOTENCY_TTL_SECONDS`` from their claim; a lookup treats an older one as
absent, and the periodic sweep deletes them (:func:`expire`).
"""

import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from indexer import idempotency as rows
from indexer.idempotency import DONE, RUNNING, KeyScope
from schemas.history import Trailer
from service.errors import IdempotencyKeyInUse, IdempotencyKeyReused
from service.uow import Services, UnitOfWork

log = logging.getLogger("wfv.idempotency")

# A 409 says when to look again: most requests end well within a second or two.
RETRY_AFTER_SECONDS = 1


@dataclass(frozen=True)
class Answer:
    """What is replayed: the status, the headers worth repeating, and the body (None: it
    was bigger than ``WFV_IDEMPOTENCY_MAX_ANSWER_BYTES``, and is not replayed)."""

    status_code: int
    headers: dict[str, str]
    body: bytes | None


@dataclass(frozen=True)
class Lapsed:
    """The claim a retry took over when its lease lapsed: its request may have died after
    moving refs and before committing, leaving an effect only git has."""

    claim_id: uuid.UUID
    claimed_at: datetime


@dataclass(frozen=True)
class Claim:
    """A key this request holds: ``claim_id`` names it in every later write."""

    scope: KeyScope
    claim_id: uuid.UUID
    lapsed: Lapsed | None = None


# The claim of the request this thread serves, set by the HTTP layer around the route:
# what the write path writes into each commit (``claim_trailers``).
_ACTING_FOR: ContextVar[uuid.UUID | None] = ContextVar("wfv_idempotency_claim", default=None)
# Workflow ids named after a claim (uuid5): a retry can tell where its earlier attempt
# would have created the workflow's repository.
_WORKFLOW_IDS = uuid.UUID("4f1d7c8e-2b1a-5c3e-9a6d-0e7f3b2c1d40")


@contextmanager
def acting_for(claimed: Claim | None) -> Iterator[None]:
    """Within the block, commits the request writes carry its claim (no claim: none)."""
    token = _ACTING_FOR.set(claimed.claim_id if claimed is not None else None)
    try:
        yield
    finally:
        _ACTING_FOR.reset(token)


def claim_trailers() -> dict[str, str]:
    """The trailer naming the claim of the request being served, if it has one."""
    claim_id = _ACTING_FOR.get()
    return {Trailer.CLAIM: str(claim_id)} if claim_id is not None else {}


def workflow_id_for(claim_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(_WORKFLOW_IDS, str(claim_id))


def new_workflow_id() -> uuid.UUID:
    """A new workflow's id: named after the request's claim when it has one (a retry of
    a create that died after its ref move finds the repository), else random."""
    claim_id = _ACTING_FOR.get()
    return workflow_id_for(claim_id) if claim_id is not None else uuid.uuid4()


def claim(services: Services, scope: KeyScope, fingerprint: str) -> Claim | Answer:
    """Claim the key for this request (committed at once), or the first answer to replay.
    Raises 422 for a key used with another request and 409 while the first one runs."""
    with services.uow(scope.tenant_id, write=True) as uow:
        now = services.clock()
        fresh = uuid.uuid4()
        times = _times(services, now)
        found = rows.claim(uow.session, scope, fingerprint=fingerprint, claim_id=fresh, now=now, **times)
        lapsed = None
        if found is not None:
            answer = _existing(found, fingerprint, now)
            if answer is not None:
                return answer
            if found.state == RUNNING and found.expires_at > now:
                lapsed = Lapsed(found.claim, found.claimed_at)
            if not rows.reclaim(
                uow.session,
                scope,
                previous=found.claim,
                fingerprint=fingerprint,
                claim_id=fresh,
                now=now,
                **times,
            ):  # the row is locked: impossible, but never claim what we did not write
                raise _in_use(found.lease_until, now)
        uow.commit()
    return Claim(scope, fresh, lapsed)


def _times(services: Services, now: datetime) -> dict[str, datetime]:
    settings = services.settings
    return {
        "lease_until": now + timedelta(seconds=settings.idempotency_lease_seconds),
        "expires_at": now + timedelta(seconds=settings.idempotency_ttl_seconds),
    }


def _existing(found: rows.StoredKey, fingerprint: str, now: datetime) -> Answer | None:
    """The answer to replay; None when the key may be taken over (expired, or a claim
    whose lease lapsed: its request is dead, or will fail to settle)."""
    if found.expires_at <= now:
        return None
    if found.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was sent with another request (method, path, If-Match or body); "
            "use a new key for a new request"
        )
    if found.state == RUNNING:
        if found.lease_until <= now:
            return None
        raise _in_use(found.lease_until, now)
    assert found.state == DONE
    assert found.status_code is not None
    return Answer(found.status_code, json.loads(found.headers or "{}"), found.body)


def _in_use(lease_until: datetime, now: datetime) -> IdempotencyKeyInUse:
    del lease_until, now  # the lease bounds a dead request, not a live one: poll soon
    return IdempotencyKeyInUse(
        "the first request with this Idempotency-Key is still being processed; retry it shortly",
        retry_after=RETRY_AFTER_SECONDS,
    )


def _stored(services: Services, answer: Answer) -> tuple[str, bytes | None]:
    body = answer.body
    limit = services.settings.idempotency_max_answer_bytes
    if body is not None and len(body) > limit:
        log.warning("an answer of %d bytes is over the %d kept for idempotent replays", len(body), limit)
        body = None
    return json.dumps(answer.headers, sort_keys=True), body


def settle(uow: UnitOfWork, claimed: Claim, answer: Answer) -> None:
    """Record ``answer`` in the caller's transaction, with the effect it answers. Raises
    409 when the claim is no longer ours (its lease lapsed and a retry took the key over):
    the caller's unit then rolls back, and the retry's effect is the one that counts."""
    headers, body = _stored(uow.services, answer)
    if not rows.settle(
        uow.session,
        claimed.scope,
        claimed.claim_id,
        status_code=answer.status_code,
        headers=headers,
        body=body,
    ):
        raise IdempotencyKeyInUse(
            "this request took longer than its Idempotency-Key's lease and a retry took the key over; "
            "nothing was changed by this one",
            retry_after=RETRY_AFTER_SECONDS,
        )


def keep(services: Services, claimed: Claim, answer: Answer) -> None:
    """Record the answer of a request that changed nothing (a refusal it will always get,
    a dry run), in a transaction of its own."""
    headers, body = _stored(services, answer)
    with services.uow(claimed.scope.tenant_id, write=True) as uow:
        rows.settle(
            uow.session,
            claimed.scope,
            claimed.claim_id,
            status_code=answer.status_code,
            headers=headers,
            body=body,
        )
        uow.commit()


def release(services: Services, claimed: Claim) -> None:
    """Give the key back after a failure worth retrying: the retry does the work. A claim
    that became an answer (a commit that did happen) is left as it is."""
    with services.uow(claimed.scope.tenant_id, write=True) as uow:
        rows.release(uow.session, claimed.scope, claimed.claim_id)
        uow.commit()


def expire(services: Services) -> int:
    """Delete every tenant's keys past their time (the periodic sweep), in one unit with
    no tenant: row-level security's ``expired_sweep`` policy lets it delete those alone."""
    with services.uow(None, write=True) as uow:
        removed = rows.delete_expired(uow.session, services.clock())
        uow.commit()
    if removed:
        log.info("deleted %d expired idempotency key(s)", removed)
    return removed
