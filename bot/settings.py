"""Settings: read once at start from the environment, a `.env` file and `*_FILE` secret twins.

Precedence: the process environment, then `.env` in the working directory, then the defaults.
A secret may instead be given as a file (`TELEGRAM_BOT_TOKEN_FILE=/run/secrets/token`), as
Docker and Kubernetes secrets are. Every problem is collected and reported at once, naming the
setting. This is the only module that reads the environment.

Each setting is declared once, as a field of `Settings`: its environment name (the alias), its
default as one would write it, what it means, and a type that says how it is read and shown.
`claimwatch check`, `.env.example` and the README's table are all checked against those fields.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.errors import ConfigError
from bot.setting_values import (
    LOG_LEVELS,
    ClockTime,
    Count,
    DatabaseUrl,
    Duration,
    FilePath,
    Flag,
    Host,
    HttpsUrlOrNone,
    HttpUrl,
    LogLevel,
    Port,
    Timezone,
    Token,
    UserIds,
    WebhookSecret,
    Window,
    Workers,
    normalize_database_url,
    parse_clock_time,
    parse_timezone,
    redact_url,
    redact_userinfo,
    reveal,
)

# The parsers other modules read a setting-like text with, from where they always were.
__all__ = [
    "LOG_LEVELS",
    "Settings",
    "env_example",
    "load_settings",
    "normalize_database_url",
    "parse_clock_time",
    "parse_timezone",
    "redact_url",
    "redact_userinfo",
    "reveal",
]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/claimwatch.db"
FILE_TWIN = "_FILE"  # X_FILE names a file whose content is the value of the secret X


def _setting(env: str, default: str, meaning: str) -> Any:
    """A field read from the environment variable `env`, whose default is written as text."""
    return Field(default, alias=env, description=meaning)


class Settings(BaseSettings):
    """Every setting, once. The field's alias is the environment name, its default the text a
    person would write (read by the same parser as a set value)."""

    model_config = SettingsConfigDict(frozen=True, extra="forbid", validate_default=True)

    telegram_bot_token: Token = _setting(
        "TELEGRAM_BOT_TOKEN",
        "",
        "Bot token from @BotFather; without one, `run` opens the terminal chat",
    )
    database_url: DatabaseUrl = _setting(
        "CLAIMWATCH_DATABASE_URL",
        DEFAULT_DATABASE_URL,
        "SQLAlchemy URL: sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER:PASS@HOST/DB",
    )
    watchlist_path: FilePath = _setting(
        "CLAIMWATCH_WATCHLIST", "config/watchlist.toml", "Topics to track, claims on record"
    )
    sources_path: FilePath = _setting(
        "CLAIMWATCH_SOURCES", "config/sources.toml", "Sources added at start (idempotent)"
    )
    telegram_api_url: HttpUrl = _setting(
        "CLAIMWATCH_TELEGRAM_API_URL", "https://api.telegram.org", "Bot API base URL"
    )
    telegram_preview_url: HttpUrl = _setting(
        "CLAIMWATCH_TELEGRAM_PREVIEW_URL",
        "https://t.me",
        "Base URL of public channel previews (<base>/s/<channel>)",
    )
    admin_ids: UserIds = _setting(
        "CLAIMWATCH_ADMIN_IDS", "", "Comma-separated Telegram user ids of the bot's admins"
    )
    timezone: Timezone = _setting(
        "CLAIMWATCH_TIMEZONE", "UTC", "Default timezone of new chats (IANA name)"
    )
    digest_time: ClockTime = _setting(
        "CLAIMWATCH_DIGEST_TIME", "08:00", "Default local time of the daily digest (HH:MM)"
    )
    allow_private_networks: Flag = _setting(
        "CLAIMWATCH_ALLOW_PRIVATE_NETWORKS",
        "false",
        "Allow sources on loopback/private addresses (true/false)",
    )
    alerts_per_hour: Count = _setting(
        "CLAIMWATCH_ALERTS_PER_HOUR", "6", "At most this many alerts a chat gets an hour"
    )
    conflict_window: Window = _setting(  # None: figures are compared whatever the gap
        "CLAIMWATCH_CONFLICT_WINDOW",
        "72h",
        "Figures stated within this of each other are compared (e.g. 72h, 7d; 0 = always)",
    )
    digest_chart: Flag = _setting(
        "CLAIMWATCH_DIGEST_CHART",
        "true",
        "Attach the chart of the most active dispute to the daily digest (true/false)",
    )
    webhook_url: HttpsUrlOrNone = _setting(
        "CLAIMWATCH_WEBHOOK_URL",
        "",
        "Public HTTPS URL Telegram posts updates to; empty = long polling",
    )
    webhook_listen: Host = _setting(
        "CLAIMWATCH_WEBHOOK_LISTEN",
        "0.0.0.0",
        "Address the webhook server listens on (your TLS proxy forwards to it)",
    )
    webhook_port: Port = _setting(
        "CLAIMWATCH_WEBHOOK_PORT", "8443", "Port the webhook server listens on"
    )
    webhook_secret: WebhookSecret = _setting(
        "CLAIMWATCH_WEBHOOK_SECRET",
        "",
        "Secret Telegram sends with each webhook update; empty = derived from the token",
    )
    parse_workers: Workers = _setting(  # 0: parse on a thread of this process, no processes
        "CLAIMWATCH_PARSE_WORKERS",
        "auto",
        "Processes that parse fetched feeds: auto = one per CPU; 0 = a thread of the main process",
    )
    source_lease: Duration = _setting(
        "CLAIMWATCH_SOURCE_LEASE",
        "10m",
        "How long a poll holds its sources (>= 1m; longer than a poll takes), then others may",
    )
    log_level: LogLevel = _setting(
        "CLAIMWATCH_LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING, ERROR or CRITICAL"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Settings() alone is the defaults. load_settings gathers the raw values itself and
        # validates them: the caller may name the environment and the .env file, and the
        # *_FILE twins and the check for unknown names need every raw name.
        return (init_settings,)

    def __repr__(self) -> str:  # never show secrets, even in a traceback or a debugger
        shown = ", ".join(f"{k}={v}" for k, v in self.redacted().items())
        return f"Settings({shown})"

    __str__ = __repr__

    def redacted(self) -> dict[str, str]:
        """Effective settings by environment name, with secrets masked, for display."""
        return {name: str(value) for name, value in self.model_dump(by_alias=True).items()}

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the database is SQLite on disk, else None."""
        scheme, _, rest = reveal(self.database_url).partition(":///")
        if not scheme.startswith("sqlite") or not rest or rest.startswith(":memory:"):
            return None
        return Path(rest.split("?", 1)[0])


