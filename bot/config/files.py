"""The two data files of `config/`: the watchlist and the sources list.

Both are TOML. Every problem names the file and, where it can, the line, and all problems of a
file are reported at once (as one ConfigError).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

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


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, or raise a ConfigError naming the file (and line) and what is wrong."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError.in_file(path, "file not found") from None
    except OSError as exc:
        raise ConfigError.in_file(path, f"cannot read: {exc.strerror}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
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


def _table_lines(path: Path, header: str) -> list[int]:
    """Line numbers of each ``[[header]]`` in the file, to point problems at their table."""
    lines = path.read_text(encoding="utf-8").splitlines()
    pattern = re.compile(rf"^\s*\[\[\s*{re.escape(header)}\s*\]\]")
    return [number for number, line in enumerate(lines, 1) if pattern.match(line)]


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _tables(data: dict[str, Any], key: str, problems: list[str], where: str) -> list[Any]:
    tables = data.get(key, [])
    if not isinstance(tables, list):
        problems.append(f"{where}: '{key}' must be an array of tables, written [[{key}]]")
        return []
    return tables


def load_watchlist(path: Path) -> Watchlist:
    """Read `watchlist.toml`: ``[[topics]]`` (name, aliases, exclude), optional ``[[claims]]``."""
    data = read_toml(path)
    problems: list[str] = []
    topic_lines = _table_lines(path, "topics")
    claim_lines = _table_lines(path, "claims")

    def where(lines: list[int], index: int) -> str:
        return f"{path}:{lines[index]}" if index < len(lines) else str(path)

    topics: list[TopicSpec] = []
    for index, table in enumerate(_tables(data, "topics", problems, str(path))):
        at = where(topic_lines, index)
        name = table.get("name") if isinstance(table, dict) else None
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{at}: a topic needs a non-empty 'name'")
            continue
        aliases = _strings(table.get("aliases", []))
        exclude = _strings(table.get("exclude", []))
        if aliases is None:
            problems.append(f"{at}: topic {name!r}: 'aliases' must be a list of non-empty strings")
        if exclude is None:
            problems.append(f"{at}: topic {name!r}: 'exclude' must be a list of non-empty strings")
        unknown = sorted(set(table) - {"name", "aliases", "exclude"})
        if unknown:
            problems.append(f"{at}: topic {name!r}: unknown keys {', '.join(unknown)}")
        if any(t.name == name.strip() for t in topics):
            problems.append(f"{at}: topic {name!r} is defined twice")
        topics.append(TopicSpec(name.strip(), aliases or (), exclude or ()))

    names = {t.name for t in topics}
    claims: list[ClaimSpec] = []
    for index, table in enumerate(_tables(data, "claims", problems, str(path))):
        at = where(claim_lines, index)
        topic = table.get("topic") if isinstance(table, dict) else None
        text = table.get("text") if isinstance(table, dict) else None
        if not isinstance(topic, str) or topic not in names:
            problems.append(f"{at}: a claim's 'topic' must name a topic of this file: {topic!r}")
        elif not isinstance(text, str) or not text.strip():
            problems.append(f"{at}: a claim needs a non-empty 'text' (the sentence that states it)")
        else:
            claims.append(ClaimSpec(topic, text.strip()))

    unknown_keys = sorted(set(data) - {"topics", "claims"})
    if unknown_keys:
        problems.append(f"{path}: unknown sections {', '.join(unknown_keys)}")
    if problems:
        raise ConfigError(problems)
    return Watchlist(tuple(topics), tuple(claims))


def load_sources_file(path: Path) -> tuple[SourceSpec, ...]:
    """Read `sources.toml`: ``[[sources]]`` with ``url`` and optional ``name`` and ``interval``."""
    data = read_toml(path)
    problems: list[str] = []
    lines = _table_lines(path, "sources")
    specs: list[SourceSpec] = []
    for index, table in enumerate(_tables(data, "sources", problems, str(path))):
        at = f"{path}:{lines[index]}" if index < len(lines) else str(path)
        url = table.get("url") if isinstance(table, dict) else None
        name = table.get("name") if isinstance(table, dict) else None
        if not isinstance(url, str) or not url.strip():
            problems.append(f"{at}: a source needs a non-empty 'url'")
            continue
        if name is not None and not isinstance(name, str):
            problems.append(f"{at}: 'name' must be a string")
            name = None
        interval = DEFAULT_INTERVAL
        if "interval" in table:
            try:
                interval = parse_interval(str(table["interval"]))
            except ValueError as exc:
                problems.append(f"{at}: interval: {exc}")
        unknown = sorted(set(table) - {"url", "name", "interval"})
        if unknown:
            problems.append(f"{at}: unknown keys {', '.join(unknown)}")
        specs.append(SourceSpec(url.strip(), name, interval))
    if problems:
        raise ConfigError(problems)
    return tuple(specs)
