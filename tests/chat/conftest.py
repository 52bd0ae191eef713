"""Chat tests drive ``ChatBot`` with real services on a real database (SQLite unless a test
asks for both engines) and a loopback HTTP server where a command fetches."""

from collections.abc import AsyncIterator

import pytest

from bot.app.services import Services, open_services
from bot.chat.commands import ChatBot
from bot.settings import Settings, load_settings
from storage.db import Database
from tests.chat.chat_harness import ADMIN_ID, WATCHLIST, Conversation, Ticker


@pytest.fixture
def settings() -> Settings:
    return load_settings(
        environ={
            "CLAIMWATCH_ADMIN_IDS": str(ADMIN_ID),
            "CLAIMWATCH_ALLOW_PRIVATE_NETWORKS": "true",
            "CLAIMWATCH_TIMEZONE": "Europe/Kyiv",
            "CLAIMWATCH_DIGEST_TIME": "07:30",
        },
        env_file=None,
    )


@pytest.fixture
async def services_on_both(settings: Settings, database: Database) -> AsyncIterator[Services]:
    """The same, once on each engine."""
    async with open_services(settings, database, WATCHLIST, ()) as ready:
        yield ready


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
def bot(services: Services, ticker: Ticker) -> ChatBot:
    return ChatBot(services, clock=ticker)


@pytest.fixture
def private(bot: ChatBot, services: Services) -> Conversation:
    """A private chat with a user who is not a bot admin."""
    return Conversation(bot, services)
