"""Settings: read once at start from the environment, a `.env` file and `*_FILE` secret twins.

Precedence: the process environment, then `.env` in the working directory, then the defaults.
A secret may instead be given as a file (`TELEGRAM_BOT_TOKEN_FILE=/run/secrets/token`), as
Docker and Kubernetes secrets are. Every problem is collected and reported at once, naming the
setting. This is the only module that reads the environment.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.config.files import parse_interval
from bot.errors import ConfigError
from bot.ingest.parsers import MAX_PARSE_WORKERS, default_workers

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/claimwatch.db"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True, slots=True)
class Setting:
    """One documented setting: the table drives loading, `claimwatch check` and the README."""

    env: str
    default: str
    help: str
    secret: bool = False
    has_file_twin: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TELEGRAM_BOT_TOKEN",
        "",
        "Bot token from @BotFather; without one, `run` opens the terminal chat",
        secret=True,
        has_file_twin=True,
    ),
    Setting(
        "CLAIMWATCH_DATABASE_URL",
        DEFAULT_DATABASE_URL,
        "SQLAlchemy URL: sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER:PASS@HOST/DB",
        secret=True,
        has_file_twin=True,
    ),
    Setting("CLAIMWATCH_WATCHLIST", "config/watchlist.toml", "Topics to track, claims on record"),
    Setting("CLAIMWATCH_SOURCES", "config/sources.toml", "Sources added at start (idempotent)"),
    Setting("CLAIMWATCH_TELEGRAM_API_URL", "https://api.telegram.org", "Bot API base URL"),
    Setting(
        "CLAIMWATCH_TELEGRAM_PREVIEW_URL",
        "https://t.me",
        "Base URL of public channel previews (<base>/s/<channel>)",
    ),
    Setting("CLAIMWATCH_ADMIN_IDS", "", "Comma-separated Telegram user ids of the bot's admins"),
    Setting("CLAIMWATCH_TIMEZONE", "UTC", "Default timezone of new chats (IANA name)"),
    Setting("CLAIMWATCH_DIGEST_TIME", "08:00", "Default local time of the daily digest (HH:MM)"),
    Setting(
        "CLAIMWATCH_ALLOW_PRIVATE_NETWORKS",
        "false",
        "Allow sources on loopback/private addresses (true/false)",
    ),
    Setting("CLAIMWATCH_ALERTS_PER_HOUR", "6", "At most this many alerts a chat gets an hour"),
    Setting(
        "CLAIMWATCH_CONFLICT_WINDOW",
        "72h",
        "Figures stated within this of each other are compared (e.g. 72h, 7d; 0 = always)",
    ),
    Setting(
        "CLAIMWATCH_DIGEST_CHART",
        "true",
        "Attach the chart of the most active dispute to the daily digest (true/false)",
    ),
    Setting(
        "CLAIMWATCH_WEBHOOK_URL",
        "",
        "Public HTTPS URL Telegram posts updates to; empty = long polling",
    ),
    Setting("CLAIMWATCH_WEBHOOK_LISTEN", "0.0.0.0", "Address the webhook server listens on"),
    Setting("CLAIMWATCH_WEBHOOK_PORT", "8443", "Port the webhook server listens on"),
    Setting(
        "CLAIMWATCH_WEBHOOK_SECRET",
        "",
        "Secret Telegram sends with each webhook update; empty = derived from the token",
        secret=True,
    ),
    Setting(
        "CLAIMWATCH_PARSE_WORKERS",
        "auto",
        "Processes that parse fetched feeds: auto = one per CPU; 0 = a thread of the main process",
    ),
    Setting(
        "CLAIMWATCH_SOURCE_LEASE",
        "10m",
        "How long a poll holds the sources it fetches; a killed worker's are fetched after it",
    ),
    Setting("CLAIMWATCH_LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING, ERROR or CRITICAL"),
)
_BY_ENV = {s.env: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    telegram_bot_token: str | None
    database_url: str
    watchlist_path: Path
    sources_path: Path
    telegram_api_url: str
    telegram_preview_url: str
    admin_ids: frozenset[int]
    timezone: str
    digest_time: time
    allow_private_networks: bool
    log_level: str
    alerts_per_hour: int
    conflict_window: timedelta | None  # None: figures are compared whatever the gap
    digest_chart: bool
    webhook_url: str | None
    webhook_listen: str
    webhook_port: int
    webhook_secret: str | None
    parse_workers: int  # 0: parse on a thread of this process, no pool of processes
    source_lease: timedelta

    def __repr__(self) -> str:  # never show secrets, even in a traceback or a debugger
        shown = ", ".join(f"{k}={v}" for k, v in self.redacted().items())
        return f"Settings({shown})"

    def redacted(self) -> dict[str, str]:
        """Effective settings by environment name, with secrets masked, for display."""
        return {
            "TELEGRAM_BOT_TOKEN": "(not set)" if not self.telegram_bot_token else "***",
            "CLAIMWATCH_DATABASE_URL": redact_url(self.database_url),
            "CLAIMWATCH_WATCHLIST": str(self.watchlist_path),
            "CLAIMWATCH_SOURCES": str(self.sources_path),
            "CLAIMWATCH_TELEGRAM_API_URL": redact_userinfo(self.telegram_api_url),
            "CLAIMWATCH_TELEGRAM_PREVIEW_URL": redact_userinfo(self.telegram_preview_url),
            "CLAIMWATCH_ADMIN_IDS": ",".join(map(str, sorted(self.admin_ids))),
            "CLAIMWATCH_TIMEZONE": self.timezone,
            "CLAIMWATCH_DIGEST_TIME": self.digest_time.strftime("%H:%M"),
            "CLAIMWATCH_ALLOW_PRIVATE_NETWORKS": str(self.allow_private_networks).lower(),
            "CLAIMWATCH_ALERTS_PER_HOUR": str(self.alerts_per_hour),
            "CLAIMWATCH_CONFLICT_WINDOW": _duration_text(self.conflict_window),
            "CLAIMWATCH_DIGEST_CHART": str(self.digest_chart).lower(),
            "CLAIMWATCH_WEBHOOK_URL": redact_userinfo(self.webhook_url or ""),
            "CLAIMWATCH_WEBHOOK_LISTEN": self.webhook_listen,
            "CLAIMWATCH_WEBHOOK_PORT": str(self.webhook_port),
            "CLAIMWATCH_WEBHOOK_SECRET": "***" if self.webhook_secret else "(derived)",
            "CLAIMWATCH_PARSE_WORKERS": str(self.parse_workers),
            "CLAIMWATCH_SOURCE_LEASE": _duration_text(self.source_lease),
            "CLAIMWATCH_LOG_LEVEL": self.log_level,
        }

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the database is SQLite on disk, else None."""
        scheme, _, rest = self.database_url.partition(":///")
        if not scheme.startswith("sqlite") or not rest or rest.startswith(":memory:"):
            return None
        return Path(rest.split("?", 1)[0])


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Read, validate and return the settings; raise ConfigError listing every problem."""
    problems: list[str] = []
    raw = _merge_sources(os.environ if environ is None else environ, env_file, problems)

    def parse(env: str, convert: Callable[[str], Any]) -> Any:
        try:
            return convert(raw.get(env, _BY_ENV[env].default).strip())
        except ValueError as exc:
            problems.append(f"{env}: {exc}")
            return None

    settings = Settings(
        telegram_bot_token=parse("TELEGRAM_BOT_TOKEN", _token),
        database_url=parse("CLAIMWATCH_DATABASE_URL", normalize_database_url),
        watchlist_path=parse("CLAIMWATCH_WATCHLIST", _path),
        sources_path=parse("CLAIMWATCH_SOURCES", _path),
        telegram_api_url=parse("CLAIMWATCH_TELEGRAM_API_URL", _http_url),
        telegram_preview_url=parse("CLAIMWATCH_TELEGRAM_PREVIEW_URL", _http_url),
        admin_ids=parse("CLAIMWATCH_ADMIN_IDS", _id_set),
        timezone=parse("CLAIMWATCH_TIMEZONE", parse_timezone),
        digest_time=parse("CLAIMWATCH_DIGEST_TIME", parse_clock_time),
        allow_private_networks=parse("CLAIMWATCH_ALLOW_PRIVATE_NETWORKS", _bool),
        log_level=parse("CLAIMWATCH_LOG_LEVEL", _log_level),
        alerts_per_hour=parse("CLAIMWATCH_ALERTS_PER_HOUR", _count),
        conflict_window=parse("CLAIMWATCH_CONFLICT_WINDOW", _window),
        digest_chart=parse("CLAIMWATCH_DIGEST_CHART", _bool),
        webhook_url=parse("CLAIMWATCH_WEBHOOK_URL", _optional_https_url),
        webhook_listen=parse("CLAIMWATCH_WEBHOOK_LISTEN", _non_empty),
        webhook_port=parse("CLAIMWATCH_WEBHOOK_PORT", _port),
        webhook_secret=parse("CLAIMWATCH_WEBHOOK_SECRET", _webhook_secret),
        parse_workers=parse("CLAIMWATCH_PARSE_WORKERS", _workers),
        source_lease=parse("CLAIMWATCH_SOURCE_LEASE", parse_interval),
    )
    if problems:
        raise ConfigError(problems)
    return settings


def _merge_sources(
    environ: Mapping[str, str], env_file: Path | None, problems: list[str]
) -> dict[str, str]:
    """Combine .env, the environment and `*_FILE` twins into one name -> raw value map."""
    from_file: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        for key, value in dotenv_values(env_file).items():
            from_file[key] = value or ""
            if key.startswith("CLAIMWATCH_") and key.removesuffix("_FILE") not in _BY_ENV:
                close = difflib.get_close_matches(key, list(_BY_ENV), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                problems.append(f"{env_file}: unknown setting {key}{hint}")
    merged = {**from_file, **{k: v for k, v in environ.items() if k in _BY_ENV or "_FILE" in k}}
    for setting in SETTINGS:
        twin = f"{setting.env}_FILE"
        if not setting.has_file_twin or not merged.get(twin):
            continue
        if merged.get(setting.env):
            problems.append(f"{setting.env}: set both {setting.env} and {twin}; keep one")
            continue
        try:
            merged[setting.env] = Path(merged[twin]).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{twin}: cannot read {merged[twin]}: {exc}")
    return merged


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
