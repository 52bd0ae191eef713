"""/status, for the bot's admins: sources due and failing, the outbox, chats, digests."""

from __future__ import annotations

from bot.app.health import RECENT_FAILURES, Health, collect_health
from bot.chat.markup import escape, fit, link, local_minute
from bot.chat.requests import Reply, Request
from bot.chat.sources import status_word
from bot.translation import N_, _, format_integer, ngettext
from storage.records import OutboxKind, SourceStatus

KIND_WORDS = {OutboxKind.DIGEST: N_("digest"), OutboxKind.ALERT: N_("alert"),
              OutboxKind.NOTICE: N_("notice")}  # fmt: skip


async def status_command(request: Request) -> Reply:
    return Reply(render_status(await collect_health(request.services, request.now)))


def render_status(health: Health) -> str:
    counts = health.sources_by_status
    pending = ", ".join(
        f"{format_integer(n)} {_(KIND_WORDS.get(kind, str(kind)))}"
        for kind, n in health.outbox_pending.items()
        if n
    )
    hours = int(RECENT_FAILURES.total_seconds() // 3600)
    waiting = (
        _("%(pending)s waiting, the oldest from %(oldest)s", pending=pending,
          oldest=local_minute(health.outbox_oldest_pending_at))
        if pending
        else _("nothing waiting")
    )  # fmt: skip
    failed = ngettext("%(count)s message failed in the last %(hours)s h",
                      "%(count)s messages failed in the last %(hours)s h",
                      health.outbox_failed_recently, hours=hours)  # fmt: skip
    lines = [
        _("<b>claimwatch status</b> (times in UTC)"),
        _("Sources: %(total)s — %(active)s active, %(failing)s failing, %(paused)s paused; "
          "%(due)s due now", total=format_integer(sum(counts.values())),
          active=format_integer(counts[SourceStatus.ACTIVE]),
          failing=format_integer(counts[SourceStatus.FAILING]),
          paused=format_integer(counts[SourceStatus.PAUSED]),
          due=format_integer(health.sources_due)),
        _("Outbox: %(waiting)s; %(failed)s", waiting=waiting, failed=failed),
        _("Chats: %(count)s active", count=format_integer(health.active_chats)),
        _("Last scheduled digest: %(at)s", at=local_minute(health.last_digest_at)),
    ]  # fmt: skip
    if health.worst_sources:
        lines += ["", _("Worst sources:")]
        lines += [
            f"#{s.id} {link(s.url, s.display_name, 60)} · {status_word(s.status)} · "
            + ngettext("%(count)s error", "%(count)s errors", s.error_count)
            + ": "
            + escape(s.last_error or _("unknown"), 150)
            for s in health.worst_sources
        ]
    return fit(lines)
