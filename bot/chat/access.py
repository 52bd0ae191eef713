"""Who may do what in a chat.

In a private chat and at the terminal the user is the chat's admin; in a channel only its admins
can post, so a post counts as an admin's. In groups, changing the chat's subscription, settings,
topics and sources takes one of the group's admins; reading is open to every member. Bot admins
(CLAIMWATCH_ADMIN_IDS, or the operator at the terminal) run the whole bot.
"""

from __future__ import annotations

from enum import StrEnum

from bot.chat.requests import NotAllowedError, Request
from bot.translation import _
from storage.records import ChatKind

GROUPS = frozenset({ChatKind.GROUP, ChatKind.SUPERGROUP})
SHARED = GROUPS | {ChatKind.CHANNEL}  # chats with members who are not their admins


class Access(StrEnum):
    """Who may use a command (or one of its forms)."""

    ANYONE = "anyone"
    CHAT_ADMINS = "chat admins"  # in groups; anyone in a private chat
    BOT_OR_GROUP_ADMINS = "bot or group admins"  # the bot's admins; a group's admins there
    BOT_ADMINS = "bot admins"


async def is_chat_admin(request: Request) -> bool:
    if request.chat.kind not in GROUPS:
        return True
    return await request.is_chat_admin()


async def require(access: Access, request: Request, doing: str) -> None:
    """Raise NotAllowedError (saying who may) unless the user may do ``doing`` here (``doing``
    translated: "add sources")."""
    if access is Access.BOT_ADMINS and not request.is_bot_admin:
        raise NotAllowedError(_("Only the bot's admins can %(doing)s.", doing=doing))
    if access is Access.CHAT_ADMINS and not await is_chat_admin(request):
        raise NotAllowedError(_("Only this group's admins can %(doing)s.", doing=doing))
    if access is Access.BOT_OR_GROUP_ADMINS and not await _bot_or_group_admin(request):
        raise NotAllowedError(
            _("Only the bot's admins, and a group's admins there, can %(doing)s.", doing=doing)
        )


async def _bot_or_group_admin(request: Request) -> bool:
    return request.is_bot_admin or (is_shared(request) and await is_chat_admin(request))


def is_group(request: Request) -> bool:
    return request.chat.kind in GROUPS


def is_shared(request: Request) -> bool:
    """A group or a channel: a chat that is not one person's own."""
    return request.chat.kind in SHARED
