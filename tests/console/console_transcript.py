"""Driving the terminal chat: in-process with typed lines, or `claimwatch run` as a process.

terminal = Terminal(services)
transcript = await terminal.run("/help", "/quit")      # greeting, /start, then the lines
printed = await terminal.type("/settings", "1")        # more lines, no greeting

process = start_run(workdir, stdin=subprocess.PIPE, stderr=log_file)
transcript = Reader(process.stdout.fileno()).until("Type /help")
"""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from bot.app.services import Services
from bot.chat.commands import ChatBot
from bot.chat.console import TerminalChat
from tests.chat.chat_harness import START, Ticker

CLAIMWATCH = str(Path(sys.executable).parent / "claimwatch")
WAIT_SECONDS = 30  # an upper bound only: every wait ends as soon as the text arrives
HTML_TAG = re.compile(r"</?(?:b|i|u|s|a|code|pre|blockquote|tg-spoiler)\b[^>]*>")
HTML_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);", re.IGNORECASE)


async def typed(lines: Iterable[str]) -> AsyncIterator[str]:
    for line in lines:
        yield line


@dataclass
class Terminal:
    """A TerminalChat printing into a string, with a fixed clock and an unhurried rate limit."""

    services: Services
    now: datetime = START
    output: io.StringIO = field(default_factory=io.StringIO)
    stops: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.chat = TerminalChat(
            self.services, ChatBot(self.services, clock=Ticker()), output=self.output,
            echo=True, clock=lambda: self.now,
        )  # fmt: skip

    async def run(self, *lines: str) -> str:
        """Greet, then answer ``lines``; what this run printed."""
        start = len(self.output.getvalue())
        await self.chat.run(typed(lines), lambda: self.stops.append(1))
        return self.output.getvalue()[start:]

    async def type(self, *lines: str) -> str:
        """Answer ``lines`` (no greeting); what they printed."""
        start = len(self.output.getvalue())
        for line in lines:
            await self.chat.answer(line)
        return self.output.getvalue()[start:]


def assert_plain(text: str) -> None:
    """No Telegram HTML reached the terminal."""
    assert not HTML_TAG.search(text), HTML_TAG.search(text)
    assert not HTML_ENTITY.search(text), HTML_ENTITY.search(text)


def clean_env() -> dict[str, str]:
    """The environment without a bot token or claimwatch settings (test settings kept)."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TELEGRAM_BOT_TOKEN", "CLAIMWATCH_")) or "_TEST_" in name
    }


def start_run(
    workdir: Path, *, stdin: int | IO[bytes], stderr: int | IO[str], env: Mapping[str, str] = {}
) -> subprocess.Popen[bytes]:
    """`claimwatch run` with its output on a pipe; ``env``: settings on top of a clean one."""
    return subprocess.Popen(
        [CLAIMWATCH, "run"], cwd=workdir, env={**clean_env(), **env}, stdin=stdin,
        stdout=subprocess.PIPE, stderr=stderr,
    )  # fmt: skip


def start_at_terminal(workdir: Path, *, stderr: IO[str]) -> tuple[subprocess.Popen[bytes], int]:
    """`claimwatch run` on a pseudo-terminal of its own (its controlling terminal, as at a
    shell): the process, and the terminal's side to type into and read from."""
    terminal, its_side = pty.openpty()
    process = subprocess.Popen(
        [CLAIMWATCH, "run"], cwd=workdir, env={**clean_env(), "TERM": "xterm"}, stdin=its_side,
        stdout=its_side, stderr=stderr, start_new_session=True,
    )  # fmt: skip
    os.close(its_side)
    return process, terminal


class Reader:
    """Reads a process's output (a pipe, or a pseudo-terminal) until a text appears."""

    def __init__(self, fd: int, answer_cursor_queries: bool = False) -> None:
        self.fd, self.answer_cursor_queries = fd, answer_cursor_queries
        self.seen = b""
        self._after = 0  # where the last text waited for ended

    def until(self, text: str) -> str:
        """Everything read so far, once ``text`` appears after the last text waited for;
        fails after WAIT_SECONDS or at the end of the output."""
        wanted = text.encode()
        deadline = time.monotonic() + WAIT_SECONDS
        while (found := self.seen.find(wanted, self._after)) < 0:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = _read(self.fd) if ready else b""
            if not chunk:
                shown = self.seen.decode(errors="replace")
                raise AssertionError(f"{text!r} never appeared; the output was:\n{shown}")
            if self.answer_cursor_queries and b"\x1b[6n" in chunk:
                os.write(self.fd, b"\x1b[1;1R")  # prompt_toolkit asks where the cursor is
            self.seen += chunk
        self._after = found + len(wanted)
        return self.seen.decode(errors="replace")


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # a pseudo-terminal whose other side closed: like the end of a pipe
        return b""
