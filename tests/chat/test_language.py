"""A chat's language: its first user's at /start, /settings lang to change it; every reply,
button and error in it, and the terminal chat's too."""

import pytest

from bot.chat.commands import COMMANDS, bot_commands, help_text
from bot.translation import speaking
from storage.records import ChatKind
from tests.chat.chat_harness import Conversation, button_data

GROUP = -100777


async def language_of_chat(services, chat_id):
    async with services.db.transaction() as tx:
        return (await tx.chats.get(chat_id)).language


@pytest.mark.parametrize(
    ("code", "language", "welcome"),
    [
        ("ru", "ru", "следит за новостными лентами"),
        ("ru-RU", "ru", "следит за новостными лентами"),
        ("uk", "uk", "стежить за новинними стрічками"),
        ("en-GB", "en", "watches news feeds"),
        ("de", "en", "watches news feeds"),
        (None, "en", "watches news feeds"),
    ],
)
async def test_start_speaks_and_stores_the_users_language(bot, services, code, language, welcome):
    chat = Conversation(bot, services, language_code=code)
    assert welcome in await chat.text("/start")
    assert await language_of_chat(services, chat.chat_id) == language


async def test_before_start_the_bot_answers_in_the_users_language(bot, services):
    chat = Conversation(bot, services, language_code="uk")
    assert "Цей чат ще не підписаний" in await chat.text("/topics")
    assert "Я відповідаю на команди" in await chat.text("hello")


async def test_a_chat_keeps_its_language_whoever_starts_it_again(bot, services):
    await Conversation(bot, services, language_code="ru").send("/start")
    again = Conversation(bot, services, language_code="en")
    assert "Этот чат уже подписан." in await again.text("/start")


async def test_settings_lang_switches_and_answers_in_the_new_language(bot, services):
    chat = Conversation(bot, services, language_code="ru")
    await chat.send("/start")
    shown = await chat.reply("/settings")
    assert "Язык: Русский" in shown.text
    assert button_data(shown)["Оповещения: выключить"] == "settings:alerts:off"
    switched = await chat.text("/settings lang UK")
    assert switched.startswith("Збережено. Налаштування цього чату:")
    assert await language_of_chat(services, chat.chat_id) == "uk"
    pressed = await chat.press("settings:alerts:off")
    assert pressed.toast == "Збережено" and "сповіщення про нові розбіжності: вимкнено" in (
        pressed.text.lower()
    )
    back = await chat.text("/settings lang en")
    assert back.startswith("Saved. This chat's settings:") and "Language: English" in back
    assert await language_of_chat(services, chat.chat_id) == "en"


@pytest.mark.parametrize("garbage", ["de", "russian", "ру", "en ru", "<b>"])
async def test_a_language_not_offered_is_refused_naming_the_choices(bot, services, garbage):
    chat = Conversation(bot, services, language_code="ru")
    await chat.send("/start")
    text = await chat.text(f"/settings lang {garbage}")
    assert "Выберите один из: en (English), ru (Русский), uk (Українська)." in text
    assert "/settings lang en|ru|uk" in text  # the usage
    assert "<b>" not in text
    assert await language_of_chat(services, chat.chat_id) == "ru"


async def test_only_group_admins_change_the_language(bot, services):
    member = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, admin=False,
                          language_code="uk")  # fmt: skip
    admin = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, language_code="uk")
    await admin.send("/start")
    refused = await member.text("/settings lang en")
    assert refused == "Лише адміністратори цієї групи можуть змінювати налаштування цього чату."
    assert await language_of_chat(services, GROUP) == "uk"


def test_help_and_the_menu_come_from_the_one_table_in_each_language():
    english = help_text()
    for language in ("ru", "uk"):
        with speaking(language):
            translated = help_text()
            menu = bot_commands()
        assert translated != english
        assert [name for name, _ in menu] == [c.name for c in COMMANDS]
        for command in COMMANDS:  # usages are syntax: the same in every language
            assert f"<code>{command.usage.replace('<', '&lt;').replace('>', '&gt;')}" in translated
        assert all(3 <= len(summary) <= 256 for _, summary in menu)


async def test_errors_and_plurals_in_russian(bot, services):
    chat = Conversation(bot, services, language_code="ru")
    await chat.send("/start")
    assert "Может быть, /topics?" in await chat.text("/topicz")
    assert "Укажите номер утверждения" in await chat.text("/claims show x")
    topics = await chat.text("/topics")
    assert "Этот чат следит за всеми темами (2)" in topics
    too_long = await chat.text("/track " + "x" * 1_201)
    assert "Слишком длинно: 1\xa0201 символ после /track; допустимо не больше 1\xa0000." in too_long
    more = await chat.text("/track " + "x" * 1_203)
    assert "1\xa0203 символа" in more
