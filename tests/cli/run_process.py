"""`claimwatch run` as a real process, its output awaited line by line (never slept on).

async with claimwatch_run(environment) as run:
    await run.wait_for("receiving Telegram updates")
    run.process.terminate()
    assert await run.exit_code() == 0
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from pathlib import Path

CLAIMWATCH = str(Path(sys.executable).with_name("claimwatch"))
WAIT_SECONDS = 30.0


class RunProcess:
    """A running ``claimwatch run``: stdout and stderr read as they come."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._arrived = asyncio.Condition()
        assert process.stdout is not None and process.stderr is not None
        self._readers = [
            asyncio.create_task(self._read(process.stdout, self.stdout)),
            asyncio.create_task(self._read(process.stderr, self.stderr)),
        ]

    @property
    def output(self) -> str:
        """Everything printed so far, stdout then stderr."""
        return "".join(self.stdout) + "".join(self.stderr)

    async def wait_for(
        self,
        text: str,
        times: int = 1,
        timeout: float = WAIT_SECONDS,  # noqa: ASYNC109 - a deadline for the assertion
    ) -> str:
        """The ``times``-th line containing ``text``, awaited until the process ends or the
        timeout."""

        def found() -> str | None:
            lines = [line for line in self.stdout + self.stderr if text in line]
            return lines[times - 1] if len(lines) >= times else None

        async def arrival() -> str:
            async with self._arrived:
                while (line := found()) is None:
                    if all(reader.done() for reader in self._readers):
                        raise AssertionError(f"{text!r} never came; the output:\n{self.output}")
                    await self._arrived.wait()
                return line

        try:
            return await asyncio.wait_for(arrival(), timeout)
        except TimeoutError:
            problem = f"no {text!r} within {timeout} s; the output:\n{self.output}"
            raise AssertionError(problem) from None

    async def exit_code(self, timeout: float = WAIT_SECONDS) -> int:  # noqa: ASYNC109
        """Wait for the process to end and its output to be read; its exit status."""
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            problem = f"still running after {timeout} s; the output:\n{self.output}"
            raise AssertionError(problem) from None
        await asyncio.wait_for(asyncio.gather(*self._readers), timeout)
        return code

    async def _read(self, stream: asyncio.StreamReader, lines: list[str]) -> None:
        while line := await stream.readline():
            async with self._arrived:
                lines.append(line.decode(errors="replace"))
                self._arrived.notify_all()
        async with self._arrived:
            self._arrived.notify_all()


def run_environment(**settings: str) -> dict[str, str]:
    """This process's environment without claimwatch settings, plus ``settings``."""
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith(("CLAIMWATCH_", "TELEGRAM_"))}  # fmt: skip
    return inherited | settings


@asynccontextmanager
async def claimwatch_run(
    environment: Mapping[str, str], *args: str, cwd: Path | None = None
) -> AsyncIterator[RunProcess]:
    """``claimwatch run ARGS``; killed at the end if it is still running."""
    process = await asyncio.create_subprocess_exec(
        CLAIMWATCH, "run", *args, env=dict(environment), cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    run = RunProcess(process)
    try:
        yield run
    finally:
        if process.returncode is None:
            with suppress(ProcessLookupError):
                process.kill()
            await process.wait()
        for reader in run._readers:
            reader.cancel()
