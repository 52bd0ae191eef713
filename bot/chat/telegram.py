"""The Telegram transport: the python-telegram-bot Application and its lifecycle.

Everything a command does lives in the transport-free handlers of ``bot.chat``; updates are
translated to requests and replies by ``UpdateAdapter`` (telegram_updates.py), where posts of a
channel the bot administers become news items. This module owns the Application's lifecycle: logging
in (``log_in``), then long polling, or a webhook when CLAIMWATCH_WEBHOOK_URL is set. The outbox is
sent by ``TelegramSender`` (telegram_sender.py).

The token must never reach a message: python-telegram-bot's ``InvalidToken`` names it, and an
error page echoing the request path (``/bot<token>/getMe``) puts it in any error's text. So what
this module says about Telegram's errors (the log-in outcome, admin notices, outbox errors) is
scrubbed here, besides the logging filter.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import (
    BotCommand,
    Update,
)
from telegram.error import (
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot.app.services import Services, utc_now
from bot.chat.commands import ChatBot, bot_commands
from bot.chat.send_pace import PacedRateLimiter
from bot.chat.telegram_errors import error_text, retry_delay
from bot.chat.telegram_sender import TelegramApp
from bot.chat.telegram_updates import UpdateAdapter
from bot.errors import ClaimwatchError, ConfigError
from bot.logs import Scrubber
from bot.settings import Settings, redact_userinfo, reveal
from bot.translation import DEFAULT_LANGUAGE, LANGUAGES, speaking

log = logging.getLogger(__name__)


def build_application(
    services: Services, chat: ChatBot, *, clock: Callable[[], datetime] = utc_now
) -> TelegramApp:
    """The PTB Application with claimwatch's handlers; the caller runs it. ``clock`` dates the
    requests, the membership changes and the channel posts."""
    settings = services.settings
    assert settings.telegram_bot_token is not None
    app = (
        ApplicationBuilder()
        .token(reveal(settings.telegram_bot_token))
        .base_url(f"{settings.telegram_api_url}/bot")
        .base_file_url(f"{settings.telegram_api_url}/file/bot")
        .rate_limiter(_rate_limiter())
        .concurrent_updates(8)
        .build()
    )
    adapter = UpdateAdapter(services, chat, clock)
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, adapter.on_migration))
    app.add_handler(ChatMemberHandler(adapter.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CallbackQueryHandler(adapter.on_button))
    app.add_handler(MessageHandler(filters.TEXT | filters.CAPTION, adapter.on_message))
    app.add_error_handler(adapter.on_error)
    return app


class BotAPIUnreachableError(ClaimwatchError):
    """The log-in failed for a reason that may pass: the network, a 5xx, flood control.
    ``where`` is the Bot API's URL and ``reason`` says why, neither naming the token."""

    def __init__(self, where: str, reason: str, retry_after: timedelta | None = None) -> None:
        super().__init__(f"{where}: {reason}")
        self.where, self.reason, self.retry_after = where, reason, retry_after


async def log_in(app: TelegramApp, settings: Settings) -> None:
    """Check the token with getMe (the bot's initialize), the first call to Telegram.

    Raises ConfigError when the Bot API rejects the token, BotAPIUnreachableError when it cannot
    be reached or answers with an error that may pass; the bot is shut down again after either.
    """
    scrubber = Scrubber([reveal(settings.telegram_bot_token)])
    where = redact_userinfo(settings.telegram_api_url)
    try:
        await app.bot.initialize()
        return
    except InvalidToken as exc:  # 401, or 404 for a malformed token
        answer = error_text(exc.__cause__ or exc, scrubber)[:_LONGEST_REASON]
        failure: Exception = ConfigError(
            [
                f"the Bot API rejected TELEGRAM_BOT_TOKEN ({answer} at {where}): copy the token "
                "from @BotFather again, and check CLAIMWATCH_TELEGRAM_API_URL"
            ]
        )
    except RetryAfter as exc:
        failure = BotAPIUnreachableError(where, "flood control", retry_delay(exc.retry_after))
    except TelegramError as exc:  # NetworkError, TimedOut, 5xx, a page that is not the Bot API
        failure = BotAPIUnreachableError(where, error_text(exc, scrubber)[:_LONGEST_REASON])
    await app.bot.shutdown()
    raise failure  # outside the except blocks: no chained exception carries the token


_LONGEST_REASON = 200


async def run_telegram(app: TelegramApp, services: Services, stopped: asyncio.Event) -> None:
    """Run the Application (polling or webhook) until ``stopped`` is set."""
    settings = services.settings
    async with app:
        await app.start()
        await _announce_commands(app)
        assert app.updater is not None
        if settings.webhook_url:
            await app.updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=webhook_path(settings.webhook_url),
                webhook_url=settings.webhook_url,
                secret_token=webhook_secret(services),
                allowed_updates=Update.ALL_TYPES,
            )
            log.info("receiving Telegram updates by webhook at %s", settings.webhook_url)
        else:
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.info("receiving Telegram updates by long polling as @%s", app.bot.username)
        try:
            await stopped.wait()
        finally:
            await app.updater.stop()
            await app.stop()


SENDS_PER_SECOND = 30  # the grid; Telegram's window is kept by the answers (send_pace.py)


def _rate_limiter() -> PacedRateLimiter:
    """Sends on a grid of 1/30 s, no more than 30 in a second as Telegram counts them
    (bot/chat/send_pace.py). Measured with benchmarks/digest_bench.py: AIORateLimiter's default
    bucket (30 at once) got 0.74 of 30/s, answered with 429s and pauses; a bucket of one at
    29/s got 0.91-0.94, losing each send's wake-up lateness."""
    return PacedRateLimiter(SENDS_PER_SECOND, max_retries=2)


def webhook_path(url: str) -> str:
    """The path part of the public webhook URL, which the local server listens on."""
    return url.split("://", 1)[-1].partition("/")[2]


def webhook_secret(services: Services) -> str:
    settings = services.settings
    if settings.webhook_secret:
        return reveal(settings.webhook_secret)
    token = reveal(settings.telegram_bot_token)
    return hashlib.sha256(f"claimwatch-webhook:{token}".encode()).hexdigest()


async def _announce_commands(app: TelegramApp) -> None:
    """The command menu, from the command table, once in English for everyone and once per
    language for the users whose app is in it (a failure only costs the menu)."""
    menus: list[tuple[str | None, list[BotCommand]]] = []
    for language in (None, *LANGUAGES):
        with speaking(language or DEFAULT_LANGUAGE):
            menus.append((language, [BotCommand(name, text) for name, text in bot_commands()]))
    try:
        for language, commands in menus:
            await app.bot.set_my_commands(commands, language_code=language)
    except TelegramError as exc:
        log.warning("could not announce the command menu to Telegram: %s", exc)
        return
    log.info("connected to Telegram as @%s; %d commands announced in %s", app.bot.username,
             len(menus[0][1]), ", ".join(LANGUAGES))  # fmt: skip
