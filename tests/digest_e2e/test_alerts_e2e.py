"""Alerts: a new figure in a dispute on a chat's topic goes out at the next run of the job, one
message a batch, each dispute once with what is new against what is on record, only to chats
that want alerts and follow the topic, at most N messages an hour, never twice; what the cap
held back is in the next digest."""

from __future__ import annotations

from datetime import time, timedelta

from bot.digest.claim_line import format_value
from storage.db import Database
from storage.records import Claim, Conflict, Polarity
from tests.digest_e2e.digest_reports import (
    GUR_12000,
    KREMLIN_DENIAL,
    KYIV_INDEPENDENT,
    PENTAGON_8000,
    WHITE_HOUSE_3000,
    WIRE,
    ZELENSKY_10000,
    figure_report,
)
from tests.digest_e2e.digest_world import (
    NK,
    START,
    Clock,
    Report,
    World,
    open_world,
    publish,
    subscribe,
)
from tests.fakebotapi import FakeBotAPI

ALERTED, NO_ALERTS, AID_ONLY = 501, 502, 503
DIGEST_AT = START + timedelta(hours=5)  # 08:00 in Kyiv


async def chats(world: World) -> None:
    for chat_id in (ALERTED, NO_ALERTS, AID_ONLY):
        await subscribe(world.db, chat_id, "Europe/Kyiv", time(8), START)
    async with world.db.transaction() as tx:
        for chat_id in (ALERTED, NO_ALERTS):
            await tx.chats.update_settings(chat_id, digest_size=50)  # every conflict shown
        await tx.chats.update_settings(NO_ALERTS, alerts=False)
        nk = await tx.topics.get_by_name(NK.name)
        assert nk is not None
        assert await tx.chats.unfollow(AID_ONLY, nk.id)


async def conflicts(db: Database) -> list[Conflict]:
    async with db.transaction() as tx:
        return sorted(await tx.claims.list_conflicts(), key=lambda c: c.id)


async def newer_claim(db: Database, conflict: Conflict) -> Claim:
    async with db.transaction() as tx:
        claim = await tx.claims.get(conflict.claim_id)
    assert claim is not None
    return claim


def alert_line(claim: Claim) -> str:
    """How an alert announces the figure: "<b>Zelensky: 10,000</b>"."""
    speaker = claim.claim.speaker or "unsourced"
    if claim.claim.polarity is Polarity.DENIES:
        return f"<b>{speaker} denies it</b>"
    return f"<b>{speaker}: {format_value(claim.claim)}</b>"


def digest_line(claim: Claim) -> str:
    """How a digest lists the figure in its dispute."""
    return f"    {format_value(claim.claim)} — {claim.claim.speaker or 'unsourced'}, "


async def report_at(world: World, report: Report, minutes: int) -> None:
    outlet = KYIV_INDEPENDENT if report is GUR_12000 else WIRE
    await publish(world.services, outlet, [report], at=START + timedelta(minutes=minutes))


