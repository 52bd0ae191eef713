"""`claimwatch digest`: print a chat's digest now, without sending it or moving its window."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.cli.context import EXIT_FAILED, EXIT_OK, Commands, with_database
from bot.cli.items import parse_instant
from bot.printable import echo

if TYPE_CHECKING:
    from bot.settings import Settings
    from storage.db import Database
    from storage.records import Subscriber


def register(commands: Commands) -> None:
    digest = commands.add_parser(
        "digest",
        help="print a chat's digest now (nothing is sent)",
        description="Print the digest a chat would get now: conflicting reports, ledger changes "
        "and stories since its last scheduled digest (or --since). Nothing is sent and the "
        "chat's digest window does not move.",
    )
    digest.add_argument(
        "--chat",
        type=int,
        metavar="ID",
        help="the chat (default: the terminal chat, or the only one)",
    )
    digest.add_argument("--since", type=parse_instant, metavar="ISO", help="window start instead")
    form = digest.add_mutually_exclusive_group()
    form.add_argument("--text", dest="html", action="store_false", help="plain text (default)")
    form.add_argument("--html", dest="html", action="store_true",
                      help="the Telegram HTML messages, separated by a line of dashes")  # fmt: skip
    digest.set_defaults(handler=digest_command, html=False)


def digest_command(args: argparse.Namespace) -> int:
    from bot.digest.compose import compose_digest
    from bot.digest.render import render_html, render_text

    async def show(settings: Settings, db: Database) -> int:
        chat = await _chosen_chat(db, args.chat)
        if chat is None:
            return EXIT_FAILED
        digest = await compose_digest(db, chat, until=datetime.now(UTC), since=args.since)
        zone = ZoneInfo(chat.timezone)
        echo(("\n" + "-" * 40 + "\n").join(render_html(digest, zone)) if args.html
              else render_text(digest, zone))  # fmt: skip
        return EXIT_OK

    return with_database(show)


async def _chosen_chat(db: Database, chat_id: int | None) -> Subscriber | None:
    from bot.chat.console import CONSOLE_CHAT_ID

    async with db.transaction() as tx:
        if chat_id is not None:
            chat = await tx.chats.get(chat_id)
            if chat is None:
                echo(f"No chat {chat_id}. Chats subscribe with /start.")
            return chat
        chats = await tx.chats.list_active()
    by_id = {chat.chat_id: chat for chat in chats}
    if CONSOLE_CHAT_ID in by_id:
        return by_id[CONSOLE_CHAT_ID]
    if len(chats) == 1:
        return chats[0]
    if not chats:
        echo("No chat is subscribed yet: `make run` subscribes the terminal chat, or /start "
              "in Telegram.")  # fmt: skip
    else:
        listed = ", ".join(f"{c.chat_id} ({c.title or c.kind.value})" for c in chats[:20])
        echo(f"Several chats are subscribed; choose one with --chat ID: {listed}")
    return None
