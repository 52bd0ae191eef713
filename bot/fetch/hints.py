"""Server hints read from response headers: how long to wait, how long content stays fresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

# Longer hints are nonsense (or hostile) and would overflow timedelta; they are clamped.
LONGEST_HINT = timedelta(days=365)


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as a delay from ``now``: delta-seconds or an HTTP date; None if unreadable."""
    if value is None:
        return None
    value = value.strip()
    if _is_digits(value):
        return _seconds(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, local zone unknown (RFC 5322)
        when = when.replace(tzinfo=UTC)
    return min(max(when - now, timedelta(0)), LONGEST_HINT)


def parse_max_age(cache_control: str | None) -> timedelta | None:
    """The ``max-age`` directive of a Cache-Control header, if any."""
    if cache_control is None:
        return None
    for directive in cache_control.split(","):
        name, _, value = directive.strip().partition("=")
        if name.strip().lower() == "max-age":
            seconds = value.strip().strip('"')
            return _seconds(seconds) if _is_digits(seconds) else None
    return None


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _seconds(digits: str) -> timedelta:
    if len(digits) > 9:  # beyond 30 years, and int() refuses thousands of digits
        return LONGEST_HINT
    return min(timedelta(seconds=int(digits)), LONGEST_HINT)
