from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.config.files import (
    ClaimSpec,
    SourceSpec,
    TopicSpec,
    load_sources_file,
    load_watchlist,
    parse_interval,
)
from bot.errors import ConfigError
from bot.fetch import is_channel_reference, parse_channel_reference
from bot.ingest.retrieval import source_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", timedelta(minutes=15)),
        ("1h30m", timedelta(minutes=90)),
        ("2d", timedelta(days=2)),
        ("90s", timedelta(seconds=90)),
        ("30", timedelta(minutes=30)),
        (" 1H ", timedelta(hours=1)),
    ],
)
def test_parse_interval(text, expected):
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["", "fast", "10x", "30s", "0m", "-5m"])
def test_parse_interval_rejects(text):
    with pytest.raises(ValueError):
        parse_interval(text)


def test_watchlist_is_read(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(
        '[[topics]]\nname = "T"\naliases = ["a", "b"]\nexclude = ["c"]\n'
        '[[claims]]\ntopic = "T"\ntext = "X said 5 troops arrived."\n',
        encoding="utf-8",
    )
    watchlist = load_watchlist(path)
    assert watchlist.topics == (TopicSpec("T", ("a", "b"), ("c",)),)
    assert watchlist.claims == (ClaimSpec("T", "X said 5 troops arrived."),)


def test_the_shipped_watchlist_and_sources_are_valid():
    watchlist = load_watchlist(Path("config/watchlist.toml"))
    assert watchlist.topics and watchlist.claims
    assert load_sources_file(Path("config/sources.toml"))


def test_every_shipped_source_is_named_and_a_feed_or_channel_address_said_what_it_is():
    path = Path("config/sources.toml")
    specs = load_sources_file(path)
    channels = [spec for spec in specs if is_channel_reference(spec.url)]
    feeds = [spec for spec in specs if not is_channel_reference(spec.url)]
    for spec in channels:
        assert parse_channel_reference(spec.url)  # raises for what is no public channel link
    for spec in feeds:
        parts = urlsplit(spec.url)
        assert parts.scheme in {"http", "https"} and parts.hostname, spec.url
        assert "." in parts.hostname and parts.hostname != "www.example.org", spec.url
    assert all(spec.name and spec.name.strip() for spec in specs)
    addresses = [source_address(spec.url) for spec in specs]
    assert len(set(addresses)) == len(addresses), "a source listed twice"
    assert len(channels) >= 4 and len(feeds) >= 10
    headers = [line for line in path.read_text("utf-8").splitlines() if line.startswith("[[")]
    assert len(headers) == len(specs)
    comments = [line.partition("#")[2] for line in headers]
    assert all(comment.strip() for comment in comments), "a source without a word on what it is"
    said = " ".join(comments)
    for language in ("English", "Russian", "Ukrainian"):
        assert language in said


def test_malformed_toml_names_file_and_line(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text('[[topics]]\nname = "T"\naliases = ["a",\nbroken\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_watchlist(path)
    assert error.value.problems[0].startswith(f"{path}:4: invalid TOML")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('[[topics]]\naliases = ["a"]\n', ":1: a topic needs a non-empty 'name'"),
        ('[[topics]]\nname = "T"\naliases = "a"\n', "'aliases' must be a list"),
        (
            '[[topics]]\nname = "T"\naliasses = ["a"]\n',
            "unknown key 'aliasses' (known: name, aliases, exclude)",
        ),
        (
            '[[topics]]\nname = "T"\n\n[[topics]]\nname = "T"\n',
            ":4: topic 'T': another topic above",
        ),
        (
            '[[topics]]\nname = "T"\n[[claims]]\ntopic = "U"\ntext = "x"\n',
            ":3: a claim: 'topic' must name a topic",
        ),
        ("topics = 3\n", ":1: 'topics' must be an array of tables, written [[topics]]"),
        (
            '[[topics]]\nname = "T"\n[[claims]]\ntopic = "T"\n',
            ":3: a claim needs a non-empty 'text'",
        ),
        (
            '[[topics]]\nname = "T"\nexclude = ["", "x"]\n',
            ":1: topic 'T': 'exclude' must be a list",
        ),
        ("[[topics]]\nname = 5\n", ":1: a topic: 'name' must be a string"),
        ('# x\n\n[topic]\nname = "T"\n', ":3: unknown key 'topic' (known: topics, claims)"),
    ],
)
def test_watchlist_problems_point_at_their_table(tmp_path, body, fragment):
    path = tmp_path / "w.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_watchlist(path)
    assert any(fragment in problem for problem in error.value.problems), error.value.problems


def test_unreadable_and_missing_files(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_watchlist(tmp_path / "absent.toml")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_watchlist(binary)
    with pytest.raises(ConfigError, match="cannot read"):
        load_watchlist(tmp_path)  # a directory


def test_sources_file(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        '[[sources]]\nurl = "https://a.example/feed"\n\n'
        '[[sources]]\nurl = "@channel"\nname = "C"\ninterval = "1h"\n',
        encoding="utf-8",
    )
    assert load_sources_file(path) == (
        SourceSpec("https://a.example/feed"),
        SourceSpec("@channel", "C", timedelta(hours=1)),
    )


def test_sources_file_problems_are_all_listed(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        '[[sources]]\nname = "no url"\n\n[[sources]]\nurl = "x"\ninterval = "10s"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        load_sources_file(path)
    assert len(error.value.problems) == 2
    assert error.value.problems[0].startswith(f"{path}:1:")
    assert error.value.problems[1].startswith(f"{path}:4: source 'x': interval: '10s' is shorter")


def test_a_problem_is_at_its_table_whatever_the_text_before_it(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(
        '[[topics]]\nname = "A"\naliases = """\n[[topics]]\n"""\n\n'  # a header in a string
        '[[topics]] # second\nname = "B"\naliases = ["x", 3]\nmore = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        load_watchlist(path)
    assert error.value.problems == [
        f"{path}:1: topic 'A': 'aliases' must be a list of non-empty strings",
        f"{path}:7: topic 'B': 'aliases' must be a list of non-empty strings",
        f"{path}:7: topic 'B': unknown key 'more' (known: name, aliases, exclude)",
    ]
