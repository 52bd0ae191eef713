"""The terminal chat in-process: typed lines in, a plain-text transcript out, on real services."""

import io
import json
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr

from bot.app import jobs
from bot.chat.commands import COMMANDS, SORRY, TEXT_HINT, ChatBot
from bot.chat.console import CONSOLE_CHAT_ID, TerminalChat, TerminalSender
from bot.digest.deliver import Outbox
from storage.records import ChatKind, NewSource, OutboxKind
from tests.chat.chat_harness import START, store_item
from tests.console.console_transcript import Terminal, assert_plain, typed
from tests.httpserver import Reply as HttpReply

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire &amp; Co</title>'
    b"<item><guid>1</guid><title>One</title><link>https://news.example/one</link>"
    b"<description>First</description></item></channel></rss>"
)


async def test_the_banner_says_where_it_runs_and_what_to_do_first(terminal, services):
    async with services.db.transaction() as tx:
        await tx.sources.add(NewSource("https://example.org/feed.xml"), START)
    transcript = await terminal.run()
    banner = transcript.split("\n\n")[0]
    assert "terminal chat" in banner and "No TELEGRAM_BOT_TOKEN is set" in banner
    assert f"Database: {services.settings.sqlite_path}." in banner
    assert "Watching 1 source for 2 topics" in banner
    assert "/sources add <url>" in banner and "claimwatch sources add <url>" in banner
    assert "/help" in banner and "/quit" in banner and "Ctrl-D" in banner


async def test_the_banner_hides_a_database_password(services):
    url = "postgresql+asyncpg://bot:hunter22@db.example:5432/claimwatch"
    settings = services.settings.model_copy(update={"database_url": SecretStr(url)})
    terminal = Terminal(replace(services, settings=settings))
    transcript = await terminal.run()
    assert "Database: postgresql+asyncpg://bot:***@db.example:5432/claimwatch." in transcript
    assert "hunter22" not in transcript


async def test_the_terminal_subscribes_itself_as_the_console_chat(terminal, services):
    transcript = await terminal.run()
    assert "claimwatch watches news feeds" in transcript  # the answer to /start
    async with services.db.transaction() as tx:
        chat = await tx.chats.get(CONSOLE_CHAT_ID)
    assert chat is not None and chat.kind is ChatKind.CONSOLE and chat.active
    assert chat.follows_all_topics and chat.title == "terminal"
    assert "you> /start" not in transcript  # sent for the user, not typed


async def test_help_lists_every_command_as_plain_text(terminal):
    transcript = await terminal.run("/help")
    assert "you> /help" in transcript
    for command in COMMANDS:
        assert f"/{command.name}" in transcript
    assert "/settings tz <zone>" in transcript  # an HTML-escaped "<zone>" came back
    assert_plain(transcript)


async def test_track_then_topics(terminal):
    transcript = await terminal.run("/track R&D funding: research budget, R&D", "/topics")
    answer_to_topics = transcript.split("you> /topics")[1]
    assert "R&D funding: research budget, R&D" in answer_to_topics
    assert "North Korean troops in Russia" in answer_to_topics
    assert_plain(transcript)


async def test_buttons_are_pressed_by_typing_their_number(terminal, services):
    await terminal.run()
    shown = await terminal.type("/settings")
    assert "[1] Alerts: turn off" in shown and "(type a number to press)" in shown
    pressed = await terminal.type("1")
    assert "[pressed: Alerts: turn off]" in pressed and "(Saved)" in pressed
    assert "Alerts about new conflicts: off" in pressed and "[1] Alerts: turn on" in pressed
    async with services.db.transaction() as tx:
        chat = await tx.chats.get(CONSOLE_CHAT_ID)
    assert chat is not None and not chat.alerts


async def test_forget_asks_then_deletes_on_the_number_of_its_button(terminal, services):
    await terminal.run()
    asked = await terminal.type("/forget")
    assert "Delete this chat's settings" in asked and "[1] Delete  [2] Cancel" in asked
    done = await terminal.type("1")
    assert "Deleted this chat's settings" in done
    async with services.db.transaction() as tx:
        assert await tx.chats.get(CONSOLE_CHAT_ID) is None
    assert "There is no button 1 to press (buttons shown now: none)." in await terminal.type("1")


