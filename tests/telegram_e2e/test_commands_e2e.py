"""Every command through the real Application, over HTTP, against the fake Bot API."""

from __future__ import annotations

from bot.chat.commands import COMMANDS
from tests.fakebotapi import Call, FakeBotAPI
from tests.telegram_e2e.e2e_harness import ADMIN_ID, TOKEN, RunningBot

USER = 501
GROUP = -100500


async def say(fake: FakeBotAPI, chat_id: int, text: str, **kwargs: object) -> Call:
    """Send a message as a user and wait for the bot's answer in that chat."""
    fake.push_update(fake.message(chat_id, text, **kwargs))  # type: ignore[arg-type]
    return await fake.wait_for("sendMessage", lambda c: c.chat_id == chat_id)


async def test_commands_are_announced_from_the_command_table(fake, bot):
    announced = [c["command"] for c in fake.commands]
    assert announced == [command.name for command in COMMANDS]


async def test_start_subscribes_and_help_lists_every_command(fake, bot):
    reply = await say(fake, USER, "/start")
    assert reply.ok and "/claims" in reply.text and reply.params["parse_mode"] == "HTML"
    async with bot.db.transaction() as tx:
        chat = await tx.chats.get(USER)
    assert chat is not None and chat.active
    help_reply = await say(fake, USER, "/help")
    for command in COMMANDS:
        assert f"/{command.name}" in help_reply.text


async def test_a_full_session_in_a_private_chat(fake, bot):
    await say(fake, USER, "/start")
    topics = await say(fake, USER, "/topics")
    assert "North Korean troops in Russia" in topics.text
    tracked = await say(fake, USER, "/track Kursk offensive: Kursk, Курск, Курськ")
    assert "Kursk offensive" in tracked.text
    assert "Kursk offensive" in (await say(fake, USER, "/topics")).text
    added = await say(
        fake, USER, "/claims add Ukraine's GUR said 12,000 North Korean troops are in Kursk."
    )
    assert "12,000" in added.text and "GUR" in added.text
    ledger = await say(fake, USER, "/claims")
    assert "1,500" in ledger.text and "12,000" in ledger.text
    claim_id = next(
        claim.id
        for claim in await _claims(bot)
        if claim.claim.speaker and "GUR" in claim.claim.speaker
    )
    shown = await say(fake, USER, f"/claims show {claim_id}")
    assert "12,000" in shown.text
    assert "GUR" in (await say(fake, USER, "/claims GUR")).text
    assert (await say(fake, USER, "/untrack Kursk offensive")).ok
    assert "Kursk offensive" not in (await say(fake, USER, "/topics")).text
    removed = await say(fake, USER, f"/claims remove {claim_id}")
    assert removed.ok and claim_id not in {c.id for c in await _claims(bot)}
    assert (await say(fake, USER, "/digest")).ok
    assert (await say(fake, USER, "/sources")).ok
    stopped = await say(fake, USER, "/stop")
    assert "/start" in stopped.text
    async with bot.db.transaction() as tx:
        chat = await tx.chats.get(USER)
    assert chat is not None and not chat.active


async def test_settings_by_text_and_by_button(fake, bot):
    await say(fake, USER, "/start")
    assert "07:30" in (await say(fake, USER, "/settings time 07:30")).text
    assert "Europe/Kyiv" in (await say(fake, USER, "/settings tz Europe/Kyiv")).text
    panel = await say(fake, USER, "/settings")
    toggle = next(data for data in panel.callback_data if "alert" in data)
    fake.push_update(fake.callback_query(USER, USER, toggle, panel.message_id))
    answered = await fake.wait_for("answerCallbackQuery")
    edited = await fake.wait_for("editMessageText")
    assert answered.ok and edited.ok
    async with bot.db.transaction() as tx:
        chat = await tx.chats.get(USER)
    assert chat is not None and not chat.alerts and chat.timezone == "Europe/Kyiv"


