"""The command table and the dispatcher: help, unknown commands, limits, errors, rate limit."""

import html
import logging
import re
from dataclasses import replace

import pytest

from bot.chat.callbacks import BUTTON_ACTIONS
from bot.chat.commands import (
    BUTTONS,
    COMMANDS,
    ChatBot,
    bot_commands,
    help_text,
    readme_commands,
)
from bot.chat.limits import ARGUMENT_CHARS, COMMANDS_PER_MINUTE
from storage.records import ChatKind
from tests.chat.chat_harness import Conversation, Ticker

GROUP = -100777


def test_help_lists_every_command_and_form():
    text = help_text()
    for command in COMMANDS:
        assert f"<code>/{command.name}" in text
        for form in command.forms:
            assert f"<code>{html.escape(form.usage)}</code>" in text
    assert text.count("<code>") == text.count("</code>")


def test_the_command_menu_has_every_command_within_telegrams_rules():
    assert [name for name, _ in bot_commands()] == [c.name for c in COMMANDS]
    for name, summary in bot_commands():
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
        assert 3 <= len(summary) <= 256


def test_the_readme_table_has_a_row_for_every_usage():
    table = readme_commands()
    rows = table.splitlines()
    assert rows[:2] == ["| Command | What it does | Who may |", "|---|---|---|"]
    usages = [usage for command in COMMANDS for usage in command.usages]
    assert len(rows) == 2 + len(usages)
    for row, usage in zip(rows[2:], usages, strict=True):
        assert row.startswith(f"| `{usage.replace('|', chr(92) + '|')}` |")
        assert row.count(" | ") == 2  # three cells: no unescaped pipe inside one


def test_every_button_has_a_handler():
    assert set(BUTTONS) == {action.key for action in BUTTON_ACTIONS}


async def test_help_and_command_names_are_case_and_addressee_blind(private):
    text = await private.text("/help")
    assert text == help_text()
    assert await private.text("/HELP@claimwatch_bot") == text


async def test_an_unknown_command_gets_a_hint(private, bot, services):
    text = await private.text("/claim")
    assert "/claim" in text and "Did you mean /claims?" in text and "/help" in text
    assert "Did you mean" not in await private.text("/frobnicate")
    hostile = await private.text("/<b>x")
    assert "<b>" not in hostile and "&lt;b&gt;" in hostile

    group = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP)
    assert await group.send("/frobnicate") is None  # maybe another bot's command
    assert "Did you mean /topics?" in await group.text("/topcs")


async def test_plain_text_gets_a_hint_in_private_and_silence_in_groups(private, bot, services):
    assert "/help" in await private.text("hello there")
    for kind in (ChatKind.GROUP, ChatKind.SUPERGROUP, ChatKind.CHANNEL):
        chat = Conversation(bot, services, chat_id=GROUP, kind=kind)
        assert await chat.send("hello there") is None


async def test_an_oversized_argument_is_refused_plainly(private):
    await private.send("/start")
    text = await private.text("/track " + "x" * (ARGUMENT_CHARS + 1))
    assert "too long" in text and "1,000" in text
    assert "x" * 100 not in text
    assert "every topic (2)" in await private.text("/topics")


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        ("/track", "Name the topic"),
        ("/track ,,, : a", "letter or digit"),
        ("/claims show abc", "claim's number"),
        ("/settings colour red", "no setting"),
        ("/sources frob", "/sources add"),
    ],
)
async def test_garbage_arguments_get_what_is_wrong_and_the_usage(private, line, wanted):
    await private.send("/start")
    text = await private.text(line)
    assert wanted in text and "Usage:" in text and "<code>/" in text


async def test_commands_needing_a_subscription_say_so(private):
    for line in ("/topics", "/track Gaza", "/settings", "/settings size 5"):
        assert "/start subscribes it" in await private.text(line)


async def test_a_failure_is_logged_with_the_chat_and_answered_with_an_apology(
    bot, services, caplog
):
    group = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP)

    async def telegram_down() -> bool:
        raise ConnectionError("Telegram is unreachable")

    request = replace(group.request("Gaza"), is_chat_admin=telegram_down)
    with caplog.at_level(logging.ERROR):
        reply = await bot.handle_command("track", request)
    assert reply is not None and reply.text.startswith("Sorry")
    assert "Traceback" not in reply.text and "unreachable" not in reply.text
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert str(GROUP) in record.getMessage() and record.exc_info is not None


async def test_over_the_rate_one_warning_then_silence_until_the_window_frees(services):
    ticker = Ticker(step=0.0)
    chat = Conversation(ChatBot(services, clock=ticker), services)
    for _ in range(COMMANDS_PER_MINUTE):
        assert await chat.send("/help") is not None
    ticker.now += 15
    warning = await chat.reply("/help")
    assert "Slow down" in warning.text and "45 s" in warning.text
    assert await chat.send("/help") is None
    assert await chat.send("/claims") is None
    assert await chat.send("hello") is None
    assert (await chat.press("claims:page:0")).toast.startswith("Slow down")

    other = Conversation(chat.bot, services, user_id=7)  # another user is not limited
    assert await other.send("/help") is not None

    ticker.now += 45  # the first commands leave the window
    assert (await chat.reply("/help")).text == (await other.reply("/help")).text


@pytest.mark.parametrize(
    "data",
    [
        "",
        "claims",
        "claims:page",
        "claims:page:-1",
        "claims:page:1e3",
        "claims:page:١",  # an Arabic-Indic digit
        "claims:delete:1",
        "settings:alerts:maybe",
        "settings:size:999",
        "forget:confirm:",
        "forget:cancel:now",
        "x" * 65,
    ],
)
async def test_forged_or_expired_button_data_changes_nothing(private, services, data):
    await private.send("/start")
    reply = await private.press(data)
    assert reply.text == "" and reply.toast == "This button has expired."
    async with services.db.transaction() as tx:
        assert (await tx.chats.get(private.chat_id)).alerts
