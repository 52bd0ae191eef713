"""The kinds of value a setting holds: how each is read from its text and how it is shown.

A parser raises ValueError with a message fit for a person (quoting the value only where that is
safe); the serializer is what `claimwatch check` prints, so secrets never leave in plain text.
"""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, PlainSerializer, SecretStr

from bot.config.files import parse_interval
from bot.ingest.parsers import MAX_PARSE_WORKERS, default_workers

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _token(value: str) -> str | None:
    if not value:
        return None
    bot_id, _, secret = value.partition(":")
    if not bot_id.isdigit() or len(secret) < 20 or any(c.isspace() for c in value):
        raise ValueError("does not look like a bot token (123456789:ABC...) from @BotFather")
    return value


def normalize_database_url(value: str) -> str:
    """Accept plain `sqlite:///` and `postgresql://` URLs and pick the async drivers."""
    scheme, sep, rest = value.partition("://")
    drivers = {
        "sqlite": "sqlite+aiosqlite",
        "sqlite+aiosqlite": "sqlite+aiosqlite",
        "postgres": "postgresql+asyncpg",
        "postgresql": "postgresql+asyncpg",
        "postgresql+asyncpg": "postgresql+asyncpg",
    }
    if not sep or scheme not in drivers:
        raise ValueError(
            f"{redact_url(value)!r} is not a supported database URL; use "
            "sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user:pass@host:5432/db"
        )
    if drivers[scheme].startswith("sqlite") and not rest.startswith("/"):
        raise ValueError(
            "a SQLite URL needs three slashes and a file: sqlite+aiosqlite:///data/x.db"
        )
    if drivers[scheme].startswith("postgresql") and not urlsplit(value).hostname:
        raise ValueError(f"{redact_url(value)!r} names no host")
    return f"{drivers[scheme]}://{rest}"


def redact_url(url: str) -> str:
    """The URL with any password replaced by ***."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return "(unparseable URL)"


def redact_userinfo(url: str) -> str:
    """The URL with its whole user part as *** (in an API or proxy address, a user name alone
    can be the credential)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparseable URL)"
    _, at, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"***@{host}")) if at else url


def reveal(secret: SecretStr | None) -> str:
    """The plain text of a secret setting ("" when unset), for the one place that needs it."""
    return secret.get_secret_value() if secret is not None else ""


def _path(value: str) -> Path:
    if not value:
        raise ValueError("must not be empty")
    return Path(value)


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{redact_userinfo(value)!r} is not an http(s) URL")
    return value.rstrip("/")


def _id_set(value: str) -> frozenset[int]:
    ids = [part.strip() for part in value.split(",") if part.strip()]
    bad = [part for part in ids if not part.lstrip("-").isdigit()]
    if bad:
        raise ValueError(f"not Telegram user ids: {', '.join(bad)} (write 123,456)")
    return frozenset(int(part) for part in ids)


def parse_timezone(value: str) -> str:
    """Validate an IANA timezone name such as Europe/Kyiv."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a known timezone (e.g. UTC, Europe/Kyiv)") from None
    return value


def parse_clock_time(value: str) -> time:
    """Parse HH:MM (24-hour clock)."""
    hours, sep, minutes = value.partition(":")
    valid = sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2
    if valid and int(hours) < 24 and int(minutes) < 60:
        return time(int(hours), int(minutes))
    raise ValueError(f"{value!r} is not a time of day; write HH:MM, e.g. 08:00")


def _count(value: str) -> int:
    if not value.isdigit():
        raise ValueError(f"{value!r} is not a whole number >= 0")
    return int(value)


def _workers(value: str) -> int:
    """``auto`` (one per CPU), or a number of processes; 0 parses without any."""
    if value.lower() in ("auto", ""):
        return default_workers()
    if not value.isdigit() or int(value) > MAX_PARSE_WORKERS:
        raise ValueError(f"{value!r} is not auto or a whole number from 0 to {MAX_PARSE_WORKERS}")
    return int(value)


def _window(value: str) -> timedelta | None:
    """A duration such as 72h, 3d or 90m; 0 (or "off") compares figures whatever the gap."""
    if value.lower() in ("0", "off", "none"):
        return None
    return parse_interval(value)


def _duration_text(value: timedelta | None) -> str:
    if value is None:
        return "0"
    minutes = int(value.total_seconds() // 60)
    if minutes % (24 * 60) == 0 and minutes >= 7 * 24 * 60:
        return f"{minutes // (24 * 60)}d"
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"{value!r} is not a TCP port (1-65535)")
    return int(value)


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _optional_https_url(value: str) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError(
            f"{redact_userinfo(value)!r} is not an https URL (Telegram sends webhooks over HTTPS "
            "only)"
        )
    return value


def _webhook_secret(value: str) -> str | None:
    """Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -."""
    if not value:
        return None
    if len(value) > 256 or not all(c.isalnum() or c in "_-" for c in value):
        raise ValueError("use 1-256 letters, digits, _ or -")
    return value


def _bool(value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ValueError(f"{value!r} is not a boolean; write true or false")


def _log_level(value: str) -> str:
    level = (value or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"{value!r} is not one of {', '.join(LOG_LEVELS)}")
    return level


def _lower(value: object) -> str:
    return str(value).lower()


# Each kind: the type the code sees, its parser (before validation) and how `check` shows it.
Token = Annotated[
    SecretStr | None,
    BeforeValidator(_token),
    PlainSerializer(lambda v: "***" if v else "(not set)"),
]
DatabaseUrl = Annotated[
    SecretStr,
    BeforeValidator(normalize_database_url),
    PlainSerializer(lambda v: redact_url(reveal(v))),
]
WebhookSecret = Annotated[
    SecretStr | None,
    BeforeValidator(_webhook_secret),
    PlainSerializer(lambda v: "***" if v else "(derived)"),
]
FilePath = Annotated[Path, BeforeValidator(_path), PlainSerializer(str)]
HttpUrl = Annotated[str, BeforeValidator(_http_url), PlainSerializer(redact_userinfo)]
HttpsUrlOrNone = Annotated[
    str | None,
    BeforeValidator(_optional_https_url),
    PlainSerializer(lambda v: redact_userinfo(v or "")),
]
UserIds = Annotated[
    frozenset[int],
    BeforeValidator(_id_set),
    PlainSerializer(lambda v: ",".join(map(str, sorted(v)))),
]
Timezone = Annotated[str, BeforeValidator(parse_timezone)]
ClockTime = Annotated[
    time, BeforeValidator(parse_clock_time), PlainSerializer(lambda v: v.strftime("%H:%M"))
]
Flag = Annotated[bool, BeforeValidator(_bool), PlainSerializer(_lower)]
Count = Annotated[int, BeforeValidator(_count), PlainSerializer(str)]
Duration = Annotated[timedelta, BeforeValidator(parse_interval), PlainSerializer(_duration_text)]
Window = Annotated[timedelta | None, BeforeValidator(_window), PlainSerializer(_duration_text)]
Host = Annotated[str, BeforeValidator(_non_empty)]
Port = Annotated[int, BeforeValidator(_port), PlainSerializer(str)]
Workers = Annotated[int, BeforeValidator(_workers), PlainSerializer(str)]
LogLevel = Annotated[str, BeforeValidator(_log_level)]
