"""The fake Bot API against the real python-telegram-bot: what PTB sees must match Telegram."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import ssl
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)
from telegram.request import HTTPXRequest

from tests.fakebotapi import Call, EntityParseError, FakeBotAPI, Fault, parse_html

pytestmark = pytest.mark.timeout(20)
# One TLS context for every client: building one per httpx client costs ~40 ms (loopback is
# plain HTTP anyway), and each Bot has two clients.
TLS = ssl.create_default_context()


def make_bot(fake: FakeBotAPI, token: str | None = None) -> Bot:
    def request() -> HTTPXRequest:
        return HTTPXRequest(httpx_kwargs={"verify": TLS})

    return Bot(
        token or fake.token,
        base_url=fake.base_url,
        request=request(),
        get_updates_request=request(),
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with make_bot(fake) as real_bot:
        yield real_bot


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# --- basics -----------------------------------------------------------------------------------


async def test_get_me_answers_the_configured_bot() -> None:
    async with (
        FakeBotAPI(bot_username="other_test_bot") as fake,
        make_bot(fake) as bot,
    ):
        me = await bot.get_me()
    assert (me.username, me.id, me.is_bot) == ("other_test_bot", 123456, True)


async def test_wrong_token_is_unauthorized(fake: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken):
        await make_bot(fake, "999:wrong-token").initialize()
    assert fake.calls == []


async def test_unknown_method_is_not_found(bot: Bot, fake: FakeBotAPI) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
    call = await fake.wait_for("sendTelepathy")
    assert (call.status, call.description) == (404, "Not Found: method not found")


async def test_send_message_round_trip(bot: Bot, fake: FakeBotAPI) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Mute", callback_data="mute:7")],
            [InlineKeyboardButton("Web", url="https://example.org/")],
        ]
    )
    text = '<b>1,500</b> troops &lt;NIS&gt; <a href="https://example.org/a?b=1&amp;c=2">source</a>'

    message = await bot.send_message(
        42,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        message_thread_id=5,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )

    assert message.text == "1,500 troops <NIS> source"  # what Telegram shows, tags parsed
    assert message.chat.id == 42 and message.chat.type == "private"
    assert message.reply_markup == keyboard
    assert message.message_thread_id == 5
    call = await fake.wait_for("sendMessage")
    assert (call.chat_id, call.text, call.params["parse_mode"]) == (42, text, "HTML")
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert call.callback_data == ["mute:7"]
    assert call.message_id == message.message_id
    assert fake.sent_to(42) == [text]
    second = await bot.send_message(42, "next")
    assert second.message_id > message.message_id


async def test_json_and_multipart_bodies_are_accepted(fake: FakeBotAPI) -> None:
    url = f"{fake.base_url}{fake.token}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "ok", "callback_data": "ok"}]]}
    async with httpx.AsyncClient() as client:
        as_json = await client.post(url, json={"chat_id": 7, "text": "123", "reply_markup": markup})
        as_multipart = await client.post(
            url, data={"chat_id": "7", "text": "true"}, files={"document": ("a.txt", b"abc")}
        )
    assert as_json.json()["result"]["text"] == "123"
    assert as_multipart.json()["result"]["text"] == "true"
    first, second = fake.calls
    assert first.params == {"chat_id": 7, "text": "123", "reply_markup": markup}
    assert second.params["text"] == "true" and second.params["chat_id"] == 7
    assert second.params["document"].content == b"abc"


# --- updates ----------------------------------------------------------------------------------


async def test_get_updates_offset_confirms(bot: Bot, fake: FakeBotAPI) -> None:
    pushed = [fake.push_update(fake.message(42, f"hello {n}")) for n in range(3)]
    ids = [update["update_id"] for update in pushed]
    assert ids == sorted(ids) and len(set(ids)) == 3

    assert [u.update_id for u in await bot.get_updates()] == ids
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert [u.update_id for u in await bot.get_updates()] == ids[1:]  # 0 confirms nothing
    assert await bot.get_updates(offset=ids[2] + 1) == ()
    later = fake.push_update(fake.message(42, "later"))
    assert [u.update_id for u in await bot.get_updates()] == [later["update_id"]]


async def test_long_poll_wakes_when_an_update_is_pushed(bot: Bot, fake: FakeBotAPI) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.wait_polling()
    started = asyncio.get_running_loop().time()

    fake.push_update(fake.message(42, "/start"))
    updates = await poll

    assert asyncio.get_running_loop().time() - started < 2
    assert [u.message.text for u in updates if u.message] == ["/start"]


async def test_long_poll_returns_nothing_when_the_timeout_passes(bot: Bot) -> None:
    started = asyncio.get_running_loop().time()
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.2)) == ()
    assert asyncio.get_running_loop().time() - started >= 0.2


async def test_closing_releases_a_pending_long_poll() -> None:
    async with FakeBotAPI() as fake, make_bot(fake) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await fake.wait_polling()
        async with asyncio.timeout(3):
            await fake.close()
            assert await poll == ()


async def test_builders_produce_updates_ptb_understands(bot: Bot, fake: FakeBotAPI) -> None:
    sent = await bot.send_message(-100777, "pick one")
    fake.push_update(
        fake.message(
            -100777,
            "/claims@claimwatch_test_bot troops",
            user_id=5,
            chat_type="supergroup",
            chat_title="Analysts",
            message_thread_id=9,
            is_topic_message=True,
        )
    )
    fake.push_update(fake.channel_post(-100888, "Breaking", chat_title="News"))
    fake.push_update(fake.callback_query(-100777, 5, "mute:7", sent.message_id))
    fake.push_update(fake.my_chat_member(-100999, "group", "left", "administrator", user_id=5))
    fake.push_update(fake.migrate(-999, -100999))

    command, post, press, membership, migration = await bot.get_updates()

    assert command.message is not None and command.message.chat.title == "Analysts"
    assert command.message.parse_entities() == {
        command.message.entities[0]: "/claims@claimwatch_test_bot"
    }
    assert command.message.from_user is not None and command.message.from_user.id == 5
    assert (command.message.message_thread_id, command.message.is_topic_message) == (9, True)
    assert post.channel_post is not None and post.channel_post.chat.type == "channel"
    assert press.callback_query is not None and press.callback_query.data == "mute:7"
    assert press.callback_query.message is not None
    assert press.callback_query.message.message_id == sent.message_id
    assert membership.my_chat_member is not None
    assert membership.my_chat_member.new_chat_member.status == "administrator"
    assert migration.message is not None and migration.message.migrate_to_chat_id == -100999


async def test_allowed_updates_filters_types(bot: Bot, fake: FakeBotAPI) -> None:
    fake.push_update(fake.channel_post(-100888, "post"))
    fake.push_update(fake.message(42, "hi"))
    updates = await bot.get_updates(allowed_updates=[Update.MESSAGE])
    assert [u.effective_message.text for u in updates if u.effective_message] == ["hi"]


async def test_webhook_blocks_get_updates(bot: Bot, fake: FakeBotAPI) -> None:
    await bot.set_webhook("https://example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


# --- chats and members ------------------------------------------------------------------------


async def test_member_table_answers_get_chat_member(bot: Bot, fake: FakeBotAPI) -> None:
    fake.set_member(-100777, 5, "administrator")
    fake.set_member(-100777, 6, "creator")

    assert (await bot.get_chat_member(-100777, 5)).status == "administrator"
    assert (await bot.get_chat_member(-100777, 7)).status == "member"
    admins = await bot.get_chat_administrators(-100777)
    assert sorted(member.user.id for member in admins) == [5, 6]
    chat = await bot.get_chat(-100777)
    assert chat.type == "supergroup"


async def test_channel_usernames_and_declared_chats(bot: Bot, fake: FakeBotAPI) -> None:
    fake.register_chat(-100321, "supergroup", "Analysts")
    fake.push_update(fake.message(-100321, "hi", chat_type="supergroup"))

    posted = await bot.send_message("@warnews", "x")
    assert (posted.chat.type, posted.chat.username) == ("channel", "warnews")
    assert (await bot.get_chat("@warnews")).id == posted.chat.id
    assert (await bot.get_chat(-100321)).title == "Analysts"  # kept by the builder
    with pytest.raises(BadRequest, match="There are no administrators in the private chat"):
        await bot.get_chat_administrators(42)


async def test_blocked_bot_and_migrated_group_are_refused(bot: Bot, fake: FakeBotAPI) -> None:
    fake.push_update(fake.my_chat_member(42, "private", "member", "kicked"))
    fake.push_update(fake.migrate(-555, -100555))

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(42, "digest")
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-555, "digest")
    assert migrated.value.new_chat_id == -100555


async def test_edit_and_answer_callback(bot: Bot, fake: FakeBotAPI) -> None:
    sent = await bot.send_message(42, "<b>v1</b>", parse_mode=ParseMode.HTML)
    edited = await bot.edit_message_text("v2", chat_id=42, message_id=sent.message_id)
    assert isinstance(edited, object) and getattr(edited, "text", None) == "v2"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("v2", chat_id=42, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("v3", chat_id=42, message_id=999_999)

    update = fake.push_update(fake.callback_query(42, 42, "mute", sent.message_id))
    query_id = update["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, text="Muted")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    assert await bot.delete_message(42, sent.message_id)


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>bold", "Can't find end tag corresponding to start tag b"),
        ("<br>line", 'Unsupported start tag "br" at byte offset 0'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("é<b", "Unclosed start tag at byte offset 2"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href>x</a>", 'Expected equal sign in declaration of an attribute of the tag "a"'),
    ],
)
def test_html_parser_rejects_like_telegram(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_html(html)
    assert str(raised.value).startswith(error)


@pytest.mark.parametrize(
    ("html", "visible"),
    [
        ("<b>a</b> <strong>b</strong> <i>c</i> <em>d</em> <u>e</u> <ins>f</ins>", "a b c d e f"),
        ("<s>a</s><strike>b</strike><del>c</del>", "abc"),
        ('<a href="https://x.org/?a=1&amp;b=2">link</a>', "link"),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
        ("<blockquote>q</blockquote><tg-spoiler>s</tg-spoiler>", "qs"),
        ('<span class="tg-spoiler">s</span><span class=tg-spoiler>t</span>', "st"),
        ("&lt;&gt;&amp;&quot; &#60;&#x3E; AT&T &copy;", '<>&" <> AT&T &copy;'),
        ("<B>upper</B> 2 > 1", "upper 2 > 1"),
    ],
)
def test_html_parser_accepts_the_telegram_subset(html: str, visible: str) -> None:
    assert parse_html(html) == visible


async def test_bad_html_is_a_bad_request(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities: can't find end tag"):
        await bot.send_message(42, "<b>unclosed", parse_mode=ParseMode.HTML)
    assert (await bot.send_message(42, "<b>unclosed")).text == "<b>unclosed"  # no parse mode


async def test_length_is_counted_after_entity_parsing(bot: Bot, fake: FakeBotAPI) -> None:
    fits = "<b>" + "&lt;" * 4096 + "</b>"
    assert len((await bot.send_message(42, fits, parse_mode=ParseMode.HTML)).text or "") == 4096
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(42, "x" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(42, "<b> </b>", parse_mode=ParseMode.HTML)
    assert len(fake.sent_to(42)) == 1


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    def markup(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data=data)]])

    await bot.send_message(42, "ok", reply_markup=markup("я" * 32))  # 64 bytes
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(42, "too long", reply_markup=markup("я" * 32 + "x"))


# --- faults -----------------------------------------------------------------------------------


async def test_too_many_requests_carries_retry_after(bot: Bot, fake: FakeBotAPI) -> None:
    fake.fail("sendMessage", Fault.too_many_requests(7))
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(42, "x")
    assert retry_seconds(raised.value) == 7
    assert (await bot.send_message(42, "x")).text == "x"  # consumed: the next call succeeds


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        (Fault.forbidden("bot was blocked by the user"), Forbidden, "blocked by the user"),
        (Fault.bad_request("can't parse entities: x"), BadRequest, "Can't parse entities"),
        (Fault.server_error(), NetworkError, "Bad Gateway"),
        (Fault.server_error(503), NetworkError, "Service Unavailable"),
    ],
)
async def test_faults_map_to_ptb_errors(
    bot: Bot, fake: FakeBotAPI, fault: Fault, error: type[Exception], message: str
) -> None:
    fake.fail("sendMessage", fault)
    with pytest.raises(error, match=message):
        await bot.send_message(42, "x")


async def test_migrated_fault_raises_chat_migrated(bot: Bot, fake: FakeBotAPI) -> None:
    fake.fail("sendMessage", Fault.migrated(-100123))
    with pytest.raises(ChatMigrated) as raised:
        await bot.send_message(-123, "x")
    assert raised.value.new_chat_id == -100123


async def test_faults_count_times_and_target_chats(bot: Bot, fake: FakeBotAPI) -> None:
    fake.fail("sendMessage", Fault.forbidden(), times=2, chat_id=42)
    await bot.send_message(43, "other chat is unaffected")
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(42, "x")
    await bot.send_message(42, "third succeeds")
    assert fake.sent_to(42) == ["third succeeds"]
    with pytest.raises(ValueError, match="does not serve"):
        fake.fail("sendMesage", Fault.forbidden())


async def test_slow_fault_answers_after_the_delay(bot: Bot, fake: FakeBotAPI) -> None:
    fake.fail("getMe", Fault.slow(0.3))
    started = asyncio.get_running_loop().time()
    assert (await bot.get_me()).username == "claimwatch_test_bot"
    assert asyncio.get_running_loop().time() - started >= 0.3


# --- limits -----------------------------------------------------------------------------------


async def test_limits_mode_allows_one_message_a_second_per_chat() -> None:
    async with (
        FakeBotAPI(enforce_limits=True) as fake,
        make_bot(fake) as bot,
    ):
        await bot.send_message(42, "first")
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(42, "second")
        assert retry_seconds(raised.value) == 1
        await bot.send_message(43, "another chat is fine")


async def test_limits_mode_allows_thirty_messages_a_second_overall() -> None:
    async with (
        FakeBotAPI(enforce_limits=True) as fake,
        make_bot(fake) as bot,
    ):
        results = await asyncio.gather(
            *(bot.send_message(chat_id, "x") for chat_id in range(1, 41)),
            return_exceptions=True,
        )
    refused = [result for result in results if isinstance(result, RetryAfter)]
    assert (len(results) - len(refused), len(refused)) == (30, 10)
    assert len([call for call in fake.calls if call.method == "sendMessage" and call.ok]) == 30


async def test_without_limits_mode_bursts_pass(bot: Bot, fake: FakeBotAPI) -> None:
    await asyncio.gather(*(bot.send_message(42, f"{n}") for n in range(5)))
    assert len(fake.sent_to(42)) == 5


# --- awaiting calls ---------------------------------------------------------------------------


async def test_wait_for_returns_each_call_once_in_order(bot: Bot, fake: FakeBotAPI) -> None:
    for text in ("one", "two", "three"):
        await bot.send_message(42, text)

    def is_three(call: Call) -> bool:
        return call.text == "three"

    assert (await fake.wait_for("sendMessage", is_three)).text == "three"
    assert (await fake.wait_for("sendMessage")).text == "one"
    assert (await fake.wait_for("sendmessage")).text == "two"
    with pytest.raises(AssertionError, match=r"(?s)no sendMessage call.*'three'"):
        await fake.wait_for("sendMessage", timeout=0.05)


async def test_wait_for_wakes_on_a_later_call(bot: Bot, fake: FakeBotAPI) -> None:
    waiter = asyncio.create_task(fake.wait_for("sendMessage", lambda call: call.chat_id == 9))
    await bot.send_message(8, "not this")
    await bot.send_message(9, "this")
    assert (await waiter).text == "this"


# --- a real Application -----------------------------------------------------------------------


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Mute", callback_data="mute")]])
    await update.effective_message.reply_html("<b>Welcome</b>", reply_markup=keyboard)


async def mute_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Muted")
    await query.edit_message_text("Muted.")


async def test_application_polls_and_handles_commands(fake: FakeBotAPI) -> None:
    application = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
    application.add_handler(CommandHandler("start", start_command))
    application.add_handler(CallbackQueryHandler(mute_button))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling()
        await fake.wait_polling()

        fake.push_update(fake.message(42, "/start@claimwatch_test_bot"))
        welcome = await fake.wait_for("sendMessage")
        assert (welcome.chat_id, welcome.text, welcome.callback_data) == (
            42,
            "<b>Welcome</b>",
            ["mute"],
        )
        assert welcome.message_id is not None
        fake.push_update(fake.callback_query(42, 42, "mute", welcome.message_id))
        answer = await fake.wait_for("answerCallbackQuery")
        edit = await fake.wait_for("editMessageText")

        await application.updater.stop()
        await application.stop()
    assert answer.ok and answer.params["text"] == "Muted"
    assert edit.ok and edit.text == "Muted." and edit.params["message_id"] == welcome.message_id
    await fake.wait_idle(quiet=0.05)


async def test_calls_are_json_friendly(bot: Bot, fake: FakeBotAPI) -> None:
    await bot.set_my_commands([("start", "Start"), ("claims", "Show the ledger")])
    call = await fake.wait_for("setMyCommands")
    assert json.loads(json.dumps(call.params["commands"]))[1]["command"] == "claims"
    assert [command.command for command in await bot.get_my_commands()] == ["start", "claims"]


PNG_HEADER = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (960).to_bytes(4, "big") + (540).to_bytes(4, "big")
)


async def test_send_photo_takes_an_uploaded_picture_and_checks_its_caption(
    bot: Bot, fake: FakeBotAPI
) -> None:
    sent = await bot.send_photo(42, PNG_HEADER + b"rest", caption="<b>Chart</b> &amp; more",
                                parse_mode=ParseMode.HTML)  # fmt: skip
    assert sent.caption == "Chart & more" and sent.photo[-1].width == 960
    [call] = fake.photos_to(42)
    assert call.photo is not None and call.photo.content == PNG_HEADER + b"rest"
    assert call.caption == "<b>Chart</b> &amp; more"
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(42, b"not a picture")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(42, PNG_HEADER, caption="x" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_photo(42, PNG_HEADER, caption="<b>open", parse_mode=ParseMode.HTML)
    assert len(fake.photos_to(42)) == 1 and fake.sent_to(42) == []
