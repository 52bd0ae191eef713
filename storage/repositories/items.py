"""Items: what sources published, identified by (source, guid), with their edit history."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.orm import ItemEditRow, ItemRow, MentionRow, as_utc, as_utc_or_none
from storage.records import AddedItems, Item, NewItem
from storage.repositories.batches import in_chunks


def to_item(row: ItemRow) -> Item:
    return Item(
        id=row.id,
        source_id=row.source_id,
        guid=row.guid,
        url=row.url,
        title=row.title,
        text=row.text,
        published_at=as_utc(row.published_at),
        first_seen_at=as_utc(row.first_seen_at),
        lang=row.lang,
        content_hash=row.content_hash,
        author=row.author,
        forwarded_from=row.forwarded_from,
        edited_at=as_utc_or_none(row.edited_at),
    )


class ItemRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_new(self, source_id: int, items: Sequence[NewItem], now: datetime) -> AddedItems:
        """Store a fetch's items: unseen guids are inserted, seen ones updated if edited.

        Two statements for a whole feed of unchanged entries (one SELECT of the known guids,
        one bulk INSERT); an edit also records the previous title and text. A guid repeated
        within ``items`` counts once (the first wins). Without a publication time an item is
        dated when first seen.
        """
        now = as_utc(now)
        by_guid: dict[str, NewItem] = {}
        for item in items:
            by_guid.setdefault(item.guid, item)
        known = await self._known_versions(source_id, list(by_guid))
        unseen = [item for guid, item in by_guid.items() if guid not in known]
        changed = {
            known[guid][0]: item
            for guid, item in by_guid.items()
            if guid in known and known[guid][1:] != (item.title, item.text)
        }
        return AddedItems(
            new=await self._insert(source_id, unseen, now),
            edited=await self._record_edits(changed, now),
        )

    async def get(self, item_id: int) -> Item | None:
        row = await self._session.get(ItemRow, item_id)
        return None if row is None else to_item(row)

    async def get_many(self, item_ids: Collection[int]) -> dict[int, Item]:
        """The items with these ids, by id; ids with no item are left out."""
        found: dict[int, Item] = {}
        for chunk in in_chunks(sorted(set(item_ids))):
            rows = await self._session.scalars(select(ItemRow).where(ItemRow.id.in_(chunk)))
            found.update((row.id, to_item(row)) for row in rows)
        return found

    async def find_by_content_hash(self, content_hash: str) -> list[Item]:
        """Items with this text, from any source, oldest first."""
        query = (
            select(ItemRow)
            .where(ItemRow.content_hash == content_hash)
            .order_by(ItemRow.first_seen_at, ItemRow.id)
        )
        return [to_item(row) for row in await self._session.scalars(query)]

    async def since_first_seen(
        self,
        after: datetime,
        topic_ids: Collection[int],
        *,
        until: datetime | None = None,
        text_chars: int | None = None,
    ) -> list[Item]:
        """Items first seen in (after, until] that mention any of ``topic_ids``, oldest first;
        with ``text_chars``, each text is its first ``text_chars`` characters (a digest
        clusters stories from an item's lead: the rest of thousands of texts is not sent).

        Digests are windows of arrival time, not of the feeds' (often backdated) dates. The
        window is read through its index and each item's mentions through their primary key
        (``EXISTS``): as ``id IN (mentions of the topics)``, SQLite walked every mention the
        topics ever had. Rows are read as columns, not ORM objects: a window holds thousands.
        """
        if not topic_ids:
            return []
        mentioned = (
            select(MentionRow.item_id)
            .where(MentionRow.item_id == ItemRow.id, MentionRow.topic_id.in_(list(topic_ids)))
            .exists()
        )
        columns: tuple[Any, ...] = _ITEM_COLUMNS
        if text_chars is not None:
            lead = func.substr(ItemRow.text, 1, text_chars).label("text")
            columns = tuple(lead if column.name == "text" else column for column in columns)
        query = select(*columns).where(ItemRow.first_seen_at > after, mentioned)
        if until is not None:
            query = query.where(ItemRow.first_seen_at <= until)
        query = query.order_by(ItemRow.first_seen_at, ItemRow.id)
        result = await self._session.execute(query)
        return [_item_of_columns(row._mapping) for row in result]

    async def edits_of(self, item_id: int) -> list[tuple[datetime, str | None, str]]:
        """The item's earlier versions as (edited_at, old title, old text), oldest first."""
        query = (
            select(ItemEditRow.edited_at, ItemEditRow.old_title, ItemEditRow.old_text)
            .where(ItemEditRow.item_id == item_id)
            .order_by(ItemEditRow.id)
        )
        result = await self._session.execute(query)
        return [(as_utc(at), title, text) for at, title, text in result]

    async def _known_versions(
        self, source_id: int, guids: Sequence[str]
    ) -> dict[str, tuple[int, str | None, str]]:
        """guid -> (id, title, text) of the source's items among ``guids``."""
        known: dict[str, tuple[int, str | None, str]] = {}
        for chunk in in_chunks(guids):
            result = await self._session.execute(
                select(ItemRow.guid, ItemRow.id, ItemRow.title, ItemRow.text).where(
                    ItemRow.source_id == source_id, ItemRow.guid.in_(chunk)
                )
            )
            known.update((guid, (id_, title, text)) for guid, id_, title, text in result)
        return known

    async def _insert(self, source_id: int, items: Sequence[NewItem], now: datetime) -> list[Item]:
        if not items:
            return []
        values = [_values(source_id, item, now) for item in items]
        # Ids are matched back by guid (unique within the source): asking the database to keep
        # the parameters' order makes SQLite fall back to one INSERT a row.
        result = await self._session.execute(
            insert(ItemRow).returning(ItemRow.guid, ItemRow.id), values
        )
        ids = {guid: id_ for guid, id_ in result}
        return [Item(id=ids[row["guid"]], **row) for row in values]

    async def _record_edits(self, changed: dict[int, NewItem], now: datetime) -> list[Item]:
        edited: list[Item] = []
        for chunk in in_chunks(list(changed)):
            rows = await self._session.scalars(select(ItemRow).where(ItemRow.id.in_(chunk)))
            for row in rows:
                item = changed[row.id]
                self._session.add(
                    ItemEditRow(
                        item_id=row.id, edited_at=now, old_title=row.title, old_text=row.text
                    )
                )
                row.title, row.text, row.content_hash = item.title, item.text, item.content_hash
                row.edited_at = now
                edited.append(to_item(row))
        await self._session.flush()
        return sorted(edited, key=lambda item: item.id)

    async def list(
        self, source_id: int | None = None, since: datetime | None = None, limit: int = 50
    ) -> list[Item]:
        """Newest first by publication time (then id); ``since`` bounds the publication time."""
        query = select(ItemRow)
        if source_id is not None:
            query = query.where(ItemRow.source_id == source_id)
        if since is not None:
            query = query.where(ItemRow.published_at >= since)
        query = query.order_by(ItemRow.published_at.desc(), ItemRow.id.desc()).limit(limit)
        return [to_item(row) for row in await self._session.scalars(query)]


_ITEM_COLUMNS = tuple(ItemRow.__table__.columns)


def _item_of_columns(row: Any) -> Item:
    """An Item from a row of ``_ITEM_COLUMNS`` (instants made UTC as ``to_item`` does)."""
    fields = dict(row)
    fields["published_at"] = as_utc(fields["published_at"])
    fields["first_seen_at"] = as_utc(fields["first_seen_at"])
    fields["edited_at"] = as_utc_or_none(fields["edited_at"])
    return Item(**fields)


def _values(source_id: int, item: NewItem, now: datetime) -> dict[str, Any]:
    """The new row's columns, which are also the Item record's fields but its id."""
    return {
        "source_id": source_id,
        "guid": item.guid,
        "url": item.url,
        "title": item.title,
        "text": item.text,
        "published_at": now if item.published_at is None else as_utc(item.published_at),
        "first_seen_at": now,
        "lang": item.lang,
        "content_hash": item.content_hash,
        "author": item.author,
        "forwarded_from": item.forwarded_from,
        "edited_at": None,
    }
