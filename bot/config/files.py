"""The two data files of `config/`: the watchlist and the sources list.

Both are TOML, validated by one pydantic model per table (unknown keys are problems). Every
problem names the file and, where it can, the line, and all problems of a file are reported at
once (as one ConfigError): see bot.config.toml_problems.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from bot.config.toml_problems import Table, validated
from bot.errors import ConfigError

MIN_INTERVAL = timedelta(minutes=1)
DEFAULT_INTERVAL = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    aliases: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimSpec:
    """A claim on record before anything is fetched: one sentence about one topic."""

    topic: str
    text: str


@dataclass(frozen=True, slots=True)
class Watchlist:
    topics: tuple[TopicSpec, ...]
    claims: tuple[ClaimSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceSpec:
    url: str
    name: str | None = None
    interval: timedelta = DEFAULT_INTERVAL


_INTERVAL = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def parse_interval(text: str) -> timedelta:
    """Parse "15m", "1h30m", "2d", "90s" (a bare number means minutes); at least one minute."""
    text = text.strip().lower()
    if text.isdigit():
        interval = timedelta(minutes=int(text))
    else:
        match = _INTERVAL.fullmatch(text)
        if not text or match is None:
            raise ValueError(f"{text!r} is not a duration; write it like 15m, 1h or 1h30m")
        days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
        interval = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if interval < MIN_INTERVAL:
        raise ValueError(f"{text!r} is shorter than the minimum of 1 minute")
    return interval


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """A TOML file's text and data, or a ConfigError naming the file (and line) and the fault."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError.in_file(path, "file not found") from None
    except OSError as exc:
        raise ConfigError.in_file(path, f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
        return text, tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ConfigError.in_file(path, f"not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        line = _line_of_decode_error(exc)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError.in_file(path, f"invalid TOML: {message}", line) from None


def _line_of_decode_error(exc: tomllib.TOMLDecodeError) -> int | None:
    lineno = getattr(exc, "lineno", None)  # Python 3.14 adds it; parse the message before that
    if isinstance(lineno, int):
        return lineno
    match = re.search(r"at line (\d+)", str(exc))
    return int(match.group(1)) if match else None


NonEmpty = Annotated[str, StringConstraints(min_length=1)]  # Table strips whitespace first


def _texts(value: object, info: ValidationInfo) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise ValueError(f"'{info.field_name}' must be a list of non-empty strings")


def _tables(value: object, info: ValidationInfo) -> object:
    if isinstance(value, list) and all(isinstance(table, dict) for table in value):
        return value
    name = info.field_name
    raise ValueError(f"'{name}' must be an array of tables, written [[{name}]]")


def _interval(value: object) -> timedelta:
    try:
        return parse_interval(str(value))
    except ValueError as exc:
        raise ValueError(f"interval: {exc}") from None


def _topic_names(info: ValidationInfo) -> set[str]:
    """The names of the topics validated so far (the context load_watchlist validates with)."""
    assert info.context is not None
    names: set[str] = info.context["topics"]
    return names


Texts = Annotated[tuple[str, ...], BeforeValidator(_texts)]
Tables = BeforeValidator(_tables)


class TopicTable(Table):
    noun: ClassVar[str] = "topic"
    label: ClassVar[str | None] = "name"

    name: NonEmpty
    aliases: Texts = ()
    exclude: Texts = ()  # phrases that must not count as a match

    @field_validator("name")
    @classmethod
    def _named_once(cls, name: str, info: ValidationInfo) -> str:
        seen = _topic_names(info)
        if name in seen:
            raise ValueError("another topic above has the same name; merge the two or rename one")
        seen.add(name)
        return name


class ClaimTable(Table):
    noun: ClassVar[str] = "claim"

    topic: NonEmpty
    text: NonEmpty = Field(description="the sentence that states it")

    @field_validator("topic")
    @classmethod
    def _of_a_topic(cls, topic: str, info: ValidationInfo) -> str:
        if topic not in _topic_names(info):  # the topics are validated first, in file order
            raise ValueError(f"'topic' must name a topic of this file: {topic!r}")
        return topic


class WatchlistFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topics: Annotated[tuple[TopicTable, ...], Tables] = ()
    claims: Annotated[tuple[ClaimTable, ...], Tables] = ()


class SourceTable(Table):
    noun: ClassVar[str] = "source"
    label: ClassVar[str | None] = "url"

    url: NonEmpty
    name: str | None = None
    interval: Annotated[timedelta, BeforeValidator(_interval)] = DEFAULT_INTERVAL


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: Annotated[tuple[SourceTable, ...], Tables] = ()


def load_watchlist(path: Path) -> Watchlist:
    """Read `watchlist.toml`: ``[[topics]]`` (name, aliases, exclude), optional ``[[claims]]``."""
    text, data = read_toml(path)
    file = validated(WatchlistFile, path, text, data, context={"topics": set()})
    return Watchlist(
        tuple(TopicSpec(t.name, t.aliases, t.exclude) for t in file.topics),
        tuple(ClaimSpec(c.topic, c.text) for c in file.claims),
    )


def load_sources_file(path: Path) -> tuple[SourceSpec, ...]:
    """Read `sources.toml`: ``[[sources]]`` with ``url`` and optional ``name`` and ``interval``."""
    text, data = read_toml(path)
    file = validated(SourcesFile, path, text, data, context={})
    return tuple(SourceSpec(s.url, s.name, s.interval) for s in file.sources)
