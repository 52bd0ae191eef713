"""The Telegram adapter: python-telegram-bot updates in, ``Request``; ``Reply`` out, messages.

Everything a command does lives in the transport-free handlers of ``bot.chat``; this module only
translates. Posts of a channel the bot administers are news, not chat: when the channel is a
source, they are stored and analyzed like its fetched posts. The module owns the Application's
lifecycle: logging in (``log_in``), then long polling, or a webhook when CLAIMWATCH_WEBHOOK_URL
is set. The outbox is sent by ``TelegramSender`` (telegram_sender.py).

The token must never reach a message: python-telegram-bot's ``InvalidToken`` names it, and an
error page echoing the request path (``/bot<token>/getMe``) puts it in any error's text. So what
this module says about Telegram's errors (the log-in outcome, admin notices, outbox errors) is
scrubbed here, besides the logging filter.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from telegram import (
    BotCommand,
    ChatMember,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageOrigin,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.app.services import Services, utc_now
from bot.chat.commands import ChatBot, bot_commands
from bot.chat.requests import ChatRef, Reply, Request, UserRef
from bot.chat.send_pace import PacedRateLimiter
from bot.chat.telegram_errors import error_text, retry_delay
from bot.chat.telegram_sender import NO_PREVIEWS, TelegramApp
from bot.digest.plain import html_to_plain
from bot.digest.split import split_message
from bot.errors import ClaimwatchError, ConfigError
from bot.ingest.retrieval import source_address
from bot.logs import Scrubber
from bot.normalize import build_channel_post
from bot.settings import Settings, redact_userinfo, reveal
from bot.translation import DEFAULT_LANGUAGE, LANGUAGES, speaking
from storage.records import ChatKind, NewItem

log = logging.getLogger(__name__)

ADMIN_STATUSES = {ChatMember.ADMINISTRATOR, ChatMember.OWNER}
GONE_STATUSES = {ChatMember.LEFT, ChatMember.BANNED}
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]+))?(?:\s+|$)(.*)", re.DOTALL)
_KINDS: dict[str, ChatKind] = {
    ChatType.PRIVATE: ChatKind.PRIVATE,
    ChatType.GROUP: ChatKind.GROUP,
    ChatType.SUPERGROUP: ChatKind.SUPERGROUP,
    ChatType.CHANNEL: ChatKind.CHANNEL,
}


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
    adapter = _Adapter(services, chat, clock)
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


class _Adapter:
    """Update -> Request -> ChatBot -> Reply -> Telegram, and the chat lifecycle."""

    def __init__(self, services: Services, chat: ChatBot, clock: Callable[[], datetime]) -> None:
        self.services, self.chat, self.clock = services, chat, clock

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or update.effective_chat is None:
            return
        text = message.text or message.caption or ""
        found = _COMMAND.match(text)
        if found is None:
            await self._on_plain_text(update, context, message)
            return
        name, addressee, args = found.groups()
        if addressee and addressee.lower() != (context.bot.username or "").lower():
            return  # a command for another bot in the same group
        request = self._request(update, context, args)
        reply = await self.chat.handle_command(name.lower(), request)
        if reply is not None:
            await _reply(message, reply)

    async def _on_plain_text(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message
    ) -> None:
        if update.channel_post is not None or update.edited_channel_post is not None:
            await self._on_channel_post(message, edited=update.edited_channel_post is not None)
            return
        if message.text is None:
            return
        reply = await self.chat.handle_text(self._request(update, context, message.text))
        if reply is not None:
            await _reply(message, reply)

    async def _on_channel_post(self, message: Message, *, edited: bool) -> None:
        """A post of a channel the bot administers: an item of that channel's source, if any."""
        username = message.chat.username
        if not username:
            log.debug("channel %d has no public name: its posts are no source", message.chat.id)
            return
        ingestor = self.services.ingestor
        source = await ingestor.find_source(source_address(f"@{username}"))
        if source is None:
            log.debug("post of @%s ignored: the channel is not a source", username)
            return
        item = channel_post_item(message, username, edited, fetched_at=self.clock())
        report = await ingestor.add_pushed(source, [item])
        log.debug("post %d of @%s: %s", message.message_id, username, report.result)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or update.effective_chat is None:
            return
        reply = await self.chat.handle_callback(query.data or "", self._request(update, context))
        await query.answer(reply.toast)
        if reply.text and isinstance(query.message, Message):
            try:
                await query.message.edit_text(
                    reply.text, parse_mode=ParseMode.HTML, reply_markup=_keyboard(reply),
                    link_preview_options=NO_PREVIEWS,
                )  # fmt: skip
            except BadRequest as exc:
                if "not modified" not in exc.message.lower():
                    raise

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change: ChatMemberUpdated | None = update.my_chat_member
        if change is None:
            return
        if change.new_chat_member.status in GONE_STATUSES:
            await self.chat.chat_removed(change.chat.id, self.clock())
            log.info("removed from chat %d (%s)", change.chat.id, change.new_chat_member.status)

    async def on_migration(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.migrate_to_chat_id:
            await self.chat.chat_migrated(message.chat.id, message.migrate_to_chat_id)
            log.info("chat %d became supergroup %d", message.chat.id, message.migrate_to_chat_id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log (the logging filter masks the token), then tell the admins in one line."""
        error = context.error
        if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_chat:
            await self.chat.chat_removed(update.effective_chat.id, self.clock())
            log.info("chat %d blocked the bot: deactivated", update.effective_chat.id)
            return
        where = _describe(update)
        log.error("error while handling %s", where, exc_info=error)
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            return  # Telegram or the network is down: the admins could not be told anyway
        scrubber = Scrubber([reveal(self.services.settings.telegram_bot_token)])
        reason = "" if error is None else error_text(error, scrubber)
        notice = f"⚠️ claimwatch error while handling {where}: {type(error).__name__}: {reason}"
        for admin_id in sorted(self.services.settings.admin_ids):
            try:
                await context.bot.send_message(admin_id, html.escape(notice[:3000]))
            except TelegramError as exc:  # an admin who never opened a chat with the bot
                log.warning("could not tell admin %d about the error: %s", admin_id, exc)

    def _request(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, args: str = ""
    ) -> Request:
        chat = update.effective_chat
        assert chat is not None
        message = update.effective_message
        thread_id = message.message_thread_id if message and message.is_topic_message else None
        kind = _KINDS.get(chat.type, ChatKind.GROUP)
        user = update.effective_user
        who = None if user is None else UserRef(user.id, user.full_name, user.language_code)
        return Request(
            services=self.services,
            chat=ChatRef(chat.id, kind, chat.title or chat.full_name, thread_id),
            user=who,
            args=args.strip(),
            now=self.clock(),
            is_chat_admin=_admin_check(context, chat.id, kind, None if user is None else user.id),
        )


def channel_post_item(
    message: Message, username: str, edited: bool = False, *, fetched_at: datetime
) -> NewItem:
    """A channel post as its preview page shows it: the same guid, so it is stored once."""
    text = message.text_html if message.text is not None else None
    if text is None and message.caption is not None:
        text = message.caption_html
    post = build_channel_post(
        message_id=message.message_id,
        text=text or "",
        text_is_html=True,
        posted_at=message.date,
        url=f"https://t.me/{username}/{message.message_id}",
        author=message.author_signature,
        forwarded_from=_origin_name(message.forward_origin),
        edited=edited,
        fetched_at=fetched_at,
    )
    return post.item


def _origin_name(origin: MessageOrigin | None) -> str | None:
    """Who a forwarded post came from, as the preview page names them."""
    if isinstance(origin, MessageOriginChannel):
        return origin.chat.effective_name
    if isinstance(origin, MessageOriginChat):
        return origin.sender_chat.effective_name
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.full_name
    if isinstance(origin, MessageOriginHiddenUser):
        return origin.sender_user_name
    return None


def _admin_check(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, kind: ChatKind, user_id: int | None
) -> Callable[[], Awaitable[bool]]:
    async def is_chat_admin() -> bool:
        if kind in (ChatKind.PRIVATE, ChatKind.CHANNEL):
            return True  # one's own chat; only a channel's admins can post in it
        if user_id is None:
            return False
        member = await context.bot.get_chat_member(chat_id, user_id)
        return member.status in ADMIN_STATUSES

    return is_chat_admin


async def _reply(message: Message, reply: Reply) -> None:
    """Send a reply (split at 4,096 characters); a refused text goes again as plain text."""
    if reply.photo is not None:
        await _reply_photo(message, reply, reply.photo)
        return
    parts = [part for text in (reply.text, *reply.extra) for part in split_message(text)]
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        markup = _keyboard(reply) if last else None
        previews = None if reply.previews else NO_PREVIEWS
        try:
            await message.reply_text(
                part, parse_mode=ParseMode.HTML, reply_markup=markup,
                link_preview_options=previews, do_quote=False,
            )  # fmt: skip
        except BadRequest as exc:
            if "can't parse entities" not in exc.message.lower():
                raise
            log.warning("Telegram refused a reply's HTML (%s); sending it as plain text", exc)
            await message.reply_text(html_to_plain(part), reply_markup=markup, do_quote=False)


async def _reply_photo(message: Message, reply: Reply, photo: bytes) -> None:
    """A picture with the reply's text as its caption (the caller keeps it within 1,024)."""
    try:
        await message.reply_photo(photo, caption=reply.text, parse_mode=ParseMode.HTML,
                                  reply_markup=_keyboard(reply), do_quote=False)  # fmt: skip
    except BadRequest as exc:
        if "can't parse entities" not in exc.message.lower():
            raise
        log.warning("Telegram refused a caption's HTML (%s); sending it as plain text", exc)
        await message.reply_photo(photo, caption=html_to_plain(reply.text), do_quote=False)


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


def _describe(update: object) -> str:
    """Where an error happened, without message text (it may be private)."""
    if isinstance(update, Update):
        chat = update.effective_chat
        return f"update {update.update_id}" + (f" in chat {chat.id}" if chat else "")
    return "a background job"
