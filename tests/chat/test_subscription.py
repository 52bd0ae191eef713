"""/start, /stop, /forget and what Telegram tells about a chat (blocked, migrated)."""

from datetime import time, timedelta

from bot.chat.callbacks import FORGET_CONFIRM
from bot.chat.commands import ChatBot
from storage.records import ChatKind
from tests.chat.chat_harness import NK, Conversation, button_data

GROUP = -1002012345678


async def subscriber(services, chat_id):
    async with services.db.transaction() as tx:
        return await tx.chats.get(chat_id)


async def test_start_subscribes_with_the_defaults_and_says_what_comes_next(private, services):
    text = await private.text("/start")
    assert "watches news feeds" in text
    assert NK.name in text and "every topic (2)" in text
    assert "07:30 (Europe/Kyiv)" in text
    for step in ("/topics", "/track", "/claims", "/settings", "/help"):
        assert step in text
    chat = await subscriber(services, private.chat_id)
    assert chat.active and chat.kind is ChatKind.PRIVATE
    assert (chat.timezone, chat.digest_time) == ("Europe/Kyiv", time(7, 30))

    assert "already subscribed" in await private.text("/start")


async def test_stop_keeps_the_data_and_start_resumes(services_on_both):
    chat = Conversation(ChatBot(services_on_both), services_on_both)
    assert "not subscribed" in await chat.text("/stop")
    await chat.send("/start")
    await chat.send("/settings alerts off")
    text = await chat.text("/stop")
    assert "/start resumes" in text and "/forget" in text
    assert not (await subscriber(services_on_both, chat.chat_id)).active

    assert "Welcome back" in await chat.text("/start")
    resumed = await subscriber(services_on_both, chat.chat_id)
    assert resumed.active and not resumed.alerts  # its settings were kept


async def test_a_forum_group_subscribes_from_its_thread(bot, services):
    group = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.SUPERGROUP, thread_id=7)
    await group.send("/start")
    assert (await subscriber(services, GROUP)).thread_id == 7


async def test_only_group_admins_start_stop_and_forget(bot, services):
    member = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, admin=False)
    for command in ("/start", "/stop", "/forget"):
        assert "Only this group's admins" in await member.text(command)
    assert await subscriber(services, GROUP) is None
    admin = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, admin=True)
    await admin.send("/start")
    assert (await subscriber(services, GROUP)).active


async def test_forget_asks_first_and_the_button_deletes(private, services):
    await private.send("/start")
    question = await private.reply("/forget")
    buttons = button_data(question)
    assert set(buttons) == {"Delete", "Cancel"}
    assert await subscriber(services, private.chat_id) is not None

    cancelled = await private.press(buttons["Cancel"])
    assert "Nothing was deleted" in cancelled.text
    assert await subscriber(services, private.chat_id) is not None

    deleted = await private.press(buttons["Delete"])
    assert "Deleted" in deleted.text and deleted.toast == "Deleted"
    assert await subscriber(services, private.chat_id) is None
    again = await private.press(buttons["Delete"])
    assert "nothing to delete" in again.text


async def test_a_forget_button_expires_and_needs_a_group_admin(bot, services):
    admin = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP)
    await admin.send("/start")
    delete = button_data(await admin.reply("/forget"))["Delete"]

    member = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, admin=False)
    refused = await member.press(delete)
    assert refused.text == "" and "admins" in (refused.toast or "")
    admin.later(timedelta(hours=1))
    expired = await admin.press(delete)
    assert expired.text == "" and expired.toast == "This button has expired."
    future = FORGET_CONFIRM.data(int(admin.now.timestamp()) + 3600)  # forged: offered later
    assert (await admin.press(future)).toast == "This button has expired."
    assert await subscriber(services, GROUP) is not None


async def test_a_chat_that_blocks_the_bot_is_deactivated_and_a_migrated_one_moves(
    services_on_both,
):
    bot = ChatBot(services_on_both)
    group = Conversation(bot, services_on_both, chat_id=-4012345678, kind=ChatKind.GROUP)
    await group.send("/start")
    await group.send("/untrack US aid to Ukraine")
    await bot.chat_migrated(group.chat_id, GROUP)
    moved = await subscriber(services_on_both, GROUP)
    assert moved is not None and moved.kind is ChatKind.SUPERGROUP and len(moved.topic_ids) == 1
    assert await subscriber(services_on_both, group.chat_id) is None

    await bot.chat_removed(GROUP, group.now)
    assert not (await subscriber(services_on_both, GROUP)).active
