"""/sources: the list with health; adding (fetched once, like `claimwatch sources add`),
removing and resuming, by the bot's admins or a group's admins for their group."""

from datetime import timedelta

from bot.chat.commands import ChatBot
from bot.chat.limits import SOURCES_PER_GROUP
from storage.records import ChatKind, NewSource, SourceStatus
from tests.chat.chat_harness import ADMIN_ID, START, Conversation
from tests.httpserver import Reply as HttpReply

GROUP = -100444
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Fish &amp; Chips &lt;3</title>'
    b"<item><guid>1</guid><title>One</title><description>First</description></item>"
    b"<item><guid>2</guid><title>Two</title><description>Second</description></item>"
    b"</channel></rss>"
)


async def sources(services):
    async with services.db.transaction() as tx:
        return [row.source for row in await tx.sources.list_health()]


async def test_a_bot_admin_adds_a_feed_fetched_once(services_on_both, http_server):
    services = services_on_both
    admin = Conversation(ChatBot(services), services, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    url = http_server.route("/feed.xml", HttpReply(body=FEED))
    text = await admin.text(f"/sources add {url}")
    assert "Added source #1: rss feed <b>Fish &amp; Chips &lt;3</b>, 2 items" in text
    assert "checked every 15 min" in text
    [source] = await sources(services)
    assert source.url == url and source.added_by_chat_id is None and source.last_success_at
    assert "already a source" in await admin.text(f"/sources add {url}")

    listing = await admin.text("/sources")
    assert "✅ #1" in listing and "2 items" in listing and "Fish &amp; Chips &lt;3" in listing
    assert "Removed source #1" in await admin.text("/sources remove 1")
    assert await sources(services) == []
    assert "There is no source #1" in await admin.text("/sources remove #1")


async def test_a_failed_first_fetch_stores_nothing(bot, services, http_server):
    admin = Conversation(bot, services, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    url = http_server.route("/missing.xml", HttpReply(status=404))
    text = await admin.text(f"/sources add {url}")
    assert "Could not add" in text and "404" in text and "Nothing was stored" in text
    assert await sources(services) == []


async def test_group_admins_add_for_their_group_and_remove_only_those(bot, services, http_server):
    url = http_server.route("/feed.xml", HttpReply(body=FEED))
    async with services.db.transaction() as tx:
        await tx.sources.add(NewSource("https://example.org/operator.xml"), START)
    group_admin = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, user_id=8)
    assert "Added source #2" in await group_admin.text(f"/sources add {url}")
    assert (await sources(services))[1].added_by_chat_id == GROUP

    other_group = Conversation(bot, services, chat_id=GROUP - 1, kind=ChatKind.GROUP, user_id=9)
    refused = await other_group.text("/sources remove 2")
    assert "only the sources their group added" in refused
    assert "only the sources their group added" in await group_admin.text("/sources remove 1")
    assert "Removed source #2" in await group_admin.text("/sources remove 2")
    assert [s.id for s in await sources(services)] == [1]


async def test_a_group_adds_at_most_its_share_of_sources(bot, services, http_server):
    url = http_server.route("/feed.xml", HttpReply(body=FEED))
    async with services.db.transaction() as tx:
        for n in range(SOURCES_PER_GROUP):
            mine = NewSource(f"https://example.org/{n}.xml", added_by_chat_id=GROUP)
            await tx.sources.add(mine, START)
        theirs = NewSource("https://example.org/other.xml", added_by_chat_id=GROUP - 1)
        await tx.sources.add(theirs, START)
    group_admin = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, user_id=8)
    refused = await group_admin.text(f"/sources add {url}")
    assert f"this chat has added {SOURCES_PER_GROUP} sources, the most it may" in refused
    assert http_server.requests == []  # refused before any fetch
    other_group = Conversation(bot, services, chat_id=GROUP - 1, kind=ChatKind.GROUP, user_id=9)
    assert "Added source" in await other_group.text(f"/sources add {url}")


async def test_members_and_private_users_may_look_but_not_change(bot, services, http_server):
    url = http_server.route("/feed.xml", HttpReply(body=FEED))
    member = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, admin=False)
    private = Conversation(bot, services)  # the chat's own admin, but not the bot's
    for chat in (member, private):
        assert "Only the bot's admins, and a group's admins there" in await chat.text(
            f"/sources add {url}"
        )
        assert "Only the bot's admins" in await chat.text("/sources remove 1")
        assert "No sources yet" in await chat.text("/sources")
    assert http_server.requests == []  # refused before any fetch


async def test_sources_show_their_health(bot, services):
    async with services.db.transaction() as tx:
        source = await tx.sources.add(NewSource("https://example.org/<dead>.xml"), START)
        await tx.sources.record_failure(
            source.id, START, error="HTTP 500 <Internal>", next_check_at=START
        )
    text = await Conversation(bot, services).text("/sources")
    assert "⚠️ #1" in text and "failing" in text and "last success never" in text
    assert "1 error since 2024-10-23: HTTP 500 &lt;Internal&gt;" in text
    assert 'href="https://example.org/&lt;dead&gt;.xml"' in text


async def test_add_needs_one_address(bot, services):
    admin = Conversation(bot, services, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert "Give one address" in await admin.text("/sources add")
    assert "Give one address" in await admin.text("/sources add a b")


async def add_paused(services, url, *, added_by=None):
    async with services.db.transaction() as tx:
        source = await tx.sources.add(NewSource(url, added_by_chat_id=added_by), START)
        await tx.sources.record_failure(source.id, START, error="HTTP 410", next_check_at=START)
        return await tx.sources.pause(source.id)


async def test_the_list_says_how_to_resume_and_a_bot_admin_resumes(services_on_both):
    services = services_on_both
    admin = Conversation(ChatBot(services), services, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    paused = await add_paused(services, "https://example.org/gone.xml")
    listing = await admin.text("/sources")
    assert "⏸ #1" in listing and "paused" in listing
    assert "/sources resume &lt;id&gt; fetches one again" in listing

    resumed = await admin.later(timedelta(hours=1)).text("/sources resume #1")
    assert "Resumed source #1: it is fetched at the next poll" in resumed
    [source] = await sources(services)
    assert source.status is SourceStatus.ACTIVE and source.error_count == 0
    assert source.next_check_at == START + timedelta(hours=1) and paused.error_count == 1
    assert "/sources resume" not in await admin.text("/sources")
    assert "Source #1 is not paused" in await admin.text("/sources resume 1")
    assert "There is no source #7" in await admin.text("/sources resume 7")
    assert "Give the source's number" in await admin.text("/sources resume x")


async def test_group_admins_resume_only_their_groups_sources(bot, services):
    await add_paused(services, "https://example.org/operator.xml")
    await add_paused(services, "https://example.org/group.xml", added_by=GROUP)
    group_admin = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, user_id=8)
    member = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, admin=False)
    private = Conversation(bot, services)  # the chat's own admin, but not the bot's
    for chat in (member, private):
        assert "Only the bot's admins, and a group's admins" in await chat.text("/sources resume 2")
    refused = await group_admin.text("/sources resume 1")
    assert "resume only the sources their group added" in refused
    assert "Resumed source #2" in await group_admin.text("/sources resume 2")
    assert [s.status for s in await sources(services)] == [SourceStatus.PAUSED, SourceStatus.ACTIVE]
