"""Story clustering: real outlets' feeds, hand-written English/Russian/Ukrainian cases, copies."""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.analysis.stories import Story, StoryLink, cluster_stories
from bot.normalize import ParsedFeed, content_hash, parse_feed
from storage.records import Item
from tests.corpus_files import CORPORA

AT = datetime(2026, 2, 17, 8, 0, tzinfo=UTC)
SITES = CORPORA / "real-feeds" / "sites"
NEWS_FEEDS = (
    "https://feeds.bbci.co.uk/news/world/rss.xml",
    "https://abcnews.go.com/abcnews/internationalheadlines",
    "https://japantoday.com/category/world/feed",
    "https://feeds.npr.org/1004/rss.xml",
    "https://www.dawn.com/feeds/world/",
    "https://aljazeera.com/xml/rss/all.xml",
    "https://rss.dw.com/rdf/rss-en-all",
    "https://www.abc.net.au/news/feed/45910/rss.xml",
    "https://feeds.elpais.com/mrss-s/pages/ep/site/english.elpais.com/portada",
    "https://rss.nytimes.com/services/xml/rss/nyt/World.xml",
    "https://www.cbsnews.com/latest/rss/world",
    "https://en.mercopress.com/rss/",
    "https://www.al-monitor.com/rss",
    "https://feeds.feedburner.com/ndtvnews-world-news",
)


def make_item(
    item_id: int,
    source_id: int,
    title: str | None,
    text: str = "",
    *,
    minutes: int = 0,
    url: str | None = None,
    forwarded_from: str | None = None,
) -> Item:
    return Item(
        id=item_id,
        source_id=source_id,
        guid=str(item_id),
        url=url if url is not None else f"https://source{source_id}.example/{item_id}",
        title=title,
        text=text,
        published_at=AT + timedelta(minutes=minutes),
        first_seen_at=AT + timedelta(minutes=minutes),
        lang=None,
        content_hash=content_hash(text, fallback=title or ""),
        forwarded_from=forwarded_from,
    )


def story_of(stories: list[Story], item_id: int) -> Story:
    return next(story for story in stories if any(item.id == item_id for item in story.items))


def ids(story: Story) -> set[int]:
    return {item.id for item in story.items}


# --- real feeds ---------------------------------------------------------------------------


@functools.cache
def news_items() -> tuple[tuple[Item, ...], dict[int, str]]:
    """Every item of fourteen real outlets' world-news feeds, saved the same week."""
    files = {}
    for line in (SITES / "INDEX.tsv").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 6 and fields[5] in NEWS_FEEDS:
            files[fields[5]] = SITES / fields[0]
    items: list[Item] = []
    names: dict[int, str] = {}
    for source_id, url in enumerate(NEWS_FEEDS, start=1):
        parsed = parse_feed(
            files[url].read_bytes(), url=url, fetched_at=datetime(2100, 1, 1, tzinfo=UTC)
        )
        assert isinstance(parsed, ParsedFeed)
        names[source_id] = parsed.title or url
        for new in parsed.items:
            seen_at = AT + timedelta(seconds=len(items))
            items.append(
                Item(
                    id=len(items) + 1, source_id=source_id, guid=new.guid, url=new.url,
                    title=new.title, text=new.text, published_at=new.published_at or seen_at,
                    first_seen_at=seen_at, lang=new.lang, content_hash=new.content_hash,
                    author=new.author, forwarded_from=new.forwarded_from,
                )
            )  # fmt: skip
    return tuple(items), names


@pytest.fixture
def news() -> tuple[tuple[Item, ...], dict[int, str]]:
    if not SITES.is_dir():
        pytest.skip(f"real-world corpora not found at {CORPORA} (../shared/corpora)")
    return news_items()


def titled(items: tuple[Item, ...], *words: str) -> list[Item]:
    return [i for i in items if i.title and all(w in i.title.lower() for w in words)]