async def test_forget_asks_first_then_deletes_the_chat(fake, bot):
    await say(fake, USER, "/start")
    question = await say(fake, USER, "/forget")
    confirm = next(data for data in question.callback_data if "yes" in data or "confirm" in data)
    fake.push_update(fake.callback_query(USER, USER, confirm, question.message_id))
    await fake.wait_for("editMessageText")
    async with bot.db.transaction() as tx:
        assert await tx.chats.get(USER) is None


async def test_a_forged_button_changes_nothing(fake, bot):
    await say(fake, USER, "/start")
    fake.push_update(fake.callback_query(USER, USER, "forget:yes:../../etc", 1))
    answer = await fake.wait_for("answerCallbackQuery")
    assert answer.params.get("text")
    async with bot.db.transaction() as tx:
        assert await tx.chats.get(USER) is not None


async def test_group_admin_rules(fake, bot):
    member, admin = 601, 602
    fake.set_member(GROUP, admin, "administrator")
    group = {"chat_type": "supergroup", "chat_title": "OSINT desk"}
    refused = await say(fake, GROUP, "/start", user_id=member, **group)
    assert "admin" in refused.text.lower()
    assert (await fake.wait_for("getChatMember")).params["user_id"] == member
    started = await say(fake, GROUP, "/start", user_id=admin, **group)
    assert "/claims" in started.text
    assert "admin" in (await say(fake, GROUP, "/settings size 5", user_id=member, **group)).text
    assert (await say(fake, GROUP, "/claims", user_id=member, **group)).ok  # reading is open


async def test_commands_for_another_bot_and_chatter_in_groups_are_ignored(fake, bot):
    group = {"chat_type": "group", "chat_title": "chatter", "user_id": 603}
    fake.push_update(fake.message(GROUP, "/help@some_other_bot", **group))
    fake.push_update(fake.message(GROUP, "just talking about North Korea", **group))
    reply = await say(fake, GROUP, f"/help@{fake.bot_username}", **group)
    assert "/claims" in reply.text
    assert len(fake.sent_to(GROUP)) == 1


async def test_unknown_commands_garbage_and_oversized_arguments(fake, bot):
    await say(fake, USER, "/start")
    assert "/help" in (await say(fake, USER, "/clams")).text
    assert "too long" in (await say(fake, USER, "/claims " + "x" * 5000)).text
    for garbage in ("/settings time 99:99", "/claims show -1", "/claims show 1e9",
                    "/track :", "/sources remove abc", "/settings tz <b>Mars</b>",
                    "/claims add \x00\x01\ufffd"):  # fmt: skip
        reply = await say(fake, USER, garbage)
        assert reply.ok, garbage  # a valid HTML answer, never a crash
    assert "/help" in (await say(fake, USER, "hello there")).text


async def test_status_is_for_bot_admins_only(fake, bot):
    assert "admin" in (await say(fake, USER, "/status")).text.lower()
    status = await say(fake, ADMIN_ID, "/status")
    assert "outbox" in status.text.lower()


async def test_the_token_never_reaches_the_logs(fake, bot, caplog):
    await say(fake, USER, "/start")
    assert TOKEN not in caplog.text


async def _claims(bot: RunningBot):
    async with bot.db.transaction() as tx:
        return await tx.claims.list()


async def test_claims_chart_arrives_as_a_photo_with_its_caption(fake, bot):
    await say(fake, USER, "/start")
    await say(fake, USER, "/claims add Zelensky said 10,000 North Korean troops arrived in Russia.")
    fake.push_update(fake.message(USER, "/claims chart zelensky"))
    photo = await fake.wait_for("sendPhoto", lambda c: c.chat_id == USER, timeout=15)
    assert photo.ok and photo.params["parse_mode"] == "HTML"
    assert photo.photo is not None and photo.photo.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert photo.caption is not None and photo.caption.startswith(
        "<b>North Korean troops in Russia</b> — troops arrived in Russia: 1,500 to 10,000"
    )
    assert photo.result["caption"].startswith("North Korean troops in Russia — troops")
    nothing = await say(fake, USER, "/claims chart 999")
    assert "No dispute to draw" in nothing.text
