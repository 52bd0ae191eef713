"""The command table, and the dispatcher every transport (Telegram, the terminal) calls.

``COMMANDS`` drives everything: dispatch, who may run what, /help, Telegram's command menu
(``bot_commands``) and the README's list (``readme_commands``). ``ChatBot`` takes a command, a
button press or plain text with its ``Request`` and always answers with a ``Reply`` (or None:
stay silent). It never raises: wrong arguments get the usage, a forbidden action says who may,
an unknown command a hint, and anything unexpected is logged and answered with an apology.
"""

from __future__ import annotations

import difflib
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.chat.access import Access, is_shared, require
from bot.chat.arguments import clean_arguments
from bot.chat.callbacks import (
    CLAIMS_PAGE,
    EXPIRED,
    FORGET_CANCEL,
    FORGET_CONFIRM,
    SETTINGS_ALERTS,
    SETTINGS_EMPTY,
    SETTINGS_SIZE,
    parse_callback,
)
from bot.chat.claims import claims_command, claims_page_button
from bot.chat.digest import digest_command
from bot.chat.help import Command, Form, Handler, render_help, render_menu, render_readme
from bot.chat.limits import ARGUMENT_CHARS, Decision, RateLimiter, Verdict
from bot.chat.markup import code, escape
from bot.chat.requests import NotAllowed, Reply, Request, UsageError
from bot.chat.settings import alerts_button, empty_digest_button, settings_command, size_button
from bot.chat.sources import sources_command
from bot.chat.status import status_command
from bot.chat.subscription import (
    forget_cancel_button,
    forget_command,
    forget_confirm_button,
    start_command,
    stop_command,
)
from bot.chat.topics import topics_command, track_command, untrack_command
from bot.services import Services
from bot.subscriptions import ChatNotSubscribedError, chat_blocked, chat_migrated

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Try again later."
NOT_SUBSCRIBED = "This chat is not subscribed yet: /start subscribes it."
TEXT_HINT = "I answer commands: /help lists them, and /claims <words> searches the ledger."
TOAST_CHARS = 200  # Telegram's limit for a button press's notice


async def help_command(request: Request) -> Reply:
    return Reply(help_text())


COMMANDS: tuple[Command, ...] = (
    Command("start", "/start", "Subscribe this chat to the daily digest and alerts",
            start_command, Access.CHAT_ADMINS),
    Command("help", "/help", "What the bot does and its commands", help_command),
    Command("topics", "/topics", "The topics this chat follows", topics_command),
    Command("track", "/track <name>: <alias>, <alias>...",
            "Follow a topic, adding it with its aliases if it is new", track_command,
            Access.CHAT_ADMINS),
    Command("untrack", "/untrack <name>", "Stop following a topic", untrack_command,
            Access.CHAT_ADMINS),
    Command("claims", "/claims", "The ledger of this chat's topics, each dispute once",
            claims_command, forms=(
                Form("/claims <words>", "Search the claims by sentence, speaker or measure"),
                Form("/claims add <topic>: <statement>",
                     "Put a statement on record and see what it conflicts with"),
                Form("/claims show <id>",
                     "One claim: its source, its dispute, agreeing and conflicting reports"),
                Form("/claims chart <id or words>",
                     "The figures of a claim's dispute over time, as a picture"),
                Form("/claims remove <id>", "Remove a claim you added (admins: more)"),
            )),
    Command("digest", "/digest", "What is new about this chat's topics since the last digest",
            digest_command),
    Command("settings", "/settings", "Digest time, time zone, alerts, digest size",
            settings_command, forms=(
                Form("/settings time <HH:MM>", "Set the digest's local time", Access.CHAT_ADMINS),
                Form("/settings tz <zone>", "Set the time zone, e.g. Europe/Kyiv",
                     Access.CHAT_ADMINS),
                Form("/settings alerts on|off", "Alerts about new conflicts", Access.CHAT_ADMINS),
                Form("/settings size <1-50>", "Stories a digest shows at most",
                     Access.CHAT_ADMINS),
                Form("/settings empty on|off", "A one-line digest when there is nothing new",
                     Access.CHAT_ADMINS),
            )),
    Command("sources", "/sources", "The feeds and channels watched, with their health",
            sources_command, forms=(
                Form("/sources add <url>", "Add a feed, web page or Telegram channel",
                     Access.BOT_OR_GROUP_ADMINS),
                Form("/sources remove <id>", "Remove a source; group admins only their group's",
                     Access.BOT_OR_GROUP_ADMINS),
                Form("/sources resume <id>",
                     "Fetch a paused source again; group admins only their group's",
                     Access.BOT_OR_GROUP_ADMINS),
            )),
    Command("status", "/status", "How the bot is doing: sources, outbox, chats", status_command,
            Access.BOT_ADMINS),
    Command("stop", "/stop", "Stop the digest and alerts here (settings are kept)",
            stop_command, Access.CHAT_ADMINS),
    Command("forget", "/forget", "Delete this chat's settings and topic list",
            forget_command, Access.CHAT_ADMINS),
)  # fmt: skip
BUTTONS: dict[str, Handler] = {
    CLAIMS_PAGE.key: claims_page_button,
    SETTINGS_ALERTS.key: alerts_button,
    SETTINGS_EMPTY.key: empty_digest_button,
    SETTINGS_SIZE.key: size_button,
    FORGET_CONFIRM.key: forget_confirm_button,
    FORGET_CANCEL.key: forget_cancel_button,
}
_BY_NAME = {command.name: command for command in COMMANDS}