async def test_a_toast_only_press_keeps_the_buttons_as_telegram_does(terminal):
    await terminal.run()
    await terminal.type("/forget")
    terminal.now = START + timedelta(days=2)  # the confirmation has expired
    expired = await terminal.type("1")
    assert "[pressed: Delete]" in expired and "Deleted" not in expired
    assert "[pressed: Cancel]" in await terminal.type("2")  # still offered


async def test_numbers_that_are_not_buttons(terminal):
    await terminal.run()
    assert "There is no button 7" in await terminal.type("7")
    # Unicode digits and huge numbers are text, not a crash (int() refuses both)
    assert TEXT_HINT in await terminal.type("²")
    assert TEXT_HINT in await terminal.type("9" * 5000)


async def test_plain_text_gets_the_hint(terminal):
    transcript = await terminal.run("what is new?")
    assert f"you> what is new?\n{TEXT_HINT}" in transcript


async def test_quit_stops_and_reads_no_further(terminal):
    transcript = await terminal.run("/quit", "/topics")
    assert terminal.stops == [1]
    assert "Stopping claimwatch" in transcript and "you> /topics" not in transcript
    assert "Input ended" not in transcript


async def test_the_end_of_input_keeps_the_bot_running_and_says_so(terminal):
    transcript = await terminal.run("/topics")
    assert terminal.stops == []
    assert "Input ended. claimwatch keeps running" in transcript
    assert "Ctrl-C" in transcript


async def test_too_long_a_command_and_a_broken_database_never_end_the_loop(terminal, services):
    await terminal.run()
    assert "That is too long" in await terminal.type("/track " + "x" * 100_000)
    async with services.db.transaction() as tx:  # a fault deep below the handlers
        await tx.sources.add(NewSource("https://example.org/feed.xml"), START)
    await services.db.close()
    path = services.settings.sqlite_path
    assert path is not None
    path.unlink()
    answer = await terminal.type("/topics")
    assert SORRY in answer
    assert "/help" in await terminal.type("/help")


async def test_links_keep_their_address(terminal, services, http_server):
    url = http_server.route("/feed.xml", HttpReply(body=FEED))
    transcript = await terminal.run(f"/sources add {url}", "/sources")
    listing = transcript.split("you> /sources\n")[1]
    assert f"Wire & Co ({url})" in listing
    assert_plain(transcript)


async def test_digests_and_alerts_print_as_plain_text_with_their_links(terminal, services):
    output = io.StringIO()
    await terminal.run()
    await store_item(
        services,
        "Ukraine's defence intelligence said 12,000 North Korean troops had arrived in Russia.",
        title="Troops & <generals>", at=START + timedelta(minutes=10),
        url="https://news.example/nk?a=1&b=2",
    )  # fmt: skip
    sender = TerminalSender(TerminalChat(services, terminal.chat.chat, output=output))
    outbox = Outbox(services.db, sender, lambda: START + timedelta(days=1),
                    only_chat_id=CONSOLE_CHAT_ID)  # fmt: skip
    assert await jobs.send_alerts(services, outbox, START + timedelta(minutes=11)) >= 1
    assert await jobs.send_due_digests(services, outbox, START + timedelta(days=1)) == 1
    report = await outbox.drain()
    printed = output.getvalue()
    assert report.sent >= 2 and report.dropped == 0
    assert "12,000" in printed and "1,500" in printed
    assert "Troops & <generals>" in printed
    assert "https://news.example/nk?a=1&b=2" in printed
    assert_plain(printed.replace("Troops & <generals>", ""))
    # the digest's chart: its caption, then the file it was written to
    [path] = re.findall(r"^\[chart: (.+\.png)\]$", printed, re.M)
    assert picture_at(path).startswith(b"\x89PNG\r\n\x1a\n")
    assert "North Korean troops in Russia — troops arrived in Russia: 1,500 to 12,000" in printed


async def test_the_digest_job_runs_on_the_clock_it_is_given(terminal, services):
    await terminal.run()
    day_later = START + timedelta(days=1)
    sender = TerminalSender(TerminalChat(services, terminal.chat.chat, output=io.StringIO()))
    outbox = Outbox(services.db, sender, lambda: day_later, only_chat_id=CONSOLE_CHAT_ID)
    [job] = [j for j in jobs.recurring(services, outbox, clock=lambda: day_later)
             if j.name == "digests_and_alerts"]  # fmt: skip
    await job.run()
    async with services.db.transaction() as tx:
        chat = await tx.chats.get(CONSOLE_CHAT_ID)
    assert chat is not None and chat.last_digest_at == day_later


