"""The errors claimwatch raises, as one tree: each class, the module that defines it, its meaning.

    ClaimwatchError                       bot.errors: anything claimwatch reports to a person or
    │                                     hands from one layer to another
    ├── ConfigError                       bot.errors: a setting, the watchlist or the sources
    │                                     file is wrong (names it, and the line if there is one)
    ├── FetchError                        bot.errors: one source could not be fetched (URL, why)
    │   └── FetchFailedError              bot.fetch.results: a FetchFailure raised inside
    │                                     bot.fetch; fetch() returns it as the result's failure
    ├── ChannelReferenceError             bot.fetch.telegram_preview: not a public Telegram
    │                                     channel name or link (a ValueError too)
    ├── ParseError                        bot.errors: the bytes are not a feed or channel page
    │   ├── NotAFeedError                 bot.normalize.errors: neither a feed nor a web page
    │   │   ├── InvalidJsonFeedError      bot.normalize.errors: JSON, but not a JSON Feed
    │   │   └── NoFeedFoundError          bot.normalize.errors: a web page that links to no feed
    │   ├── ChannelUnavailableError       bot.normalize.errors: t.me/s/<name> shows no public
    │   │                                 preview (no such channel, a user, a private channel)
    │   └── ParserCrashedError            bot.ingest.parsers: the process parsing them died
    ├── ChatNotSubscribedError            bot.subscribers.chats: the chat never sent /start (or
    │                                     sent /forget since); the chat's reply says so
    ├── UsageError                        bot.chat.requests: a command's arguments cannot be
    │                                     understood; the reply says why, with the usage
    ├── NotAllowedError                   bot.chat.requests: the user may not do this here; the
    │                                     reply says who may
    ├── BotAPIUnreachableError            bot.chat.telegram: the log-in cannot reach the Bot API
    │                                     (network, 5xx, flood control); the runner retries
    └── DeliveryError                     bot.digest.deliver: a message could not be sent; a
        │                                 Sender raises the kind, the outbox acts on it:
        ├── RetryLaterError               bot.digest.deliver: 429 (with its retry_after), 5xx,
        │                                 network errors: back off
        ├── ChatUnavailableError          bot.digest.deliver: 403 blocked or kicked, no such
        │                                 chat: deactivate the chat, drop its messages
        ├── ChatMovedError                bot.digest.deliver: the group became a supergroup:
        │                                 follow its new id, send again
        ├── TextRefusedError              bot.digest.deliver: 400 "can't parse entities": send
        │                                 the same text again as plain text
        └── RejectedError                 bot.digest.deliver: any other 400: drop the message,
                                          keep the reason

    LexiconError (a ValueError)           bot.analysis.lexicons: a language module lacks a
                                          section: a mistake in the code, found at its import

    StorageError                          storage.errors: anything storage/ reports, never a raw
    │                                     SQLAlchemy or driver error
    ├── DatabaseUnavailableError          storage.errors: cannot reach or open the database (a
    │                                     bad URL, a refused connection, an unwritable SQLite
    │                                     directory; says what and where, never the password)
    ├── DatabaseInUseError                storage.errors: another `claimwatch run` holds this
    │                                     SQLite file (its pid)
    ├── NotFoundError                     storage.errors: the row an update names is not there
    ├── DuplicateError                    storage.errors: a unique value is taken (a source URL)
    ├── NaiveDatetimeError                storage.errors: a datetime without a timezone was
    │                                     about to be written (a ValueError too)
    ├── SchemaMissingError                storage.errors: no (or an older) claimwatch schema:
    │                                     run `claimwatch db upgrade`
    └── IntegrityViolationError           storage.errors: any other constraint the database
                                          refused

Where they stop. storage/ imports nothing from bot/, so StorageError is a root of its own:
repositories and ``Database`` translate SQLAlchemy's and the drivers' errors at their boundary,
and bot/ only ever catches these. The ingestor records one as the failure of the source it was
storing (bot.ingest.poll); the CLI prints it as "claimwatch: database: ..." (bot.cli); a chat
command that meets one answers with its apology and logs it (bot.chat.commands); a scheduled job
logs it and tries again at its next tick (bot.app.jobs). Of ClaimwatchError's kinds, the CLI
prints a ConfigError's problems, the chat turns UsageError, NotAllowedError and
ChatNotSubscribedError into its reply, the runner retries BotAPIUnreachableError, and the outbox
acts on each DeliveryError. An expected failure (a dead feed) is a recorded outcome, not an
exception that aborts a poll: these exceptions cross at most one stage before being turned into
a result.
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
