"""Items a source pushes (posts of a channel the bot administers): stored and analyzed like
fetched ones, the source's schedule untouched, and one post read both ways stored once."""

from datetime import UTC, datetime, timedelta

from telegram import Chat, Message, MessageEntity, MessageOriginChannel

from bot.chat.telegram_updates import channel_post_item
from bot.config.files import ClaimSpec, TopicSpec, Watchlist
from bot.ingest.poll import Result
from bot.ingest.retrieval import source_address
from bot.ledger.claim_ledger import ClaimLedger
from storage.records import NewSource, Source
from tests.httpserver import Reply
from tests.ingest.loopback_feeds import START

NK = TopicSpec("North Korean troops in Russia", ("North Korea", "North Korean", "КНДР"))
WATCHLIST = Watchlist(
    topics=(NK,),
    claims=(ClaimSpec(NK.name, "South Korea's NIS said about 1,500 North Korean troops arrived."),),
)
POSTED_AT = datetime(2024, 10, 23, 11, 0, tzinfo=UTC)
CHANNEL = Chat(-1001, Chat.CHANNEL, title="War & News", username="WarNews")
TEXT = "Breaking: Ukraine's GUR said 12,000 North Korean troops are in Kursk. Full report"


def channel_message(message_id: int, text: str = TEXT) -> Message:
    """A channel post as python-telegram-bot hands it over: bold and a link, forwarded."""
    link = "Full report"
    entities = (
        MessageEntity(MessageEntity.BOLD, 0, len("Breaking")),
        MessageEntity(
            MessageEntity.TEXT_LINK, text.index(link), len(link), url="https://example.org/report"
        ),
    )
    return Message(
        message_id=message_id,
        date=POSTED_AT,
        chat=CHANNEL,
        text=text,
        entities=entities,
        forward_origin=MessageOriginChannel(
            POSTED_AT, Chat(-1002, Chat.CHANNEL, title="Origin"), 5
        ),
    )


def preview_page(message_id: int) -> bytes:
    """The same post on the channel's web preview."""
    text = (
        "<b>Breaking</b>: Ukraine&#39;s GUR said 12,000 North Korean troops are in Kursk. "
        '<a href="https://example.org/report" target="_blank" rel="noopener">Full report</a>'
    )
    return (
        '<html><body><div class="tgme_channel_info"></div>'
        f'<div class="tgme_widget_message" data-post="WarNews/{message_id}">'
        '<div class="tgme_widget_message_forwarded_from">Forwarded from '
        '<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/origin/5">'
        "<span>Origin</span></a></div>"
        f'<div class="tgme_widget_message_text js-message_text">{text}</div>'
        '<div class="tgme_widget_message_footer"><span class="tgme_widget_message_meta">'
        f'<a class="tgme_widget_message_date" href="https://t.me/WarNews/{message_id}">'
        f'<time datetime="{POSTED_AT.isoformat()}">11:00</time></a></span></div></div>'
        "</body></html>"
    ).encode()


async def channel_source(database) -> Source:
    async with database.transaction() as tx:
        return await tx.sources.add(NewSource(source_address("@warnews")), START)


async def test_pushed_items_are_analyzed_and_leave_the_schedule_alone(database, pipeline):
    ledger = ClaimLedger(WATCHLIST)
    await ledger.load(database, START)
    pipeline.analyze = ledger.analyze_item
    source = await channel_source(database)
    item = channel_post_item(channel_message(7), "WarNews", fetched_at=START)

    report = await pipeline.add_pushed(source, [item])
    assert (report.result, report.new_items, report.edited_items) == (Result.NEW, 1, 0)
    again = await pipeline.add_pushed(source, [item])
    assert (again.result, again.new_items) == (Result.UNCHANGED, 0)

    async with database.transaction() as tx:
        [stored] = await tx.items.list()
        claims = await tx.claims.list()
        conflicts = await tx.claims.list_conflicts()
        after = await tx.sources.get(source.id)
    assert stored.guid == "7" and stored.url == "https://t.me/WarNews/7"
    assert stored.published_at == POSTED_AT and stored.forwarded_from == "Origin"
    [from_post] = [c for c in claims if c.item_id == stored.id]
    assert from_post.claim.value == 12000 and "GUR" in (from_post.claim.speaker or "")
    assert [c.claim_id for c in conflicts] == [from_post.id]
    assert after == source  # not checked, not leased, still due when it was


async def test_an_edited_post_is_an_edit_of_the_same_item(database, pipeline):
    source = await channel_source(database)
    await pipeline.add_pushed(
        source, [channel_post_item(channel_message(7), "WarNews", fetched_at=START)]
    )
    corrected = channel_message(7, TEXT.replace("12,000", "11,000"))
    report = await pipeline.add_pushed(
        source, [channel_post_item(corrected, "WarNews", True, fetched_at=START)]
    )
    assert (report.result, report.new_items, report.edited_items) == (Result.NEW, 0, 1)


async def test_a_pushed_post_and_its_preview_page_are_one_item(
    database, http_server, pipeline, clock
):
    http_server.route("/s/warnews", Reply(body=preview_page(7)))
    source = await channel_source(database)
    pushed = channel_post_item(channel_message(7), "WarNews", fetched_at=START)
    await pipeline.add_pushed(source, [pushed])

    clock.advance(timedelta(minutes=1))
    [report] = (await pipeline.poll()).sources
    assert (report.result, report.new_items, report.edited_items) == (Result.UNCHANGED, 0, 0)
    async with database.transaction() as tx:
        [stored] = await tx.items.list()
    assert (stored.guid, stored.text, stored.forwarded_from) == (
        pushed.guid, pushed.text, pushed.forwarded_from
    )  # fmt: skip
