"""Topics (from the watchlist file or added by a chat) and the items that mention them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import DuplicateError
from storage.orm import MentionRow, TopicRow
from storage.records import Mention, Topic, topic_name_key
from storage.repositories.batches import in_chunks


class TopicSpecLike(Protocol):
    """What ``sync_watchlist`` reads of a watchlist entry (bot.config.files.TopicSpec fits)."""

    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def exclude(self) -> Sequence[str]: ...


def to_topic(row: TopicRow) -> Topic:
    return Topic(
        id=row.id,
        name=row.name,
        aliases=tuple(row.aliases),
        exclude=tuple(row.exclude),
        created_by_chat_id=row.created_by_chat_id,
    )


class TopicRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def sync_watchlist(self, specs: Sequence[TopicSpecLike]) -> list[Topic]:
        """Make the watchlist topics those of ``specs``, matched by name; returned in spec order.

        A listed name is inserted or updated (a chat's topic of that name joins the watchlist);
        a watchlist topic no longer listed is removed with its mentions and claims. Topics that
        chats added themselves stay. Names are compared as ``topic_name_key`` does; a listed
        name respelt ("Gaza Ceasefire") renames the topic.
        """
        every = list(await self._session.scalars(select(TopicRow).order_by(TopicRow.id)))
        rows: dict[str, TopicRow] = {}
        for row in every:
            rows.setdefault(topic_name_key(row.name), row)
        listed = {topic_name_key(spec.name) for spec in specs}
        for row in every:
            if row.created_by_chat_id is None and topic_name_key(row.name) not in listed:
                await self._session.delete(row)
        synced: list[TopicRow] = []
        for spec in specs:
            key = topic_name_key(spec.name)
            if key not in rows:
                rows[key] = TopicRow(name=spec.name)
                self._session.add(rows[key])
            row = rows[key]
            row.name = spec.name
            row.aliases, row.exclude = list(spec.aliases), list(spec.exclude)
            row.created_by_chat_id = None
            synced.append(row)
        await self._session.flush()
        return [to_topic(row) for row in dict.fromkeys(synced)]

    async def add(
        self,
        name: str,
        aliases: Sequence[str],
        created_by_chat_id: int | None,
        exclude: Sequence[str] = (),
    ) -> Topic:
        """Add a topic; DuplicateError if the name is taken (as ``topic_name_key`` compares)."""
        if await self._row_by_name(name) is not None:
            raise DuplicateError("topic", name)
        row = TopicRow(
            name=name,
            aliases=list(aliases),
            exclude=list(exclude),
            created_by_chat_id=created_by_chat_id,
        )
        self._session.add(row)
        await self._session.flush()
        return to_topic(row)

    async def get(self, topic_id: int) -> Topic | None:
        row = await self._session.get(TopicRow, topic_id)
        return None if row is None else to_topic(row)

    async def get_by_name(self, name: str) -> Topic | None:
        row = await self._row_by_name(name)
        return None if row is None else to_topic(row)

    async def remove(self, topic_id: int) -> bool:
        """Remove a topic with its mentions, claims and chat links; False if there was none."""
        removed = await self._session.scalars(
            delete(TopicRow).where(TopicRow.id == topic_id).returning(TopicRow.id)
        )
        return removed.one_or_none() is not None

    async def add_mentions(self, mentions: Sequence[Mention]) -> int:
        """Record mentions, skipping (item, topic) pairs already on record; returns how many."""
        fresh = {(m.item_id, m.topic_id): m for m in mentions}
        if not fresh:
            return 0
        on_record = await self._session.execute(
            select(MentionRow.item_id, MentionRow.topic_id).where(
                tuple_(MentionRow.item_id, MentionRow.topic_id).in_(list(fresh))
            )
        )
        for item_id, topic_id in on_record:
            fresh.pop((item_id, topic_id), None)
        if fresh:
            values = [
                {
                    "item_id": m.item_id,
                    "topic_id": m.topic_id,
                    "score": m.score,
                    "evidence": m.evidence,
                }
                for m in fresh.values()
            ]
            await self._session.execute(insert(MentionRow), values)
        return len(fresh)

    async def mentions_of_item(self, item_id: int) -> list[Mention]:
        return await self.mentions_of_items([item_id])

    async def mentions_of_items(self, item_ids: Collection[int]) -> list[Mention]:
        """The mentions of these items, by item then strongest first."""
        columns = (MentionRow.item_id, MentionRow.topic_id, MentionRow.score, MentionRow.evidence)
        found: list[Mention] = []
        for chunk in in_chunks(sorted(set(item_ids))):  # a digest asks for thousands: as columns
            query = (
                select(*columns)
                .where(MentionRow.item_id.in_(chunk))
                .order_by(MentionRow.item_id, MentionRow.score.desc(), MentionRow.topic_id)
            )
            found.extend(Mention(*row) for row in await self._session.execute(query))
        return found

    async def _row_by_name(self, name: str) -> TopicRow | None:
        """The topic whose name is ``name`` as ``topic_name_key`` compares names.

        Folding is Unicode-aware, which no SQL ``lower()`` is on both engines, so the names are
        compared here; there are as many topics as chats made (hundreds), not items.
        """
        key = topic_name_key(name)
        rows = await self._session.scalars(select(TopicRow))
        return next((row for row in rows if topic_name_key(row.name) == key), None)

    async def list(self) -> list[Topic]:
        """Every topic, by name."""
        rows = await self._session.scalars(select(TopicRow).order_by(TopicRow.name, TopicRow.id))
        return [to_topic(row) for row in rows]