@pytest.mark.parametrize(
    ("words", "outlets"),
    [
        (("jesse jackson", "84"), 4),  # BBC, ABC Australia, Al Jazeera, Japan Today, El País
        (("repatriate", "34 women"), 3),  # AP copy at NPR, Japan Today, ABC News
        (("naveed akram",), 2),  # "Accused Bondi (Beach) killer ... appears in court"
        (("robert duvall",), 2),
        (("hezbollah rejects disarmament",), 2),
    ],
)
def test_one_event_from_several_outlets_is_one_story(news, words, outlets) -> None:
    items, names = news
    members = titled(items, *words)
    assert len({item.source_id for item in members}) >= outlets
    stories = cluster_stories(items, names)
    story = story_of(stories, members[0].id)
    assert {item.id for item in members} <= ids(story)
    assert story.coverage >= outlets
    assert len(story.links) == story.coverage
    assert [link.name for link in story.links] == [names[s] for s in story.sources]


def test_unrelated_real_news_stays_apart(news) -> None:
    items, names = news
    stories = cluster_stories(items, names)
    jackson = story_of(stories, titled(items, "jesse jackson")[0].id)
    peru = story_of(stories, titled(items, "peru", "jer")[0].id)
    iran = story_of(stories, titled(items, "iran", "nuclear")[0].id)
    assert len({id(jackson), id(peru), id(iran)}) == 3
    assert all("jackson" in (item.title or "").lower() for item in jackson.items)
    # Nothing swallows the week: the biggest story is a handful of items.
    assert max(len(story.items) for story in stories) <= 12
    assert len(stories) > 0.8 * len(items)


def test_every_real_item_is_in_exactly_one_story_and_the_order_holds(news) -> None:
    items, names = news
    started = time.perf_counter()
    stories = cluster_stories(items, names)
    elapsed = time.perf_counter() - started  # measured for the report, never asserted
    print(f"clustered {len(items)} items into {len(stories)} stories in {elapsed:.3f}s")
    assert sorted(i.id for s in stories for i in s.items) == sorted(i.id for i in items)
    keys = [(-s.coverage, -len(s.items), s.first_seen_at) for s in stories]
    assert keys == sorted(keys)
    for story in stories:
        assert len(set(story.sources)) == len(story.sources)
        assert set(story.sources) <= {item.source_id for item in story.items}
        assert story.first_seen_at == min(item.first_seen_at for item in story.items)
        assert story.title and len(story.title) <= 120


# --- hand-written cases ----------------------------------------------------------------

NK_RU = [
    make_item(1, 1, "Северная Корея направила в Россию около 10 тысяч военных",
              "По данным разведки, КНДР перебросила в Россию около 10 тысяч военнослужащих."),
    make_item(2, 2, "Северная Корея отправила в Россию 10 тысяч военных, заявила разведка Украины",
              "Украинская разведка сообщила о переброске северокорейских солдат в Курскую область.",
              minutes=30),
    make_item(3, 3, "В Москве открылась выставка современного искусства",
              "Выставка продлится до конца месяца.", minutes=5),
]  # fmt: skip
NK_UK = [
    make_item(11, 1, "Північна Корея відправила до Росії 12 тисяч військових — ГУР",
              "За даними розвідки, КНДР перекинула до Росії 12 тисяч військових."),
    make_item(12, 2, "ГУР: Північна Корея відправила до Росії 12 тисяч військових",
              "Серед них 500 офіцерів і три генерали.", minutes=12),
    make_item(13, 3, "У Києві відкрили новий міст через Дніпро", "Міст з'єднав два береги.",
              minutes=3),
]  # fmt: skip
NK_EN = [
    make_item(21, 1, "North Korean troops arrive in Kursk, Ukraine says",
              "Ukraine's military intelligence said the first units reached the Kursk region."),
    make_item(22, 2, "Ukraine says North Korean troops have arrived in Russia's Kursk region",
              "Kyiv's intelligence service said on Wednesday the first units had arrived.",
              minutes=20),
    make_item(23, 3, "North Korean troops suffer heavy losses in Kursk fighting",
              "Dozens of soldiers were killed in their first battles, officials said.", minutes=40),
    make_item(24, 4, "Pentagon: North Korean troops in Russia number about 10,000",
              "The Pentagon said 10,000 soldiers were training in eastern Russia.", minutes=50),
    make_item(25, 5, "Kremlin calls reports of North Korean troops in Russia fake news",
              "Peskov dismissed the reports.", minutes=60),
]  # fmt: skip


