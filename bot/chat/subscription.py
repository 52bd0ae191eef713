"""/start, /stop and /forget (with its confirmation buttons): a chat joining and leaving."""

from __future__ import annotations

from bot.chat.access import Access, require
from bot.chat.callbacks import EXPIRED, FORGET_CANCEL, FORGET_CONFIRM
from bot.chat.limits import FORGET_BUTTON_SECONDS
from bot.chat.markup import escape
from bot.chat.requests import Button, Reply, Request
from bot.subscribers.chats import (
    Subscription,
    forget_chat,
    subscribe_chat,
    unsubscribe_chat,
)
from bot.translation import N_, _, format_clock, language_of, ngettext
from storage.records import Subscriber, Topic

TOPICS_NAMED = 10  # in the welcome; /topics lists them all
ABOUT = N_(
    "👋 <b>claimwatch</b> watches news feeds and Telegram channels for the stories you track, "
    "keeps a ledger of the figures sources give (who said which number, when) and flags "
    "reports that contradict each other."
)
NEXT_STEPS = N_(
    "Next: /topics shows what this chat follows, /track adds a topic, /claims shows the "
    "ledger, /settings sets the digest time, time zone and alerts, /help lists everything."
)


async def start_command(request: Request) -> Reply:
    chat = request.chat
    language = language_of(request.user.language_code if request.user else None)
    subscription = await subscribe_chat(
        request.services, chat.id, chat.kind, chat.title, thread_id=chat.thread_id,
        now=request.now, language=language,
    )  # fmt: skip
    return Reply(render_welcome(subscription))


async def stop_command(request: Request) -> Reply:
    if await unsubscribe_chat(request.services, request.chat.id):
        return Reply(
            _("Stopped: no more digests or alerts here. This chat's settings and topics are "
              "kept: /start resumes, /forget deletes them.")
        )  # fmt: skip
    return Reply(_("This chat is not subscribed. /start subscribes it."))


async def forget_command(request: Request) -> Reply:
    offered_at = int(request.now.timestamp())
    buttons = (
        Button(_("Delete"), FORGET_CONFIRM.data(offered_at)),
        Button(_("Cancel"), FORGET_CANCEL.data()),
    )
    return Reply(
        _("Delete this chat's settings and topic list? Digests and alerts stop. Claims and "
          "topics stay in the shared ledger."),
        buttons=(buttons,),
    )  # fmt: skip


async def forget_confirm_button(request: Request) -> Reply:
    await require(Access.CHAT_ADMINS, request, _("delete this chat's data"))
    age = request.now.timestamp() - int(request.args)
    if not -60 <= age <= FORGET_BUTTON_SECONDS:
        return Reply("", toast=_(EXPIRED))
    if await forget_chat(request.services, request.chat.id):
        return Reply(
            _("Deleted this chat's settings and topic list. /start begins anew."),
            toast=_("Deleted"),
        )
    return Reply(
        _("There was nothing to delete: this chat is not subscribed."),
        toast=_("Nothing to delete"),
    )


async def forget_cancel_button(request: Request) -> Reply:
    return Reply(_("Nothing was deleted."), toast=_("Cancelled"))


def render_welcome(subscription: Subscription) -> str:
    subscriber = subscription.subscriber
    if subscription.already:
        opening = _("This chat is already subscribed.")
    elif subscription.resumed:
        opening = _("Welcome back: digests and alerts resume with this chat's settings.")
    else:
        opening = _(ABOUT)
    lines = [opening, "", _following(subscriber, subscription.topics), _schedule(subscriber)]
    return "\n".join([*lines, "", _(NEXT_STEPS)])


def _following(subscriber: Subscriber, topics: list[Topic]) -> str:
    if not topics:
        return _("This chat follows no topics yet: /track adds one.")
    names = ", ".join(escape(t.name, 80) for t in topics[:TOPICS_NAMED])
    if len(topics) > TOPICS_NAMED:
        names = ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more",
                         len(topics) - TOPICS_NAMED, names=names)  # fmt: skip
    if subscriber.follows_all_topics:
        return ngettext("It follows every topic (%(count)s): %(names)s.",
                        "It follows every topic (%(count)s): %(names)s.", len(topics),
                        names=names)  # fmt: skip
    return ngettext("It follows %(count)s topic: %(names)s.",
                    "It follows %(count)s topics: %(names)s.", len(topics),
                    names=names)  # fmt: skip


def _schedule(subscriber: Subscriber) -> str:
    at = format_clock(subscriber.digest_time)
    zone = escape(subscriber.timezone)
    if subscriber.alerts:
        return _("The digest comes every day at %(at)s (%(zone)s); alerts about new conflicts "
                 "are on.", at=at, zone=zone)  # fmt: skip
    return _("The digest comes every day at %(at)s (%(zone)s); alerts about new conflicts are "
             "off.", at=at, zone=zone)  # fmt: skip