async def test_alerts_go_to_the_right_chats_within_the_hourly_cap_and_never_twice(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(
        fake, sqlite_database, Clock(START), CLAIMWATCH_ALERTS_PER_HOUR="2"
    ) as world:
        await chats(world)
        assert await world.alerts_at(START + timedelta(minutes=1)) == 0  # nothing new yet

        await report_at(world, GUR_12000, 60)
        assert await world.alerts_at(START + timedelta(minutes=61)) == 1
        [first] = fake.sent_to(ALERTED)
        [gur_vs_nis] = await conflicts(world.db)
        assert first.startswith(
            "<b>New disputed figure</b>\n\n<b>North Korean troops in Russia</b>\n"
            "• <b>troops arrived in Russia</b>: 1,500 to 12,000: ×8 (2 reports, #"
        )
        assert (
            "<b>Ukraine's defence intelligence: 12,000</b>, against about 1,500 on record — "
            "23 Oct 2024" in first
        )
        assert alert_line(await newer_claim(world.db, gur_vs_nis)) in first
        assert await world.alerts_at(START + timedelta(minutes=62)) == 0  # not again

        await report_at(world, ZELENSKY_10000, 70)  # against the NIS figure and against 12,000
        assert await world.alerts_at(START + timedelta(minutes=71)) == 1
        second = fake.sent_to(ALERTED)[1]
        batch = (await conflicts(world.db))[1:]
        assert len(batch) == 2 and second.startswith("<b>New disputed figure</b>")
        # two pairs, one dispute, one new figure, against the two on record
        assert second.count("• <b>troops arrived in Russia</b>") == 1
        assert "<b>Zelensky: 10,000</b>, against 1,500–12,000 on record" in second

        # two alert messages this hour: the next conflicts wait for the digest
        await report_at(world, WHITE_HOUSE_3000, 80)
        assert await world.alerts_at(START + timedelta(minutes=81)) == 0
        await report_at(world, PENTAGON_8000, 90)
        assert await world.alerts_at(START + timedelta(minutes=91)) == 0
        held_back = (await conflicts(world.db))[3:]
        assert held_back
        # an hour later the cap has room again, but what it held back is not alerted late
        assert await world.alerts_at(START + timedelta(minutes=125)) == 0
        await report_at(world, KREMLIN_DENIAL, 130)
        assert await world.alerts_at(START + timedelta(minutes=131)) == 1
        denial = (await conflicts(world.db))[len(held_back) + 3 :]
        third = fake.sent_to(ALERTED)[2]
        denier = alert_line(await newer_claim(world.db, denial[0]))
        assert denier.endswith(" denies it</b>") and f"{denier}, against 1,500–12,000" in third

        alerts = list(fake.sent_to(ALERTED))
        assert len(alerts) == 3
        assert fake.sent_to(NO_ALERTS) == [] and fake.sent_to(AID_ONLY) == []
        every_conflict = await conflicts(world.db)
        held_claims = {c.claim_id for c in held_back}
        figures = {c.claim_id: await newer_claim(world.db, c) for c in every_conflict}
        for claim_id, claim in figures.items():  # never twice, and none held back was alerted
            alerted = sum(alert_line(claim) in text for text in alerts)
            assert alerted == (0 if claim_id in held_claims else 1), claim

        await world.digests_at(DIGEST_AT)
    digest = "\n".join(fake.sent_to(ALERTED)[3:])
    assert digest.startswith("<b>Digest</b>")
    assert digest.count("• <b>troops arrived in Russia</b>") == 1  # one dispute, shown once
    assert all(digest_line(claim) in digest for claim in figures.values())
    without_alerts = "\n".join(fake.sent_to(NO_ALERTS))
    assert all(digest_line(claim) in without_alerts for claim in figures.values())
    assert fake.sent_to(AID_ONLY) == ["Nothing new on your topics since 22 Oct 2024, 08:00 EEST."]
    assert all(call.ok for call in fake.calls if call.method == "sendMessage")


SPEAKERS = (
    ("NATO", "2,000"), ("The Pentagon", "2,500"), ("The White House", "4,000"),
    ("Zelensky", "5,000"), ("Budanov", "6,000"), ("The State Department", "7,000"),
    ("Seoul's defence ministry", "8,000"), ("Japan's foreign ministry", "9,000"),
    ("The ISW", "11,000"), ("The European Union", "13,000"),
)  # fmt: skip


async def test_a_batch_of_dozens_of_pairs_is_one_dispute_in_one_message(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    """Ten figures at once: dozens of conflicts, and an alert with each figure once."""
    async with open_world(
        fake, sqlite_database, Clock(START), CLAIMWATCH_ALERTS_PER_HOUR="2"
    ) as world:
        await subscribe(world.db, ALERTED, "Europe/Kyiv", time(8), START)
        reports = [figure_report(f"f{n}", *said) for n, said in enumerate(SPEAKERS)]
        await publish(world.services, WIRE, reports, at=START + timedelta(hours=1))
        assert len(await conflicts(world.db)) > 20
        await world.alerts_at(START + timedelta(hours=1, minutes=1))
        found = {c.claim_id: await newer_claim(world.db, c) for c in await conflicts(world.db)}
    [alert] = fake.sent_to(ALERTED)  # dozens of pairs, one dispute: one message
    assert alert.startswith("<b>New disputed figures</b>")
    assert alert.count("• <b>troops arrived in Russia</b>") == 1
    assert len(found) >= len(SPEAKERS) - 1  # the first figure brought no conflict
    for claim in found.values():  # each new figure once
        assert alert.count(alert_line(claim)) == 1


async def test_an_alert_is_written_in_each_chats_language(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    russian, ukrainian = 511, 512
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        for chat_id, language in ((russian, "ru"), (ukrainian, "uk")):
            await subscribe(world.db, chat_id, "Europe/Kyiv", time(8), START)
            async with world.db.transaction() as tx:
                await tx.chats.update_settings(chat_id, language=language)
        await report_at(world, GUR_12000, 60)
        assert await world.alerts_at(START + timedelta(minutes=61)) == 2
    [in_russian] = fake.sent_to(russian)
    [in_ukrainian] = fake.sent_to(ukrainian)
    assert in_russian.startswith(
        "<b>Новая спорная цифра</b>\n\n<b>North Korean troops in Russia</b>\n"
        "• <b>troops arrived in Russia</b>: от 1\xa0500 до 12\xa0000: ×8 (2 сообщения, #"
    )
    assert (
        "<b>Ukraine's defence intelligence: 12\xa0000</b>, против около 1\xa0500 в реестре — "
        "23 окт. 2024" in in_russian
    )
    assert in_ukrainian.startswith("<b>Нова спірна цифра</b>")
    assert ", проти близько 1\xa0500 у реєстрі — 23 жовт. 2024" in in_ukrainian
    assert "(<a href=" in in_ukrainian and ">джерело</a>)" in in_ukrainian
