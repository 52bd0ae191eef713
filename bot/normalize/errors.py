"""What the normalize stage raises: finer kinds of ``bot.errors.ParseError`` (bot/errors.py draws
them in the project's one tree of errors)."""

from __future__ import annotations

from bot.errors import ParseError


class NotAFeedError(ParseError):
    """The bytes are not a feed we can read (nor a page that links to one)."""


class InvalidJsonFeedError(NotAFeedError):
    """The body is JSON but not a JSON Feed (no version, no items)."""


class NoFeedFoundError(NotAFeedError):
    """A web page that links to no feed."""

    def __init__(self, url: str | None = None) -> None:
        super().__init__("no feed found; the page links to none", url)


class ChannelUnavailableError(ParseError):
    """The Telegram preview shows the "Contact @name" card: this name has no public preview."""

    def __init__(self, channel: str, url: str | None = None) -> None:
        self.channel = channel
        super().__init__(
            f"@{channel} has no public preview (no such channel, or a user, group or private "
            "channel)",
            url,
        )
