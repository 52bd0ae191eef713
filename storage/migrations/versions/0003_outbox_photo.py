"""A picture in the outbox: a digest's chart is sent as a photo with its caption.

Revision ID: 0003_outbox_photo
Revises: 0002_chat_threads_and_digest
Create Date: 2026-12-02

A nullable column: existing messages are text, as they were.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_outbox_photo"
down_revision: str | None = "0002_chat_threads_and_digest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("photo", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:  # SQLite: a table copy, indexes kept
        batch.drop_column("photo")
