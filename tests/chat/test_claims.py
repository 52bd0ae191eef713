"""/claims: the ledger paged and grouped, each dispute once; search; add (English, Russian,
unparseable), show with its dispute, chart, and remove with its permissions."""

import re
from datetime import timedelta

from bot.chat.commands import ChatBot
from bot.chat.limits import CLAIMS_PAGE_SIZE
from storage.records import ChatKind, ConflictKind
from tests.chat.chat_harness import ADMIN_ID, NK, START, Conversation, button_data, store_item

WHITE_HOUSE = "The White House said 3,000 North Korean troops had arrived in Russia."
GROUP = -100999


async def stored_claims(services):
    async with services.db.transaction() as tx:
        return {c.id: c for c in await tx.claims.list()}


async def conflicts(services):
    async with services.db.transaction() as tx:
        return await tx.claims.list_conflicts()


async def test_the_ledger_shows_a_dispute_once_with_every_figure(private):
    await private.send("/claims add " + WHITE_HOUSE)
    await private.send("/claims add Zelensky said 10,000 North Korean troops arrived in Russia.")
    await private.send(f"/claims add {NK.name}: Officials said 500 soldiers were killed.")
    text = await private.text("/claims")
    lines = text.splitlines()
    assert text.count("⚠ disputed") == 1  # three claims, three pairs: one dispute
    heading = lines.index(f"<b>{NK.name}</b> · ⚠ disputed")
    assert lines[heading + 1] == (
        "• <b>troops arrived in Russia</b>: 1,500 to 10,000: ×6.7 (3 reports, #1)"
    )
    assert lines[heading + 2].startswith("    about 1,500 — South Korea's NIS, ")
    assert lines[heading + 2].endswith(" · #1")
    assert lines[heading + 3] == "    3,000 — White House, 23 Oct 2024 · #2"
    assert lines[heading + 4] == "    10,000 — Zelensky, 23 Oct 2024 · #3"
    assert "• 500 — Officials, 23 Oct 2024 · #4" in lines  # under its quantity: people killed
    assert f"<b>{NK.name}</b> · people killed" in lines
    assert "/claims show" in text and "/claims chart" in text
    for internal in ("numeric", " any", "none", "scope"):
        assert internal not in text


async def test_a_chat_whose_topics_have_no_claims_is_told_so(private):
    await private.send("/start")
    await private.send(f"/untrack {NK.name}")
    assert "No claims on record" in await private.text("/claims")


async def test_claims_add_in_english_reports_what_it_understood_and_conflicts(services_on_both):
    services = services_on_both
    chat = Conversation(ChatBot(services), services)
    text = await chat.text("/claims add " + WHITE_HOUSE)
    assert f"Added claim #2 about <b>{NK.name}</b>" in text
    assert "value: 3,000" in text and "what: troops arrived in Russia" in text
    assert "speaker: White House" in text
    assert "#1 (figures far apart)" in text and "NIS" in text
    assert "numeric" not in text and "scope" not in text and "none" not in text
    claim = (await stored_claims(services))[2]
    assert claim.added_by == chat.user_id and claim.claim.value == 3000
    [conflict] = await conflicts(services)
    assert (conflict.claim_id, conflict.other_claim_id, conflict.kind) == (
        2, 1, ConflictKind.NUMERIC,
    )  # fmt: skip


async def test_claims_add_in_russian(private, services):
    text = await private.text(
        "/claims add ГУР: в Курской области находятся 12 тысяч северокорейских военных."
    )
    assert "Added claim #2" in text and "value: 12,000" in text
    assert "speaker: ГУР" in text  # "X: figure" names X, as reporters write it
    assert (await stored_claims(services))[2].claim.topic == NK.name


async def test_claims_add_names_its_topic_before_a_colon(private, services):
    text = await private.text(f"/claims add {NK.name.lower()}: Zelensky said 10,000 soldiers")
    assert "Added claim #2" in text and "speaker: Zelensky" in text


async def test_what_claims_add_cannot_parse_is_said_plainly(private, services):
    text = await private.text("/claims add North Korea is a country in Asia")
    assert "no figure or denial" in text and "nothing was added" in text
    assert "<code>/claims add The White House said" in text
    unclear = await private.text("/claims add Officials said 500 people were evacuated.")
    assert "Which topic" in unclear and NK.name in unclear and "US aid to Ukraine" in unclear
    assert "Give the statement" in await private.text("/claims add")
    assert list(await stored_claims(services)) == [1]


