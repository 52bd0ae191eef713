"""/start, /stop and /forget (with its confirmation buttons): a chat joining and leaving."""

from __future__ import annotations

from bot.chat.access import Access, require
from bot.chat.callbacks import EXPIRED, FORGET_CANCEL, FORGET_CONFIRM
from bot.chat.limits import FORGET_BUTTON_SECONDS
from bot.chat.markup import escape, plural
from bot.chat.requests import Button, Reply, Request
from bot.subscriptions import (
    Subscription,
    forget_chat,
    subscribe_chat,
    unsubscribe_chat,
)
from storage.records import Subscriber, Topic

TOPICS_NAMED = 10  # in the welcome; /topics lists them all
ABOUT = (
    "👋 <b>claimwatch</b> watches news feeds and Telegram channels for the stories you track, "
    "keeps a ledger of the figures sources give (who said which number, when) and flags "
    "reports that contradict each other."
)
NEXT_STEPS = (
    "Next: /topics shows what this chat follows, /track adds a topic, /claims shows the "
    "ledger, /settings sets the digest time, time zone and alerts, /help lists everything."
)


async def start_command(request: Request) -> Reply:
    chat = request.chat
    subscription = await subscribe_chat(
        request.services, chat.id, chat.kind, chat.title, thread_id=chat.thread_id, now=request.now
    )
    return Reply(render_welcome(subscription))


async def stop_command(request: Request) -> Reply:
    if await unsubscribe_chat(request.services, request.chat.id):
        return Reply(
            "Stopped: no more digests or alerts here. This chat's settings and topics are "
            "kept: /start resumes, /forget deletes them."
        )
    return Reply("This chat is not subscribed. /start subscribes it.")


async def forget_command(request: Request) -> Reply:
    offered_at = int(request.now.timestamp())
    buttons = (
        Button("Delete", FORGET_CONFIRM.data(offered_at)),
        Button("Cancel", FORGET_CANCEL.data()),
    )
    return Reply(
        "Delete this chat's settings and topic list? Digests and alerts stop. Claims and "
        "topics stay in the shared ledger.",
        buttons=(buttons,),
    )


async def forget_confirm_button(request: Request) -> Reply:
    await require(Access.CHAT_ADMINS, request, "delete this chat's data")
    age = request.now.timestamp() - int(request.args)
    if not -60 <= age <= FORGET_BUTTON_SECONDS:
        return Reply("", toast=EXPIRED)
    if await forget_chat(request.services, request.chat.id):
        return Reply(
            "Deleted this chat's settings and topic list. /start begins anew.", toast="Deleted"
        )
    return Reply(
        "There was nothing to delete: this chat is not subscribed.", toast="Nothing to delete"
    )


async def forget_cancel_button(request: Request) -> Reply:
    return Reply("Nothing was deleted.", toast="Cancelled")


def render_welcome(subscription: Subscription) -> str:
    subscriber = subscription.subscriber
    if subscription.already:
        opening = "This chat is already subscribed."
    elif subscription.resumed:
        opening = "Welcome back: digests and alerts resume with this chat's settings."
    else:
        opening = ABOUT
    lines = [opening, "", _following(subscriber, subscription.topics), _schedule(subscriber)]
    return "\n".join([*lines, "", NEXT_STEPS])


def _following(subscriber: Subscriber, topics: list[Topic]) -> str:
    if not topics:
        return "This chat follows no topics yet: /track adds one."
    names = ", ".join(escape(t.name, 80) for t in topics[:TOPICS_NAMED])
    more = f" and {len(topics) - TOPICS_NAMED} more" if len(topics) > TOPICS_NAMED else ""
    if subscriber.follows_all_topics:
        return f"It follows every topic ({len(topics)}): {names}{more}."
    return f"It follows {plural(len(topics), 'topic')}: {names}{more}."


def _schedule(subscriber: Subscriber) -> str:
    at = subscriber.digest_time.strftime("%H:%M")
    alerts = "on" if subscriber.alerts else "off"
    return (
        f"The digest comes every day at {at} ({escape(subscriber.timezone)}); "
        f"alerts about new conflicts are {alerts}."
    )
