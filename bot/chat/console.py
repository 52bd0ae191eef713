"""The terminal chat: the bot's own command handlers, with the terminal as one local chat.

`claimwatch run` without a TELEGRAM_BOT_TOKEN opens it, so a newcomer can try every command
offline. Replies, digests and alerts print as plain text; buttons print as numbered choices
(type the number to press one). On a terminal, prompt_toolkit gives line editing and history and
keeps the prompt below anything printed meanwhile (log lines included); Ctrl-D and Ctrl-C at the
prompt quit. From a pipe or a file, lines are read as they come and echoed after the prompt, so
the transcript reads as a conversation; when the input ends the bot keeps running. When nobody
reads the output any more (`claimwatch run | head`), claimwatch stops, as a Unix tool does.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import logging
import os
import re
import stat
import sys
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.app.health import count_watched
from bot.app.services import Services
from bot.chat.commands import SORRY, ChatBot
from bot.chat.requests import Button, ChatRef, Reply, Request, UserRef
from bot.digest.plain import html_to_plain
from bot.printable import escape_controls, readable_input
from bot.settings import redact_url, reveal
from bot.subscribers.chats import chat_language
from bot.translation import DEFAULT_LANGUAGE, _, ngettext, speaking
from storage.records import ChatKind

log = logging.getLogger(__name__)

CONSOLE_CHAT_ID = 0  # Telegram never uses chat id 0
CONSOLE_USER = UserRef(0, "you")
PROMPT = "you> "
QUIT = "/quit"
QUIT_WORDS = {QUIT, "/exit", "quit", "exit"}
BUTTON_NUMBER = re.compile(r"[0-9]{1,3}")  # ASCII only: int() refuses "²", though it isdigit()


def interactive() -> bool:
    """A person at a terminal: read with the prompt, and do not echo what they typed."""
    return sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()


class TerminalChat:
    """Reads commands, answers them, and prints what the outbox sends to the terminal."""

    def __init__(
        self,
        services: Services,
        chat: ChatBot,
        *,
        output: TextIO | None = None,
        echo: bool | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """``output`` defaults to the sys.stdout of the moment (the prompt swaps it); ``echo``
        (print each line read after the prompt) defaults to "not at an interactive prompt"."""
        self.services, self.chat, self.clock = services, chat, clock
        self._output = output
        self.echo = not interactive() if echo is None else echo
        self._buttons: list[Button] = []
        self.ref = ChatRef(CONSOLE_CHAT_ID, ChatKind.CONSOLE, "terminal")
        self._stop: Callable[[], None] | None = None
        self._output_closed = False
        self.language = DEFAULT_LANGUAGE  # the terminal chat's, as /settings lang left it

    def print(self, text: str) -> None:
        """Everything the terminal chat shows passes here: feed titles and echoed input included,
        so their control characters are escaped."""
        if self._output_closed:
            return
        try:
            print(escape_controls(text), file=self._output or sys.stdout, flush=True)
        except BrokenPipeError:
            self._stop_printing()

    def _stop_printing(self) -> None:
        """The reader of the output went away: stop claimwatch, saying why in the log."""
        self._output_closed = True
        log.warning("the terminal chat's output was closed (nobody reads it); stopping")
        if self._output is None:  # Python flushes stdout at exit: into /dev/null, it cannot fail
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if self._stop is not None:
            self._stop()

    async def run(self, lines: AsyncIterator[str], stop: Callable[[], None]) -> None:
        """Greet, subscribe the terminal chat, then answer each line until /quit or input ends."""
        self._stop = stop
        await self._learn_language()
        with speaking(self.language):
            self.print(await self._welcome())
        await self._answer_safely("/start")
        async for typed in lines:
            line = readable_input(typed)
            if self.echo and line.strip():
                self.print(f"\n{PROMPT}{line.strip()}")
            if line.strip().lower() in QUIT_WORDS:
                with speaking(self.language):
                    self.print(_("Stopping claimwatch. Bye!"))
                stop()
                break
            await self._answer_safely(line)
            if self._output_closed:
                break
        else:
            with speaking(self.language):
                self.print(
                    _("\n(Input ended. claimwatch keeps running: sources are fetched and digests "
                      "and alerts print here. Stop it with Ctrl-C or SIGTERM.)")
                )  # fmt: skip
        if isinstance(lines, AsyncGenerator):
            await lines.aclose()  # now, not when collected: the prompt gives the terminal back

    async def _answer_safely(self, line: str) -> None:
        """A line that fails is logged and apologised for; the next one is read as usual."""
        try:
            await self.answer(line)
        except Exception:
            log.exception("the terminal chat failed to answer %r", line[:80])
            with speaking(self.language):
                self.print(html_to_plain(_(SORRY)))

    async def _learn_language(self) -> None:
        """The terminal chat's language, for the lines it prints itself (kept as it was when the
        database cannot say)."""
        try:
            stored = await chat_language(self.services, CONSOLE_CHAT_ID)
        except Exception:
            log.exception("the terminal chat's language could not be read")
            return
        self.language = stored or DEFAULT_LANGUAGE

    async def answer(self, line: str) -> None:
        """One line typed at the prompt: a command, a button number, or plain text."""
        line = readable_input(line).strip()
        if not line:
            return
        if BUTTON_NUMBER.fullmatch(line):
            await self._press(int(line))
            return
        if line.startswith("/"):
            name, _space, args = line[1:].partition(" ")
            reply = await self.chat.handle_command(name, self._request(args))
        else:
            reply = await self.chat.handle_text(self._request(line))
        await self._learn_language()  # a reply to /settings lang is in the new language already
        if reply is not None:
            with speaking(self.language):
                self._show(reply)

    async def _press(self, number: int) -> None:
        with speaking(self.language):
            if not 0 < number <= len(self._buttons):
                shown = f"1–{len(self._buttons)}" if self._buttons else _("none")
                self.print(_("There is no button %(number)s to press (buttons shown now: "
                             "%(shown)s).", number=number, shown=shown))  # fmt: skip
                return
            button = self._buttons[number - 1]
            self.print(_("[pressed: %(label)s]", label=button.label))
            reply = await self.chat.handle_callback(button.data, self._request(""))
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
        if reply.photo is not None:
            self.print(picture_line(save_picture(reply.photo)))
        if not reply.text:
            return  # as in Telegram: the message and its buttons stay as they were
        self._buttons = [button for row in reply.buttons for button in row]
        if self._buttons:
            choices = "  ".join(f"[{n}] {b.label}" for n, b in enumerate(self._buttons, 1))
            self.print(_("%(choices)s   (type a number to press)", choices=choices))

    async def _welcome(self) -> str:
        watched = await count_watched(self.services)
        settings = self.services.settings
        database = settings.sqlite_path or redact_url(reveal(settings.database_url))
        watching = ngettext(
            "Watching %(count)s source", "Watching %(count)s sources", watched.sources
        )
        return (
            _("claimwatch: terminal chat") + "\n"
            + _("No TELEGRAM_BOT_TOKEN is set, so this terminal is the bot's chat: type the "
                "commands you would send it in Telegram.") + "\n"
            + _("Database: %(database)s.", database=database) + " "
            + ngettext("%(watching)s for %(count)s topic; sources are fetched in the background, "
                       "and digests and alerts print here.",
                       "%(watching)s for %(count)s topics; sources are fetched in the background, "
                       "and digests and alerts print here.", watched.topics,
                       watching=watching) + "\n"
            + _("Add a source: /sources add <url> here, or `claimwatch sources add <url>` in "
                "another terminal.") + "\n"
            + _("Type /help for the commands, a number to press a button, /quit (or Ctrl-D) to "
                "stop.") + "\n"
        )  # fmt: skip


class TerminalSender:
    """The outbox's transport for the terminal chat: messages print as plain text."""

    def __init__(self, terminal: TerminalChat) -> None:
        self.terminal = terminal

    async def send_html(self, chat_id: int, thread_id: int | None, text: str) -> None:
        await self.send_plain(chat_id, thread_id, html_to_plain(text))

    async def send_plain(self, chat_id: int, thread_id: int | None, text: str) -> None:
        self.terminal.print(f"\n{text}\n")

    async def send_photo(
        self, chat_id: int, thread_id: int | None, photo: bytes, caption: str, *, html: bool
    ) -> None:
        text = html_to_plain(caption) if html else caption
        path = await asyncio.to_thread(save_picture, photo)
        with speaking(self.terminal.language):
            self.terminal.print(f"\n{text}\n{picture_line(path)}\n")