@pytest.mark.parametrize(
    ("items", "together", "apart"),
    [
        (NK_RU, {1, 2}, 3),  # inflection: "военных" / "военных", "Россию" in both
        (NK_UK, {11, 12}, 13),
        (NK_EN, {21, 22}, 23),  # the topic's own words count little: arrive is not losses
    ],
    ids=["russian", "ukrainian", "english-within-a-topic"],
)
def test_hand_written_same_story_and_different_story(items, together, apart) -> None:
    stories = cluster_stories(items, {})
    story = story_of(stories, min(together))
    assert together <= ids(story)
    assert apart not in ids(story)


def test_stories_of_one_topic_do_not_chain_together() -> None:
    stories = cluster_stories(NK_EN, {})
    assert [sorted(ids(s)) for s in stories] == [[21, 22], [23], [24], [25]]


def test_the_same_wire_copy_under_different_titles_is_one_story() -> None:
    wire = (
        "Six backcountry skiers were found alive and 10 others were missing on Tuesday after an "
        "avalanche swept through a remote area near Lake Tahoe in northern California."
    )
    items = [
        make_item(1, 1, "Rescuers search the Sierra", wire),
        make_item(2, 2, "Avalanche: a long night near Lake Tahoe", wire + " Crews resumed at dawn.",
                  minutes=7),
    ]  # fmt: skip
    [story] = cluster_stories(items, {1: "AP", 2: "Reuters"})
    assert story.sources == (1, 2)


def test_a_forwarded_post_counts_once() -> None:
    text = (
        "Взрыв на складе боеприпасов в Тихорецке: эвакуированы жители трёх улиц, "
        "сообщил губернатор края."
    )
    items = [
        make_item(1, 1, None, text, url="https://t.me/channel_a/100"),
        make_item(2, 2, None, text, minutes=2, url="https://t.me/channel_b/7",
                  forwarded_from="Channel A"),
        make_item(3, 3, None, text + " Подписывайтесь на наш канал!", minutes=4,
                  url="https://t.me/channel_c/55", forwarded_from="Channel A"),
    ]  # fmt: skip
    names = {1: "Channel A", 2: "Channel B", 3: "Channel C"}
    [story] = cluster_stories(items, names)
    assert ids(story) == {1, 2, 3}
    assert story.sources == (1,)
    assert story.links == (StoryLink("Channel A", "https://t.me/channel_a/100"),)
    assert story.title.startswith("Взрыв на складе боеприпасов в Тихорецке")


def test_a_forwarded_post_with_its_own_words_is_a_source() -> None:
    original = "Ukraine says the first North Korean units reached the Kursk region on Wednesday."
    items = [
        make_item(1, 1, None, original, url="https://t.me/a/1"),
        make_item(2, 2, None, original + " Our correspondent in Kyiv adds that the units are "
                  "led by three generals and number several thousand men in total.",
                  minutes=1, url="https://t.me/b/2", forwarded_from="A"),
    ]  # fmt: skip
    [story] = cluster_stories(items, {})
    assert story.sources == (1, 2)


@pytest.mark.parametrize(
    ("second_url", "second_text"),
    [
        ("https://news.example/same", "A different lead that shares nothing at all here."),
        ("https://other.example/2", "The same wire text, word for word, in two outlets today."),
    ],
    ids=["same-canonical-url", "same-content-hash"],
)
def test_copies_across_sources_add_no_source(second_url, second_text) -> None:
    items = [
        make_item(1, 1, "Wire story", "The same wire text, word for word, in two outlets today.",
                  url="https://news.example/same"),
        make_item(2, 2, "Aggregated", second_text, minutes=3, url=second_url),
    ]  # fmt: skip
    [story] = cluster_stories(items, {1: "Wire", 2: "Aggregator"})
    assert story.sources == (1,)
    assert len(story.items) == 2


def test_a_url_one_source_gives_all_its_items_is_no_identity() -> None:
    items = [
        make_item(1, 1, "Alpine.js", "Make the web simple again.", url="https://blog.example/"),
        make_item(2, 1, "Restic backups", "Fast, secure backups.", minutes=1,
                  url="https://blog.example/"),
    ]  # fmt: skip
    assert len(cluster_stories(items, {})) == 2


