"""SQLAlchemy rows: private to storage/, mapped to storage.records by the repositories.

The Alembic revisions spell the same schema out by hand; a test compares the two on both
engines. Enums are stored as their string values, durations as integer seconds, instants as
UTC through ``UTCDateTime``.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    true,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from storage.errors import NaiveDatetimeError

# Named constraints: Alembic can drop and alter them on PostgreSQL and in SQLite batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: written as UTC, read back timezone-aware UTC on every engine.

    SQLite has no zone-aware type, so it stores naive UTC text; PostgreSQL uses timestamptz.
    A naive datetime is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        in_utc = as_utc(value)
        return in_utc.replace(tzinfo=None) if dialect.name == "sqlite" else in_utc

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        time: Time(),
        int: Integer(),
        str: Text(),
    }


def _cascade(target: str) -> ForeignKey:
    return ForeignKey(target, ondelete="CASCADE")


class SourceRow(Base):
    __tablename__ = "sources"
    __table_args__ = (
        UniqueConstraint("url"),
        Index("ix_sources_status_next_check_at", "status", "next_check_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str]
    added_as: Mapped[str | None]  # the address as given, before redirects and discovery
    name: Mapped[str | None]
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None]
    interval_seconds: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    next_check_at: Mapped[datetime]
    last_checked_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    error_count: Mapped[int]
    last_error: Mapped[str | None]
    failing_since: Mapped[datetime | None]
    etag: Mapped[str | None]
    last_modified: Mapped[str | None]
    lease_owner: Mapped[str | None]
    lease_until: Mapped[datetime | None]
    added_by_chat_id: Mapped[int | None] = mapped_column(BigInteger)  # None: the operator


class ItemRow(Base):
    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("source_id", "guid"),
        Index("ix_items_first_seen_at", "first_seen_at"),
        Index("ix_items_content_hash", "content_hash"),
        Index("ix_items_published_at", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(_cascade("sources.id"))
    guid: Mapped[str]
    url: Mapped[str | None]
    title: Mapped[str | None]
    text: Mapped[str]
    published_at: Mapped[datetime]
    first_seen_at: Mapped[datetime]
    lang: Mapped[str | None] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(128))
    author: Mapped[str | None]
    forwarded_from: Mapped[str | None]
    edited_at: Mapped[datetime | None]


class ItemEditRow(Base):
    """The title and text an item had before an edit."""

    __tablename__ = "item_edits"
    __table_args__ = (Index("ix_item_edits_item_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(_cascade("items.id"))
    edited_at: Mapped[datetime]
    old_title: Mapped[str | None]
    old_text: Mapped[str]


class TopicRow(Base):
    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    aliases: Mapped[list[str]] = mapped_column(JSON)
    exclude: Mapped[list[str]] = mapped_column(JSON)
    created_by_chat_id: Mapped[int | None] = mapped_column(BigInteger)


class MentionRow(Base):
    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_topic_id", "topic_id"),)

    item_id: Mapped[int] = mapped_column(_cascade("items.id"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(_cascade("topics.id"), primary_key=True)
    score: Mapped[float] = mapped_column(Double)
    evidence: Mapped[str]


class ClaimRow(Base):
    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_topic_id_measure", "topic_id", "measure"),
        Index("ix_claims_item_id", "item_id"),
        Index("ix_claims_recorded_at", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(_cascade("topics.id"))
    item_id: Mapped[int | None] = mapped_column(_cascade("items.id"))
    origin: Mapped[str] = mapped_column(String(16))
    stated_at: Mapped[datetime]
    sentence: Mapped[str]
    measure: Mapped[str]
    scope: Mapped[str]
    modifier: Mapped[str] = mapped_column(String(16))
    polarity: Mapped[str] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Double)
    low: Mapped[float | None] = mapped_column(Double)
    high: Mapped[float | None] = mapped_column(Double)
    speaker: Mapped[str | None]
    relay: Mapped[str | None]
    unsourced: Mapped[bool] = mapped_column(Boolean)
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime]  # when claimwatch recorded it (revision 0002 backfilled it)


class ConflictRow(Base):
    __tablename__ = "conflicts"
    __table_args__ = (
        UniqueConstraint("claim_id", "other_claim_id"),
        Index("ix_conflicts_other_claim_id", "other_claim_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(_cascade("claims.id"))
    other_claim_id: Mapped[int] = mapped_column(_cascade("claims.id"))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str]
    detected_at: Mapped[datetime]


class ChatRow(Base):
    __tablename__ = "chats"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None]
    timezone: Mapped[str] = mapped_column(String(64))
    digest_time: Mapped[time]
    alerts: Mapped[bool] = mapped_column(Boolean)
    digest_size: Mapped[int]
    active: Mapped[bool] = mapped_column(Boolean)
    follows_all_topics: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    last_digest_at: Mapped[datetime | None]
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    empty_digest: Mapped[bool] = mapped_column(Boolean, server_default=true())
    last_alert_conflict_id: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(8), server_default="en")


class ChatTopicRow(Base):
    __tablename__ = "chat_topics"
    __table_args__ = (Index("ix_chat_topics_topic_id", "topic_id"),)

    chat_id: Mapped[int] = mapped_column(BigInteger, _cascade("chats.chat_id"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(_cascade("topics.id"), primary_key=True)


class OutboxRow(Base):
    """A message to deliver. No foreign key on chat_id: admin notices go to any chat."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_due",
            "not_before_at",
            sqlite_where=sql_text("sent_at IS NULL AND NOT dropped"),
            postgresql_where=sql_text("sent_at IS NULL AND NOT dropped"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str]
    created_at: Mapped[datetime]
    not_before_at: Mapped[datetime]
    attempts: Mapped[int]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None]
    dropped: Mapped[bool] = mapped_column(Boolean)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)  # a PNG; ``text`` is its caption


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is refused, not guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(value)
    return value.astimezone(UTC)


def as_utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)
