"""The bot's send rate: Telegram's limits kept on our side, so its 429s never halt the sends.

Telegram allows 30 messages a second overall, counted over any one second at the times they
reach it, and 20 a minute in one group. ``SendTurns`` gives sends their turns on a fixed grid,
one every 1/``per_second`` s, in the order asked: a send that wakes late does not push the next
ones back (a leaky bucket of one, python-telegram-bot's AIORateLimiter as we configured it,
loses that lateness on every send, 3 to 5% of the rate on a busy event loop). Telegram's window
is kept by the answers: a send reached Telegram at the latest when its answer came back, so a
send goes only when fewer than 30 of the others may have arrived in the last second (those
still unanswered, and those answered less than a second ago). However late or bunched the
sends arrive (on a loaded machine both ends wait for a CPU), no window of Telegram's holds
more than 30: the cost is an answer's delay in every second, the rate 30/(1 s + delay).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.chat.telegram_errors import retry_delay

log = logging.getLogger(__name__)

TELEGRAM_PER_SECOND = 30  # Telegram's limit, any one second
GROUP_PER_MINUTE = 20  # Telegram's limit for one group or channel
_GROUP_LIMITERS = 512  # idle group limiters are forgotten past this many


class SendTurns:
    """Turns to send: one every 1/``per_second`` s, first asked first served, and never more
    than ``limit`` that may reach the server within ``window`` seconds."""

    def __init__(
        self, per_second: float, limit: int = TELEGRAM_PER_SECOND, window: float = 1.0
    ) -> None:
        self._interval, self._limit, self._window = 1.0 / per_second, limit, window
        self._next_at = 0.0  # the grid's next slot, loop time
        self._in_flight = 0
        self._answered: deque[float] = deque(maxlen=limit)  # when the last sends were answered
        self._answer = asyncio.Event()
        self._lock = asyncio.Lock()  # FIFO: turns in the order asked

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for a turn, then send within the block (its end is the send's answer)."""
        await self._take()
        try:
            yield
        finally:
            self._in_flight -= 1
            self._answered.append(asyncio.get_running_loop().time())
            self._answer.set()

    async def _take(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._lock:
            while True:
                now = loop.time()
                opens = self._window_opens()
                if opens is None:  # ``limit`` sends unanswered: wait for an answer
                    self._answer.clear()
                    await self._answer.wait()
                    continue
                at = max(now, self._next_at, opens)
                if at <= now:
                    break
                await asyncio.sleep(at - now)
            self._next_at = at + self._interval  # from the slot: lateness is not passed on
            self._in_flight += 1

    def _window_opens(self) -> float | None:
        """When one more send cannot make ``limit`` in one window; None: not before an answer.
        Every unanswered send may be in the window; an answered one until ``window`` after
        its answer."""
        room = self._limit - 1 - self._in_flight  # answered sends the window may still hold
        if room < 0:
            return None
        if len(self._answered) <= room:
            return 0.0
        return self._answered[-room - 1] + self._window


class PacedRateLimiter(BaseRateLimiter[int]):
    """python-telegram-bot's rate limiter for the bot: ``SendTurns`` for every request to a
    chat (as with AIORateLimiter, requests without one are not limited), ``GROUP_PER_MINUTE``
    in one group or channel; a 429 (should one come) pauses every request for its
    ``retry_after`` and is retried up to ``max_retries`` times."""

    def __init__(self, per_second: float, *, max_retries: int = 2) -> None:
        self._turns = SendTurns(per_second)
        self._groups: dict[int | str, AsyncLimiter] = {}
        self._max_retries = max_retries
        self._resumed = asyncio.Event()
        self._resumed.set()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        retries = rate_limit_args or self._max_retries
        for attempt in range(retries + 1):
            await self._resumed.wait()
            try:
                if chat_id is None:  # not a message (getMe, setMyCommands): not counted
                    return await callback(*args, **kwargs)
                group = _group_of(chat_id)
                if group is not None:
                    await self._group_limiter(group).acquire()
                async with self._turns.turn():
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                pause = retry_delay(exc.retry_after).total_seconds() + 0.1
                log.info("%s: rate limit hit; every send waits %.1f s", endpoint, pause)
                self._resumed.clear()
                try:
                    await asyncio.sleep(pause)
                finally:
                    self._resumed.set()
        raise AssertionError("the last attempt returns or raises")  # pragma: no cover

    def _group_limiter(self, group: int | str) -> AsyncLimiter:
        if len(self._groups) > _GROUP_LIMITERS:
            idle = [
                g for g, limiter in self._groups.items() if limiter.has_capacity(limiter.max_rate)
            ]
            for key in idle:
                del self._groups[key]
        if group not in self._groups:
            self._groups[group] = AsyncLimiter(GROUP_PER_MINUTE, 60)
        return self._groups[group]


def _group_of(chat_id: object) -> int | str | None:
    """A group's or channel's id (negative, or its @name); None for a private chat."""
    if isinstance(chat_id, str):
        try:
            chat_id = int(chat_id)
        except ValueError:
            return chat_id  # "@channel"
    if isinstance(chat_id, int) and chat_id < 0:
        return chat_id
    return None