def test_short_texts_are_not_copies_of_each_other() -> None:
    items = [make_item(1, 1, "Storm hits Odesa", "Video"), make_item(2, 2, "Kyiv metro", "Video")]
    assert len(cluster_stories(items, {})) == 2


def test_numbered_titles_of_a_series_stay_apart() -> None:
    items = [
        make_item(n, 1, f"Clojure Euler: Problem {n:03}", f"Solution number {n}.", minutes=n)
        for n in range(10, 16)
    ]
    assert len(cluster_stories(items, {})) == 6


def test_order_most_sources_then_most_items_then_earliest() -> None:
    items = [
        make_item(1, 1, "Lone early report about a bridge", minutes=0),
        make_item(2, 1, "Dam breach floods three villages in the south", minutes=10),
        make_item(3, 1, "Dam breach floods three villages in southern region", minutes=11),
        make_item(4, 1, "Election results delayed in capital district", minutes=20),
        make_item(5, 2, "Election results delayed in the capital district", minutes=21),
        make_item(6, 1, "Another lone report about a tunnel", minutes=30),
    ]
    stories = cluster_stories(items, {})
    assert [sorted(ids(s)) for s in stories] == [[4, 5], [2, 3], [1], [6]]
    assert [s.coverage for s in stories] == [2, 1, 1, 1]


def test_title_is_the_most_central_and_links_are_each_sources_first_item() -> None:
    items = [
        make_item(1, 1, "Jesse Jackson, civil rights leader and presidential hopeful, dies at 84",
                  url=""),
        make_item(2, 2, "US civil rights leader Jesse Jackson dies aged 84", minutes=1),
        make_item(3, 1, "Civil rights leader Jesse Jackson dies, aged 84", minutes=2),
        make_item(4, 3, "Tributes pour in after civil rights icon Jesse Jackson dies at 84",
                  minutes=3),
    ]  # fmt: skip
    [story] = cluster_stories(items, {1: "ABC", 2: "BBC"})
    assert story.title in {items[1].title, items[2].title}
    assert story.sources == (1, 2, 3)
    assert story.links == (
        StoryLink("ABC", "https://source1.example/3"),  # its first item has no link
        StoryLink("BBC", "https://source2.example/2"),
        StoryLink("source 3", "https://source3.example/4"),
    )
    assert story.first_seen_at == AT


def test_without_a_title_the_first_sentence_trimmed_is_the_title() -> None:
    long_sentence = "Пресс-служба сообщила, что " + "очень " * 40 + "длинное предложение."
    [story] = cluster_stories([make_item(1, 1, None, long_sentence + " Второе.")], {})
    assert story.title.startswith("Пресс-служба сообщила, что очень")
    assert story.title.endswith("…")
    assert len(story.title) <= 120
    [empty] = cluster_stories([make_item(2, 1, None, "", url="https://t.me/c/2")], {})
    assert empty.title == "https://t.me/c/2"


def test_a_big_story_covered_everywhere_is_one_story() -> None:
    """More items than a key pairs with at once: neighbours still chain the story together."""
    wire = (
        "A dam on the Dnipro was breached overnight, flooding villages downstream, officials said."
    )
    titles = ["Dam breach floods villages downstream", "Villages flooded after dam breach",
              "Dnipro dam breached overnight", "Officials: dam breach floods villages"]  # fmt: skip
    story_items = [
        make_item(n, n % 75, titles[n % 4], f"{wire} Update {n}: crews at work.", minutes=n)
        for n in range(150)
    ]
    noise = [
        make_item(1000 + n, n % 40, f"Report {n} on w{n}a w{n}b w{n}c", f"Text w{n}d w{n}e w{n}f.",
                  minutes=n)
        for n in range(300)
    ]  # fmt: skip
    stories = cluster_stories([*story_items, *noise], {})
    assert ids(stories[0]) == set(range(150))
    assert stories[0].coverage == 75
    assert len(stories) == 301


def test_words_every_item_shares_link_nothing() -> None:
    items = [
        make_item(n, n % 30, f"Ukraine war latest: w{n}a w{n}b", f"Ukraine war: w{n}c w{n}d.")
        for n in range(300)
    ]
    assert len(cluster_stories(items, {})) == 300


def test_no_items_no_stories() -> None:
    assert cluster_stories([], {}) == []