async def test_a_chat_with_one_topic_needs_no_topic_named(private, services):
    await private.send("/start")
    await private.send("/untrack US aid to Ukraine")
    text = await private.text("/claims add Officials said 500 soldiers were killed.")
    assert f"about <b>{NK.name}</b>" in text and "Added claim" in text


async def test_paging_with_buttons_that_edit_the_message(private, services):
    async with services.db.transaction() as tx:
        for n in range(2 * CLAIMS_PAGE_SIZE + 3):  # figures that agree: no dispute, 24 entries
            sentence = f"About {1450 + 4 * n:,} North Korean troops had arrived in Russia."
            await services.ledger.add_statement(
                tx, NK.name, sentence, added_by=None, now=START + timedelta(minutes=n)
            )
    first = await private.reply("/claims")

    def ids(reply):
        return [int(n) for n in re.findall(r" · #(\d+)", reply.text)]

    # the watchlist's claim was put on record at the start (now): newest of all
    assert "page 1" in first.text and ids(first) == [1, *range(24, 15, -1)]
    assert list(button_data(first)) == ["▶"]
    second = await private.press(button_data(first)["▶"])
    assert "page 2" in second.text and ids(second) == list(range(15, 5, -1))
    assert list(button_data(second)) == ["◀", "▶"]
    third = await private.press(button_data(second)["▶"])
    assert ids(third) == [5, 4, 3, 2] and list(button_data(third)) == ["◀"]
    back = await private.press(button_data(third)["◀"])
    assert back.text == second.text
    beyond = await private.press("claims:page:40")
    assert "No more claims" in beyond.text and list(button_data(beyond)) == ["◀"]
    for reply in (first, second, third):
        assert len(reply.text) <= 4096


async def test_search_finds_claims_by_speaker_and_words(private):
    await private.send(f"/claims add {NK.name}: Officials said 500 soldiers were killed.")
    found = await private.text("/claims officials")
    assert "#2" in found and "#1" not in found
    await private.send("/claims add " + WHITE_HOUSE)
    disputed = await private.text("/claims white house")  # shown as its dispute, once
    assert disputed.count("⚠ disputed") == 1 and " · #3" in disputed and " · #1" in disputed
    assert "#2" not in disputed
    assert " · #1" in await private.text("/claims NIS")
    nothing = await private.text("/claims <zzqx>")
    assert "No claim reads like <b>&lt;zzqx&gt;</b>" in nothing


async def test_show_gives_the_source_agreeing_and_conflicting_reports(private, services):
    report = "Ukraine's defence intelligence said 12,000 North Korean troops had arrived in Russia."
    item = await store_item(
        services, report, title="Troops <arrive>", url="https://ex.org/a?b=1&c=2"
    )
    await private.send("/claims add Seoul's spy agency said about 1,600 North Korean troops "
                       "had arrived in Russia.")  # fmt: skip
    claims = await stored_claims(services)
    from_item = next(c for c in claims.values() if c.item_id == item)
    agreeing = next(c for c in claims.values() if c.claim.value == 1600)

    text = await private.text(f"/claims show #{from_item.id}")
    assert f"<b>Claim #{from_item.id}</b>" in text
    said = "12,000 — Ukraine's defence intelligence, 23 Oct 2024"
    assert f"\ntroops arrived in Russia: {said}\n" in text  # its link is the "From:" line
    assert (
        '<a href="https://ex.org/a?b=1&amp;c=2">Troops &lt;arrive&gt;</a> (https://example.org/feed)'
        in text
    )
    conflict = next(line for line in text.splitlines() if line.startswith("⚠ figures far apart"))
    assert "Conflicts:" in text and conflict.endswith(" · #1")
    assert conflict.startswith("⚠ figures far apart: about 1,500 — South Korea's NIS, ")
    # the dispute the claim belongs to, every figure by value
    assert f"⚠ In dispute #1 (/claims chart {from_item.id} draws it):" in text
    assert "    12,000 — Ukraine's defence intelligence, " in text
    assert "• <b>troops arrived in Russia</b>: 1,500 to 12,000: ×8 (3 reports, #1)" in text

    nis = await private.text("/claims show 1")
    assert "From: the watchlist" in nis and "Agrees with:" in nis
    agrees = next(line for line in nis.splitlines() if line.startswith("• about 1,600 — "))
    assert agrees.endswith(f", 23 Oct 2024 · #{agreeing.id}")
    assert (
        "⚠ figures far apart: 12,000 — Ukraine's defence intelligence, 23 Oct 2024 "
        f'(<a href="https://ex.org/a?b=1&amp;c=2">source</a>) · #{from_item.id}'
    ) in nis.splitlines()
    assert "There is no claim #999." in await private.text("/claims show 999")


