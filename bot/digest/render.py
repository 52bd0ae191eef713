"""Rendering digests and alerts: Telegram HTML messages, or plain text for the terminal chat.

Both renderings come from one list of lines made of segments (plain text, bold, italic, link),
so the terminal shows exactly what Telegram would. In HTML every text from a feed, a chat or a
source is escaped, links are ``<a href>`` with the address escaped, and each line is balanced,
so ``split_message`` can cut at line boundaries; a single line longer than a message is cut
between words, its open tags closed at the cut and reopened after it. Dates are shown in the
chat's time zone; words, numbers and dates in the current language (``bot.translation``).
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.analysis.stories import Story
from bot.digest.build import (
    Alert,
    AlertEntry,
    ChangeKind,
    ClaimSide,
    Digest,
    LedgerChange,
    TopicSection,
)
from bot.digest.disputes import Disagreement, Dispute, Figure, number, speaker_words
from bot.translation import N_, _, format_day, format_moment, ngettext
from storage.records import ConflictKind, Polarity

MESSAGE_LIMIT = 4096  # Telegram's limit on a message, counted here in UTF-16 code units
MAX_LINK_LENGTH = 2048  # a longer address is shown without a link: it could not fit a message
_LINKABLE = re.compile(r"^(?:https?|tg)://", re.IGNORECASE)
CHANGE_WORDS = {
    ChangeKind.NEW_FIGURE: N_("new figure"),
    ChangeKind.DENIAL: N_("denial"),
    ChangeKind.UNSOURCED: N_("unsourced"),
}


# --- the rendering-neutral lines ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    style: str = ""  # "", "b" or "i"


@dataclass(frozen=True, slots=True)
class _Link:
    text: str
    url: str | None
    bare: bool = False  # plain text shows the address alone ("source" says nothing there)


_Segment = _Text | _Link
_Line = Sequence[_Segment]


def _digest_lines(digest: Digest, tz: tzinfo) -> list[_Line]:
    if digest.is_empty:
        if digest.since:
            nothing = _("Nothing new on your topics since %(since)s.",
                        since=_moment(digest.since, tz))  # fmt: skip
        else:
            nothing = _("Nothing new on your topics yet.")
        return [[_Text(nothing)]]
    until = _moment(digest.until, tz)
    if digest.since:
        window = _(": %(since)s – %(until)s", since=_moment(digest.since, tz), until=until)
    else:
        window = _(": until %(until)s", until=until)
    lines: list[_Line] = [[_Text(_("Digest"), "b"), _Text(window)]]
    for section in digest.sections:
        lines += [[], *_section_lines(section, tz)]
    if digest.more:
        more = ngettext("and %(count)s more — see /claims", "and %(count)s more — see /claims",
                        digest.more)  # fmt: skip
        lines += [[], [_Text(more)]]
    return lines


def _section_lines(section: TopicSection, tz: tzinfo) -> list[_Line]:
    lines: list[_Line] = [[_Text(section.topic, "b")]]
    if section.disputes:
        lines.append([_Text(_("Disputed figures"), "b")])
        for dispute in section.disputes:
            lines += _dispute_lines(dispute, tz)
    if section.changes:
        lines.append([_Text(_("Ledger changes"), "b")])
        lines += [_change_line(change, tz) for change in section.changes]
    if section.stories:
        lines.append([_Text(_("Stories"), "b")])
        lines += [_story_line(story) for story in section.stories]
    return lines


def _dispute_lines(
    dispute: Dispute, tz: tzinfo, *, marks_new: bool = True, ids: bool = False, most: int = 0
) -> list[_Line]:
    """The quantity and its spread, then one line a figure, lowest first; with ``ids`` each
    figure's claim number; with ``most``, at most that many figures (the lowest and the highest
    kept, a line says how many more)."""

    def line(figure: Figure) -> _Line:
        shown = _figure_line(figure, tz, marks_new=marks_new)
        return [*shown, _Text(f" · #{figure.claim_id}")] if ids else shown

    figures = dispute.figures
    lines = [_dispute_heading(dispute, marks_new=marks_new)]
    if not most or len(figures) <= most:
        return lines + [line(figure) for figure in figures]
    low_end, high_end = figures[: most // 2], figures[len(figures) - (most - most // 2) :]
    more = len(figures) - most
    lines += [line(figure) for figure in low_end]
    lines.append([_Text("    … " + ngettext("%(count)s more between them: /claims show %(id)s",
                                               "%(count)s more between them: /claims show %(id)s",
                                               more, id=dispute.id))])  # fmt: skip
    lines += [line(figure) for figure in high_end]
    return lines


def _dispute_heading(dispute: Dispute, *, marks_new: bool) -> _Line:
    spread = dispute.spread
    count = len(dispute.figures)
    new = len(dispute.new_figures)
    tally = ngettext("%(count)s report", "%(count)s reports", count)
    if marks_new and new:
        tally = ngettext("%(reports)s, %(count)s new", "%(reports)s, %(count)s new", new,
                         reports=tally)  # fmt: skip
    segments: list[_Segment] = [_Text("• "), _Text(dispute.quantity, "b")]
    if spread is not None:
        segments.append(_Text(f": {spread.text}"))
    segments.append(_Text(f" ({tally}, #{dispute.id})"))
    return segments


def _figure_line(figure: Figure, tz: tzinfo, *, marks_new: bool = True) -> _Line:
    side = ClaimSide(figure.claim_id, figure.value, figure.speaker, figure.relay,
                     figure.stated_at, figure.url)  # fmt: skip
    notes = [*([_("new")] if marks_new and figure.is_new else []), *_notes(figure, tz)]
    segments: list[_Segment] = [_Text("    "), *_side(side, tz)]
    if notes:
        segments += [_Text(" · "), _Text(" · ".join(notes), "i")]
    return segments


def _notes(figure: Figure, tz: tzinfo) -> list[str]:
    """How the figure disagrees, in words; plain disjoint figures need none."""
    notes: list[str] = []
    revision = figure.revision_of
    if revision is not None:
        notes.append(_("revised from %(value)s (%(day)s)", value=revision.other_value,
                       day=_day(revision.other_stated_at, tz)))  # fmt: skip
    if _denies(figure):
        notes.append(_("a denial"))
    bounds = [d for d in figure.disagreements if d.kind is ConflictKind.BOUND]
    if bounds:
        notes.append(_("a bound that rules out %(others)s", others=_others(bounds)))
    ratios = [d for d in figure.disagreements if d.kind is ConflictKind.RATIO]
    if ratios:
        notes.append(_("a multiple that does not fit %(others)s", others=_others(ratios)))
    return notes


def _denies(figure: Figure) -> bool:
    return figure.claim.claim.polarity is Polarity.DENIES


def _others(disagreements: Sequence[Disagreement]) -> str:
    named = [f"{d.other_value} ({speaker_words(d.other_speaker)})" for d in disagreements[:2]]
    more = len(disagreements) - len(named)
    if not more:
        return ", ".join(named)
    return ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", more,
                    names=", ".join(named))  # fmt: skip


def _who(speaker: str, relay: str | None) -> str:
    if not relay:
        return speaker_words(speaker)
    return _("%(speaker)s via %(relay)s", speaker=speaker_words(speaker), relay=relay)


def _side(side: ClaimSide, tz: tzinfo) -> list[_Segment]:
    who = _who(side.speaker, side.relay)
    segments: list[_Segment] = [_Text(f"{side.value} — {who}, {_day(side.stated_at, tz)}")]
    if side.url:
        segments += [_Text(" ("), _Link(_("source"), side.url, bare=True), _Text(")")]
    return segments


def _change_line(change: LedgerChange, tz: tzinfo) -> _Line:
    kind = _(CHANGE_WORDS.get(change.kind, str(change.kind)))
    return [_Text("• "), _Text(kind, "i"), _Text(f" — {change.quantity}: "),
            *_side(change.side, tz)]  # fmt: skip


def _story_line(story: Story) -> _Line:
    count = ngettext("%(count)s source", "%(count)s sources", story.coverage)
    segments: list[_Segment] = [_Text("• "), _Text(story.title), _Text(f" — {count}: ")]
    for n, link in enumerate(story.links):
        if n:
            segments.append(_Text(", "))
        segments.append(_Link(link.name, link.url))
    return segments


def _alert_lines(alert: Alert, tz: tzinfo) -> list[_Line]:
    new = sum(len(entry.new) for entry in alert.entries)
    heading = ngettext("New disputed figure", "New disputed figures", new)
    by_topic: dict[str, list[AlertEntry]] = {}
    for entry in alert.entries:
        by_topic.setdefault(entry.dispute.topic, []).append(entry)
    lines: list[_Line] = [[_Text(heading, "b")]]
    for topic, entries in by_topic.items():
        lines += [[], [_Text(topic, "b")]]
        for entry in entries:
            lines += _alert_entry_lines(entry, tz)
    return lines


def _alert_entry_lines(entry: AlertEntry, tz: tzinfo) -> list[_Line]:
    """ "Pentagon: 10,000, against 1,500–3,000 on record", one line a new figure."""
    lines: list[_Line] = [_dispute_heading(entry.dispute, marks_new=False)]
    against = on_record_text(entry.on_record)
    for figure in entry.new:
        speaker = speaker_words(figure.speaker)
        said = (
            _("%(speaker)s denies it", speaker=speaker)
            if _denies(figure)
            else f"{speaker}: {figure.value}"
        )
        segments: list[_Segment] = [_Text("    "), _Text(said, "b")]
        if against:
            segments.append(_Text(_(", against %(figures)s on record", figures=against)))
        segments.append(_Text(f" — {_day(figure.stated_at, tz)}"))
        if figure.url:
            segments += [_Text(" ("), _Link(_("source"), figure.url, bare=True), _Text(")")]
        notes = _notes(figure, tz)
        if notes:
            segments += [_Text(" · "), _Text(" · ".join(notes), "i")]
        lines.append(segments)
    return lines


def on_record_text(figures: Sequence[Figure]) -> str:
    """What the figures on record say, in short: "about 1,500", "1,500–3,000", "a denial"."""
    numbers = [n for figure in figures for n in figure.numbers]
    denials = sum(_denies(figure) for figure in figures)
    parts: list[str] = []
    if len(figures) - denials == 1 and numbers:
        parts.append(next(f.value for f in figures if not _denies(f)))
    elif numbers:
        low, high = min(numbers), max(numbers)
        parts.append(number(low) if low == high else f"{number(low)}–{number(high)}")
    if denials:
        many = ngettext("%(count)s denial", "%(count)s denials", denials)
        parts.append(_("a denial") if denials == 1 else many)
    if len(parts) == 2:
        return _("%(figures)s and %(denials)s", figures=parts[0], denials=parts[1])
    return "".join(parts)


def _moment(at: datetime | None, tz: tzinfo) -> str:
    return format_moment(at, tz) if at is not None else ""


def _day(at: datetime, tz: tzinfo) -> str:
    return format_day(at, tz)


# --- HTML and plain text -----------------------------------------------------------------


def render_html(digest: Digest, tz: tzinfo) -> list[str]:
    """The digest as Telegram HTML messages of at most ``MESSAGE_LIMIT`` characters each."""
    return split_message(_html(_digest_lines(digest, tz)))


def render_text(digest: Digest, tz: tzinfo) -> str:
    """The digest as plain text: no tags, no entities, every address in full."""
    return _text(_digest_lines(digest, tz))


def render_dispute_html(dispute: Dispute, tz: tzinfo, *, most: int = 0) -> str:
    """One dispute with its figures' claim numbers, for /claims (which marks nothing as new);
    ``most`` figures at most (0: all)."""
    return _html(_dispute_lines(dispute, tz, marks_new=False, ids=True, most=most))


def render_dispute_text(dispute: Dispute, tz: tzinfo, *, most: int = 0) -> str:
    return _text(_dispute_lines(dispute, tz, marks_new=False, ids=True, most=most))


def render_caption(dispute: Dispute) -> str:
    """A chart's caption (Telegram HTML, well under the 1,024 characters of a caption)."""
    spread = f": {dispute.spread.text}" if dispute.spread is not None else ""
    reports = ngettext("%(count)s report", "%(count)s reports", len(dispute.figures))
    line = [_Text(dispute.topic[:200], "b"), _Text(f" — {dispute.quantity[:200]}{spread}"),
            _Text(f" ({reports}, #{dispute.id})")]  # fmt: skip
    return _html([line])


