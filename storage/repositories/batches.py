"""Long ``IN (...)`` lists split into statements of a bounded number of parameters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

# Bound parameters a statement: well under SQLite's limit (32766) and PostgreSQL's (32767).
IN_CHUNK = 500

T = TypeVar("T")


def in_chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]
