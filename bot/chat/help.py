"""A command's entry in the command table, and the three texts the table renders:
/help (Telegram HTML), Telegram's command menu (set_my_commands) and the README's list.

Summaries are English, marked for the catalogues: /help and the menu show them in the current
language, the README as written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.chat.access import Access
from bot.chat.markup import escape
from bot.chat.requests import Reply, Request
from bot.translation import N_, _

Handler = Callable[[Request], Awaitable[Reply]]
INTRO = N_(
    "<b>claimwatch</b> watches news feeds and Telegram channels for the stories this chat "
    "tracks, keeps a ledger of the figures sources give and flags reports that contradict "
    "each other. A daily digest comes at the time set in /settings."
)
WHO = {  # for the README
    Access.ANYONE: "anyone",
    Access.CHAT_ADMINS: "group admins; anyone in a private chat",
    Access.BOT_OR_GROUP_ADMINS: "bot admins; group admins in their group",
    Access.BOT_ADMINS: "bot admins",
}
WHO_SHORT = {  # for /help
    Access.CHAT_ADMINS: N_("admins in groups"),
    Access.BOT_OR_GROUP_ADMINS: N_("bot admins, group admins"),
    Access.BOT_ADMINS: N_("bot admins"),
}


@dataclass(frozen=True, slots=True)
class Form:
    """One further way to use a command (``/claims add <statement>``), with who may."""

    usage: str
    summary: str
    access: Access = Access.ANYONE


@dataclass(frozen=True, slots=True)
class Command:
    name: str  # without the slash: "track"
    usage: str  # "/track <name>: <alias>, <alias>..."
    summary: str  # one line (marked with N_), also Telegram's menu entry (3-256 characters)
    handler: Handler
    access: Access = Access.ANYONE  # who may run it at all (checked before the handler)
    forms: tuple[Form, ...] = ()  # further forms, each checked by the handler

    @property
    def usages(self) -> tuple[str, ...]:
        return (self.usage, *(form.usage for form in self.forms))


def render_help(commands: Sequence[Command]) -> str:
    lines = [_(INTRO), ""]
    for command in commands:
        lines.append(_help_line(command.usage, command.summary, command.access))
        lines += ["   " + _help_line(f.usage, f.summary, f.access) for f in command.forms]
    return "\n".join(lines)


def render_menu(commands: Sequence[Command]) -> list[tuple[str, str]]:
    return [(command.name, _(command.summary)) for command in commands]


def render_readme(commands: Sequence[Command]) -> str:
    rows = ["| Command | What it does | Who may |", "|---|---|---|"]
    for command in commands:
        rows.append(_readme_row(command.usage, command.summary, command.access))
        rows += [_readme_row(f.usage, f.summary, f.access) for f in command.forms]
    return "\n".join(rows)


def _help_line(usage: str, summary: str, access: Access) -> str:
    who = f" ({_(WHO_SHORT[access])})" if access in WHO_SHORT else ""
    return f"<code>{escape(usage)}</code> — {escape(_(summary))}{who}"


def _readme_row(usage: str, summary: str, access: Access) -> str:
    cells = (f"`{usage}`", summary, WHO[access])
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
