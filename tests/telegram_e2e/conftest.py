from collections.abc import AsyncIterator

import pytest

from storage.db import Database
from tests.fakebotapi import FakeBotAPI
from tests.telegram_e2e.e2e_harness import TOKEN, RunningBot, bot_settings


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(token=TOKEN) as api:
        yield api


@pytest.fixture
async def bot(fake: FakeBotAPI, sqlite_database: Database) -> AsyncIterator[RunningBot]:
    async with RunningBot(bot_settings(fake), sqlite_database, fake) as running:
        yield running
