"""The digest stage: build (pure) a chat's digest or alert from stored records, render (pure)
it as Telegram HTML messages of at most 4096 characters or as plain text for the terminal.

- ``build_disputes(claims, conflicts, urls, since=)`` -> ``Dispute`` list (disputes.py): the
  claims on one quantity whose figures disagree, each once, figures by value, the spread.
- ``topic_windows(topics, since=, until=, items=, item_topics=, source_names=, claims=,
  conflicts=, conflict_claims=, claim_items=)`` -> what each topic shows in the window
  (``TopicWindow``: nothing of a chat in it, so one job run builds it once a topic), then
  ``digest_of(topics, windows, since=, until=, size=)`` -> a chat's ``Digest``, capped;
  ``build_alert(new_conflicts, claims, items, topics, known_conflicts=)`` -> ``Alert``.
- ``claim_segments(claim, tz, url=)`` (claim_line.py): one claim as every reader sees it, its
  figure (``format_value(claim)``: "about 1,500", "10,000–12,000", "×3"), speaker, day, link.
- ``render_html(digest, tz)`` -> messages; ``render_text(digest, tz)``;
  ``render_alert_html(alert, tz)``; ``render_alert_text(alert, tz)``;
  ``render_dispute_html(dispute, tz)``; ``split_message(html, limit=4096)``.
- ``draw_chart(dispute)`` -> PNG bytes (chart.py, matplotlib without a display).
"""

from bot.digest.build import (
    Alert,
    AlertEntry,
    ChangeKind,
    Digest,
    LedgerChange,
    TopicSection,
    TopicWindow,
    build_alert,
    digest_of,
    topic_windows,
)
from bot.digest.claim_line import claim_segments, format_value
from bot.digest.render import (
    render_alert_html,
    render_alert_text,
    render_html,
    render_text,
)
from bot.digest.split import MESSAGE_LIMIT, split_message

__all__ = [
    "MESSAGE_LIMIT",
    "Alert",
    "AlertEntry",
    "ChangeKind",
    "Digest",
    "LedgerChange",
    "TopicSection",
    "TopicWindow",
    "build_alert",
    "claim_segments",
    "digest_of",
    "format_value",
    "render_alert_html",
    "render_alert_text",
    "render_html",
    "render_text",
    "split_message",
    "topic_windows",
]
