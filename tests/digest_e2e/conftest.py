"""The fake Bot API each digest test talks to (the Application is built by ``open_world``)."""

from collections.abc import AsyncIterator

import pytest

from tests.fakebotapi import FakeBotAPI
from tests.telegram_e2e.e2e_harness import TOKEN


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(token=TOKEN) as api:
        yield api
