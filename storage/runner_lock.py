"""One `claimwatch run` per SQLite file: an exclusive lock on a file beside the database.

Two runners on one SQLite file answer every chat twice, queue every alert twice and fight over
SQLite's single writer ("database is locked"), so the second one is refused at start. The lock
is ``flock`` on ``<database>.lock``: the kernel releases it when its process ends, however it
ends (SIGKILL, a crash, a power cut), so a dead runner never blocks the next one and there is no
stale lock to clean up. The file holds the runner's pid, for the refusal message, and stays in
place: deleting it would let a third process lock a new file while the second holds the old one.

One-shot commands (``fetch``, ``sources add``, ...) take no lock: SQLite's busy timeout lets them
write between the runner's transactions. PostgreSQL needs no lock: several runners share it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.errors import DatabaseInUseError, DatabaseUnavailableError


def lock_path(database: Path) -> Path:
    return database.with_name(f"{database.name}.lock")


@contextmanager
def runner_lock(database: Path | None) -> Iterator[None]:
    """Hold the runner lock of the SQLite file ``database`` while the block runs (nothing for
    None: a database that is not an SQLite file). Raises DatabaseInUseError when it is held,
    DatabaseUnavailableError when the lock file cannot be opened."""
    if database is None:
        yield
        return
    path = lock_path(database)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        reason = f"cannot open the runner lock: {exc.strerror or exc}"
        raise DatabaseUnavailableError(str(path), reason) from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseInUseError(database.resolve(), _holder(descriptor)) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _holder(descriptor: int) -> int | None:
    """The pid the holder wrote (it may not have written it yet)."""
    text = os.pread(descriptor, 32, 0).decode("ascii", errors="replace").strip()
    return int(text) if text.isdigit() else None