def save_picture(photo: bytes) -> Path:
    """Write a picture the terminal cannot show to a file (named by its content, so the same
    chart is one file) in the system's temporary folder; its path is printed instead."""
    folder = Path(tempfile.gettempdir()) / "claimwatch-charts"
    folder.mkdir(exist_ok=True)
    path = folder / f"chart-{hashlib.sha256(photo).hexdigest()[:16]}.png"
    path.write_bytes(photo)
    return path


def picture_line(path: Path) -> str:
    return _("[chart: %(path)s]", path=path)


def terminal_lines() -> AsyncIterator[str]:
    """Lines typed at the terminal (with line editing), or read from a pipe or a file; Ctrl-D
    and Ctrl-C at the prompt arrive as /quit, which stops."""
    if interactive():
        return _prompt_lines()
    return _piped_lines(sys.stdin or io.StringIO())  # None: started without a standard input


async def _prompt_lines() -> AsyncIterator[str]:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.patch_stdout import patch_stdout

    session: PromptSession[str] = PromptSession()
    with patch_stdout(raw=True), _logs_above_prompt():
        while True:
            try:
                yield await session.prompt_async(PROMPT)
            except (EOFError, KeyboardInterrupt):  # Ctrl-D, Ctrl-C at the prompt
                yield QUIT
                return


