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

from bot.app.services import Services
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
from bot.chat.requests import NotAllowedError, Reply, Request, UsageError
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
from bot.subscribers.chats import ChatNotSubscribedError, chat_blocked, chat_language, chat_migrated
from bot.translation import N_, _, format_integer, language_of, ngettext, speaking

log = logging.getLogger(__name__)

SORRY = N_("Sorry, something went wrong on my side. Try again later.")
NOT_SUBSCRIBED = N_("This chat is not subscribed yet: /start subscribes it.")
TEXT_HINT = N_("I answer commands: /help lists them, and /claims <words> searches the ledger.")
TOAST_CHARS = 200  # Telegram's limit for a button press's notice


async def help_command(request: Request) -> Reply:
    return Reply(help_text())


COMMANDS: tuple[Command, ...] = (
    Command("start", "/start", N_("Subscribe this chat to the daily digest and alerts"),
            start_command, Access.CHAT_ADMINS),
    Command("help", "/help", N_("What the bot does and its commands"), help_command),
    Command("topics", "/topics", N_("The topics this chat follows"), topics_command),
    Command("track", "/track <name>: <alias>, <alias>...",
            N_("Follow a topic, adding it with its aliases if it is new"), track_command,
            Access.CHAT_ADMINS),
    Command("untrack", "/untrack <name>", N_("Stop following a topic"), untrack_command,
            Access.CHAT_ADMINS),
    Command("claims", "/claims", N_("The ledger of this chat's topics, each dispute once"),
            claims_command, forms=(
                Form("/claims <words>", N_("Search the claims by sentence, speaker or measure")),
                Form("/claims add <topic>: <statement>",
                     N_("Put a statement on record and see what it conflicts with")),
                Form("/claims show <id>",
                     N_("One claim: its source, its dispute, agreeing and conflicting reports")),
                Form("/claims chart <id or words>",
                     N_("The figures of a claim's dispute over time, as a picture")),
                Form("/claims remove <id>", N_("Remove a claim you added (admins: more)")),
            )),
    Command("digest", "/digest",
            N_("What is new about this chat's topics since the last digest"), digest_command),
    Command("settings", "/settings", N_("Digest time, time zone, language, alerts, digest size"),
            settings_command, forms=(
                Form("/settings time <HH:MM>", N_("Set the digest's local time"),
                     Access.CHAT_ADMINS),
                Form("/settings tz <zone>", N_("Set the time zone, e.g. Europe/Kyiv"),
                     Access.CHAT_ADMINS),
                Form("/settings lang en|ru|uk",
                     N_("The bot's language here: English, Russian or Ukrainian"),
                     Access.CHAT_ADMINS),
                Form("/settings alerts on|off", N_("Alerts about new conflicts"),
                     Access.CHAT_ADMINS),
                Form("/settings size <1-50>", N_("Stories a digest shows at most"),
                     Access.CHAT_ADMINS),
                Form("/settings empty on|off", N_("A one-line digest when there is nothing new"),
                     Access.CHAT_ADMINS),
            )),
    Command("sources", "/sources", N_("The feeds and channels watched, with their health"),
            sources_command, forms=(
                Form("/sources add <url>", N_("Add a feed, web page or Telegram channel"),
                     Access.BOT_OR_GROUP_ADMINS),
                Form("/sources remove <id>",
                     N_("Remove a source; group admins only their group's"),
                     Access.BOT_OR_GROUP_ADMINS),
                Form("/sources resume <id>",
                     N_("Fetch a paused source again; group admins only their group's"),
                     Access.BOT_OR_GROUP_ADMINS),
            )),
    Command("status", "/status", N_("How the bot is doing: sources, outbox, chats"),
            status_command, Access.BOT_ADMINS),
    Command("stop", "/stop", N_("Stop the digest and alerts here (settings are kept)"),
            stop_command, Access.CHAT_ADMINS),
    Command("forget", "/forget", N_("Delete this chat's settings and topic list"),
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
    """The /help message (Telegram HTML), in the current language."""
    return render_help(COMMANDS)


def bot_commands() -> list[tuple[str, str]]:
    """(name, summary) of every command in the current language, for set_my_commands."""
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
        with speaking(await self._language(request)):
            if rate.verdict is Verdict.WARN:  # once; then silence until the window frees up
                return Reply(
                    _("Slow down: too many commands. Try again in %(seconds)s s.",
                      seconds=rate.retry_after_seconds)
                )  # fmt: skip
            if command is None:
                return Reply(_unknown(name, guess))
            request = replace(request, args=clean_arguments(request.args))
            if len(request.args) > ARGUMENT_CHARS:
                return Reply(
                    ngettext("That is too long: %(count)s character after /%(command)s; at "
                             "most %(most)s.",
                             "That is too long: %(count)s characters after /%(command)s; at "
                             "most %(most)s.", len(request.args), command=command.name,
                             most=format_integer(ARGUMENT_CHARS))
                )  # fmt: skip
            return await self._run(command, request)

    async def _run(self, command: Command, request: Request) -> Reply:
        """The command's handler, with every failure turned into a reply."""
        try:
            await require(command.access, request, _("use /%(command)s", command=command.name))
            return await command.handler(request)
        except UsageError as exc:
            usages = "\n".join(code(usage) for usage in command.usages)
            return Reply("\n".join([escape(str(exc)), _("Usage:"), usages]))
        except NotAllowedError as exc:
            return Reply(escape(str(exc)))
        except ChatNotSubscribedError:
            return Reply(_(NOT_SUBSCRIBED))
        except Exception:
            log.exception("/%s failed in chat %d", command.name, request.chat.id)
            return Reply(_(SORRY))

    async def handle_callback(self, data: str, request: Request) -> Reply:
        """A button press. An empty ``text`` in the reply: leave the message as it is."""
        allowed = self._rate(request).verdict is Verdict.ALLOW
        with speaking(await self._language(request)):
            if not allowed:
                return Reply("", toast=_("Slow down: too many requests. Try again in a minute."))
            return await self._press(data, request)

    async def _press(self, data: str, request: Request) -> Reply:
        pressed = parse_callback(data)
        if pressed is None:
            return Reply("", toast=_(EXPIRED))
        try:
            return await BUTTONS[pressed.action.key](replace(request, args=pressed.argument))
        except (UsageError, NotAllowedError) as exc:
            return Reply("", toast=str(exc)[:TOAST_CHARS])
        except ChatNotSubscribedError:
            return Reply("", toast=_(NOT_SUBSCRIBED))
        except Exception:
            log.exception("button %s failed in chat %d", pressed.action.key, request.chat.id)
            return Reply("", toast=_(SORRY))

    async def handle_text(self, request: Request) -> Reply | None:
        """Plain text, not a command: a hint in a private chat, silence in groups."""
        if is_shared(request) or self._rate(request).verdict is not Verdict.ALLOW:
            return None
        with speaking(await self._language(request)):
            return Reply(escape(_(TEXT_HINT)))

    async def _language(self, request: Request) -> str:
        """The chat's language; before /start, the user's own (English if unknown). A
        database that cannot answer costs the language, not the reply."""
        try:
            stored = await chat_language(self.services, request.chat.id)
        except Exception:
            log.exception("the language of chat %d could not be read", request.chat.id)
            stored = None
        if stored is not None:
            return stored
        return language_of(request.user.language_code if request.user else None)

    async def chat_removed(self, chat_id: int, now: datetime) -> None:
        """The chat blocked the bot, or removed it from the group."""
        await chat_blocked(self.services, chat_id, now)

    async def chat_migrated(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup with a new id."""
        await chat_migrated(self.services, old_id, new_id)

    def _rate(self, request: Request) -> Decision:
        key = ("user", request.user.id) if request.user else ("chat", request.chat.id)
        return self.limiter.check(key)


def _unknown(name: str, guess: str | None) -> str:
    if guess:
        return _("I don't know /%(name)s. Did you mean /%(guess)s? /help lists the commands.",
                 name=escape(name, 40), guess=guess)  # fmt: skip
    return _("I don't know /%(name)s. /help lists the commands.", name=escape(name, 40))


def _closest(name: str) -> str | None:
    close = difflib.get_close_matches(name, list(_BY_NAME), n=1, cutoff=0.6)
    return close[0] if close else None
