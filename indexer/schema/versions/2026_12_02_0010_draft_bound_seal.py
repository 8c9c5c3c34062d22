"""Stored drafts re-sealed bound to their place: every kept revision, a Fernet token until
now (one row's token decrypted in any other row), is decrypted and sealed again with its
draft's (tenant, version, user) as associated data (``indexer.draft_seal``). The downgrade
seals them back as Fernet tokens. Both need the draft keys (``wfv db upgrade`` passes
WFV_DRAFT_KEYS); a token no key opens is left as it is (it was unreadable already).

Drafts in Redis are not reached from here: let the write-behind flush them (or let them
expire) before upgrading; a Redis copy sealed the old way is refused as unreadable.

Revision ID: 0010_draft_bound_seal
Revises: 0009_history_kept
Create Date: 2026-12-02 13:20:00
"""

import logging
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from indexer.draft_seal import VERSION, DraftSeal, SealBroken, associated_data

revision: str = "0010_draft_bound_seal"
down_revision: str | None = "0009_history_kept"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DRAFTS = "workflow_version_drafts"
REVISIONS = "workflow_version_draft_revisions"
_CHUNK = 500
log = logging.getLogger("alembic.runtime.migration")

# token, associated data -> new token, or None to leave the row alone
Reseal = Callable[[bytes, bytes], bytes | None]


def _keys(count: int) -> list[str]:
    keys: list[str] = list(context.config.attributes.get("draft_keys") or [])
    if not keys:
        raise RuntimeError(
            f"revision 0010 re-seals {count} stored draft revision(s) and needs the draft keys:"
            " run `wfv db upgrade` with WFV_DRAFT_KEYS (or the data folder's draft-keys file)"
        )
    return keys


def _rewrite(reseal_with: Callable[[list[str]], Reseal]) -> None:
    """Every revision row, in keyset chunks, through ``reseal``; row-level security lifted
    meanwhile (it binds the owner too) so that every tenant's drafts are visible."""
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        for table in (DRAFTS, REVISIONS):
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    drafts = sa.table(
        DRAFTS,
        sa.column("id", sa.Uuid()),
        sa.column("tenant_id"),
        sa.column("version_id", sa.Uuid()),
        sa.column("user_id"),
    )
    revisions = sa.table(
        REVISIONS,
        sa.column("draft_id", sa.Uuid()),
        sa.column("revision"),
        sa.column("content", sa.LargeBinary()),
    )
    count = bind.scalar(sa.select(sa.func.count()).select_from(revisions)) or 0
    if count:
        _reseal_all(bind, drafts, revisions, reseal_with(_keys(count)))
    if postgres:
        for table in (DRAFTS, REVISIONS):
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def _reseal_all(
    bind: sa.Connection, drafts: sa.TableClause, revisions: sa.TableClause, reseal: Reseal
) -> None:
    query = (
        sa.select(
            revisions.c.draft_id,
            revisions.c.revision,
            revisions.c.content,
            drafts.c.tenant_id,
            drafts.c.version_id,
            drafts.c.user_id,
        )
        .join(drafts, drafts.c.id == revisions.c.draft_id)
        .order_by(revisions.c.draft_id, revisions.c.revision)
        .limit(_CHUNK)
    )
    update = (
        sa.update(revisions)
        .where(revisions.c.draft_id == sa.bindparam("d"), revisions.c.revision == sa.bindparam("r"))
        .values(content=sa.bindparam("token"))
    )
    after: tuple[object, int] | None = None
    while True:
        page = (
            query
            if after is None
            else query.where(sa.tuple_(revisions.c.draft_id, revisions.c.revision) > after)
        )
        rows = bind.execute(page).all()
        if not rows:
            break
        changed = []
        for draft_id, number, content, tenant, version, user in rows:
            token = reseal(bytes(content), associated_data(tenant, version, user))
            if token is not None:
                changed.append({"d": draft_id, "r": number, "token": token})
        if changed:
            bind.execute(update, changed)
        after = (rows[-1][0], rows[-1][1])


def _bind(keys: list[str]) -> Reseal:
    fernet, seal = MultiFernet([Fernet(key) for key in keys]), DraftSeal(keys)

    def reseal(token: bytes, associated: bytes) -> bytes | None:
        if token[:1] == VERSION:
            return None  # sealed bound already (a re-run)
        try:
            return seal.seal(fernet.decrypt(token), associated)
        except InvalidToken:
            log.warning("a stored draft revision no draft key opens is left as it is")
            return None

    return reseal


def _unbind(keys: list[str]) -> Reseal:
    fernet, seal = MultiFernet([Fernet(key) for key in keys]), DraftSeal(keys)

    def reseal(token: bytes, associated: bytes) -> bytes | None:
        if token[:1] != VERSION:
            return None  # a Fernet token already
        try:
            return fernet.encrypt(seal.open(token, associated))
        except SealBroken:
            log.warning("a stored draft revision no draft key opens is left as it is")
            return None

    return reseal


def upgrade() -> None:
    _rewrite(_bind)


def downgrade() -> None:
    _rewrite(_unbind)
