"""An item's story features are kept by what they are made of: an edited text or title under
the same id is extracted again, never served stale."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.analysis.stories import cluster_stories
from bot.analysis.story_features import features_of
from bot.normalize import content_hash
from storage.records import Item

AT = datetime(2026, 2, 17, 8, 0, tzinfo=UTC)
WIRE = (
    "Ukrainian forces struck an oil depot near Novorossiysk overnight, the regional governor said "
    "on Tuesday, adding that firefighters had put out the blaze by the morning and that no one "
    "was hurt in the attack on the terminal, which serves tankers loading crude for export."
)
OTHER = (
    "The central bank kept its key rate unchanged at sixteen percent on Friday, saying inflation "
    "was slowing faster than expected while wages and consumer credit kept growing in spring."
)


def item(item_id: int, source_id: int, title: str, text: str) -> Item:
    return Item(
        id=item_id, source_id=source_id, guid=str(item_id),
        url=f"https://source{source_id}.example/{item_id}", title=title, text=text,
        published_at=AT + timedelta(minutes=item_id), first_seen_at=AT + timedelta(minutes=item_id),
        lang="en", content_hash=content_hash(text, fallback=title),
    )  # fmt: skip


def test_an_edited_text_under_the_same_id_is_clustered_as_it_now_reads():
    wire = item(1, 1, "Depot hit near Novorossiysk", WIRE)
    other = item(2, 2, "Rates on hold", OTHER)
    assert len(cluster_stories([wire, other], {})) == 2
    rewritten = replace(other, title="Oil depot near Novorossiysk hit", text=WIRE)
    stories = cluster_stories([wire, rewritten], {})
    assert [story.coverage for story in stories] == [2]


def test_features_are_extracted_once_per_version():
    first = item(3, 1, "Rates on hold", OTHER)
    assert features_of(first) is features_of(replace(first))  # kept
    edited = replace(first, text=OTHER.replace("sixteen", "seventeen"))
    assert features_of(edited) is not features_of(first)
    assert features_of(edited).shingles != features_of(first).shingles
