"""The errors the storage layer raises, as one tree.

    StorageError                    anything storage/ reports; never a raw SQLAlchemy error
    ├── DatabaseUnavailableError    cannot reach or open the database: a bad URL, a refused
    │                               connection, an SQLite file in a missing or unwritable
    │                               directory (says what and where, never the password)
    ├── DatabaseInUseError          another `claimwatch run` holds this SQLite file (its pid)
    ├── NotFoundError               the row an update names does not exist (kind and key)
    ├── DuplicateError              a unique value is taken (kind and key: a source URL, ...)
    ├── NaiveDatetimeError          a datetime without a timezone was about to be written
    ├── SchemaMissingError          the tables are not there: run `claimwatch db upgrade`
    └── IntegrityViolationError     any other constraint the database refused

Repositories and ``Database`` translate SQLAlchemy and driver errors at their boundary, so
bot/ only ever catches these.
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
