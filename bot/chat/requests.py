"""What a chat handler receives and returns, the same for Telegram and the terminal chat.

Handlers are transport-free: an adapter (Telegram or the terminal) turns an update into a
``Request``, awaits the handler, and turns the ``Reply`` into a message, an edit or printed text.
Text in a ``Reply`` is Telegram HTML; everything a user or a feed provided is escaped by the
handler that puts it there (``html.escape``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.app.services import Services
from bot.errors import ClaimwatchError
from storage.records import ChatKind


@dataclass(frozen=True, slots=True)
class ChatRef:
    id: int
    kind: ChatKind
    title: str | None = None
    thread_id: int | None = None  # the forum topic the message came from


@dataclass(frozen=True, slots=True)
class UserRef:
    id: int
    name: str  # a display name, for replies only
    language_code: str | None = None  # Telegram's IETF tag of the user's app ("ru", "en-US")


@dataclass(frozen=True, slots=True)
class Request:
    services: Services
    chat: ChatRef
    user: UserRef | None  # None for channel posts
    args: str  # the text after the command (or the callback's arguments), stripped
    now: datetime  # timezone-aware UTC
    is_chat_admin: Callable[[], Awaitable[bool]]  # may ask Telegram: await only when needed

    @property
    def is_bot_admin(self) -> bool:
        """Named in CLAIMWATCH_ADMIN_IDS, or the operator at the terminal."""
        if self.chat.kind is ChatKind.CONSOLE:
            return True
        return self.user is not None and self.user.id in self.services.settings.admin_ids


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str  # callback data, at most 64 bytes: "<family>:<action>[:<argument>]"


@dataclass(frozen=True, slots=True)
class Reply:
    text: str  # Telegram HTML
    buttons: tuple[tuple[Button, ...], ...] = ()  # rows of inline buttons
    toast: str | None = None  # for a button press: a short notice shown by answerCallbackQuery
    previews: bool = False  # link previews (off unless a reply is about one link)
    extra: tuple[str, ...] = field(default=())  # further messages sent after this one
    photo: bytes | None = None  # a picture (PNG) sent with ``text`` as its caption


class UsageError(ClaimwatchError):
    """The arguments cannot be understood; the message says what is wrong and how to fix it."""


class NotAllowedError(ClaimwatchError):
    """The user may not do this here; the message says who may."""
