"""/status, for the bot's admins: sources due and failing, the outbox, chats, digests."""

from __future__ import annotations

from bot.chat.markup import escape, fit, link, local_minute, plural
from bot.chat.requests import Reply, Request
from bot.health import RECENT_FAILURES, Health, collect_health
from storage.records import SourceStatus


async def status_command(request: Request) -> Reply:
    return Reply(render_status(await collect_health(request.services, request.now)))


def render_status(health: Health) -> str:
    counts = health.sources_by_status
    pending = ", ".join(f"{n} {kind}" for kind, n in health.outbox_pending.items() if n)
    hours = int(RECENT_FAILURES.total_seconds() // 3600)
    waiting = (
        f"{pending} waiting, the oldest from {local_minute(health.outbox_oldest_pending_at)}"
        if pending
        else "nothing waiting"
    )
    lines = [
        "<b>claimwatch status</b> (times in UTC)",
        f"Sources: {sum(counts.values())} — {counts[SourceStatus.ACTIVE]} active, "
        f"{counts[SourceStatus.FAILING]} failing, {counts[SourceStatus.PAUSED]} paused; "
        f"{health.sources_due} due now",
        f"Outbox: {waiting}; "
        f"{plural(health.outbox_failed_recently, 'message')} failed in the last {hours} h",
        f"Chats: {health.active_chats} active",
        f"Last scheduled digest: {local_minute(health.last_digest_at)}",
    ]
    if health.worst_sources:
        lines += ["", "Worst sources:"]
        lines += [
            f"#{s.id} {link(s.url, s.display_name, 60)} · {s.status} · "
            f"{plural(s.error_count, 'error')}: {escape(s.last_error or 'unknown', 150)}"
            for s in health.worst_sources
        ]
    return fit(lines)
