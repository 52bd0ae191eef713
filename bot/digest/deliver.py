"""Delivery through the outbox: a message is written first, then sent, then marked sent.

A crash between sending and marking means one message is sent twice at worst; nothing written
is ever lost. The transport (Telegram, the terminal) is a ``Sender`` that raises one of the
``DeliveryError`` kinds below (bot/errors.py draws them with what each means), so the rules
for each failure live here, once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.digest.plain import html_to_plain
from bot.errors import ClaimwatchError
from storage.db import Database
from storage.records import OutboxMessage

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
MAX_ATTEMPTS = 20  # about 15 hours of retries at the longest backoff
# A drain takes BATCH messages at a time and hides them from other senders for LEASE: long
# enough to send a batch at Telegram's 30 messages a second, short enough that after a crash
# the rest go out soon after the restart.
LEASE = timedelta(seconds=10)
BATCH = 64
# Telegram allows one message a second in one chat. A chat's next message waits for its turn
# without holding a sending slot, so the other chats' messages go out meanwhile: a digest's
# chart photo behind its text no longer stalls the batch (and a 429 no longer halts every send).
PER_CHAT_GAP = timedelta(seconds=1)


class DeliveryError(ClaimwatchError):
    """A message could not be delivered; the subclass says what to do about it."""


class RetryLaterError(DeliveryError):
    def __init__(self, reason: str, after: timedelta | None = None) -> None:
        super().__init__(reason)
        self.after = after


class ChatUnavailableError(DeliveryError):
    pass


class ChatMovedError(DeliveryError):
    def __init__(self, reason: str, new_chat_id: int) -> None:
        super().__init__(reason)
        self.new_chat_id = new_chat_id


class TextRefusedError(DeliveryError):
    pass


class RejectedError(DeliveryError):
    pass


class Sender(Protocol):
    async def send_html(self, chat_id: int, thread_id: int | None, text: str) -> None: ...

    async def send_plain(self, chat_id: int, thread_id: int | None, text: str) -> None: ...

    async def send_photo(
        self, chat_id: int, thread_id: int | None, photo: bytes, caption: str, *, html: bool
    ) -> None:
        """A picture (PNG) with its caption, Telegram HTML when ``html``, else plain."""


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    dropped: int = 0
    chats_deactivated: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.retrying} to retry, {self.dropped} dropped, "
            f"{self.chats_deactivated} chats deactivated"
        )


class _Run:
    """One drain's state: the chats being sent (a lane of messages each), what they report,
    the chats stopped by a failure, and how many messages are taken but not yet settled."""

    def __init__(self) -> None:
        self.report = DeliveryReport()
        self.stalled: set[int] = set()
        self.lanes: dict[int, deque[OutboxMessage]] = {}
        self.pending = 0
        self._settled = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, lane: Coroutine[object, object, None]) -> None:
        task = asyncio.create_task(lane)
        self._tasks.add(task)
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        """A lane that ended well is forgotten; one that failed is kept for ``finish``."""
        if task.cancelled() or task.exception() is None:
            self._tasks.discard(task)

    def settle(self, count: int) -> None:
        """``count`` messages are done with: sent, held back or dropped."""
        self.pending -= count
        self._settled.set()

    async def until_at_most(self, count: int) -> None:
        """Wait until no more than ``count`` messages are pending (a lane that failed has
        settled its own before it ends)."""
        while self.pending > count:
            self._settled.clear()
            await self._settled.wait()
        for task in [task for task in self._tasks if task.done()]:
            await task  # a lane that failed: its error stops the drain

    async def finish(self) -> None:
        """Wait for every lane; the first error of one is raised here."""
        await asyncio.gather(*self._tasks)

    def cancel(self) -> None:
        """Stop the lanes still sending (the drain failed or was cancelled)."""
        for task in self._tasks:
            task.cancel()


class Outbox:
    """Sends what is due, chats in parallel (bounded), each chat's messages in order."""

    def __init__(
        self,
        db: Database,
        sender: Sender,
        clock: Callable[[], datetime],
        *,
        only_chat_id: int | None = None,
        except_chat_id: int | None = None,
        concurrency: int = 8,
        batch: int = BATCH,
        per_chat_gap: timedelta = PER_CHAT_GAP,
    ) -> None:
        """``only_chat_id``/``except_chat_id``: the chats this transport reaches (the terminal
        chat, or every other); ``per_chat_gap``: the least time between two messages to one
        chat (none for the terminal)."""
        self.db, self.sender, self.clock = db, sender, clock
        self._only, self._except = only_chat_id, except_chat_id
        self._slots = asyncio.Semaphore(concurrency)
        self._batch = batch
        self._draining = asyncio.Lock()
        self._gap = per_chat_gap.total_seconds()
        self._last_sent: dict[int, float] = {}  # chat id -> loop time of its last send

    def accepts(self, chat_id: int) -> bool:
        """Whether this transport reaches the chat (jobs queue only for chats it reaches)."""
        return (self._only is None or chat_id == self._only) and chat_id != self._except

    async def drain(self) -> DeliveryReport:
        """Send what is due, until nothing is; a chat whose message failed sends nothing more
        in this drain, so its messages keep their order. The next batch is taken while the
        last half of the current one is still sending, so the send rate never idles between
        batches; each chat's messages go in order in a lane of their own."""
        async with self._draining:
            run = _Run()
            try:
                while batch := await self._take_batch():
                    for message in batch:
                        self._dispatch(run, message)
                    await run.until_at_most(self._batch // 2)
                    self._forget_idle_chats()
                await run.finish()
            finally:
                run.cancel()
            report = run.report
            if report.sent or report.retrying or report.dropped:
                log.info("outbox: %s", report)
            return report

    async def _take_batch(self) -> list[OutboxMessage]:
        async with self.db.transaction() as tx:
            return await tx.outbox.lease_due(
                self.clock(), self._batch, LEASE,
                only_chat_id=self._only, except_chat_id=self._except,
            )  # fmt: skip

    def _dispatch(self, run: _Run, message: OutboxMessage) -> None:
        """Queue the message in its chat's lane, starting the lane if the chat has none."""
        run.pending += 1
        lane = run.lanes.get(message.chat_id)
        if lane is not None:
            lane.append(message)
            return
        run.lanes[message.chat_id] = deque([message])
        run.start(self._send_lane(run, message.chat_id))

    async def _send_lane(self, run: _Run, chat_id: int) -> None:
        """Send the chat's messages in order as they arrive, until its lane is empty."""
        lane = run.lanes[chat_id]
        unavailable: str | None = None  # why the chat cannot be reached, once it cannot
        try:
            while lane:
                message = lane[0]
                if chat_id in run.stalled:
                    await self._hold([message], run.report)
                elif unavailable is not None:
                    await self._drop(message, unavailable, run.report)
                else:
                    unavailable = await self._send_in_turn(message, run)
                lane.popleft()
                run.settle(1)
        finally:
            run.settle(len(lane))
            del run.lanes[chat_id]

    async def _send_in_turn(self, message: OutboxMessage, run: _Run) -> str | None:
        """Send when the chat's turn comes; why the chat is unavailable, if it is."""
        await self._wait_turn(message.chat_id)
        try:
            async with self._slots:
                try:
                    await self._send_one(message, run.report)
                finally:
                    self._last_sent[message.chat_id] = asyncio.get_running_loop().time()
        except (RetryLaterError, ChatMovedError):
            # keep the chat's order: what follows waits for the message that failed
            run.stalled.add(message.chat_id)
        except ChatUnavailableError as exc:
            return str(exc)
        return None

    async def _wait_turn(self, chat_id: int) -> None:
        """Wait until the chat may get its next message: ``per_chat_gap`` after its last."""
        last = self._last_sent.get(chat_id)
        if last is not None:
            wait = last + self._gap - asyncio.get_running_loop().time()
            if wait > 0:
                await asyncio.sleep(wait)

    def _forget_idle_chats(self) -> None:
        """Chats whose gap is over need no turn kept: the memory stays a batch's chats."""
        horizon = asyncio.get_running_loop().time() - self._gap
        self._last_sent = {c: t for c, t in self._last_sent.items() if t > horizon}

    async def _send_one(self, message: OutboxMessage, report: DeliveryReport) -> None:
        """Send and mark, or record why not; re-raises what stops the chat's queue."""
        try:
            await self._send(message)
        except RetryLaterError as exc:
            await self._retry(message, str(exc), exc.after, report)
            raise
        except ChatMovedError as exc:
            async with self.db.transaction() as tx:
                await tx.chats.migrate(message.chat_id, exc.new_chat_id)
            log.info("chat %d moved to %d; resending there", message.chat_id, exc.new_chat_id)
            raise
        except ChatUnavailableError as exc:
            await self._deactivate(message, str(exc), report)
            raise
        except RejectedError as exc:
            await self._drop(message, str(exc), report)
            return  # the next messages of the chat may still go through
        async with self.db.transaction() as tx:
            await tx.outbox.mark_sent(message.id, self.clock())
        report.sent += 1

    async def _send(self, message: OutboxMessage) -> None:
        chat_id, thread_id, photo = message.chat_id, message.thread_id, message.photo
        try:
            if photo is not None:
                await self.sender.send_photo(chat_id, thread_id, photo, message.text, html=True)
            else:
                await self.sender.send_html(chat_id, thread_id, message.text)
        except TextRefusedError as exc:
            log.warning("chat %d refused message %d (%s); resending it as plain text",
                        message.chat_id, message.id, exc)  # fmt: skip
            plain = html_to_plain(message.text)
            if photo is not None:
                await self.sender.send_photo(chat_id, thread_id, photo, plain, html=False)
            else:
                await self.sender.send_plain(chat_id, thread_id, plain)

    async def _retry(
        self, message: OutboxMessage, reason: str, after: timedelta | None, report: DeliveryReport
    ) -> None:
        if message.attempts + 1 >= MAX_ATTEMPTS:
            await self._drop(message, f"gave up after {MAX_ATTEMPTS} attempts: {reason}", report)
            return
        wait = after if after is not None else backoff(message.attempts)
        async with self.db.transaction() as tx:
            await tx.outbox.record_failure(message.id, reason, self.clock() + wait)
        report.retrying += 1
        log.info("message %d to chat %d: %s; retrying in %s",
                 message.id, message.chat_id, reason, wait)  # fmt: skip

    async def _hold(self, waiting: list[OutboxMessage], report: DeliveryReport) -> None:
        """Push a chat's later messages back a little so they keep their order."""
        if not waiting:
            return
        async with self.db.transaction() as tx:
            for message in waiting:
                await tx.outbox.record_failure(
                    message.id, "waiting for an earlier message", self.clock() + FIRST_RETRY
                )
        report.retrying += len(waiting)

    async def _deactivate(
        self, message: OutboxMessage, reason: str, report: DeliveryReport
    ) -> None:
        async with self.db.transaction() as tx:
            if await tx.chats.deactivate(message.chat_id):
                report.chats_deactivated += 1
            await tx.outbox.drop(message.id, reason)
        report.dropped += 1
        log.warning("chat %d is unavailable (%s): deactivated", message.chat_id, reason)

    async def _drop(self, message: OutboxMessage, reason: str, report: DeliveryReport) -> None:
        async with self.db.transaction() as tx:
            await tx.outbox.drop(message.id, reason)
        report.dropped += 1
        log.warning("message %d to chat %d dropped: %s", message.id, message.chat_id, reason)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour."""
    wait: timedelta = FIRST_RETRY * (2 ** min(attempts, 16))
    return min(wait, LONGEST_RETRY)
