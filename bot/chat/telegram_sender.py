"""Outbox messages sent with the Application's bot, Telegram's refusals translated.

Each failure becomes what the outbox knows how to handle: flood control and network trouble are
retried later, a migrated group follows its new id, a chat that blocked the bot is given up, text
Telegram cannot parse is resent as plain text, any other refusal is dropped with its reason.
"""

from __future__ import annotations

from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application

from bot.chat.telegram_errors import error_text, retry_delay
from bot.digest.deliver import (
    ChatMovedError,
    ChatUnavailableError,
    RejectedError,
    RetryLaterError,
    TextRefusedError,
)
from bot.logs import Scrubber

TelegramApp = Application[Any, Any, Any, Any, Any, Any]
NO_PREVIEWS = LinkPreviewOptions(is_disabled=True)


class TelegramSender:
    """Sends outbox messages with the Application's bot, translating Telegram's errors (their
    text is stored with the message, so it is scrubbed of the token first)."""

    def __init__(self, app: TelegramApp) -> None:
        self._bot = app.bot
        self._scrubber = Scrubber([app.bot.token])

    async def send_html(self, chat_id: int, thread_id: int | None, text: str) -> None:
        await self._send(chat_id, thread_id, text, ParseMode.HTML)

    async def send_plain(self, chat_id: int, thread_id: int | None, text: str) -> None:
        await self._send(chat_id, thread_id, text, None)

    async def send_photo(
        self, chat_id: int, thread_id: int | None, photo: bytes, caption: str, *, html: bool
    ) -> None:
        await self._send(chat_id, thread_id, caption, ParseMode.HTML if html else None, photo)

    async def _send(
        self,
        chat_id: int,
        thread_id: int | None,
        text: str,
        parse_mode: str | None,
        photo: bytes | None = None,
    ) -> None:
        scrubber = self._scrubber
        try:
            if photo is not None:
                await self._bot.send_photo(
                    chat_id, photo, caption=text, parse_mode=parse_mode,
                    message_thread_id=thread_id,
                )  # fmt: skip
            else:
                await self._bot.send_message(
                    chat_id, text, parse_mode=parse_mode, message_thread_id=thread_id,
                    link_preview_options=NO_PREVIEWS,
                )  # fmt: skip
        except RetryAfter as exc:
            raise RetryLaterError(
                f"Telegram flood control: {exc}", retry_delay(exc.retry_after)
            ) from exc
        except ChatMigrated as exc:
            raise ChatMovedError(str(exc), exc.new_chat_id) from exc
        except Forbidden as exc:
            raise ChatUnavailableError(error_text(exc, scrubber)) from exc
        except BadRequest as exc:  # a subclass of NetworkError: before it
            raise _bad_request(error_text(exc, scrubber)) from exc
        except NetworkError as exc:  # 5xx, timeouts, connection errors
            raise RetryLaterError(f"network: {error_text(exc, scrubber)}") from exc


def _bad_request(message: str) -> Exception:
    reason = message.lower()
    if "can't parse entities" in reason:
        return TextRefusedError(message)
    if "chat not found" in reason or "deactivated" in reason or "kicked" in reason:
        return ChatUnavailableError(message)
    return RejectedError(message)
