"""Chats as subscribers: subscribing, settings, leaving, and what Telegram tells us about them.

The chat handlers and the Telegram adapter call these; each is one transaction. A chat that
blocked the bot or removed it is deactivated (its data kept, as after /stop); a group that
became a supergroup moves to its new id with everything it had.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time

from bot.app.services import Services
from bot.errors import ClaimwatchError
from storage.records import ChatKind, Subscriber, Topic

log = logging.getLogger(__name__)


class ChatNotSubscribedError(ClaimwatchError):
    """The chat never sent /start (or sent /forget since): there is nothing to change."""

    def __init__(self, chat_id: int) -> None:
        self.chat_id = chat_id
        super().__init__(f"chat {chat_id} is not subscribed")


@dataclass(frozen=True, slots=True)
class ChatView:
    """A subscribed chat with the topics it follows, by name."""

    subscriber: Subscriber
    topics: list[Topic]


@dataclass(frozen=True, slots=True)
class Subscription(ChatView):
    resumed: bool  # it had been subscribed before and stopped
    already: bool  # it was subscribed and active


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """The settings to change; None leaves one as it is."""

    timezone: str | None = None
    digest_time: time | None = None
    alerts: bool | None = None
    digest_size: int | None = None
    empty_digest: bool | None = None
    language: str | None = None  # "en", "ru" or "uk"


async def subscribe_chat(
    services: Services,
    chat_id: int,
    kind: ChatKind,
    title: str | None,
    *,
    thread_id: int | None,
    now: datetime,
    language: str = "en",
) -> Subscription:
    """Subscribe the chat with the configured defaults (and ``language``, its first user's), or
    resume it with its own settings."""
    settings = services.settings
    async with services.db.transaction() as tx:
        before = await tx.chats.get(chat_id)
        subscriber = await tx.chats.subscribe(
            chat_id, kind, title, timezone=settings.timezone, digest_time=settings.digest_time,
            now=now, thread_id=thread_id, language=language,
        )  # fmt: skip
        topics = await tx.chats.topics_of(chat_id)
    resumed = before is not None and not before.active
    return Subscription(subscriber, topics, resumed, before is not None and before.active)


async def unsubscribe_chat(services: Services, chat_id: int) -> bool:
    """Stop the digests and alerts, keeping the chat's settings; False if it was not subscribed."""
    async with services.db.transaction() as tx:
        return await tx.chats.unsubscribe(chat_id)


async def forget_chat(services: Services, chat_id: int) -> bool:
    """Delete the chat's settings and topic list; False if there was nothing to delete."""
    async with services.db.transaction() as tx:
        return await tx.chats.forget(chat_id)


async def chat_view(services: Services, chat_id: int) -> ChatView:
    async with services.db.transaction() as tx:
        subscriber = await tx.chats.get(chat_id)
        if subscriber is None:
            raise ChatNotSubscribedError(chat_id)
        return ChatView(subscriber, await tx.chats.topics_of(chat_id))


async def chat_settings(services: Services, chat_id: int) -> Subscriber:
    async with services.db.transaction() as tx:
        subscriber = await tx.chats.get(chat_id)
    if subscriber is None:
        raise ChatNotSubscribedError(chat_id)
    return subscriber


async def change_settings(services: Services, chat_id: int, change: SettingsChange) -> Subscriber:
    """Apply ``change`` (validated by the caller) and return the chat's settings."""
    async with services.db.transaction() as tx:
        if await tx.chats.get(chat_id) is None:
            raise ChatNotSubscribedError(chat_id)
        return await tx.chats.update_settings(
            chat_id, timezone=change.timezone, digest_time=change.digest_time,
            alerts=change.alerts, digest_size=change.digest_size, empty_digest=change.empty_digest,
            language=change.language,
        )  # fmt: skip


async def chat_language(services: Services, chat_id: int) -> str | None:
    """The language the chat chose (or was given at /start); None for a chat never subscribed."""
    async with services.db.transaction() as tx:
        subscriber = await tx.chats.get(chat_id)
    return None if subscriber is None else subscriber.language


async def chat_blocked(services: Services, chat_id: int, now: datetime) -> bool:
    """The chat blocked the bot, or removed it from the group: stop sending, keep its data."""
    async with services.db.transaction() as tx:
        deactivated = await tx.chats.deactivate(chat_id)
    if deactivated:
        log.info("chat %d deactivated at %s: the bot was blocked or removed", chat_id, now)
    return deactivated


async def chat_migrated(services: Services, old_id: int, new_id: int) -> Subscriber | None:
    """A group became a supergroup: its settings, topics and unsent messages follow."""
    async with services.db.transaction() as tx:
        return await tx.chats.migrate(old_id, new_id)
