"""What a scheduled digest says, as it reaches Telegram: disputes first, each once with every
figure linked, then ledger changes, then stories clustered across outlets and languages; the
size cap; the empty window; a long digest split into several valid messages, in order."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest

from storage.db import Database
from storage.records import ConflictKind
from tests.digest_e2e.digest_reports import (
    AP,
    COVERAGE,
    GUARDIAN,
    GUR_12000,
    KYIV_INDEPENDENT,
    MEDUZA,
    NOVAYA,
    PLACES,
    PRAVDA,
    REUTERS,
    SUSPILNE,
    publish_coverage,
    publish_stories,
)
from tests.digest_e2e.digest_world import (
    START,
    Clock,
    Outlet,
    World,
    open_world,
    publish,
    sends_to,
    subscribe,
)
from tests.fakebotapi import FakeBotAPI

FULL, CAPPED = 501, 502
DIGEST_AT = START + timedelta(hours=5)  # 08:00 in Kyiv
NEXT_DAY = DIGEST_AT + timedelta(days=1)


URL_OF = {outlet: report.url for outlet, report in COVERAGE}


def link(outlet: Outlet) -> str:
    """How a story line links an outlet: its name, to its report."""
    return f'<a href="{URL_OF[outlet]}">{outlet.name}</a>'


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def kyiv_chat(world: World, chat_id: int, *, size: int, empty_digest: bool = True) -> None:
    await subscribe(world.db, chat_id, "Europe/Kyiv", time(8), START)
    async with world.db.transaction() as tx:
        await tx.chats.update_settings(chat_id, digest_size=size, empty_digest=empty_digest)


async def test_one_entry_a_dispute_then_ledger_changes_then_stories_across_outlets(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await kyiv_chat(world, FULL, size=50)
        await kyiv_chat(world, CAPPED, size=4)
        items = await publish_coverage(world.services, START + timedelta(hours=1))
        assert await world.digests_at(DIGEST_AT) == 2
        async with world.db.transaction() as tx:
            conflicts = await tx.claims.list_conflicts()
            sides = {claim_id for c in conflicts for claim_id in (c.claim_id, c.other_claim_id)}
            claims = await tx.claims.get_many(sides)
    [call] = sends_to(fake, FULL)
    assert call.ok and call.params["parse_mode"] == "HTML"  # Telegram's HTML parser took it
    lines = call.text.splitlines()
    assert lines[0] == "<b>Digest</b>: 22 Oct 2024, 08:00 EEST – 23 Oct 2024, 08:00 EEST"
    section = lines.index("<b>North Korean troops in Russia</b>")
    assert lines[section + 1] == "<b>Disputed figures</b>"
    changes, stories = lines.index("<b>Ledger changes</b>"), lines.index("<b>Stories</b>")
    assert section < changes < stories

    # Five sources on one figure: one entry, not ten pairs. The quantity in words and the
    # spread, then every figure once, lowest first, with its speaker, date and link.
    assert len(conflicts) >= 4
    dispute = lines[section + 2 : changes]
    assert (
        dispute[0]
        == "• <b>troops arrived in Russia</b>: 1,500 to 12,000: ×8 (5 reports, 5 new, #1)"
    )
    figures = dispute[1:]
    assert len(figures) == len(sides) == 5
    assert all(line.startswith("    ") for line in figures)
    for claim in claims.values():
        facts = claim.claim
        shown = [line for line in figures if f" — {facts.speaker}, " in line]
        assert len(shown) == 1, (facts.speaker, figures)
    gur = next(i for i in items if i.url == GUR_12000.url)
    [gur_claim] = [c for c in claims.values() if c.item_id == gur.id]
    assert (
        f"    12,000 — Ukraine's defence intelligence, 23 Oct 2024 "
        f'(<a href="{GUR_12000.url}">source</a>) · <i>new</i>'
    ) in figures
    assert figures[0].startswith("    about 1,500 — South Korea's NIS, ")
    assert figures[-1].startswith("    denies — ") and figures[-1].endswith("<i>new · a denial</i>")
    assert {c.kind for c in conflicts} >= {ConflictKind.NUMERIC, ConflictKind.DENIAL}
    assert gur_claim.id in sides
    assert "reason" not in call.text and "numeric" not in call.text

    # "500 officers", said by nobody in particular
    unsourced = [line for line in lines[changes:stories] if "<i>unsourced</i>" in line]
    assert any(f'href="{URL_OF[SUSPILNE]}"' in line and "500" in line for line in unsourced)

    # One line a story, however many outlets and languages carried it, each outlet linked
    story_lines = lines[stories + 1 :]
    for outlets in ((REUTERS, AP, GUARDIAN), (MEDUZA, NOVAYA), (PRAVDA, SUSPILNE)):
        ending = f" — {len(outlets)} sources: " + ", ".join(map(link, outlets))
        found = [line for line in story_lines if line.endswith(ending)]
        assert len(found) == 1, (ending, story_lines)
        titles = {report.title for outlet, report in COVERAGE if outlet in outlets}
        assert found[0].removesuffix(ending).removeprefix("• ") in titles
    assert "Frost" not in call.text  # not on the chat's topics
    assert "more — see /claims" not in call.text

    # The same window capped at 4 entries: the dispute, the changes, the most covered story
    [capped] = sends_to(fake, CAPPED)
    capped_lines = capped.text.splitlines()
    entries = sum(line.startswith("• ") for line in lines)
    assert sum(line.startswith("• ") for line in capped_lines) == 4
    assert capped_lines[-1] == f"and {entries - 4} more — see /claims"
    assert "<b>Disputed figures</b>" in capped.text and capped.text.count(" sources: ") == 1
    assert "— 3 sources: " in capped.text


async def test_an_empty_window_sends_one_line_or_nothing(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    quiet = CAPPED
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await kyiv_chat(world, FULL, size=10)
        await kyiv_chat(world, quiet, size=10, empty_digest=False)
        assert await world.digests_at(DIGEST_AT) == 2  # both windows move
        assert fake.sent_to(FULL) == ["Nothing new on your topics since 22 Oct 2024, 08:00 EEST."]
        assert fake.sent_to(quiet) == []
        assert (await world.chat(quiet)).last_digest_at == DIGEST_AT

        later = DIGEST_AT + timedelta(hours=3)
        await publish(world.services, KYIV_INDEPENDENT, [GUR_12000], at=later)
        await world.digests_at(NEXT_DAY)
        for chat_id in (FULL, quiet):  # the window starts at the last digest, for both
            digest = fake.sent_to(chat_id)[-1]
            assert digest.startswith(
                "<b>Digest</b>: 23 Oct 2024, 08:00 EEST – 24 Oct 2024, 08:00 EEST"
            )
            assert GUR_12000.url in digest

        await world.digests_at(NEXT_DAY + timedelta(days=1))  # what was shown is not again
    assert fake.sent_to(FULL)[-1] == "Nothing new on your topics since 24 Oct 2024, 08:00 EEST."
    assert len(fake.sent_to(quiet)) == 1


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param("", id="plain"),
        # flags take two UTF-16 code units a letter (Telegram counts those); markup to escape
        pytest.param("🇰🇵🇷🇺 <Update> & ", id="emoji-and-markup"),
    ],
)
async def test_a_long_digest_arrives_as_several_valid_messages_in_order(
    fake: FakeBotAPI, sqlite_database: Database, prefix: str
) -> None:
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await kyiv_chat(world, FULL, size=100)
        await publish_stories(world.services, PLACES, START + timedelta(hours=1), prefix=prefix)
        assert await world.digests_at(DIGEST_AT) == 1
    sends = sends_to(fake, FULL)
    assert len(sends) >= 3
    assert all(call.ok for call in sends), [c.description for c in sends]
    assert all(utf16_units(call.text) <= 4096 for call in sends)
    assert sends[0].text.startswith("<b>Digest</b>: 22 Oct 2024, 08:00 EEST")
    message_ids = [call.message_id for call in sends]
    assert message_ids == sorted(message_ids)
    # every story once, in the digest's order (one source each: the earliest first), and each
    # message holds whole lines
    everything = "\n".join(call.text for call in sends)
    shown = re.findall(r"Drone strike reported near (.+?) as North Korean", everything)
    assert prefix == "" or everything.count("🇰🇵🇷🇺 &lt;Update&gt; &amp; Drone") == len(PLACES)
    assert shown == list(PLACES)
    for call in sends:
        assert all(line.startswith(("• ", "<b>")) or not line for line in call.text.splitlines())


async def test_the_most_active_dispute_follows_the_digest_as_a_chart(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await kyiv_chat(world, FULL, size=50)
        await kyiv_chat(world, CAPPED, size=50)
        await publish_coverage(world.services, START + timedelta(hours=1))
        assert await world.digests_at(DIGEST_AT) == 2
    [digest] = sends_to(fake, FULL)
    [chart] = fake.photos_to(FULL)
    assert chart.message_id is not None and digest.message_id is not None
    assert chart.message_id > digest.message_id  # after the digest's text
    assert chart.photo is not None and chart.photo.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.result["photo"][0]["width"] == 960
    assert chart.params["parse_mode"] == "HTML"
    assert chart.caption is not None and chart.caption.startswith(
        "<b>North Korean troops in Russia</b> — troops arrived in Russia: 1,500 to 12,000: ×8 "
        "(5 reports, #"
    )
    [other] = fake.photos_to(CAPPED)  # the same dispute: the same picture, drawn once
    assert other.photo is not None and other.photo.content == chart.photo.content


async def test_no_chart_when_the_setting_is_off_or_nothing_is_disputed(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(
        fake, sqlite_database, Clock(START), CLAIMWATCH_DIGEST_CHART="false"
    ) as world:
        await kyiv_chat(world, FULL, size=50)
        await publish_coverage(world.services, START + timedelta(hours=1))
        await world.digests_at(DIGEST_AT)
        assert len(sends_to(fake, FULL)) == 1 and fake.photos_to(FULL) == []
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await world.digests_at(NEXT_DAY)  # nothing new: no dispute, no chart
    assert fake.photos_to(FULL) == []
    assert all(c.method != "sendPhoto" for c in fake.calls)