def declared() -> Iterator[tuple[str, FieldInfo]]:
    """(environment name, field) of every setting, in the order they are declared."""
    for field in Settings.model_fields.values():
        assert field.alias is not None  # every field is made by _setting
        yield field.alias, field


def is_secret(field: FieldInfo) -> bool:
    """Secrets are SecretStr fields; each may be given as a file through its X_FILE twin."""
    return SecretStr in (field.annotation, *getattr(field.annotation, "__args__", ()))


NAMES = frozenset(name for name, _ in declared())
TWINS = {name + FILE_TWIN: name for name, field in declared() if is_secret(field)}


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Read, validate and return the settings; raise ConfigError listing every problem."""
    problems: list[str] = []
    raw = _gather(os.environ if environ is None else environ, env_file, problems)
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_problem(error) for error in exc.errors())
    if problems:
        raise ConfigError(problems)
    return settings


def _gather(
    environ: Mapping[str, str], env_file: Path | None, problems: list[str]
) -> dict[str, str]:
    """Combine .env, the environment and `*_FILE` twins into one name -> raw text map."""
    from_file: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        for key, value in dotenv_values(env_file).items():
            from_file[key] = value or ""
            if key.startswith("CLAIMWATCH_") and key not in NAMES and key not in TWINS:
                close = difflib.get_close_matches(key, sorted(NAMES | TWINS.keys()), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                problems.append(f"{env_file}: unknown setting {key}{hint}")
    merged = {**from_file, **environ}
    raw = {name: merged[name].strip() for name in NAMES if name in merged}
    for twin, name in TWINS.items():
        if not merged.get(twin):
            continue
        if raw.get(name):
            problems.append(f"{name}: set both {name} and {twin}; keep one")
            continue
        try:
            raw[name] = Path(merged[twin]).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{twin}: cannot read {merged[twin]}: {exc}")
    return raw


def _problem(error: ErrorDetails) -> str:
    """One validation error as the person reads it: the setting, then what is wrong (never the
    value itself, which may be a secret: the parsers quote what is safe to quote)."""
    where = ".".join(str(part) for part in error["loc"])
    cause = error.get("ctx", {}).get("error")
    return f"{where}: {cause if isinstance(cause, ValueError) else error['msg']}"


_ENV_EXAMPLE_HEADER = """\
# claimwatch settings. Copy to .env and edit; the process environment wins over this file.
# A secret may be given as a file instead, named by its _FILE twin (shown below each secret).
# `claimwatch check` validates everything and prints the effective settings (secrets hidden).
# Written from the declarations in bot/settings.py: python -m bot.settings > .env.example
"""


def env_example() -> str:
    """The text of `.env.example`: every setting with its meaning and default. A setting whose
    default is empty is there to fill in; the others are commented out, the default holding."""
    lines = [_ENV_EXAMPLE_HEADER.rstrip()]
    for name, field in declared():
        lines += ["", f"# {field.description}"]
        lines.append(f"{name}=" if field.default == "" else f"# {name}={field.default}")
        if is_secret(field):
            lines.append(f"# {name}{FILE_TWIN}=/run/secrets/{name.lower()}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(env_example(), end="")
