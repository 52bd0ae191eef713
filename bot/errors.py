"""The errors claimwatch raises, as one tree.

    ClaimwatchError                 anything claimwatch reports to a person
    ├── ConfigError                 a setting, the watchlist or the sources file is wrong
    │                               (names the setting or file, and the line when there is one)
    ├── FetchError                  one source could not be fetched (carries the URL)
    │   └── FetchFailedError        a FetchFailure (bot.fetch) raised, for callers that want one
    ├── ChannelReferenceError       not a public Telegram channel name or link (bot.fetch)
    └── ParseError                  the bytes are not a feed or channel page we can read
        ├── NotAFeedError           neither a feed nor a web page (bot.normalize)
        │   ├── InvalidJsonFeedError    JSON, but not a JSON Feed
        │   └── NoFeedFoundError        a web page that links to no feed
        └── ChannelUnavailableError t.me/s/<name> shows no public preview

storage.errors.StorageError is the storage layer's own root (storage/ imports nothing from
bot/); the CLI and the bot translate it at their boundary.

An expected failure (a dead feed) is a recorded outcome, not an exception that aborts a poll:
these exceptions cross at most one stage before being turned into a result.
"""

from __future__ import annotations

from pathlib import Path


class ClaimwatchError(Exception):
    """Base of every error claimwatch reports to a person."""


class ConfigError(ClaimwatchError):
    """One or more configuration problems, all listed at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

    @classmethod
    def in_file(cls, path: Path, message: str, line: int | None = None) -> ConfigError:
        where = f"{path}:{line}" if line else str(path)
        return cls([f"{where}: {message}"])


class FetchError(ClaimwatchError):
    """One source could not be fetched. ``reason`` is short and readable by a person."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class ParseError(ClaimwatchError):
    """The bytes are not something we can read as a feed or a channel page."""

    def __init__(self, reason: str, url: str | None = None) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}" if url else reason)
