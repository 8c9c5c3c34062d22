"""The SQL of idempotency keys (``service/idempotency.py`` says what they are for).

Every write after the claim names the claim it belongs to (``claim``) and the state it
expects (``running``): a request whose lease lapsed, and whose key a retry took over,
changes nothing any more, whatever it does next.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from indexer.models import IdempotencyKey

_TABLE = cast(Table, IdempotencyKey.__table__)
RUNNING, DONE = "running", "done"


@dataclass(frozen=True)
class KeyScope:
    """Whose key: a key is one caller's (tenant and user), never shared."""

    tenant_id: str
    user_id: str
    key: str


@dataclass(frozen=True)
class StoredKey:
    """A key as the table holds it."""

    fingerprint: str
    state: str
    claim: uuid.UUID
    claimed_at: datetime
    lease_until: datetime
    expires_at: datetime
    status_code: int | None
    headers: str | None
    body: bytes | None


def _where(scope: KeyScope) -> list[Any]:
    return [
        _TABLE.c.tenant_id == scope.tenant_id,
        _TABLE.c.user_id == scope.user_id,
        _TABLE.c.key == scope.key,
    ]


def claim(
    session: Session,
    scope: KeyScope,
    *,
    fingerprint: str,
    claim_id: uuid.UUID,
    now: datetime,
    lease_until: datetime,
    expires_at: datetime,
) -> StoredKey | None:
    """Claim a key not seen before (None: the claim is ours), else the row as it stands,
    locked until the caller's transaction ends (FOR UPDATE; SQLite's writer holds the
    whole database), so the caller may take it over with :func:`reclaim`."""
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = {
        "tenant_id": scope.tenant_id,
        "user_id": scope.user_id,
        "key": scope.key,
        "fingerprint": fingerprint,
        "state": RUNNING,
        "claim": claim_id,
        "created_at": now,
        "lease_until": lease_until,
        "expires_at": expires_at,
    }
    statement = module.insert(_TABLE).values(**values).on_conflict_do_nothing().returning(_TABLE.c.claim)
    # RETURNING says whether the row went in (an INSERT's rowcount is -1 on our PostgreSQL engine).
    if session.execute(statement).scalar_one_or_none() is not None:
        return None
    row = session.execute(select(_TABLE).where(*_where(scope)).with_for_update()).one()
    return StoredKey(
        fingerprint=row.fingerprint,
        state=row.state,
        claim=row.claim,
        claimed_at=row.created_at,
        lease_until=row.lease_until,
        expires_at=row.expires_at,
        status_code=row.status_code,
        headers=row.headers,
        body=row.body,
    )


def reclaim(
    session: Session,
    scope: KeyScope,
    *,
    previous: uuid.UUID,
    fingerprint: str,
    claim_id: uuid.UUID,
    now: datetime,
    lease_until: datetime,
    expires_at: datetime,
) -> bool:
    """Take over a key whose time is up (expired, or a claim whose lease lapsed): a new
    claim, as if the key were new. False if the row changed since it was read."""
    statement = (
        update(_TABLE)
        .where(*_where(scope), _TABLE.c.claim == previous)
        .values(
            fingerprint=fingerprint,
            state=RUNNING,
            claim=claim_id,
            created_at=now,
            lease_until=lease_until,
            expires_at=expires_at,
            status_code=None,
            headers=None,
            body=None,
        )
    )
    return bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]


def settle(
    session: Session,
    scope: KeyScope,
    claim_id: uuid.UUID,
    *,
    status_code: int,
    headers: str,
    body: bytes | None,
) -> bool:
    """Our claim becomes the stored answer. False when the claim is no longer ours."""
    statement = (
        update(_TABLE)
        .where(*_where(scope), _TABLE.c.claim == claim_id, _TABLE.c.state == RUNNING)
        .values(state=DONE, status_code=status_code, headers=headers, body=body)
    )
    return bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]


def release(session: Session, scope: KeyScope, claim_id: uuid.UUID) -> bool:
    """Forget our claim (the request did nothing worth replaying): a retry starts afresh."""
    statement = delete(_TABLE).where(*_where(scope), _TABLE.c.claim == claim_id, _TABLE.c.state == RUNNING)
    return bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]


def delete_expired(session: Session, now: datetime) -> int:
    """Every tenant's keys past their time. On PostgreSQL the session is in no tenant's
    scope and the statement has no WHERE: the ``expired_sweep`` policy (revision 0014)
    alone lets it delete, and only rows whose ``expires_at`` is past by the database's
    clock. SQLite has no row-level security: the condition is spelled out, by ``now``."""
    if session.get_bind().dialect.name == "postgresql":
        return int(session.execute(delete(_TABLE)).rowcount)  # type: ignore[attr-defined]
    return int(session.execute(delete(_TABLE).where(_TABLE.c.expires_at < now)).rowcount)  # type: ignore[attr-defined]
