"""/digest: this chat's digest now, for the window since its last scheduled digest.

Asking for it never moves the window: only a scheduled digest does.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.chat.requests import Reply, Request
from bot.digest.compose import compose_digest
from bot.digest.render import render_html
from bot.subscribers.chats import chat_settings


async def digest_command(request: Request) -> Reply:
    chat = await chat_settings(request.services, request.chat.id)
    digest = await compose_digest(request.services.db, chat, until=request.now)
    first, *more = render_html(digest, ZoneInfo(chat.timezone))
    return Reply(first, extra=tuple(more))
