"""/topics, /track and /untrack: the topics a chat follows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chat.limits import ALIAS_CHARS, ALIASES_PER_TOPIC, TOPICS_PER_CHAT
from bot.chat.markup import bold, code, escape, fit
from bot.chat.requests import Reply, Request, UsageError
from bot.subscribers.chats import chat_view
from bot.subscribers.tracking import Tracked, TrackResult, Untracked, track_topic, untrack_topic
from bot.translation import _, ngettext

ALIASES_SHOWN = 8
_WORD = re.compile(r"[^\W_]")  # a topic is matched by its words: a name needs one


@dataclass(frozen=True, slots=True)
class TrackRequest:
    name: str
    aliases: tuple[str, ...] | None  # None: "/track <name>" with no colon


async def topics_command(request: Request) -> Reply:
    view = await chat_view(request.services, request.chat.id)
    lines = [_topic_line(t.name, t.aliases) for t in view.topics]
    count = len(view.topics)
    if view.subscriber.follows_all_topics:
        head = ngettext("This chat follows every topic (%(count)s) until it changes its list:",
                        "This chat follows every topic (%(count)s) until it changes its list:",
                        count)  # fmt: skip
    else:
        head = ngettext("This chat follows %(count)s topic:", "This chat follows %(count)s topics:",
                        count)  # fmt: skip
    if not lines:
        return Reply(_("This chat follows no topics. %(hint)s", hint=_hint()))
    return Reply(fit([head, *lines, "", _hint()]))


def _hint() -> str:
    track, untrack = code("/track <name>: <alias>, <alias>"), code("/untrack <name>")
    return _("%(track)s adds one; %(untrack)s drops one.", track=track, untrack=untrack)


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
        return Reply(_("This chat no longer follows %(topic)s.", topic=bold(result.topic.name)))
    close = ", ".join(bold(n) for n in result.suggestions)
    if close:
        return Reply(_("This chat follows no topic called %(name)s. Did you mean %(close)s?",
                       name=bold(name), close=close))  # fmt: skip
    return Reply(_("This chat follows no topic called %(name)s. /topics lists the ones it "
                   "follows.", name=bold(name)))  # fmt: skip


def parse_track(args: str) -> TrackRequest:
    """``<name>`` or ``<name>: <alias>, <alias>...``, within the limits."""
    name, colon, rest = args.partition(":")
    aliases = tuple(a.strip() for a in rest.split(",") if a.strip()) if colon else None
    if aliases is not None and len(aliases) > ALIASES_PER_TOPIC:
        raise UsageError(_("A topic has at most %(most)s aliases (%(given)s given).",
                           most=ALIASES_PER_TOPIC, given=len(aliases)))  # fmt: skip
    for alias in aliases or ():
        _check_phrase(alias, _("An alias"))
    return TrackRequest(parse_name(name), aliases)


def parse_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise UsageError(_("Name the topic."))
    _check_phrase(name, _("A topic's name"))
    return name


def _check_phrase(text: str, what: str) -> None:
    if len(text) > ALIAS_CHARS:
        raise UsageError(_("%(what)s is at most %(most)s characters (%(given)s given).",
                           what=what, most=ALIAS_CHARS, given=len(text)))  # fmt: skip
    if not _WORD.search(text):
        raise UsageError(_("%(what)s needs at least one letter or digit: %(text)s.",
                           what=what, text=repr(text)))  # fmt: skip


def render_tracked(result: TrackResult, wanted: TrackRequest) -> str:
    topic = result.topic
    name = bold(topic.name if topic else wanted.name)
    if result.outcome is Tracked.ALREADY:
        return _("This chat follows %(name)s already.", name=name)
    if result.outcome is Tracked.TOO_MANY_FOLLOWED:
        return _("This chat follows %(most)s topics, the most it may: /untrack one first.",
                 most=TOPICS_PER_CHAT)  # fmt: skip
    if result.outcome is Tracked.TOO_MANY_CREATED:
        return _("This chat has added %(most)s topics, the most it may.", most=TOPICS_PER_CHAT)
    if result.outcome is Tracked.CREATED and topic is not None:
        if topic.aliases:
            name = _("%(name)s (also matched as %(aliases)s)", name=name,
                     aliases=_aliases(topic.aliases))  # fmt: skip
        added = _("Added the topic %(name)s, and this chat follows it. Items fetched from now "
                  "on are matched against it.", name=name)  # fmt: skip
        similar = ", ".join(bold(other) for other in result.similar)
        if not similar:
            return added
        return added + " " + _("Other topics are named alike: %(similar)s (/track one to "
                               "follow it).", similar=similar)  # fmt: skip
    if result.aliases_ignored:
        return _("This chat now follows %(name)s. Its aliases stay as they are.", name=name)
    return _("This chat now follows %(name)s.", name=name)


def _topic_line(name: str, aliases: tuple[str, ...]) -> str:
    return f"• {bold(name, 100)}" + (f": {_aliases(aliases)}" if aliases else "")


def _aliases(aliases: tuple[str, ...]) -> str:
    shown = ", ".join(escape(a, 60) for a in aliases[:ALIASES_SHOWN])
    more = len(aliases) - ALIASES_SHOWN
    if more <= 0:
        return shown
    return ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", more,
                    names=shown)  # fmt: skip
