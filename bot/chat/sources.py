"""/sources: the feeds and channels watched, with their health; adding, removing, resuming one.

Anyone may look. The bot's admins may add, remove and resume any source; a group's (or
channel's) admins may add sources from their chat, which records it, and remove or resume only
those.
"""

from __future__ import annotations

from datetime import datetime

from bot.chat.access import Access, is_shared, require
from bot.chat.arguments import parse_id, split_first
from bot.chat.limits import SOURCES_PER_GROUP
from bot.chat.markup import bold, day, escape, fit, link, local_minute
from bot.chat.requests import NotAllowedError, Reply, Request, UsageError
from bot.ingest.retrieval import Retrieved
from bot.ingest.sources import (
    Removal,
    Resumption,
    SourceAdded,
    SourceRefused,
    add_source,
    list_sources,
    remove_source,
    resume_source,
)
from bot.translation import N_, _, ngettext
from storage.records import SourceHealth, SourceKind, SourceStatus

USAGE = N_("Write /sources, /sources add <url>, /sources remove <id> or /sources resume <id>.")
RESUME_HINT = N_(
    "⏸ Paused sources are not fetched: /sources resume &lt;id&gt; fetches one again (the bot's "
    "admins; a group's admins for the sources their group added)."
)
STATUS_MARKS = {SourceStatus.ACTIVE: "✅", SourceStatus.FAILING: "⚠️", SourceStatus.PAUSED: "⏸"}
STATUS_WORDS = {
    SourceStatus.ACTIVE: N_("active"),
    SourceStatus.FAILING: N_("failing"),
    SourceStatus.PAUSED: N_("paused"),
}


async def sources_command(request: Request) -> Reply:
    verb, rest = split_first(request.args)
    if verb == "add":
        return await _add(request, rest)
    if verb == "remove":
        return await _remove(request, rest)
    if verb == "resume":
        return await _resume(request, rest)
    if request.args:
        raise UsageError(_(USAGE))
    return Reply(render_sources(await list_sources(request.services)))


async def _add(request: Request, url: str) -> Reply:
    if not url or len(url.split()) != 1:
        raise UsageError(
            _("Give one address: a feed, a web page, https://t.me/<channel> or @channel.")
        )
    await require(Access.BOT_OR_GROUP_ADMINS, request, _("add sources"))
    shared = is_shared(request)
    added = await add_source(
        request.services, url, now=request.now,
        added_by_chat_id=request.chat.id if shared else None,
        most_per_chat=None if request.is_bot_admin else SOURCES_PER_GROUP,
    )  # fmt: skip
    return Reply(render_added(added))


async def _remove(request: Request, argument: str) -> Reply:
    source_id = parse_id(argument, _("the source's number from /sources, e.g. /sources remove 3"))
    await require(Access.BOT_OR_GROUP_ADMINS, request, _("remove sources"))
    only_added_by = None if request.is_bot_admin else request.chat.id
    removed = await remove_source(request.services, source_id, only_added_by=only_added_by)
    if removed is Removal.NOT_YOURS:
        raise NotAllowedError(_("A group's admins can remove only the sources their group added."))
    if removed is Removal.NOT_FOUND:
        return Reply(_("There is no source #%(id)s.", id=source_id))
    return Reply(_("Removed source #%(id)s and its items.", id=source_id))


async def _resume(request: Request, argument: str) -> Reply:
    source_id = parse_id(argument, _("the source's number from /sources, e.g. /sources resume 3"))
    await require(Access.BOT_OR_GROUP_ADMINS, request, _("resume sources"))
    only_added_by = None if request.is_bot_admin else request.chat.id
    resumed = await resume_source(
        request.services.db, source_id, now=request.now, only_added_by=only_added_by
    )
    if resumed is Resumption.NOT_YOURS:
        raise NotAllowedError(_("A group's admins can resume only the sources their group added."))
    if resumed is Resumption.NOT_FOUND:
        return Reply(_("There is no source #%(id)s.", id=source_id))
    if resumed is Resumption.NOT_PAUSED:
        return Reply(_("Source #%(id)s is not paused: it is fetched already.", id=source_id))
    return Reply(
        _("Resumed source #%(id)s: it is fetched at the next poll, its error count starting "
          "anew.", id=source_id)
    )  # fmt: skip


def status_word(status: SourceStatus) -> str:
    return _(STATUS_WORDS[status])


def render_sources(rows: list[SourceHealth]) -> str:
    if not rows:
        return _("No sources yet. The bot's admins add them with /sources add &lt;url&gt;.")
    lines = [_("<b>Sources</b> (%(count)s):", count=len(rows))]
    if any(row.source.status is SourceStatus.PAUSED for row in rows):
        lines.append(_(RESUME_HINT))  # first: a long list is cut at the end
    for row in rows:
        lines += _source_lines(row)
    return fit(lines)


def _source_lines(row: SourceHealth) -> list[str]:
    source = row.source
    name = link(source.url, source.display_name, 80)
    lines = [
        f"{STATUS_MARKS[source.status]} #{source.id} {name} · {source.kind} · "
        + ngettext("%(count)s item", "%(count)s items", row.items)
        + f" · {status_word(source.status)} · "
        + _("last success %(when)s", when=_when(source.last_success_at))
    ]
    if source.error_count or source.last_error:
        errors = ngettext("%(count)s error since %(since)s", "%(count)s errors since %(since)s",
                          source.error_count, since=day(source.failing_since))  # fmt: skip
        reason = source.last_error or _("unknown")
        lines.append(f"   {errors}: {escape(reason, 200)}")
    return lines


def render_added(added: SourceAdded | SourceRefused) -> str:
    if isinstance(added, SourceRefused):
        if added.duplicate:
            return _("%(address)s is already a source.", address=escape(added.address))
        return _("Could not add %(address)s: %(reason)s. Nothing was stored.",
                 address=escape(added.address), reason=escape(added.reason))  # fmt: skip
    source, outcome = added.source, added.outcome
    every = _("checked every %(minutes)s min", minutes=int(source.interval.total_seconds() // 60))
    if not isinstance(outcome, Retrieved):
        return _("Added source #%(id)s: %(url)s (%(every)s).", id=source.id,
                 url=escape(source.url), every=every)  # fmt: skip
    if outcome.kind is SourceKind.TELEGRAM:
        kind = _("Telegram channel")
    else:
        kind = _("%(kind)s feed", kind=outcome.kind)
    title = f" {bold(outcome.title, 100)}" if outcome.title else ""
    items = ngettext("%(count)s item", "%(count)s items", len(outcome.items))
    lines = [
        _("Added source #%(id)s: %(kind)s, %(items)s (%(every)s).", id=source.id,
          kind=kind + title, items=items, every=every),
        _("Address: %(url)s", url=escape(source.url)),
    ]  # fmt: skip
    return "\n".join([*lines, escape(outcome.note)] if outcome.note else lines)


def _when(at: datetime | None) -> str:
    return f"{local_minute(at)} UTC" if at else _("never")
