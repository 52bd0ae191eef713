"""The bot in Russian and Ukrainian through the real Application, against the fake Bot API: the
language of a chat comes from its user's app at /start and changes with /settings lang; the
command menu is announced once per language; a digest is written in the chat's language."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.chat.commands import COMMANDS
from storage.db import Database
from storage.records import ChatKind
from tests.fakebotapi import Call, FakeBotAPI
from tests.telegram_e2e.e2e_harness import RunningBot, bot_settings

USER = 601
NBSP = "\xa0"  # Russian and Ukrainian group thousands with a no-break space: "12 000"


async def say(fake: FakeBotAPI, text: str, language_code: str = "ru") -> Call:
    fake.push_update(fake.message(USER, text, language_code=language_code))
    return await fake.wait_for("sendMessage", lambda c: c.chat_id == USER)


def menu_call(language: str):  # type: ignore[no-untyped-def]
    return lambda call: call.params.get("language_code") == language


async def test_the_command_menu_is_announced_in_every_language(fake, bot):
    for language, help_summary in (("ru", "Что умеет бот"), ("uk", "Що вміє бот")):
        call = await fake.wait_for("setMyCommands", menu_call(language))
        assert call.ok
        menu = fake.commands_by_language[language]
        assert [c["command"] for c in menu] == [command.name for command in COMMANDS]
        assert any(c["description"].startswith(help_summary) for c in menu)
    english = {c["command"]: c["description"] for c in fake.commands}  # everyone else's menu
    assert english["help"] == "What the bot does and its commands"


async def test_a_russian_user_gets_russian_and_switches_the_chat_to_ukrainian(fake, bot):
    welcome = await say(fake, "/start")
    assert welcome.ok and "следит за новостными лентами" in welcome.text
    async with bot.db.transaction() as tx:
        assert (await tx.chats.get(USER)).language == "ru"
    helped = await say(fake, "/help")
    assert "Что умеет бот и его команды" in helped.text and "<code>/claims</code>" in helped.text
    added = await say(
        fake, "/claims add Ukraine's GUR said 12,000 North Korean troops arrived in Russia."
    )
    assert "Добавлено утверждение" in added.text and f"12{NBSP}000" in added.text
    digest = await say(fake, "/digest")
    assert digest.text.startswith("<b>Дайджест</b>")
    assert "Спорные цифры" in digest.text and f"от 1{NBSP}500 до 12{NBSP}000" in digest.text

    switched = await say(fake, "/settings lang uk")
    assert switched.text.startswith("Збережено. Налаштування цього чату:")
    assert "Мова: Українська" in switched.text
    assert "Що вміє бот і його команди" in (await say(fake, "/help")).text
    refused = await say(fake, "/settings lang de")
    assert "en (English), ru (Русский), uk (Українська)" in refused.text
    async with bot.db.transaction() as tx:
        assert (await tx.chats.get(USER)).language == "uk"  # the garbage changed nothing


async def test_another_language_code_gets_english(fake, bot):
    welcome = await say(fake, "/start", language_code="de")
    assert "watches news feeds" in welcome.text
    async with bot.db.transaction() as tx:
        assert (await tx.chats.get(USER)).language == "en"


async def test_a_scheduled_digest_is_written_in_the_chats_language(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    now = datetime.now(UTC)
    async with sqlite_database.transaction() as tx:
        await tx.chats.subscribe(USER, ChatKind.PRIVATE, "аналитик", timezone="Europe/Kyiv",
                                 digest_time=time(8), now=now - timedelta(days=4),
                                 language="uk")  # fmt: skip
        await tx.chats.mark_digest_sent(USER, now - timedelta(days=3))
    async with RunningBot(bot_settings(fake), sqlite_database, fake):
        digest = await fake.wait_for("sendMessage", lambda c: c.chat_id == USER, timeout=3)
    assert digest.ok and digest.text is not None
    assert digest.text.startswith("<b>Дайджест</b>")  # the watchlist's claim, new in the window
    assert "<b>Зміни в реєстрі</b>" in digest.text and "<i>нова цифра</i>" in digest.text
    assert f"близько 1{NBSP}500 — NIS" in digest.text
