"""The language the bot writes to a chat in: English, Russian or Ukrainian.

Revision ID: 0004_chat_language
Revises: 0003_outbox_photo
Create Date: 2026-12-02

Existing chats get English, as they had it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_chat_language"
down_revision: str | None = "0003_outbox_photo"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "chats", sa.Column("language", sa.String(8), nullable=False, server_default="en")
    )


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:  # SQLite: a table copy, keys and indexes kept
        batch.drop_column("language")
