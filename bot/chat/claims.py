"""/claims: the ledger of this chat's topics, paged, each dispute once; search; add, show, chart
and remove one claim."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC

from bot.chat.access import is_group
from bot.chat.arguments import parse_id, split_first
from bot.chat.callbacks import CLAIMS_PAGE
from bot.chat.limits import CLAIMS_PAGE_SIZE, CLAIMS_SEARCH_POOL, CLAIMS_SEARCH_RESULTS
from bot.chat.markup import bold, code, escape, fit, link
from bot.chat.requests import Button, NotAllowedError, Reply, Request, UsageError
from bot.digest.claim_line import claim_html, format_value, quantity_of, who
from bot.digest.disputes import KIND_WORDS
from bot.digest.render import render_caption, render_dispute_html
from bot.ledger.queries import (
    Addition,
    ClaimAddition,
    ClaimDetails,
    ClaimList,
    ClaimRemoval,
    add_chat_claim,
    claim_details,
    claims_page,
    find_dispute,
    remove_claim,
    search_claims,
)
from bot.translation import N_, _
from storage.records import Claim, ClaimOrigin, Item

MAX_PAGE = 99_999  # what a page button's data can carry
NAME_CHARS = 60  # topics and quantities are shortened to this in lists
SHOW_HINT = N_(
    "/claims show &lt;id&gt; tells where a claim comes from and what it conflicts with; "
    "/claims chart &lt;id&gt; draws a dispute."
)
LISTED_FIGURES = 12  # a dispute in a listing shows at most this many figures
CHART_HINT = N_("Give a claim's number or words to find it, e.g. /claims chart 42")
EXAMPLE = N_("The White House said about 3,000 North Korean troops had arrived in Russia.")
NOT_YOURS = N_(
    "You can remove only claims you added. Group admins can remove claims added in chats; "
    "the bot's admins can remove any."
)


async def claims_command(request: Request) -> Reply:
    verb, rest = split_first(request.args)
    action = _ACTIONS.get(verb)
    if action is not None:
        return await action(request, rest)
    if request.args:
        return await _search(request, request.args)
    return await _page(request, 0)


async def claims_page_button(request: Request) -> Reply:
    return await _page(request, int(request.args))


async def _page(request: Request, page: int) -> Reply:
    listing = await claims_page(request.services.db, request.chat.id, page, CLAIMS_PAGE_SIZE)
    if not listing.claims:
        if page == 0:
            return Reply(_("No claims on record for this chat's topics yet."))
        return Reply(_("No more claims."), buttons=_page_buttons(listing))
    heading = _("<b>Claims</b> on this chat's topics, newest first (page %(page)s)", page=page + 1)
    return Reply(render_claims(listing, heading), buttons=_page_buttons(listing))


async def _search(request: Request, text: str) -> Reply:
    found = await search_claims(
        request.services.db, request.chat.id, text,
        pool=CLAIMS_SEARCH_POOL, limit=CLAIMS_SEARCH_RESULTS,
    )  # fmt: skip
    if not found.claims:
        return Reply(
            _("No claim reads like %(text)s. /claims lists them all.", text=bold(text, 100))
        )
    return Reply(render_claims(found, _("<b>Claims</b> like %(text)s", text=bold(text, 100))))


async def _add(request: Request, statement: str) -> Reply:
    if not statement:
        raise UsageError(_("Give the statement to add, e.g. /claims add %(example)s",
                           example=_(EXAMPLE)))  # fmt: skip
    user_id = request.user.id if request.user else None
    added = await add_chat_claim(
        request.services, request.chat.id, statement, added_by=user_id, now=request.now
    )
    return Reply(render_addition(added))


async def _show(request: Request, argument: str) -> Reply:
    claim_id = parse_claim_id(argument)
    details = await claim_details(request.services.db, claim_id)
    if details is None:
        return Reply(_("There is no claim #%(id)s.", id=claim_id))
    return Reply(render_details(details))


async def _chart(request: Request, argument: str) -> Reply:
    if not argument:
        raise UsageError(_(CHART_HINT))
    dispute = await find_dispute(request.services.db, request.chat.id, argument)
    if dispute is None:
        return Reply(
            _("No dispute to draw for %(what)s: that claim agrees with the others on record, or "
              "there is no such claim. /claims lists the disputes.", what=bold(argument, 100))
        )  # fmt: skip
    from bot.digest.chart import draw_chart  # matplotlib: only when a chart is asked for

    png = await asyncio.to_thread(draw_chart, dispute)  # a few hundred ms of drawing
    return Reply(render_caption(dispute), photo=png)


async def _remove(request: Request, argument: str) -> Reply:
    claim_id = parse_claim_id(argument)
    group_admin = is_group(request) and await request.is_chat_admin()
    removed = await remove_claim(
        request.services, claim_id, user_id=request.user.id if request.user else None,
        any_claim=request.is_bot_admin, chat_claims=group_admin,
    )  # fmt: skip
    if removed is ClaimRemoval.NOT_YOURS:
        raise NotAllowedError(_(NOT_YOURS))
    if removed is ClaimRemoval.NOT_FOUND:
        return Reply(_("There is no claim #%(id)s.", id=claim_id))
    return Reply(_("Removed claim #%(id)s and its conflicts.", id=claim_id))


_ACTIONS: dict[str, Callable[[Request, str], Awaitable[Reply]]] = {
    "add": _add,
    "show": _show,
    "chart": _chart,
    "remove": _remove,
}


def parse_claim_id(text: str) -> int:
    return parse_id(text, _("a claim's number, e.g. 42 (the #42 in /claims)"))


def render_claims(listing: ClaimList, heading: str) -> str:
    """Disputes, each once with its figures, and claims in none grouped quantity by quantity
    (topic and what is counted), in order of appearance."""
    lines = [heading]
    for group in listing.groups():
        topic = bold(group.topic, NAME_CHARS)
        if group.dispute is not None:
            disputed = _("disputed")  # not inside the f-string: the extractor would miss it
            lines += ["", f"{topic} · ⚠ {disputed}"]
            lines += render_dispute_html(group.dispute, UTC, most=LISTED_FIGURES).splitlines()
            continue
        lines += ["", f"{topic} · {escape(group.quantity, NAME_CHARS)}"]
        lines += [f"• {claim_html(c, UTC, url=listing.urls.get(c.id))}" for c in group.claims]
    return fit([*lines, "", _(SHOW_HINT)])


def render_details(details: ClaimDetails) -> str:
    claim, facts = details.claim, details.claim.claim
    lines = [
        _("<b>Claim #%(id)s</b> · %(topic)s", id=claim.id, topic=bold(facts.topic, NAME_CHARS)),
        f"{escape(quantity_of(facts))}: {claim_html(claim, UTC, number=False)}",
        f"“{escape(facts.sentence, 700)}”",
        _origin(details),
    ]
    if details.dispute is not None:
        lines += ["", _("⚠ In dispute #%(dispute)s (/claims chart %(id)s draws it):",
                        dispute=details.dispute.id, id=claim.id)]  # fmt: skip
        lines += render_dispute_html(details.dispute, UTC).splitlines()
    if details.supporting:
        lines += ["", _("Agrees with:")]
        lines += [_related(other, details.items, "•") for other in details.supporting]
    if details.conflicts:
        lines += ["", _("Conflicts:")]
        for conflict, other in details.conflicts:
            lines.append(_related(other, details.items, f"⚠ {_(KIND_WORDS[conflict.kind])}:"))
            lines.append(f"   {escape(conflict.reason, 300)}")
    return fit(lines)


def render_addition(added: ClaimAddition) -> str:
    if added.outcome is Addition.NO_TOPIC:
        names = ", ".join(bold(name, NAME_CHARS) for name in added.topic_names[:10])
        return _("Which topic is it about? Name it before a colon: %(form)s. This chat follows: "
                 "%(names)s.", form=code("/claims add <topic>: <statement>"),
                 names=names or _("nothing"))  # fmt: skip
    topic = bold(added.topic or "", NAME_CHARS)
    if added.outcome is Addition.NOT_PARSED or added.claim is None:
        return _("I found no figure or denial about %(topic)s in that statement, so nothing was "
                 "added. A statement that works: %(example)s", topic=topic,
                 example=code("/claims add " + _(EXAMPLE)))  # fmt: skip
    facts = added.claim.claim
    lines = [
        _("Added claim #%(id)s about %(topic)s:", id=added.claim.id, topic=topic),
        _("value: %(value)s", value=escape(format_value(facts))),
        _("what: %(what)s", what=escape(quantity_of(facts))),
        _("speaker: %(who)s", who=escape(who(facts))),
    ]
    if not added.conflicts:
        return "\n".join([*lines, _("No conflict with the claims on record.")])
    lines.append(_("⚠ It conflicts with:"))
    lines += [f"#{other.id} ({_(KIND_WORDS[conflict.kind])}): {escape(conflict.reason, 300)}"
              for conflict, other in added.conflicts]  # fmt: skip
    return fit(lines)


def _origin(details: ClaimDetails) -> str:
    item = details.item
    if item is not None:
        title = item.title or details.source_name or _("the report")
        source = f" ({escape(details.source_name, NAME_CHARS)})" if details.source_name else ""
        return _("From: %(origin)s", origin=link(item.url, title, 120) + source)
    if details.claim.origin is ClaimOrigin.WATCHLIST:
        return _("From: the watchlist")
    return _("From: a chat")


def _related(other: Claim, items: dict[int, Item], mark: str) -> str:
    item = items.get(other.item_id) if other.item_id is not None else None
    return f"{mark} {claim_html(other, UTC, url=item.url if item is not None else None)}"


def _page_buttons(listing: ClaimList) -> tuple[tuple[Button, ...], ...]:
    row: list[Button] = []
    if listing.page > 0:
        row.append(Button("◀", CLAIMS_PAGE.data(listing.page - 1)))
    if listing.has_next and listing.page < MAX_PAGE:
        row.append(Button("▶", CLAIMS_PAGE.data(listing.page + 1)))
    return (tuple(row),) if row else ()
