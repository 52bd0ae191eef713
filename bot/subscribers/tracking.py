"""The topics a chat follows: following an existing topic, adding one, and leaving one.

A topic a chat adds is stored with the chat as its creator and joins the claim ledger's topic
matcher at once, so items fetched from then on are matched against it (and it survives a
restart: the ledger loads chat-made topics from the database). Names are one topic only when
equal as ``topic_name_key`` folds them (case, width, spacing): "Iran talks 2025" is a new topic
beside "Iran talks 2024", never merged into it. Close spellings are only suggested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process, utils

from bot.app.services import Services
from bot.subscribers.chats import ChatNotSubscribedError
from storage.db import Transaction
from storage.records import Topic, topic_name_key

SIMILAR_NAME = 85.0  # rapidfuzz ratio (0-100): worth mentioning beside a new topic


class Tracked(StrEnum):
    CREATED = "created"  # a new topic, now followed
    FOLLOWED = "followed"  # an existing topic, now followed
    ALREADY = "already"  # it followed it already
    TOO_MANY_FOLLOWED = "too many followed"
    TOO_MANY_CREATED = "too many created"


@dataclass(frozen=True, slots=True)
class TrackResult:
    outcome: Tracked
    topic: Topic | None
    aliases_ignored: bool = False  # aliases were given for a topic that exists already
    similar: tuple[str, ...] = ()  # names of other topics spelt like a newly added one


class Untracked(StrEnum):
    UNFOLLOWED = "unfollowed"
    NOT_FOLLOWED = "not followed"


@dataclass(frozen=True, slots=True)
class UntrackResult:
    outcome: Untracked
    topic: Topic | None  # None: no topic this chat follows has a name like that
    suggestions: tuple[str, ...] = ()  # names of followed topics, when none matched


async def track_topic(
    services: Services,
    chat_id: int,
    name: str,
    aliases: Sequence[str] | None,
    *,
    most_followed: int,
    most_created: int,
) -> TrackResult:
    """Follow the topic called ``name``, adding it (with ``aliases``) if there is none.

    ``aliases`` None means only an existing topic was named; with no such topic, one is added
    with the name as its only alias.
    """
    async with services.db.transaction() as tx:
        topics = await _subscribed_topics(tx, chat_id)
        followed = await tx.chats.topics_of(chat_id)
        existing = find_topic(name, topics)
        if existing is not None and existing.id in {t.id for t in followed}:
            return TrackResult(Tracked.ALREADY, existing)
        if len(followed) >= most_followed:
            return TrackResult(Tracked.TOO_MANY_FOLLOWED, existing)
        if existing is None:
            made = sum(t.created_by_chat_id == chat_id for t in topics)
            if made >= most_created:
                return TrackResult(Tracked.TOO_MANY_CREATED, None)
            created = await tx.topics.add(name, list(aliases or ()), chat_id)
            await tx.chats.follow(chat_id, created.id)
        else:
            await tx.chats.follow(chat_id, existing.id)
    if existing is not None:
        return TrackResult(Tracked.FOLLOWED, existing, aliases_ignored=bool(aliases))
    services.ledger.add_topic(created)  # after the commit: match it in items from now on
    return TrackResult(Tracked.CREATED, created, similar=similar_names(name, topics))


async def untrack_topic(services: Services, chat_id: int, name: str) -> UntrackResult:
    """Stop following a topic (the topic itself, its claims and mentions stay)."""
    async with services.db.transaction() as tx:
        await _subscribed_topics(tx, chat_id)
        followed = await tx.chats.topics_of(chat_id)
        topic = find_topic(name, followed)
        if topic is None:
            return UntrackResult(Untracked.NOT_FOLLOWED, None, _close_names(name, followed))
        await tx.chats.unfollow(chat_id, topic.id)
    return UntrackResult(Untracked.UNFOLLOWED, topic)


def find_topic(name: str, topics: Sequence[Topic]) -> Topic | None:
    """The topic called ``name``, names compared by ``topic_name_key``; None if there is none."""
    wanted = topic_name_key(name)
    return next((topic for topic in topics if topic_name_key(topic.name) == wanted), None)


def similar_names(name: str, topics: Sequence[Topic]) -> tuple[str, ...]:
    """Names of ``topics`` spelt much like ``name`` (but not equal to it), closest first."""
    wanted = topic_name_key(name)
    others = [t.name for t in topics if topic_name_key(t.name) != wanted]
    found = process.extract(
        name, others, scorer=fuzz.ratio, processor=utils.default_process,
        score_cutoff=SIMILAR_NAME, limit=3,
    )  # fmt: skip
    return tuple(choice for choice, _, _ in found)


def _close_names(name: str, topics: Sequence[Topic]) -> tuple[str, ...]:
    found = process.extract(
        name, [t.name for t in topics], scorer=fuzz.WRatio, processor=utils.default_process,
        score_cutoff=60, limit=3,
    )  # fmt: skip
    return tuple(choice for choice, _, _ in found)


async def _subscribed_topics(tx: Transaction, chat_id: int) -> list[Topic]:
    """Every topic, once the chat is known to be subscribed."""
    if await tx.chats.get(chat_id) is None:
        raise ChatNotSubscribedError(chat_id)
    return await tx.topics.list()
