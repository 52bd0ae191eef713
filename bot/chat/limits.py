"""What one chat or user may ask of the bot, and the per-user command rate limit.

The limits keep a message within Telegram's bounds and a chat's lists readable; the rate limit
keeps one person (or a script) from flooding the database and the bot's own send quota. Over
the rate, a user gets one "slow down" reply, then silence until the window frees up.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from enum import Enum
from math import ceil

MESSAGE_CHARS = 4096  # Telegram's limit for one message
ARGUMENT_CHARS = 1_000  # the text after a command
TOPICS_PER_CHAT = 50  # topics a chat follows, and topics a chat may create
ALIASES_PER_TOPIC = 20
ALIAS_CHARS = 100  # also a topic's name
DIGEST_SIZE_MIN, DIGEST_SIZE_MAX = 1, 50
SOURCES_PER_GROUP = 20  # sources one group's admins may add
CLAIMS_PAGE_SIZE = 10
CLAIMS_SEARCH_RESULTS = 10
CLAIMS_SEARCH_POOL = 2_000  # the most recent claims a search looks through

FORGET_BUTTON_SECONDS = 600  # a /forget confirmation button expires after this
COMMANDS_PER_MINUTE = 20
RATE_WINDOW_SECONDS = 60.0
_SWEEP_EVERY = 500  # checks between sweeps of idle users' windows


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # over the limit: say so once
    SILENCE = "silence"  # over the limit and already told


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    retry_after_seconds: int = 0  # when WARN: how long until the window frees a slot


@dataclass
class _Window:
    times: deque[float] = field(default_factory=deque)
    warned: bool = False


class RateLimiter:
    """A sliding window of ``limit`` commands per ``window`` seconds, per key (a user).

    ``clock`` returns seconds on a monotonic scale (``time.monotonic`` unless a test injects
    one). Idle keys are swept now and then, so memory follows the active users.
    """

    def __init__(
        self,
        limit: int = COMMANDS_PER_MINUTE,
        window: float = RATE_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._windows: dict[Hashable, _Window] = {}
        self._checks = 0

    def check(self, key: Hashable) -> Decision:
        """Count one command of ``key`` if the window has room."""
        now = self.clock()
        self._checks += 1
        if self._checks % _SWEEP_EVERY == 0:
            for idle in [k for k, w in self._windows.items() if not self._slide(w, now)]:
                del self._windows[idle]
        window = self._windows.setdefault(key, _Window())
        self._slide(window, now)
        if len(window.times) < self.limit:
            window.times.append(now)
            window.warned = False
            return Decision(Verdict.ALLOW)
        if window.warned:
            return Decision(Verdict.SILENCE)
        window.warned = True
        wait = window.times[0] + self.window - now
        return Decision(Verdict.WARN, max(1, ceil(wait)))

    def _slide(self, window: _Window, now: float) -> bool:
        """Drop the times that left the window; whether any are left."""
        times = window.times
        while times and times[0] <= now - self.window:
            times.popleft()
        return bool(times)
