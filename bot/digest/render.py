"""Rendering digests and alerts: Telegram HTML messages, or plain text for the terminal chat.

Both renderings come from one list of lines made of segments (``lines``), so the terminal shows
exactly what Telegram would; a claim reads as ``claim_line`` draws it, wherever it is shown.
Dates are shown in the chat's time zone; words, numbers and dates in the current language
(``bot.translation``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.analysis.stories import Story
from bot.digest.build import (
    Alert,
    AlertEntry,
    ChangeKind,
    Digest,
    LedgerChange,
    TopicSection,
)
from bot.digest.claim_line import claim_segments, speaker_words, with_number
from bot.digest.disputes import Disagreement, Dispute, Figure, number
from bot.digest.lines import Line, Link, Segment, Text, to_html, to_text
from bot.digest.split import split_message
from bot.translation import N_, _, format_day, format_moment, ngettext
from storage.records import ConflictKind, Polarity

CHANGE_WORDS = {
    ChangeKind.NEW_FIGURE: N_("new figure"),
    ChangeKind.DENIAL: N_("denial"),
    ChangeKind.UNSOURCED: N_("unsourced"),
}


def _digest_lines(digest: Digest, tz: tzinfo) -> list[Line]:
    if digest.is_empty:
        if digest.since:
            nothing = _("Nothing new on your topics since %(since)s.",
                        since=_moment(digest.since, tz))  # fmt: skip
        else:
            nothing = _("Nothing new on your topics yet.")
        return [[Text(nothing)]]
    until = _moment(digest.until, tz)
    if digest.since:
        window = _(": %(since)s – %(until)s", since=_moment(digest.since, tz), until=until)
    else:
        window = _(": until %(until)s", until=until)
    lines: list[Line] = [[Text(_("Digest"), "b"), Text(window)]]
    for section in digest.sections:
        lines += [[], *_section_lines(section, tz)]
    if digest.more:
        more = ngettext("and %(count)s more — see /claims", "and %(count)s more — see /claims",
                        digest.more)  # fmt: skip
        lines += [[], [Text(more)]]
    return lines


def _section_lines(section: TopicSection, tz: tzinfo) -> list[Line]:
    lines: list[Line] = [[Text(section.topic, "b")]]
    if section.disputes:
        lines.append([Text(_("Disputed figures"), "b")])
        for dispute in section.disputes:
            lines += _dispute_lines(dispute, tz)
    if section.changes:
        lines.append([Text(_("Ledger changes"), "b")])
        lines += [_change_line(change, tz) for change in section.changes]
    if section.stories:
        lines.append([Text(_("Stories"), "b")])
        lines += [_story_line(story) for story in section.stories]
    return lines


def _dispute_lines(
    dispute: Dispute, tz: tzinfo, *, marks_new: bool = True, ids: bool = False, most: int = 0
) -> list[Line]:
    """The quantity and its spread, then one line a figure, lowest first; with ``ids`` each
    figure's claim number; with ``most``, at most that many figures (the lowest and the highest
    kept, a line says how many more)."""

    def line(figure: Figure) -> Line:
        shown = _figure_line(figure, tz, marks_new=marks_new)
        return with_number(shown, figure.claim) if ids else shown

    figures = dispute.figures
    lines = [_dispute_heading(dispute, marks_new=marks_new)]
    if not most or len(figures) <= most:
        return lines + [line(figure) for figure in figures]
    low_end, high_end = figures[: most // 2], figures[len(figures) - (most - most // 2) :]
    more = len(figures) - most
    lines += [line(figure) for figure in low_end]
    lines.append([Text("    … " + ngettext("%(count)s more between them: /claims show %(id)s",
                                              "%(count)s more between them: /claims show %(id)s",
                                              more, id=dispute.id))])  # fmt: skip
    lines += [line(figure) for figure in high_end]
    return lines


def _dispute_heading(dispute: Dispute, *, marks_new: bool) -> Line:
    spread = dispute.spread
    count = len(dispute.figures)
    new = len(dispute.new_figures)
    tally = ngettext("%(count)s report", "%(count)s reports", count)
    if marks_new and new:
        tally = ngettext("%(reports)s, %(count)s new", "%(reports)s, %(count)s new", new,
                         reports=tally)  # fmt: skip
    segments: list[Segment] = [Text("• "), Text(dispute.quantity, "b")]
    if spread is not None:
        segments.append(Text(f": {spread.text}"))
    segments.append(Text(f" ({tally}, #{dispute.id})"))
    return segments


def _figure_line(figure: Figure, tz: tzinfo, *, marks_new: bool = True) -> list[Segment]:
    notes = [*([_("new")] if marks_new and figure.is_new else []), *_notes(figure, tz)]
    segments: list[Segment] = [Text("    "), *claim_segments(figure.claim, tz, url=figure.url)]
    if notes:
        segments += [Text(" · "), Text(" · ".join(notes), "i")]
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


def _change_line(change: LedgerChange, tz: tzinfo) -> Line:
    kind = _(CHANGE_WORDS.get(change.kind, str(change.kind)))
    return [Text("• "), Text(kind, "i"), Text(f" — {change.quantity}: "),
            *claim_segments(change.claim, tz, url=change.url)]  # fmt: skip


def _story_line(story: Story) -> Line:
    count = ngettext("%(count)s source", "%(count)s sources", story.coverage)
    segments: list[Segment] = [Text("• "), Text(story.title), Text(f" — {count}: ")]
    for n, link in enumerate(story.links):
        if n:
            segments.append(Text(", "))
        segments.append(Link(link.name, link.url))
    return segments


def _alert_lines(alert: Alert, tz: tzinfo) -> list[Line]:
    new = sum(len(entry.new) for entry in alert.entries)
    heading = ngettext("New disputed figure", "New disputed figures", new)
    by_topic: dict[str, list[AlertEntry]] = {}
    for entry in alert.entries:
        by_topic.setdefault(entry.dispute.topic, []).append(entry)
    lines: list[Line] = [[Text(heading, "b")]]
    for topic, entries in by_topic.items():
        lines += [[], [Text(topic, "b")]]
        for entry in entries:
            lines += _alert_entry_lines(entry, tz)
    return lines


def _alert_entry_lines(entry: AlertEntry, tz: tzinfo) -> list[Line]:
    """ "Pentagon: 10,000, against 1,500–3,000 on record", one line a new figure."""
    lines: list[Line] = [_dispute_heading(entry.dispute, marks_new=False)]
    against = on_record_text(entry.on_record)
    for figure in entry.new:
        speaker = speaker_words(figure.speaker)
        said = (
            _("%(speaker)s denies it", speaker=speaker)
            if _denies(figure)
            else f"{speaker}: {figure.value}"
        )
        segments: list[Segment] = [Text("    "), Text(said, "b")]
        if against:
            segments.append(Text(_(", against %(figures)s on record", figures=against)))
        segments.append(Text(f" — {_day(figure.stated_at, tz)}"))
        if figure.url:
            segments += [Text(" ("), Link(_("source"), figure.url, bare=True), Text(")")]
        notes = _notes(figure, tz)
        if notes:
            segments += [Text(" · "), Text(" · ".join(notes), "i")]
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
    return split_message(to_html(_digest_lines(digest, tz)))


def render_text(digest: Digest, tz: tzinfo) -> str:
    """The digest as plain text: no tags, no entities, every address in full."""
    return to_text(_digest_lines(digest, tz))


def render_dispute_html(dispute: Dispute, tz: tzinfo, *, most: int = 0) -> str:
    """One dispute with its figures' claim numbers, for /claims (which marks nothing as new);
    ``most`` figures at most (0: all)."""
    return to_html(_dispute_lines(dispute, tz, marks_new=False, ids=True, most=most))


def render_dispute_text(dispute: Dispute, tz: tzinfo, *, most: int = 0) -> str:
    return to_text(_dispute_lines(dispute, tz, marks_new=False, ids=True, most=most))


def render_caption(dispute: Dispute) -> str:
    """A chart's caption (Telegram HTML, well under the 1,024 characters of a caption)."""
    spread = f": {dispute.spread.text}" if dispute.spread is not None else ""
    reports = ngettext("%(count)s report", "%(count)s reports", len(dispute.figures))
    line = [Text(dispute.topic[:200], "b"), Text(f" — {dispute.quantity[:200]}{spread}"),
            Text(f" ({reports}, #{dispute.id})")]  # fmt: skip
    return to_html([line])


def render_alert_html(alert: Alert, tz: tzinfo) -> list[str]:
    return split_message(to_html(_alert_lines(alert, tz)))


def render_alert_text(alert: Alert, tz: tzinfo) -> str:
    return to_text(_alert_lines(alert, tz))
