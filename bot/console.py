"""The terminal chat: the bot's own command handlers, with the terminal as one local chat.

`claimwatch run` without a TELEGRAM_BOT_TOKEN opens it, so a newcomer can try every command
offline. Replies, digests and alerts print as plain text; buttons print as numbered choices
(type the number to press one). On a terminal, prompt_toolkit gives line editing and history and
keeps the prompt below anything printed meanwhile; from a pipe, lines are read as they come.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import TextIO

from bot.chat.commands import ChatBot
from bot.chat.requests import Button, ChatRef, Reply, Request, UserRef
from bot.digest.plain import html_to_plain
from bot.services import Services
from storage.records import ChatKind

CONSOLE_CHAT_ID = 0  # Telegram never uses chat id 0
CONSOLE_USER = UserRef(0, "you")
PROMPT = "you> "
QUIT_WORDS = {"/quit", "/exit", "quit", "exit"}


class TerminalChat:
    """Reads commands, answers them, and prints what the outbox sends to the terminal."""

    def __init__(
        self,
        services: Services,
        chat: ChatBot,
        *,
        output: TextIO | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.services, self.chat, self.clock = services, chat, clock
        self.output = output or sys.stdout
        self._buttons: list[Button] = []
        self.ref = ChatRef(CONSOLE_CHAT_ID, ChatKind.CONSOLE, "terminal")

    def print(self, text: str) -> None:
        print(text, file=self.output, flush=True)

    async def run(self, lines: AsyncIterator[str], stop: Callable[[], None]) -> None:
        """Greet, subscribe the terminal chat, then answer each line until /quit or input ends."""
        self.print(self._welcome())
        await self.answer("/start")
        async for line in lines:
            if line.strip().lower() in QUIT_WORDS:
                stop()
                return
            await self.answer(line)
        self.print("(input closed: claimwatch keeps fetching; press Ctrl-C to stop)")

    async def answer(self, line: str) -> None:
        """One line typed at the prompt: a command, a button number, or plain text."""
        line = line.strip()
        if not line:
            return
        if line.isdigit() and 0 < int(line) <= len(self._buttons):
            button = self._buttons[int(line) - 1]
            self.print(f"[pressed: {button.label}]")
            self._show(await self.chat.handle_callback(button.data, self._request("")))
            return
        if line.startswith("/"):
            name, _, args = line[1:].partition(" ")
            reply = await self.chat.handle_command(name.split("@")[0].lower(), self._request(args))
        else:
            reply = await self.chat.handle_text(self._request(line))
        if reply is not None:
            self._show(reply)

    def _request(self, args: str) -> Request:
        async def always_admin() -> bool:
            return True  # the person at the terminal runs the bot

        return Request(
            services=self.services, chat=self.ref, user=CONSOLE_USER, args=args.strip(),
            now=self.clock(), is_chat_admin=always_admin,
        )  # fmt: skip

    def _show(self, reply: Reply) -> None:
        if reply.toast:
            self.print(f"({reply.toast})")
        for text in (reply.text, *reply.extra):
            if text:
                self.print(html_to_plain(text))
        self._buttons = [button for row in reply.buttons for button in row]
        if self._buttons:
            choices = "  ".join(f"[{n}] {b.label}" for n, b in enumerate(self._buttons, 1))
            self.print(f"{choices}   (type a number to press)")

    def _welcome(self) -> str:
        return (
            "claimwatch: terminal chat (no TELEGRAM_BOT_TOKEN is set, so this terminal is the "
            "chat).\nSources are fetched in the background; digests and alerts print here. "
            "Type /help for the commands, /quit or Ctrl-D to stop.\n"
        )


class TerminalSender:
    """The outbox's transport for the terminal chat: messages print as plain text."""

    def __init__(self, terminal: TerminalChat) -> None:
        self.terminal = terminal

    async def send_html(self, chat_id: int, thread_id: int | None, text: str) -> None:
        await self.send_plain(chat_id, thread_id, html_to_plain(text))

    async def send_plain(self, chat_id: int, thread_id: int | None, text: str) -> None:
        self.terminal.print(f"\n{text}\n")


async def terminal_lines(stop: Callable[[], None]) -> AsyncIterator[str]:
    """Lines typed at the terminal (with line editing), or read from a pipe."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        async for line in _prompt_lines(stop):
            yield line
        return
    async for line in _piped_lines():
        yield line


async def _prompt_lines(stop: Callable[[], None]) -> AsyncIterator[str]:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.patch_stdout import patch_stdout

    session: PromptSession[str] = PromptSession()
    with patch_stdout(raw=True):
        while True:
            try:
                yield await session.prompt_async(PROMPT)
            except (EOFError, KeyboardInterrupt):  # Ctrl-D, Ctrl-C at the prompt
                stop()
                return


async def _piped_lines() -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    except (ValueError, OSError):  # a regular file: read it at once
        for line in sys.stdin.read().splitlines():
            yield line
        return
    while raw := await reader.readline():
        yield raw.decode("utf-8", errors="replace")
