"""NUL and lone surrogates typed after a command are cleaned at the chat boundary, so
``/track`` and ``/claims add`` store what was meant (on PostgreSQL, which refuses NUL, too)."""

import pytest

from bot.chat.arguments import clean_arguments
from bot.chat.commands import ChatBot
from tests.chat.chat_harness import Conversation


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Iran\x00 talks", "Iran talks"),
        ("Iran talks \udcff", "Iran talks"),
        ("a\x1b[31mb\x07", "a[31mb"),
        ("line\nnext\tcell", "line\nnext\tcell"),
    ],
)
def test_clean_arguments(typed, meant):
    assert clean_arguments(typed) == meant


async def test_track_and_claims_add_with_nul_store_the_clean_text(services_on_both):
    services = services_on_both
    chat = Conversation(ChatBot(services), services)
    await chat.text("/start")
    text = await chat.text("/track Iran\x00 talks\ud800: Iran nuclear talks")
    assert "Sorry" not in text and "Iran talks" in text
    text = await chat.text(
        "/claims add The White House\x00 said 3,000 North Korean troops had arrived in Russia."
    )
    assert "Sorry" not in text and "Added claim" in text
    async with services.db.transaction() as tx:
        names = [topic.name for topic in await tx.topics.list()]
        sentences = [claim.claim.sentence for claim in await tx.claims.list()]
    assert "Iran talks" in names
    assert all("\x00" not in sentence for sentence in sentences)