@contextmanager
def _logs_above_prompt() -> Iterator[None]:
    """Point the log handlers that write to the terminal at patch_stdout's proxy meanwhile, so a
    log line prints above the prompt instead of across the line being typed."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler)
        and handler.stream in (sys.__stderr__, sys.__stdout__)
        and handler.stream.isatty()  # not when redirected to a file
    ]
    originals = [handler.stream for handler in handlers]
    for handler in handlers:
        handler.setStream(sys.stderr)
    try:
        yield
    finally:
        for handler, original in zip(handlers, originals, strict=True):
            handler.setStream(original)


async def _piped_lines(stdin: TextIO) -> AsyncIterator[str]:
    if not _is_stream(stdin):  # a file, or /dev/null: an event loop cannot wait on it
        for line in _read_all(stdin).splitlines():
            yield line
        return
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    transport, _pipe = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), stdin
    )
    try:
        while True:
            try:
                raw = await reader.readline()
            except ValueError:  # longer than the reader's limit (64 KiB): dropped
                log.warning("ignored an input line longer than 64 KiB")
                continue
            if not raw:
                return
            yield raw.decode("utf-8", errors="replace")
    finally:
        transport.close()


def _read_all(stdin: TextIO) -> str:
    """The whole input, invalid UTF-8 replaced (the text layer would raise, or let surrogates
    through, depending on the locale)."""
    binary = getattr(stdin, "buffer", None)
    if binary is None:
        return stdin.read()
    data: bytes = binary.read()
    return data.decode("utf-8", errors="replace")


def _is_stream(stdin: TextIO) -> bool:
    try:
        mode = os.fstat(stdin.fileno()).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stdin.isatty()
