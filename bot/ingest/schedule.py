"""When to check a source next: pure decisions from its state, the outcome and server hints.

- After a success the next check is one interval away, or later when the server asks for it
  (Retry-After, Cache-Control max-age, RSS <ttl>): hints may slow a source down to at most
  ``MAX_HINT_FACTOR`` intervals (and never past a day), never speed it up.
- After a failure the delay doubles with each consecutive error, from one interval up to a day;
  a Retry-After longer than that is honoured, within the same day cap.
- A source failing for ``PAUSE_AFTER`` straight, or answering 410 Gone, is paused, not deleted.
- When every source of a poll failed to connect, the network is ours: the poll backs off as a
  whole (``network_backoff``) and the sources are not punished.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_BACKOFF = timedelta(hours=24)
MAX_HINT_FACTOR = 8
PAUSE_AFTER = timedelta(days=7)
NETWORK_BACKOFF_START = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class NextCheck:
    at: datetime
    pause: bool = False


def after_success(now: datetime, interval: timedelta, *hints: timedelta | None) -> datetime:
    """Next check after a fetch that worked (new items or 304)."""
    longest_hint = max((hint for hint in hints if hint is not None), default=timedelta(0))
    ceiling = min(interval * MAX_HINT_FACTOR, max(MAX_BACKOFF, interval))
    return now + min(max(interval, longest_hint), ceiling)


def after_failure(
    now: datetime,
    interval: timedelta,
    *,
    consecutive_errors: int,
    failing_since: datetime | None,
    retry_after: timedelta | None = None,
    gone: bool = False,
) -> NextCheck:
    """Next check after a failed fetch; ``consecutive_errors`` counts this failure too."""
    exponent = min(max(consecutive_errors - 1, 0), 20)  # 2**20 intervals is past any cap anyway
    delay = min(interval * (2**exponent), max(MAX_BACKOFF, interval))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_BACKOFF))
    failing_for = now - (failing_since or now)
    return NextCheck(at=now + delay, pause=gone or failing_for >= PAUSE_AFTER)


def network_backoff(consecutive_outages: int) -> timedelta:
    """How long the whole poll waits after ``consecutive_outages`` polls where nothing connected."""
    exponent = min(max(consecutive_outages - 1, 0), 20)
    delay: timedelta = NETWORK_BACKOFF_START * (2**exponent)
    return min(delay, timedelta(hours=1))
