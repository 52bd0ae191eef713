"""Forum topics, digest and alert settings of chats, who added a source, when a claim was recorded.

Revision ID: 0002_chat_threads_and_digest
Revises: 0001_initial
Create Date: 2024-11-15

Existing rows get values: chats send the one-line empty digest (server default true), and a
claim counts as recorded when it was stated (the best guess there is for claims already on
record). SQLite cannot make a column NOT NULL in place, so that step copies the claims table
(batch mode); the other columns are plain ADD COLUMNs on both engines.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_chat_threads_and_digest"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("chats", sa.Column("thread_id", sa.BigInteger(), nullable=True))
    op.add_column(
        "chats",
        sa.Column("empty_digest", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.add_column("chats", sa.Column("last_alert_conflict_id", sa.Integer(), nullable=True))
    op.add_column("sources", sa.Column("added_by_chat_id", sa.BigInteger(), nullable=True))
    op.add_column("outbox", sa.Column("thread_id", sa.BigInteger(), nullable=True))

    op.add_column("claims", sa.Column("recorded_at", INSTANT, nullable=True))
    op.execute("UPDATE claims SET recorded_at = stated_at")
    with op.batch_alter_table("claims") as batch:
        batch.alter_column("recorded_at", existing_type=INSTANT, nullable=False)
    op.create_index("ix_claims_recorded_at", "claims", ["recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_claims_recorded_at", table_name="claims")
    for table, columns in (
        ("claims", ["recorded_at"]),
        ("outbox", ["thread_id"]),
        ("sources", ["added_by_chat_id"]),
        ("chats", ["last_alert_conflict_id", "empty_digest", "thread_id"]),
    ):
        with op.batch_alter_table(table) as batch:  # SQLite: a table copy, indexes kept
            for column in columns:
                batch.drop_column(column)
