"""Which topic each sentence's figures are about: the topic it names, else one named just
before it in its paragraph, else the item's (its title's or its lead's) unless another tracked
topic took over; paragraphs that link other stories ("ALSO READ:") are about none."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.analysis.lexicons import phrases
from bot.analysis.sentences import Sentence
from bot.analysis.topics import TopicMatch

_CONTEXT_SENTENCES = 2
_LEAD_PARAGRAPHS = 3  # a headline, a standfirst, then the first paragraph
_LEAD_SENTENCES = 8  # a dateline splits into several: "КИЕВ. 9 февраля. УНН."
_RELATED = re.compile(rf"(?:{'|'.join(phrases('RELATED_LINKS'))})\s*:", re.IGNORECASE)


def sentence_topics(
    sentences: list[Sentence], mentions: Sequence[TopicMatch], title_topics: Sequence[str]
) -> list[str | None]:
    """The topic each sentence's figures are about. A sentence that names a topic is about it;
    otherwise one of the two sentences before it in its paragraph tells. An item whose title
    or lead names a topic (or that names only one tracked topic at all) is about it
    throughout: its other sentences keep the topic last named (the item's, unless another
    tracked topic took over)."""
    own = _own_topics(sentences, mentions)
    linked = _linked_paragraphs(sentences)
    item_topic = title_topics[0] if title_topics else _lead_topic(sentences, own)
    named = {
        topic
        for index, topic in enumerate(own)
        if topic and sentences[index].paragraph not in linked
    }
    if item_topic is None and len(named) == 1:
        item_topic = named.pop()  # the one tracked topic a report names is what it is about
    topics: list[str | None] = []
    current = item_topic
    for index, sentence in enumerate(sentences):
        if sentence.paragraph in linked:
            topics.append(None)  # "ALSO READ: ..." names another story
            continue
        topic = own[index]
        for back in range(1, _CONTEXT_SENTENCES + 1):
            if topic is not None or index - back < 0:
                break
            if sentences[index - back].paragraph == sentence.paragraph:
                topic = own[index - back]
        if own[index] is not None:
            current = own[index]
        if topic is None and item_topic is not None:
            topic = current
        topics.append(topic)
    return topics


def _linked_paragraphs(sentences: list[Sentence]) -> set[int]:
    """Paragraphs that link another story: they open with a label such as "ALSO READ:"."""
    linked: set[int] = set()
    previous = -1
    for sentence in sentences:
        if sentence.paragraph != previous and _RELATED.match(sentence.text):
            linked.add(sentence.paragraph)
        previous = sentence.paragraph
    return linked


def _own_topics(sentences: list[Sentence], mentions: Sequence[TopicMatch]) -> list[str | None]:
    own: list[str | None] = []
    cursor = 0
    ordered = sorted(mentions, key=lambda m: m.start)
    for sentence in sentences:
        while cursor < len(ordered) and ordered[cursor].start < sentence.start:
            cursor += 1
        inside = cursor < len(ordered) and ordered[cursor].start < sentence.end
        own.append(ordered[cursor].topic if inside else None)
    return own


def _lead_topic(sentences: list[Sentence], own: list[str | None]) -> str | None:
    """The first topic of the lead: the first paragraphs (a headline, then its first
    paragraph), at most a few sentences."""
    for index, sentence in enumerate(sentences[:_LEAD_SENTENCES]):
        if sentence.paragraph >= _LEAD_PARAGRAPHS:
            break
        if own[index] is not None:
            return own[index]
    return None