def help_text() -> str:
    """The /help message (Telegram HTML)."""
    return render_help(COMMANDS)


def bot_commands() -> list[tuple[str, str]]:
    """(name, summary) of every command, for Telegram's set_my_commands."""
    return render_menu(COMMANDS)


def readme_commands() -> str:
    """The commands as a Markdown table, as the README embeds it."""
    return render_readme(COMMANDS)


class ChatBot:
    """Built once; ``clock`` is monotonic seconds, for the per-user rate limit."""

    def __init__(self, services: Services, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.services = services
        self.limiter = RateLimiter(clock=clock)

    async def handle_command(self, name: str, request: Request) -> Reply | None:
        """``name`` without the slash (an "@bot" suffix and case are ignored)."""
        name = name.split("@", 1)[0].casefold()
        command = _BY_NAME.get(name)
        guess = _closest(name) if command is None else None
        if command is None and guess is None and is_shared(request):
            return None  # in a group, likely another bot's command: not counted either
        rate = self._rate(request)
        if rate.verdict is Verdict.SILENCE:
            return None
        if rate.verdict is Verdict.WARN:  # once; then silence until the window frees up
            wait = rate.retry_after_seconds
            return Reply(f"Slow down: too many commands. Try again in {wait} s.")
        if command is None:
            hint = f" Did you mean /{guess}?" if guess else ""
            return Reply(f"I don't know /{escape(name, 40)}.{hint} /help lists the commands.")
        request = replace(request, args=clean_arguments(request.args))
        if len(request.args) > ARGUMENT_CHARS:
            return Reply(
                f"That is too long: {len(request.args):,} characters after /{command.name}; "
                f"at most {ARGUMENT_CHARS:,}."
            )
        return await self._run(command, request)

    async def _run(self, command: Command, request: Request) -> Reply:
        """The command's handler, with every failure turned into a reply."""
        try:
            await require(command.access, request, f"use /{command.name}")
            return await command.handler(request)
        except UsageError as exc:
            usages = "\n".join(code(usage) for usage in command.usages)
            return Reply(f"{escape(str(exc))}\nUsage:\n{usages}")
        except NotAllowed as exc:
            return Reply(escape(str(exc)))
        except ChatNotSubscribedError:
            return Reply(NOT_SUBSCRIBED)
        except Exception:
            log.exception("/%s failed in chat %d", command.name, request.chat.id)
            return Reply(SORRY)

    async def handle_callback(self, data: str, request: Request) -> Reply:
        """A button press. An empty ``text`` in the reply: leave the message as it is."""
        if self._rate(request).verdict is not Verdict.ALLOW:
            return Reply("", toast="Slow down: too many requests. Try again in a minute.")
        pressed = parse_callback(data)
        if pressed is None:
            return Reply("", toast=EXPIRED)
        try:
            return await BUTTONS[pressed.action.key](replace(request, args=pressed.argument))
        except (UsageError, NotAllowed) as exc:
            return Reply("", toast=str(exc)[:TOAST_CHARS])
        except ChatNotSubscribedError:
            return Reply("", toast=NOT_SUBSCRIBED)
        except Exception:
            log.exception("button %s failed in chat %d", pressed.action.key, request.chat.id)
            return Reply("", toast=SORRY)

    async def handle_text(self, request: Request) -> Reply | None:
        """Plain text, not a command: a hint in a private chat, silence in groups."""
        if is_shared(request) or self._rate(request).verdict is not Verdict.ALLOW:
            return None
        return Reply(escape(TEXT_HINT))

    async def chat_removed(self, chat_id: int, now: datetime) -> None:
        """The chat blocked the bot, or removed it from the group."""
        await chat_blocked(self.services, chat_id, now)

    async def chat_migrated(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup with a new id."""
        await chat_migrated(self.services, old_id, new_id)

    def _rate(self, request: Request) -> Decision:
        key = ("user", request.user.id) if request.user else ("chat", request.chat.id)
        return self.limiter.check(key)


def _closest(name: str) -> str | None:
    close = difflib.get_close_matches(name, list(_BY_NAME), n=1, cutoff=0.6)
    return close[0] if close else None
