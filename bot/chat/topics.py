"""/topics, /track and /untrack: the topics a chat follows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chat.limits import ALIAS_CHARS, ALIASES_PER_TOPIC, TOPICS_PER_CHAT
from bot.chat.markup import bold, code, escape, fit, plural
from bot.chat.requests import Reply, Request, UsageError
from bot.subscriptions import chat_view
from bot.tracking import Tracked, TrackResult, Untracked, track_topic, untrack_topic

ALIASES_SHOWN = 8
HINT = f"{code('/track <name>: <alias>, <alias>')} adds one; {code('/untrack <name>')} drops one."
_WORD = re.compile(r"[^\W_]")  # a topic is matched by its words: a name needs one


@dataclass(frozen=True, slots=True)
class TrackRequest:
    name: str
    aliases: tuple[str, ...] | None  # None: "/track <name>" with no colon


async def topics_command(request: Request) -> Reply:
    view = await chat_view(request.services, request.chat.id)
    lines = [_topic_line(t.name, t.aliases) for t in view.topics]
    if view.subscriber.follows_all_topics:
        head = f"This chat follows every topic ({len(view.topics)}) until it changes its list:"
    else:
        head = f"This chat follows {plural(len(view.topics), 'topic')}:"
    if not lines:
        return Reply(f"This chat follows no topics. {HINT}")
    return Reply(fit([head, *lines, "", HINT]))


async def track_command(request: Request) -> Reply:
    wanted = parse_track(request.args)
    result = await track_topic(
        request.services, request.chat.id, wanted.name, wanted.aliases,
        most_followed=TOPICS_PER_CHAT, most_created=TOPICS_PER_CHAT,
    )  # fmt: skip
    return Reply(render_tracked(result, wanted))


async def untrack_command(request: Request) -> Reply:
    name = parse_name(request.args)
    result = await untrack_topic(request.services, request.chat.id, name)
    if result.outcome is Untracked.UNFOLLOWED and result.topic is not None:
        return Reply(f"This chat no longer follows {bold(result.topic.name)}.")
    close = ", ".join(bold(n) for n in result.suggestions)
    return Reply(
        f"This chat follows no topic called {bold(name)}."
        + (f" Did you mean {close}?" if close else " /topics lists the ones it follows.")
    )


def parse_track(args: str) -> TrackRequest:
    """``<name>`` or ``<name>: <alias>, <alias>...``, within the limits."""
    name, colon, rest = args.partition(":")
    aliases = tuple(a.strip() for a in rest.split(",") if a.strip()) if colon else None
    if aliases is not None and len(aliases) > ALIASES_PER_TOPIC:
        raise UsageError(f"A topic has at most {ALIASES_PER_TOPIC} aliases ({len(aliases)} given).")
    for alias in aliases or ():
        _check_phrase(alias, "An alias")
    return TrackRequest(parse_name(name), aliases)


def parse_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise UsageError("Name the topic.")
    _check_phrase(name, "A topic's name")
    return name


def _check_phrase(text: str, what: str) -> None:
    if len(text) > ALIAS_CHARS:
        raise UsageError(f"{what} is at most {ALIAS_CHARS} characters ({len(text)} given).")
    if not _WORD.search(text):
        raise UsageError(f"{what} needs at least one letter or digit: {text!r}.")


def render_tracked(result: TrackResult, wanted: TrackRequest) -> str:
    topic = result.topic
    name = bold(topic.name if topic else wanted.name)
    if result.outcome is Tracked.ALREADY:
        return f"This chat follows {name} already."
    if result.outcome is Tracked.TOO_MANY_FOLLOWED:
        return f"This chat follows {TOPICS_PER_CHAT} topics, the most it may: /untrack one first."
    if result.outcome is Tracked.TOO_MANY_CREATED:
        return f"This chat has added {TOPICS_PER_CHAT} topics, the most it may."
    if result.outcome is Tracked.CREATED and topic is not None:
        aliases = f" (also matched as {_aliases(topic.aliases)})" if topic.aliases else ""
        similar = ", ".join(bold(other) for other in result.similar)
        return (
            f"Added the topic {name}{aliases}, and this chat follows it. Items fetched from now "
            "on are matched against it."
            + (
                f" Other topics are named alike: {similar} (/track one to follow it)."
                if similar
                else ""
            )
        )
    ignored = " Its aliases stay as they are." if result.aliases_ignored else ""
    return f"This chat now follows {name}.{ignored}"


def _topic_line(name: str, aliases: tuple[str, ...]) -> str:
    return f"• {bold(name, 100)}" + (f": {_aliases(aliases)}" if aliases else "")


def _aliases(aliases: tuple[str, ...]) -> str:
    shown = ", ".join(escape(a, 60) for a in aliases[:ALIASES_SHOWN])
    more = len(aliases) - ALIASES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")
