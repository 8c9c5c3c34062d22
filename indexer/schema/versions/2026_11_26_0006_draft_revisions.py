"""Draft revisions as rows of their own: a save inserts one sealed revision (a few KB) and
drops the oldest, where the packed history in the draft's row was rewritten whole (about
35 KB for a 20 KB document and ten kept revisions) on every auto-save.

Revision ID: 0006_draft_revisions
Revises: 0005_archival
Create Date: 2026-11-26 07:30:00
"""

import struct
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_draft_revisions"
down_revision: str | None = "0005_archival"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DRAFTS = "workflow_version_drafts"
REVISIONS = "workflow_version_draft_revisions"

# The packed column's framing, as it was written (service/drafts/records.py before this
# revision): a magic, then (revision, length) and the sealed token, for each revision.
_MAGIC = b"WFVD1"
_ENTRY = struct.Struct(">II")


def _unpack(blob: bytes) -> dict[int, bytes]:
    if not blob:
        return {}  # a tombstone
    if not blob.startswith(_MAGIC):
        raise ValueError("not a packed draft history")
    tokens: dict[int, bytes] = {}
    offset = len(_MAGIC)
    while offset < len(blob):
        number, length = _ENTRY.unpack_from(blob, offset)
        offset += _ENTRY.size
        tokens[number] = blob[offset : offset + length]
        offset += length
    return tokens


def _pack(tokens: dict[int, bytes]) -> bytes:
    if not tokens:
        return b""
    return _MAGIC + b"".join(_ENTRY.pack(n, len(t)) + t for n, t in sorted(tokens.items()))


def upgrade() -> None:
    revisions = op.create_table(
        REVISIONS,
        sa.Column("draft_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=128), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            [f"{DRAFTS}.id"],
            name=op.f(f"fk_{REVISIONS}_draft_id_{DRAFTS}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("draft_id", "revision", name=op.f(f"pk_{REVISIONS}")),
    )
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        # Row-level security is forced on the owner too (revision 0002): lifted while every
        # tenant's drafts move, so that none is skipped, and the new table is secured after.
        op.execute(f"ALTER TABLE {DRAFTS} NO FORCE ROW LEVEL SECURITY")

    # Every kept revision of every draft, moved out of the packed column.
    drafts = sa.table(
        DRAFTS, sa.column("id", sa.Uuid()), sa.column("tenant_id"), sa.column("content", sa.LargeBinary())
    )
    for draft_id, tenant_id, content in bind.execute(
        sa.select(drafts.c.id, drafts.c.tenant_id, drafts.c.content)
    ):
        rows = [
            {"draft_id": draft_id, "revision": number, "tenant_id": tenant_id, "content": token}
            for number, token in _unpack(content).items()
        ]
        if rows:
            op.bulk_insert(revisions, rows)

    # In place (SQLite 3.35+ drops a column itself): a batch copy of the table would drop
    # the old one, and its cascade would take the revision rows just written with it.
    with op.batch_alter_table(DRAFTS, schema=None, recreate="never") as batch_op:
        batch_op.drop_column("content")
    if postgres:
        match = "tenant_id = current_setting('app.tenant_id', true)"
        op.execute(f"ALTER TABLE {DRAFTS} FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {REVISIONS} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {REVISIONS} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON {REVISIONS} USING ({match}) WITH CHECK ({match})")
        op.execute(f"GRANT SELECT, INSERT, DELETE ON {REVISIONS} TO wfv_app")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {DRAFTS} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {REVISIONS} NO FORCE ROW LEVEL SECURITY")
    with op.batch_alter_table(DRAFTS, schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
    revisions = sa.table(
        REVISIONS,
        sa.column("draft_id", sa.Uuid()),
        sa.column("revision"),
        sa.column("content", sa.LargeBinary()),
    )
    drafts = sa.table(DRAFTS, sa.column("id", sa.Uuid()), sa.column("content", sa.LargeBinary()))
    packed: dict[object, dict[int, bytes]] = {
        draft_id: {} for draft_id in bind.scalars(sa.select(drafts.c.id))
    }
    for draft_id, number, token in bind.execute(
        sa.select(revisions.c.draft_id, revisions.c.revision, revisions.c.content)
    ):
        packed[draft_id][number] = token
    for draft_id, tokens in packed.items():
        bind.execute(sa.update(drafts).where(drafts.c.id == draft_id).values(content=_pack(tokens)))
    op.drop_table(REVISIONS)  # first: SQLite copies the table to alter it, and would cascade
    with op.batch_alter_table(DRAFTS, schema=None) as batch_op:
        batch_op.alter_column("content", existing_type=sa.LargeBinary(), nullable=False)
    if bind.dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {DRAFTS} FORCE ROW LEVEL SECURITY")
