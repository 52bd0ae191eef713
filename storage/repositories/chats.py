"""Subscribed chats: their settings and the topics they follow.

A new chat follows every topic (``follows_all_topics``) until it changes its own list: the first
follow or unfollow copies the current topics into the list and turns the flag off.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, time

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import NotFoundError
from storage.orm import (
    ChatRow,
    ChatTopicRow,
    ConflictRow,
    OutboxRow,
    TopicRow,
    as_utc,
    as_utc_or_none,
)
from storage.records import ChatKind, Subscriber, Topic
from storage.repositories.topics import to_topic

# "Following all topics" means the watchlist's: topics made in other chats stay theirs.
_WATCHLIST_TOPIC_IDS = select(TopicRow.id).where(TopicRow.created_by_chat_id.is_(None))
DEFAULT_ALERTS = True
DEFAULT_DIGEST_SIZE = 10
DEFAULT_EMPTY_DIGEST = True
DEFAULT_LANGUAGE = "en"


def to_subscriber(row: ChatRow, topic_ids: Collection[int]) -> Subscriber:
    return Subscriber(
        chat_id=row.chat_id,
        kind=ChatKind(row.kind),
        title=row.title,
        timezone=row.timezone,
        digest_time=row.digest_time,
        alerts=row.alerts,
        digest_size=row.digest_size,
        active=row.active,
        follows_all_topics=row.follows_all_topics,
        created_at=as_utc(row.created_at),
        last_digest_at=as_utc_or_none(row.last_digest_at),
        topic_ids=frozenset(topic_ids),
        thread_id=row.thread_id,
        empty_digest=row.empty_digest,
        last_alert_conflict_id=row.last_alert_conflict_id,
        language=row.language,
    )


class ChatRepository:
    """Subscriber.topic_ids is what a chat follows: every topic while it follows all."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def subscribe(
        self,
        chat_id: int,
        kind: ChatKind,
        title: str | None,
        *,
        timezone: str,
        digest_time: time,
        now: datetime,
        thread_id: int | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> Subscriber:
        """Create the chat with these defaults, or reactivate it keeping its settings.

        ``thread_id`` (the forum topic it subscribed from) replaces the stored one when given;
        ``language`` is a new chat's (a chat that exists keeps its own).
        A new or reactivated chat is alerted only to conflicts found from now on: conflicts
        already on record count as considered.
        """
        row = await self._session.get(ChatRow, chat_id)
        if row is None or not row.active:
            newest_conflict = await self._session.scalar(select(func.max(ConflictRow.id)))
            if row is None:
                row = _new_chat(chat_id, timezone, digest_time, now)
                row.language = language
                self._session.add(row)
            row.last_alert_conflict_id = newest_conflict
        row.kind, row.title, row.active = kind.value, title, True
        if thread_id is not None:
            row.thread_id = thread_id
        await self._session.flush()
        return await self._subscriber(row)

    async def unsubscribe(self, chat_id: int) -> bool:
        """Stop sending to the chat, keeping its settings; False if it was not subscribed."""
        row = await self._session.get(ChatRow, chat_id)
        if row is None or not row.active:
            return False
        row.active = False
        return True

    async def deactivate(self, chat_id: int) -> bool:
        """The chat blocked the bot or is gone: same as unsubscribing, data kept."""
        return await self.unsubscribe(chat_id)

    async def forget(self, chat_id: int) -> bool:
        """Delete the chat and its topic links; False if there was none."""
        removed = await self._session.scalars(
            delete(ChatRow).where(ChatRow.chat_id == chat_id).returning(ChatRow.chat_id)
        )
        return removed.one_or_none() is not None

    async def get(self, chat_id: int) -> Subscriber | None:
        row = await self._session.get(ChatRow, chat_id)
        return None if row is None else await self._subscriber(row)

    async def list_active(self) -> list[Subscriber]:
        """Active chats by id, each with the topics it follows (three queries in all)."""
        rows = (
            await self._session.scalars(
                select(ChatRow).where(ChatRow.active.is_(True)).order_by(ChatRow.chat_id)
            )
        ).all()
        every_topic = set(await self._session.scalars(_WATCHLIST_TOPIC_IDS))
        followed: defaultdict[int, set[int]] = defaultdict(set)
        links = await self._session.execute(
            select(ChatTopicRow.chat_id, ChatTopicRow.topic_id)
            .join(ChatRow, ChatRow.chat_id == ChatTopicRow.chat_id)
            .where(ChatRow.active.is_(True))
        )
        for chat_id, topic_id in links:
            followed[chat_id].add(topic_id)
        return [
            to_subscriber(row, every_topic if row.follows_all_topics else followed[row.chat_id])
            for row in rows
        ]

    async def update_settings(
        self,
        chat_id: int,
        *,
        timezone: str | None = None,
        digest_time: time | None = None,
        alerts: bool | None = None,
        digest_size: int | None = None,
        empty_digest: bool | None = None,
        language: str | None = None,
    ) -> Subscriber:
        """Change the settings given (None leaves one as it is)."""
        row = await self._row(chat_id)
        if timezone is not None:
            row.timezone = timezone
        if digest_time is not None:
            row.digest_time = digest_time
        if alerts is not None:
            row.alerts = alerts
        if digest_size is not None:
            row.digest_size = digest_size
        if empty_digest is not None:
            row.empty_digest = empty_digest
        if language is not None:
            row.language = language
        return await self._subscriber(row)

    async def follow(self, chat_id: int, topic_id: int) -> bool:
        """Add a topic to the chat's list; False if it already followed it."""
        row = await self._row(chat_id)
        if await self._session.get(TopicRow, topic_id) is None:
            raise NotFoundError("topic", topic_id)
        followed = await self._own_list(row)
        if topic_id in followed:
            return False
        self._session.add(ChatTopicRow(chat_id=chat_id, topic_id=topic_id))
        await self._session.flush()
        return True

    async def unfollow(self, chat_id: int, topic_id: int) -> bool:
        """Drop a topic from the chat's list; False if it did not follow it."""
        row = await self._row(chat_id)
        if topic_id not in await self._own_list(row):
            return False
        await self._session.execute(
            delete(ChatTopicRow).where(
                ChatTopicRow.chat_id == chat_id, ChatTopicRow.topic_id == topic_id
            )
        )
        return True

    async def topics_of(self, chat_id: int) -> list[Topic]:
        """The topics the chat follows, by name."""
        row = await self._row(chat_id)
        query = select(TopicRow).order_by(TopicRow.name, TopicRow.id)
        if row.follows_all_topics:
            query = query.where(TopicRow.created_by_chat_id.is_(None))
        else:
            query = query.join(ChatTopicRow, ChatTopicRow.topic_id == TopicRow.id).where(
                ChatTopicRow.chat_id == chat_id
            )
        return [to_topic(topic) for topic in await self._session.scalars(query)]

    async def mark_digest_sent(self, chat_id: int, at: datetime) -> None:
        """A scheduled digest went out: the next one's window starts ``at``."""
        row = await self._row(chat_id)
        row.last_digest_at = at

    async def claim_digest(self, chat_id: int, previous: datetime | None, at: datetime) -> bool:
        """Move the digest window to ``at`` only if it still starts at ``previous``: of several
        workers deciding the same digest is due, exactly one gets True and sends it."""
        last = ChatRow.last_digest_at
        unchanged = last.is_(None) if previous is None else last == previous
        moved = await self._session.execute(
            update(ChatRow)
            .where(ChatRow.chat_id == chat_id, unchanged)
            .values(last_digest_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(moved, "rowcount", 0) == 1)

    async def mark_alerts_checked(self, chat_id: int, conflict_id: int) -> None:
        """Conflicts up to ``conflict_id`` were considered for alerts in this chat.

        Never moves back, so a slower job finishing late cannot re-open conflicts for alerts.
        """
        row = await self._row(chat_id)
        if row.last_alert_conflict_id is None or row.last_alert_conflict_id < conflict_id:
            row.last_alert_conflict_id = conflict_id

    async def last_digest_run(self) -> datetime | None:
        """When the latest scheduled digest went out to any chat; None if none ever did."""
        latest = await self._session.scalar(select(func.max(ChatRow.last_digest_at)))
        return as_utc_or_none(latest)

    async def count_active(self) -> int:
        count = await self._session.scalar(
            select(func.count()).select_from(ChatRow).where(ChatRow.active.is_(True))
        )
        return count or 0

    async def migrate(self, old_id: int, new_id: int) -> Subscriber | None:
        """A group became a supergroup: move the chat, its topics and its unsent messages.

        Idempotent: if ``new_id`` is already a chat, the old one is dropped in its favour.
        """
        await self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.chat_id == old_id, OutboxRow.sent_at.is_(None))
            .values(chat_id=new_id)
        )
        old = await self._session.get(ChatRow, old_id)
        if old is not None and await self._session.get(ChatRow, new_id) is None:
            self._session.add(_copy(old, new_id))
            await self._session.flush()
            await self._session.execute(
                update(ChatTopicRow).where(ChatTopicRow.chat_id == old_id).values(chat_id=new_id)
            )
        if old is not None:
            await self._session.delete(old)
            await self._session.flush()
        return await self.get(new_id)

    async def _own_list(self, row: ChatRow) -> set[int]:
        """The chat's explicit topic list, first copied from all topics if it followed all."""
        if row.follows_all_topics:
            topic_ids = list(await self._session.scalars(_WATCHLIST_TOPIC_IDS))
            self._session.add_all(ChatTopicRow(chat_id=row.chat_id, topic_id=t) for t in topic_ids)
            row.follows_all_topics = False
            await self._session.flush()
            return set(topic_ids)
        found = await self._session.scalars(
            select(ChatTopicRow.topic_id).where(ChatTopicRow.chat_id == row.chat_id)
        )
        return set(found)

    async def _subscriber(self, row: ChatRow) -> Subscriber:
        query = _WATCHLIST_TOPIC_IDS
        if not row.follows_all_topics:
            query = select(ChatTopicRow.topic_id).where(ChatTopicRow.chat_id == row.chat_id)
        return to_subscriber(row, set(await self._session.scalars(query)))

    async def _row(self, chat_id: int) -> ChatRow:
        row = await self._session.get(ChatRow, chat_id)
        if row is None:
            raise NotFoundError("chat", chat_id)
        return row


def _new_chat(chat_id: int, timezone: str, digest_time: time, now: datetime) -> ChatRow:
    return ChatRow(
        chat_id=chat_id,
        timezone=timezone,
        digest_time=digest_time,
        alerts=DEFAULT_ALERTS,
        digest_size=DEFAULT_DIGEST_SIZE,
        follows_all_topics=True,
        created_at=now,
        empty_digest=DEFAULT_EMPTY_DIGEST,
        language=DEFAULT_LANGUAGE,
    )


def _copy(row: ChatRow, chat_id: int) -> ChatRow:
    return ChatRow(
        chat_id=chat_id,
        kind=ChatKind.SUPERGROUP.value,  # Telegram migrates groups to supergroups only
        title=row.title,
        timezone=row.timezone,
        digest_time=row.digest_time,
        alerts=row.alerts,
        digest_size=row.digest_size,
        active=row.active,
        follows_all_topics=row.follows_all_topics,
        created_at=row.created_at,
        last_digest_at=row.last_digest_at,
        thread_id=row.thread_id,
        empty_digest=row.empty_digest,
        last_alert_conflict_id=row.last_alert_conflict_id,
        language=row.language,
    )
