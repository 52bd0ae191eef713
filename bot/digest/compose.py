"""Gathering a chat's digest or alerts from storage and queueing them in the outbox.

The I/O half of the digest stage: it loads what ``build`` needs for one chat and window (through
``bot.digest.window``, which reads and builds each topic's window once a job run), and
writes the rendered messages to the outbox in the same transaction that moves the chat's
window, so a digest is either queued whole and marked, or not at all. A dispute is loaded whole
(``bot.digest.gather``), so a digest or an alert shows each dispute once with every figure on
record. Each chat's digest and alerts are built and rendered in its language.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.digest.build import Digest, build_alert, digest_of
from bot.digest.disputes import Dispute
from bot.digest.gather import claim_ids_of, gather_disputes
from bot.digest.render import render_alert_html, render_caption, render_html
from bot.digest.window import SharedWindows
from bot.translation import current_language, speaking
from storage.db import Database, Transaction
from storage.records import Claim, Conflict, OutboxKind, Subscriber

log = logging.getLogger(__name__)

FIRST_WINDOW = timedelta(hours=24)  # before a chat's first scheduled digest


async def compose_digest(
    db: Database,
    chat: Subscriber,
    *,
    until: datetime,
    since: datetime | None = None,
    shared: SharedWindows | None = None,
) -> Digest:
    """The chat's digest of (since, until]: by default since its last scheduled digest;
    ``shared`` hands over what digests composed before it in the same job run read and
    clustered (see ``bot.digest.window``)."""
    start = since or chat.last_digest_at or until - FIRST_WINDOW
    shared = shared or SharedWindows()  # alone, nothing is shared
    async with db.transaction() as tx:
        topics = await tx.chats.topics_of(chat.chat_id)
        windows = await shared.topic_windows(tx, topics, start, until)
    return digest_of(topics, windows, since=start, until=until, size=chat.digest_size)


class Charts:
    """Charts drawn during one run of the digest job, by what they show: chats that follow the
    same topics (and speak the same language) share their most active dispute, and its picture
    is drawn once."""

    def __init__(self) -> None:
        self._drawn: dict[tuple[object, ...], bytes] = {}

    def of(self, dispute: Dispute) -> bytes | None:
        """The dispute's chart; None if it could not be drawn (the digest goes without)."""
        figures = tuple((f.claim_id, f.is_new) for f in dispute.figures)
        key = (dispute.id, figures, current_language())
        if key not in self._drawn:
            from bot.digest.chart import draw_chart  # matplotlib: only once a chart is drawn

            try:
                self._drawn[key] = draw_chart(dispute)
            except Exception:
                log.exception("the chart of dispute #%d could not be drawn", dispute.id)
                return None
        return self._drawn[key]


async def queue_digest(
    db: Database,
    chat: Subscriber,
    now: datetime,
    *,
    charts: Charts | None = None,
    shared: SharedWindows | None = None,
) -> int | None:
    """Build, render and queue the chat's scheduled digest, moving its window to ``now``; with
    ``charts``, the chart of its most active dispute follows it as a picture; with ``shared``,
    what other chats' digests of the same job run read and clustered is reused.

    None when another worker queued it first; else the number of messages queued (0 for an
    empty window in a chat that asked for silence)."""
    with speaking(chat.language):
        digest = await compose_digest(db, chat, until=now, shared=shared)
        messages = [] if digest.is_empty and not chat.empty_digest else _html(digest, chat)
        chart = digest.most_active if charts is not None else None
        photo = charts.of(chart) if charts is not None and chart is not None else None
        caption = render_caption(chart) if chart is not None else ""
    async with db.transaction() as tx:
        if not await tx.chats.claim_digest(chat.chat_id, chat.last_digest_at, now):
            return None
        await _enqueue(tx, chat, OutboxKind.DIGEST, messages, now)
        if chart is not None and photo is not None:
            await tx.outbox.enqueue(chat.chat_id, OutboxKind.DIGEST, caption, now,
                                    thread_id=chat.thread_id, photo=photo)  # fmt: skip
    return len(messages) + (photo is not None)


async def queue_alerts(
    db: Database, chats: Sequence[Subscriber], now: datetime, per_hour: int
) -> int:
    """One alert message per chat for the conflicts recorded since its last check, within
    ``per_hour`` alert messages an hour; the rest wait for the digest. Messages queued."""
    async with db.transaction() as tx:
        newest = await tx.claims.max_conflict_id()
    waiting = [c for c in chats if newest is not None and (c.last_alert_conflict_id or 0) < newest]
    if not waiting or newest is None:
        return 0
    queued = 0
    async with db.transaction() as tx:
        oldest_seen = min(c.last_alert_conflict_id or 0 for c in waiting)
        topic_ids = set().union(*(c.topic_ids for c in waiting))
        conflicts = [c for c in await tx.claims.conflicts_after(oldest_seen, topic_ids)
                     if c.id <= newest]  # fmt: skip
        disputes = await gather_disputes(tx, claim_ids_of(conflicts))
        claims = disputes.claims
        topics = await tx.topics.list()
        for chat in waiting:
            mine = _conflicts_for(chat, conflicts, claims)
            room = await _room(tx, chat, now, per_hour) if mine else 0
            if room > 0:
                known = [c for c in disputes.conflicts if c.id <= newest]
                with speaking(chat.language):
                    alert = build_alert(mine, claims, disputes.items, topics,
                                        known_conflicts=known)  # fmt: skip
                    messages = render_alert_html(alert, ZoneInfo(chat.timezone))[:room]
                await _enqueue(tx, chat, OutboxKind.ALERT, messages, now)
                queued += len(messages)
            await tx.chats.mark_alerts_checked(chat.chat_id, newest)
    return queued


def _conflicts_for(
    chat: Subscriber, conflicts: Sequence[Conflict], claims: dict[int, Claim]
) -> list[Conflict]:
    seen = chat.last_alert_conflict_id or 0
    return [
        conflict
        for conflict in conflicts
        if conflict.id > seen
        and conflict.claim_id in claims
        and claims[conflict.claim_id].topic_id in chat.topic_ids
    ]


async def _room(tx: Transaction, chat: Subscriber, now: datetime, per_hour: int) -> int:
    """Alert messages the chat may still get this hour (what is cut waits for the digest)."""
    hour_ago = now - timedelta(hours=1)
    return per_hour - await tx.outbox.count_created_since(chat.chat_id, OutboxKind.ALERT, hour_ago)


async def _enqueue(
    tx: Transaction, chat: Subscriber, kind: OutboxKind, messages: Sequence[str], now: datetime
) -> None:
    for text in messages:
        await tx.outbox.enqueue(chat.chat_id, kind, text, now, thread_id=chat.thread_id)


def _html(digest: Digest, chat: Subscriber) -> list[str]:
    return render_html(digest, ZoneInfo(chat.timezone))