async def test_remove_own_claims_and_what_admins_may_remove(bot, services):
    author = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, user_id=42,
                          admin=False)  # fmt: skip
    other = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, user_id=7,
                         admin=False)  # fmt: skip
    group_admin = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, user_id=8)
    private_user = Conversation(bot, services, chat_id=7, user_id=7)
    bot_admin = Conversation(bot, services, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    await author.send("/claims add " + WHITE_HOUSE)
    await author.send("/claims add Zelensky said 10,000 North Korean troops arrived in Russia.")

    for stranger in (other, private_user):
        assert "You can remove only claims you added" in await stranger.text("/claims remove 2")
    assert "Removed claim #2" in await author.text("/claims remove 2")
    assert "There is no claim #2" in await author.text("/claims remove 2")
    assert "Removed claim #3" in await group_admin.text("/claims remove 3")  # added in a chat
    assert "You can remove only" in await group_admin.text("/claims remove 1")  # the watchlist's
    assert "Removed claim #1" in await bot_admin.text("/claims remove 1")
    assert await stored_claims(services) == {}


async def test_a_removed_claim_gets_no_new_conflicts(private, services):
    bot_admin = Conversation(private.bot, services, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    await bot_admin.send("/claims remove 1")  # still in the in-memory index until a restart
    text = await private.text("/claims add " + WHITE_HOUSE)
    assert "No conflict with the claims on record" in text
    item = await store_item(services, "Zelensky said 12,000 North Korean troops arrived in Russia.")
    assert item
    assert all(1 not in (c.claim_id, c.other_claim_id) for c in await conflicts(services))


async def test_hostile_statements_are_escaped(private):
    added = await private.text(
        "/claims add <b>Evil</b> & co said 3,000 North Korean troops arrived in Russia <script>"
    )
    assert "<script>" not in added and "<b>Evil</b>" not in added
    shown = await private.text("/claims show 2")
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; co" in shown and "<script>" not in shown


async def test_a_sub_command_may_be_followed_by_a_new_line(private):
    assert "Added claim #2" in await private.text("/claims ADD\n" + WHITE_HOUSE)


async def test_claims_add_with_an_impossible_figure_answers_plainly(private, services):
    huge = "9" * 309
    for statement in (f"Zelensky said {huge} soldiers", "Zelensky said 1e308 soldiers"):
        text = await private.text(f"/claims add {NK.name}: {statement}")
        assert "no figure or denial" in text and "nothing was added" in text
    assert list(await stored_claims(services)) == [1]


async def test_chart_sends_the_picture_of_a_claims_dispute(private, services):
    await private.send("/claims add " + WHITE_HOUSE)
    await private.send("/claims add Zelensky said 10,000 North Korean troops arrived in Russia.")
    by_number = await private.reply("/claims chart 3")
    assert by_number.photo is not None and by_number.photo.startswith(b"\x89PNG\r\n\x1a\n")
    assert by_number.text == (
        f"<b>{NK.name}</b> — troops arrived in Russia: 1,500 to 10,000: ×6.7 (3 reports, #1)"
    )
    by_words = await private.reply("/claims chart zelensky")
    assert by_words.text == by_number.text and by_words.photo == by_number.photo


async def test_chart_says_plainly_when_there_is_nothing_to_draw(private):
    lone = await private.reply("/claims chart 1")  # the watchlist's claim, disputed by nobody
    assert lone.photo is None and "No dispute to draw for <b>1</b>" in lone.text
    assert "No dispute to draw" in (await private.reply("/claims chart 999")).text
    assert "No dispute to draw" in (await private.reply("/claims chart <zzqx>")).text
    usage = await private.reply("/claims chart")
    assert usage.photo is None and "Give a claim's number or words" in usage.text