def render_alert_html(alert: Alert, tz: tzinfo) -> list[str]:
    return split_message(_html(_alert_lines(alert, tz)))


def render_alert_text(alert: Alert, tz: tzinfo) -> str:
    return _text(_alert_lines(alert, tz))


def _html(lines: Iterable[_Line]) -> str:
    return "\n".join("".join(_html_segment(s) for s in line) for line in lines)


def _html_segment(segment: _Segment) -> str:
    text = html.escape(_one_line(segment.text), quote=False)
    if isinstance(segment, _Link):
        if not segment.url or not _linkable(segment.url):
            return text
        return f'<a href="{html.escape(segment.url, quote=True)}">{text}</a>'
    return f"<{segment.style}>{text}</{segment.style}>" if segment.style else text


def _one_line(text: str) -> str:
    """A feed's or a chat's text stays on its line: lines are what messages are split at."""
    return text.replace("\r", " ").replace("\n", " ")


def _linkable(url: str) -> bool:
    """Web and tg:// addresses Telegram takes; never "javascript:", never an endless one."""
    return len(url) <= MAX_LINK_LENGTH and _LINKABLE.match(url) is not None


def _text(lines: Iterable[_Line]) -> str:
    return "\n".join("".join(_text_segment(s) for s in line) for line in lines)


