"""The errors the storage layer raises, under its own root ``StorageError``.

Repositories and ``Database`` translate SQLAlchemy and driver errors at their boundary, so bot/
only ever catches these. storage/ imports nothing from bot/; bot/errors.py draws this tree beside
the rest of the project's errors, with where each is caught.
"""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """Base of every error storage/ raises."""


class DatabaseUnavailableError(StorageError):
    """The database cannot be reached or opened. ``where`` names it without any password."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


class NotFoundError(StorageError):
    """No ``kind`` with that ``key`` (e.g. source 12, chat -100123)."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} {key}")


class DuplicateError(StorageError):
    """A ``kind`` with that ``key`` exists already (e.g. source https://..., topic "X")."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key} exists already")


class NaiveDatetimeError(StorageError, ValueError):
    """Storage keeps instants in UTC and refuses to guess the zone of a naive datetime."""

    def __init__(self, value: object) -> None:
        self.value = value
        super().__init__(f"naive datetime {value!r}: instants must be timezone-aware")


class IntegrityViolationError(StorageError):
    """The database refused a write for a constraint not translated more precisely."""


class SchemaMissingError(StorageError):
    """The database has no (or an older) claimwatch schema."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        super().__init__(f"{where}: {reason}; create the schema with `claimwatch db upgrade`")


class DatabaseInUseError(StorageError):
    """Another runner holds the database file. ``pid`` is None when it could not be read."""

    def __init__(self, database: Path, pid: int | None) -> None:
        self.database, self.pid = database, pid
        holder = f" (pid {pid})" if pid is not None else ""
        super().__init__(f"another claimwatch run is using {database}{holder}; stop it first")
