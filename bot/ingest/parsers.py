"""Parsing on every core: the normalize stage's pure functions run in a pool of processes.

Parsing a feed is CPU work in Python (feedparser, text cleaning, the language guess), so threads
of one process take turns on one core; processes do not. The event loop hands a job (a pure
function and its bytes) to the pool and awaits the records it returns, while it goes on
fetching and storing: storing stays in this process, one transaction at a time.

With ``workers=0`` the jobs run on a thread of this process instead (no processes: the choice
for a small machine or a debugger). The processes are started on first use, with the ``spawn``
method (a fresh interpreter: forking a process that runs threads can deadlock), and stay for
later polls until ``close``.

A job that kills its process (a crash in a parser's C code, the kernel's OOM killer) breaks the
whole pool, and every job then in it fails with it. The pool is replaced, and each of those jobs
runs again alone, one at a time, in a process of its own: the ones that kill that process too
raise ``ParserCrashedError``, the others return as usual. So a feed that kills its parser is
that source's failure, never the poll's.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from bot.errors import ParseError

log = logging.getLogger(__name__)

R = TypeVar("R")
MAX_PARSE_WORKERS = 64


class ParserCrashedError(ParseError):
    """The process parsing these bytes died (it crashed, or was killed) before it answered."""


def default_workers() -> int:
    """One process per CPU this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ParserPool:
    """Runs pure, picklable functions (module-level, taking and returning plain records) in
    ``workers`` processes; in a thread of this process when ``workers`` is 0."""

    def __init__(self, workers: int, *, preload: tuple[str, ...] = ()) -> None:
        """``preload``: modules each process imports as it starts (those of the jobs)."""
        if workers < 0:
            raise ValueError(f"workers must be 0 or more, not {workers}")
        self.workers = workers
        self.preload = preload
        self._pool: ProcessPoolExecutor | None = None
        self._alone: ProcessPoolExecutor | None = None  # for jobs rerun one at a time
        self._alone_lock = asyncio.Lock()
        self._closed = False

    async def run(self, function: Callable[..., R], *args: object) -> R:
        """``function(*args)``'s result, computed in another process (or a thread).

        Raises what ``function`` raises (its exceptions must pickle: return failures as values
        where they would not), or ``ParserCrashedError`` when the job kills its process."""
        if self._closed:
            raise RuntimeError("the parser pool is closed")
        if self.workers == 0:
            return await asyncio.to_thread(function, *args)
        pool = self._shared_pool()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, function, *args)
        except BrokenProcessPool:
            self._retire(pool)
            return await self._run_alone(function, *args)

    async def start(self) -> None:
        """Start every process now (and import ``preload`` there), not on the first jobs."""
        if self.workers:
            await asyncio.gather(*(self.run(_started, 0.2) for _ in range(self.workers)))

    def close(self) -> None:
        """Stop the processes: jobs not started are cancelled, running ones finish first."""
        self._closed = True
        for pool in (self._pool, self._alone):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._alone = None

    def _shared_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = _new_pool(self.workers, self.preload)
        return self._pool

    def _retire(self, pool: ProcessPoolExecutor) -> None:
        """Replace a broken pool (once, however many of its jobs notice)."""
        if self._pool is pool:
            log.warning("a parser process died; the jobs it shared are retried one by one")
            self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)

    async def _run_alone(self, function: Callable[..., R], *args: object) -> R:
        async with self._alone_lock:  # one job in it at a time: a crash names its job
            if self._alone is None:
                self._alone = _new_pool(1, self.preload)
            alone = self._alone
            try:
                return await asyncio.get_running_loop().run_in_executor(alone, function, *args)
            except BrokenProcessPool:
                self._alone = None
                alone.shutdown(wait=False, cancel_futures=True)
                raise ParserCrashedError(
                    "the parser's process died reading this response (a crash in a parser, "
                    "or it ran out of memory)"
                ) from None


def _started(hold: float) -> int:
    """A warm-up job: holds its process a moment, so that the other warm-up jobs start
    processes of their own."""
    time.sleep(hold)
    return os.getpid()


def _import(modules: tuple[str, ...]) -> None:
    for module in modules:
        importlib.import_module(module)


def _new_pool(workers: int, preload: tuple[str, ...]) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_import,
        initargs=(preload,),
    )
