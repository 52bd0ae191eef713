"""The bot's send rate: Telegram's limits kept on our side, so its 429s never halt the sends.

Telegram allows about 30 messages a second overall, counted over any one second, and 20 a
minute in one group. ``SendTurns`` gives sends their turns on a fixed grid, one every
1/``per_second`` s, in the order asked: a send that wakes late does not push the next ones
back (a leaky bucket of one, python-telegram-bot's AIORateLimiter as we configured it, loses
that lateness on every send, a few percent of the rate on a busy event loop). Catching up
never crowds Telegram's window: any ``per_second`` + 1 sends in a row span the time the grid
gives them, counted at the times they really went.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.chat.telegram_errors import retry_delay

log = logging.getLogger(__name__)

GROUP_PER_MINUTE = 20  # Telegram's limit for one group or channel
_GROUP_LIMITERS = 512  # idle group limiters are forgotten past this many


class SendTurns:
    """Turns to send, one every 1/``per_second`` s, first asked first served."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second
        # The window of the grid: the sends in it, at most, at the times they really went.
        self._count = int(per_second) + 1
        self._window = self._count * self._interval
        self._recent: deque[float] = deque(maxlen=self._count)
        self._next_at = 0.0  # the grid's next slot, loop time
        self._lock = asyncio.Lock()  # FIFO: turns in the order asked

    async def take(self) -> None:
        """Wait for this send's turn."""
        loop = asyncio.get_running_loop()
        async with self._lock:
            now = loop.time()
            at = max(now, self._next_at)
            if len(self._recent) == self._count:
                at = max(at, self._recent[0] + self._window)
            if at > now:
                await asyncio.sleep(at - now)
            self._next_at = at + self._interval  # from the slot: lateness is not passed on
            self._recent.append(loop.time())


class PacedRateLimiter(BaseRateLimiter[int]):
    """python-telegram-bot's rate limiter for the bot: ``SendTurns`` for every request to a
    chat, ``GROUP_PER_MINUTE`` in one group or channel; a 429 (should one come) pauses every
    request for its ``retry_after`` and is retried up to ``max_retries`` times."""

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
            if chat_id is not None:
                group = _group_of(chat_id)
                if group is not None:
                    await self._group_limiter(group).acquire()
                await self._turns.take()
            try:
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
