"""Shared fixtures of the normalize tests: the real-world corpora beside the repository."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

# ../shared/corpora relative to the repository root (absent on a user's machine: tests skip)
CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
FETCHED_AT = datetime(2024, 10, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"real-world corpora not found at {CORPORA} (../shared/corpora)")
    return CORPORA
