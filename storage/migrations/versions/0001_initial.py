"""Initial schema: sources, items, topics, mentions, claims, conflicts, chats, outbox.

Revision ID: 0001_initial
Revises:
Create Date: 2024-11-01

Written by hand; every constraint and index is named (see storage.orm.NAMING_CONVENTION) so
later revisions can alter them on PostgreSQL and in SQLite batch mode.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)
SHORT = sa.String(16)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [target], name=f"fk_{table}_{column}_{target.split('.')[0]}", ondelete="CASCADE"
    )


def upgrade() -> None:
    _create_sources()
    _create_items()
    _create_topics_and_claims()
    _create_conflicts_and_chats()
    _create_outbox()


def _create_sources() -> None:
    op.create_table(
        "sources",
        _id(),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("added_as", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("kind", SHORT, nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("status", SHORT, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("next_check_at", INSTANT, nullable=False),
        sa.Column("last_checked_at", INSTANT, nullable=True),
        sa.Column("last_success_at", INSTANT, nullable=True),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failing_since", INSTANT, nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("lease_owner", sa.Text(), nullable=True),
        sa.Column("lease_until", INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("url", name="uq_sources_url"),
    )
    op.create_index("ix_sources_status_next_check_at", "sources", ["status", "next_check_at"])


def _create_items() -> None:
    op.create_table(
        "items",
        _id(),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_at", INSTANT, nullable=False),
        sa.Column("first_seen_at", INSTANT, nullable=False),
        sa.Column("lang", SHORT, nullable=True),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("forwarded_from", sa.Text(), nullable=True),
        sa.Column("edited_at", INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        _fk("source_id", "items", "sources.id"),
        sa.UniqueConstraint("source_id", "guid", name="uq_items_source_id_guid"),
    )
    op.create_index("ix_items_first_seen_at", "items", ["first_seen_at"])
    op.create_index("ix_items_content_hash", "items", ["content_hash"])
    op.create_index("ix_items_published_at", "items", ["published_at"])

    op.create_table(
        "item_edits",
        _id(),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("edited_at", INSTANT, nullable=False),
        sa.Column("old_title", sa.Text(), nullable=True),
        sa.Column("old_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_item_edits"),
        _fk("item_id", "item_edits", "items.id"),
    )
    op.create_index("ix_item_edits_item_id", "item_edits", ["item_id"])


def _create_topics_and_claims() -> None:
    op.create_table(
        "topics",
        _id(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("exclude", sa.JSON(), nullable=False),
        sa.Column("created_by_chat_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_topics"),
        sa.UniqueConstraint("name", name="uq_topics_name"),
    )

    op.create_table(
        "mentions",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("item_id", "topic_id", name="pk_mentions"),
        _fk("item_id", "mentions", "items.id"),
        _fk("topic_id", "mentions", "topics.id"),
    )
    op.create_index("ix_mentions_topic_id", "mentions", ["topic_id"])

    op.create_table(
        "claims",
        _id(),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("origin", SHORT, nullable=False),
        sa.Column("stated_at", INSTANT, nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("modifier", SHORT, nullable=False),
        sa.Column("polarity", SHORT, nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("low", sa.Double(), nullable=True),
        sa.Column("high", sa.Double(), nullable=True),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("relay", sa.Text(), nullable=True),
        sa.Column("unsourced", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        _fk("topic_id", "claims", "topics.id"),
        _fk("item_id", "claims", "items.id"),
    )
    op.create_index("ix_claims_topic_id_measure", "claims", ["topic_id", "measure"])
    op.create_index("ix_claims_item_id", "claims", ["item_id"])


def _create_conflicts_and_chats() -> None:
    op.create_table(
        "conflicts",
        _id(),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("other_claim_id", sa.Integer(), nullable=False),
        sa.Column("kind", SHORT, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detected_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conflicts"),
        _fk("claim_id", "conflicts", "claims.id"),
        _fk("other_claim_id", "conflicts", "claims.id"),
        sa.UniqueConstraint(
            "claim_id", "other_claim_id", name="uq_conflicts_claim_id_other_claim_id"
        ),
    )
    op.create_index("ix_conflicts_other_claim_id", "conflicts", ["other_claim_id"])

    op.create_table(
        "chats",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", SHORT, nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("digest_time", sa.Time(), nullable=False),
        sa.Column("alerts", sa.Boolean(), nullable=False),
        sa.Column("digest_size", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("follows_all_topics", sa.Boolean(), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("last_digest_at", INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("chat_id", name="pk_chats"),
    )

    op.create_table(
        "chat_topics",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "topic_id", name="pk_chat_topics"),
        _fk("chat_id", "chat_topics", "chats.chat_id"),
        _fk("topic_id", "chat_topics", "topics.id"),
    )
    op.create_index("ix_chat_topics_topic_id", "chat_topics", ["topic_id"])


def _create_outbox() -> None:
    op.create_table(
        "outbox",
        _id(),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", SHORT, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("not_before_at", INSTANT, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", INSTANT, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("dropped", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    # Partial: only messages still to send are indexed, so the table can grow.
    op.create_index(
        "ix_outbox_due",
        "outbox",
        ["not_before_at"],
        sqlite_where=sa.text("sent_at IS NULL AND NOT dropped"),
        postgresql_where=sa.text("sent_at IS NULL AND NOT dropped"),
    )


def downgrade() -> None:
    for table in (
        "outbox",
        "chat_topics",
        "chats",
        "conflicts",
        "claims",
        "mentions",
        "topics",
        "item_edits",
        "items",
        "sources",
    ):
        op.drop_table(table)  # drops its indexes and constraints with it