def picture_at(path: str) -> bytes:
    return Path(path).read_bytes()


async def test_claims_chart_prints_where_the_picture_was_written(terminal, services):
    await store_item(
        services, "Zelensky said 10,000 North Korean troops had arrived in Russia.",
        at=START + timedelta(minutes=10),
    )  # fmt: skip
    transcript = await terminal.run("/claims chart zelensky")
    [path] = re.findall(r"^\[chart: (.+\.png)\]$", transcript, re.M)
    assert picture_at(path).startswith(b"\x89PNG\r\n\x1a\n")
    assert "North Korean troops in Russia — troops arrived in Russia: 1,500 to 10,000" in transcript


async def test_the_terminal_sender_prints_only_the_terminal_chats_messages(services):
    output = io.StringIO()
    sender = TerminalSender(TerminalChat(services, ChatBot(services), output=output))
    html = '<b>Digest</b> &amp; more: <a href="https://example.org/a?x=1&amp;y=2">Report</a>'
    async with services.db.transaction() as tx:
        await tx.outbox.enqueue(CONSOLE_CHAT_ID, OutboxKind.NOTICE, html, START)
        await tx.outbox.enqueue(1000, OutboxKind.NOTICE, "for a Telegram chat", START)
    outbox = Outbox(services.db, sender, lambda: START,
                    only_chat_id=CONSOLE_CHAT_ID)  # fmt: skip
    report = await outbox.drain()
    assert report.sent == 1
    assert output.getvalue() == "\nDigest & more: Report (https://example.org/a?x=1&y=2)\n\n"
    async with services.db.transaction() as tx:  # neither sent nor dropped (perhaps leased)
        [waiting] = await tx.outbox.due(START + timedelta(hours=1), 10)
    assert waiting.chat_id == 1000


async def test_lines_from_any_async_source(services):
    output = io.StringIO()
    chat = TerminalChat(services, Terminal(services).chat.chat, output=output, echo=False)
    await chat.run(typed(["/topics", "exit"]), lambda: None)
    assert "you>" not in output.getvalue()  # no echo: a terminal shows what was typed
    assert "This chat follows every topic" in output.getvalue()


HOSTILE = "Evil\x1b]0;owned\x07 \x1b[2J back\x08\x08 cr\r c1\x9b31m del\x7f rlo\u202etxt\u2066"
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


async def test_control_characters_of_feeds_and_input_print_escaped(terminal, services, http_server):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": HOSTILE,
            "items": [{"id": "1", "title": HOSTILE, "content_text": "First"}]}  # fmt: skip
    url = http_server.route("/feed.json", HttpReply(body=json.dumps(feed).encode(),
                            headers={"Content-Type": "application/feed+json"}))  # fmt: skip
    await terminal.run(f"/sources add {url}", "/sources", "/track Bell\x07 talks")
    await store_item(
        services, "Ukraine's defence intelligence said 12,000 North Korean troops had arrived "
        "in Russia.", title=HOSTILE, at=START + timedelta(minutes=10),
    )  # fmt: skip
    outbox = Outbox(services.db, TerminalSender(terminal.chat), lambda: START + timedelta(days=1),
                    only_chat_id=CONSOLE_CHAT_ID)  # fmt: skip
    assert await jobs.send_alerts(services, outbox, START + timedelta(minutes=11)) >= 1
    assert await jobs.send_due_digests(services, outbox, START + timedelta(days=1)) == 1
    assert (await outbox.drain()).sent >= 2
    printed = terminal.output.getvalue()
    found = TERMINAL_CONTROL.search(printed)
    assert found is None, f"{found.group()!r} printed raw"
    assert "Evil\\u001b]0;owned\\u0007 \\u001b[2J back\\u0008\\u0008" in printed
    assert printed.count("rlo\\u202etxt\\u2066") == 3  # added, listed, in the digest
    assert "you> /track Bell\\u0007 talks" in printed


async def test_the_terminal_chat_speaks_the_language_it_is_set_to(terminal):
    transcript = await terminal.run("/settings lang uk", "/topics", "9", "/quit")
    after = transcript.split("you> /settings lang uk", 1)[1]
    assert "Збережено. Налаштування цього чату:" in after
    assert "[1] Сповіщення: вимкнути" in after and "(введіть номер, щоб натиснути)" in after
    assert "Цей чат стежить за всіма темами (2)" in after
    assert "Кнопки 9 немає" in after and "Зупиняю claimwatch. До побачення!" in after
