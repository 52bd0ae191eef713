"""Telegram updates in, replies out: the adapter between python-telegram-bot's updates and
the transport-free ``ChatBot`` (commands, buttons, membership changes, channel posts)."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import (
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
    NetworkError,
    TelegramError,
)
from telegram.ext import (
    ContextTypes,
)

from bot.app.services import Services
from bot.chat.commands import ChatBot
from bot.chat.requests import ChatRef, Reply, Request, UserRef
from bot.chat.telegram_errors import error_text
from bot.chat.telegram_sender import NO_PREVIEWS
from bot.digest.plain import html_to_plain
from bot.digest.split import split_message
from bot.ingest.retrieval import source_address
from bot.logs import Scrubber
from bot.normalize import build_channel_post
from bot.settings import reveal
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


class UpdateAdapter:
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
