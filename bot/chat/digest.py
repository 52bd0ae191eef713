"""/digest: the items about this chat's topics that arrived since its last scheduled digest.

A stand-in until the digest builder lands: a plain list (title, source, link) of the window
since the last scheduled digest, or the last 24 hours before the first one. Asking for it
never moves the window: only a scheduled digest does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.chat.limits import DIGEST_ITEMS_SHOWN
from bot.chat.markup import escape, fit, link, local_minute, plural
from bot.chat.requests import Reply, Request
from bot.claim_queries import chat_topic_ids
from bot.services import Services
from storage.records import Item

FIRST_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class RecentItems:
    since: datetime
    items: list[Item]  # oldest first
    source_names: dict[int, str]  # by source id
    timezone: str


async def digest_command(request: Request) -> Reply:
    recent = await recent_items(request.services, request.chat.id, request.now)
    return Reply(render_recent(recent))


async def recent_items(services: Services, chat_id: int, now: datetime) -> RecentItems:
    async with services.db.transaction() as tx:
        subscriber = await tx.chats.get(chat_id)
        since = (subscriber.last_digest_at if subscriber else None) or now - FIRST_WINDOW
        items = await tx.items.since_first_seen(since, await chat_topic_ids(tx, chat_id), until=now)
        names: dict[int, str] = {}
        for source_id in {item.source_id for item in items}:
            source = await tx.sources.get(source_id)
            names[source_id] = source.display_name if source else f"source {source_id}"
    return RecentItems(since, items, names, subscriber.timezone if subscriber else "UTC")


def render_recent(recent: RecentItems) -> str:
    since = f"{local_minute(recent.since, recent.timezone)} ({escape(recent.timezone)})"
    if not recent.items:
        return f"Nothing new about this chat's topics since {since}."
    newest = recent.items[-DIGEST_ITEMS_SHOWN:][::-1]
    lines = [f"<b>New since {since}</b>: {plural(len(recent.items), 'item')}, newest first"]
    for item in newest:
        title = " ".join((item.title or item.text[:80]).split()) or "untitled"
        source = escape(recent.source_names.get(item.source_id, ""), 60)
        lines.append(f"• {link(item.url, title, 150)} — {source}")
    if len(recent.items) > len(newest):
        lines.append(f"…and {len(recent.items) - len(newest)} older ones.")
    return fit(lines)