def _text_segment(segment: _Segment) -> str:
    text = _one_line(segment.text)
    if isinstance(segment, _Link) and segment.url:
        return segment.url if segment.bare else f"{text} ({segment.url})"
    return text


# --- splitting -----------------------------------------------------------------------------

_TOKEN = re.compile(  # a tag, an entity, a newline, a run of text, or a stray "<" or "&"
    r"</?\s*[a-zA-Z][\w-]*[^<>]*>|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});"
    r"|\n|[^<&\n]+|[<&]"
)
_TAG = re.compile(r"<(/?)\s*([a-zA-Z][\w-]*)[^<>]*?(/?)>")


def split_message(html_text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Telegram HTML cut into messages of at most ``limit`` UTF-16 code units (what Telegram
    counts), at line boundaries where possible. A line longer than a message is cut between
    words (inside a word when it has to), never inside a tag or an entity; tags open at a cut
    are closed before it and reopened after it, so every message is balanced. A tag that could
    not fit even an empty message is dropped with its closing tag, its text kept. Blank
    messages are left out."""
    if limit < _MIN_LIMIT:
        raise ValueError(f"a message limit of {limit} is too small to split at")
    if _units(html_text) <= limit:
        return [html_text] if _visible(html_text) else []
    tokens = deque(_TOKEN.findall(html_text))
    messages: list[str] = []
    open_tags: list[_OpenTag] = []
    while tokens:
        message, open_tags = _next_message(tokens, open_tags, limit)
        if _visible(message):
            messages.append(message)
    return messages


_MIN_LIMIT = 32  # room for any entity and a few tags


@dataclass(frozen=True, slots=True)
class _OpenTag:
    name: str
    opening: str  # the tag as written; "" when it was dropped


def _next_message(
    tokens: deque[str], open_tags: list[_OpenTag], limit: int
) -> tuple[str, list[_OpenTag]]:
    """Take the tokens of one message, which starts inside ``open_tags``, off ``tokens``;
    return it and the tags open at its end."""
    while tokens and tokens[0] == "\n":
        tokens.popleft()
    prefix = "".join(tag.opening for tag in open_tags)
    parts: list[str] = []
    used = _units(prefix)
    stack = list(open_tags)
    last_break: tuple[int, int, list[_OpenTag]] | None = None  # (parts before it, used, stack)
    while tokens:
        token = tokens[0]
        after = _after(stack, token)
        if _closes_nothing(stack, token):
            tokens.popleft()
            stack = after
            continue
        if used + _units(token) + _closing_units(after) <= limit:
            if token == "\n":
                last_break = (len(parts), used, list(stack))
            parts.append(tokens.popleft())
            used += _units(token)
            stack = after
            continue
        if last_break is not None and last_break[0] > 0:  # end at the last line boundary
            kept, used, stack = last_break
            tokens.extendleft(reversed(parts[kept + 1 :]))  # the newline itself is dropped
            del parts[kept:]
        elif not token.startswith(("<", "&")):  # a line longer than a message: cut its text
            head = _head(token, limit - used - _closing_units(stack))
            if head:
                parts.append(head)
                tokens[0] = token[len(head) :]
        elif not parts and _TAG.fullmatch(token) and not _is_closing(token):
            tokens.popleft()  # it would not fit even alone: drop it, and its closing tag
            stack = [*stack, _OpenTag(_tag_name(token), "")]
            continue
        break
    if not parts and tokens and stack == open_tags:  # no room left after the reopened tags
        return "", []  # go on without them
    while parts and parts[-1] == "\n":
        parts.pop()
    return prefix + "".join(parts) + _closers(stack), stack


def _head(text: str, room: int) -> str:
    """The longest start of ``text`` within ``room`` code units, cut after a space if one is
    in its second half."""
    head = []
    used = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > room:
            break
        head.append(char)
        used += width
    cut = "".join(head)
    space = cut.rfind(" ")
    return cut[: space + 1] if space >= len(cut) // 2 and len(cut) < len(text) else cut


def _after(stack: list[_OpenTag], token: str) -> list[_OpenTag]:
    """The open tags after ``token``."""
    match = _TAG.fullmatch(token)
    if match is None or match.group(3):  # not a tag, or self-closing
        return stack
    name = match.group(2).lower()
    if not match.group(1):
        return [*stack, _OpenTag(name, token)]
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth].name == name:
            return stack[:depth] + stack[depth + 1 :]
    return stack


def _is_closing(token: str) -> bool:
    match = _TAG.fullmatch(token)
    return match is None or bool(match.group(1))


def _tag_name(token: str) -> str:
    match = _TAG.fullmatch(token)
    return match.group(2).lower() if match else ""


def _closes_nothing(stack: list[_OpenTag], token: str) -> bool:
    """A closing tag of a dropped tag, or of none at all: left out, to stay balanced."""
    match = _TAG.fullmatch(token)
    if match is None or not match.group(1):
        return False
    name = match.group(2).lower()
    innermost = next((tag for tag in reversed(stack) if tag.name == name), None)
    return innermost is None or not innermost.opening


def _closers(stack: list[_OpenTag]) -> str:
    return "".join(f"</{tag.name}>" for tag in reversed(stack) if tag.opening)


def _closing_units(stack: list[_OpenTag]) -> int:
    return sum(len(tag.name) + 3 for tag in stack if tag.opening)


def _units(text: str) -> int:
    """Length in UTF-16 code units: characters beyond the BMP (most emoji) count twice."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _visible(message: str) -> bool:
    return bool(re.sub(r"<[^<>]*>", "", message).strip())
