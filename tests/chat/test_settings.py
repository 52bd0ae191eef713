"""/settings: shown with buttons; changed by text or buttons, by admins only in groups."""

from datetime import time

import pytest

from bot.chat.limits import DIGEST_SIZE_MAX, DIGEST_SIZE_MIN
from storage.records import ChatKind
from tests.chat.chat_harness import Conversation, button_data

GROUP = -100321


async def settings_of(services, chat_id):
    async with services.db.transaction() as tx:
        return await tx.chats.get(chat_id)


async def test_settings_show_every_setting_with_buttons(private):
    await private.send("/start")
    reply = await private.reply("/settings")
    for shown in (
        "every day at 07:30 (Europe/Kyiv)",
        "Alerts about new conflicts: on",
        "up to 10 stories",
        "Empty digest: a one-line note",
        "/settings time 07:30",
    ):
        assert shown in reply.text
    assert button_data(reply) == {
        "Alerts: turn off": "settings:alerts:off",
        "Empty digest: skip": "settings:empty:off",
        "Size −": "settings:size:9",
        "Size +": "settings:size:11",
    }


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("/settings time 06:05", "digest_time", time(6, 5)),
        ("/settings tz Asia/Tokyo", "timezone", "Asia/Tokyo"),
        ("/settings timezone america/new_york", "timezone", "America/New_York"),
        ("/settings tz tokyo", "timezone", "Asia/Tokyo"),
        ("/settings ALERTS Off", "alerts", False),
        ("/settings size 50", "digest_size", 50),
        ("/settings empty off", "empty_digest", False),
    ],
)
async def test_text_forms_change_one_setting(private, services, line, field, value):
    await private.send("/start")
    text = await private.text(line)
    assert text.startswith("Saved.")
    assert getattr(await settings_of(services, private.chat_id), field) == value


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        ("/settings tz Europe/Kyev", "Did you mean Europe/Kyiv"),
        ("/settings tz Mars/Olympus", "not a time zone I know"),
        ("/settings time 25:00", "HH:MM"),
        ("/settings time 7", "HH:MM"),
        ("/settings size 0", f"from {DIGEST_SIZE_MIN} to {DIGEST_SIZE_MAX}"),
        (f"/settings size {DIGEST_SIZE_MAX + 1}", f"from {DIGEST_SIZE_MIN} to"),
        ("/settings size ten", "a number"),
        ("/settings alerts maybe", "on or off"),
        ("/settings alerts", "Give a value"),
        ("/settings alert on", "Did you mean alerts?"),
        ("/settings tz <b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ],
)
async def test_a_bad_setting_says_what_is_wrong_and_changes_nothing(
    private, services, line, wanted
):
    await private.send("/start")
    before = await settings_of(services, private.chat_id)
    text = await private.text(line)
    assert wanted in text and "Usage:" in text and "<b>x</b>" not in text
    assert await settings_of(services, private.chat_id) == before


async def test_buttons_change_the_settings_and_redraw_them(private, services):
    await private.send("/start")
    first = await private.reply("/settings")
    pressed = await private.press(button_data(first)["Alerts: turn off"])
    assert pressed.toast == "Saved" and "Alerts about new conflicts: off" in pressed.text
    assert "Alerts: turn on" in button_data(pressed)
    smaller = await private.press(button_data(pressed)["Size −"])
    assert "up to 9 stories" in smaller.text
    await private.press(button_data(smaller)["Empty digest: skip"])
    chat = await settings_of(services, private.chat_id)
    assert (chat.alerts, chat.digest_size, chat.empty_digest) == (False, 9, False)

    stale = await private.press(button_data(first)["Alerts: turn off"])  # pressed again
    assert "Alerts about new conflicts: off" in stale.text  # a target state: no toggle back


async def test_the_size_buttons_stop_at_the_bounds(private, services):
    await private.send("/start")
    reply = await private.reply(f"/settings size {DIGEST_SIZE_MIN}")
    assert "Size −" not in button_data(reply) and "Size +" in button_data(reply)
    reply = await private.reply(f"/settings size {DIGEST_SIZE_MAX}")
    assert "Size +" not in button_data(reply)
    refused = await private.press("settings:size:0")
    assert refused.text == "" and "from 1 to 50" in refused.toast


async def test_in_groups_everyone_sees_the_settings_and_only_admins_change_them(bot, services):
    admin = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.SUPERGROUP)
    member = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.SUPERGROUP, admin=False)
    await admin.send("/start")
    shown = await member.reply("/settings")
    assert "Alerts about new conflicts: on" in shown.text
    assert "Only this group's admins" in await member.text("/settings alerts off")
    refused = await member.press(button_data(shown)["Alerts: turn off"])
    assert refused.text == "" and "Only this group's admins" in refused.toast
    assert (await settings_of(services, GROUP)).alerts
    assert "Saved" in await admin.text("/settings alerts off")
    assert not (await settings_of(services, GROUP)).alerts


async def test_a_channel_post_counts_as_an_admins(bot, services):
    channel = Conversation(bot, services, chat_id=-1001, kind=ChatKind.CHANNEL, user_id=None,
                           admin=False)  # fmt: skip
    await channel.send("/start")
    assert "Saved" in await channel.text("/settings size 5")
    assert channel.admin_checks == []  # no need to ask Telegram
