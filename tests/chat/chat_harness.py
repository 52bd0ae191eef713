"""Talking to the bot as a chat would: requests built the way an adapter builds them.

chat = Conversation(bot, services, chat_id=-100, kind=ChatKind.GROUP, admin=False)
reply = await chat.send("/track Gaza: Газа")
reply = await chat.press(reply.buttons[0][0].data)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.app.services import Services
from bot.chat.commands import ChatBot
from bot.chat.requests import ChatRef, Reply, Request, UserRef
from bot.config.files import ClaimSpec, TopicSpec, Watchlist
from storage.records import ChatKind, NewItem, NewSource

START = datetime(2024, 10, 23, 12, 0, tzinfo=UTC)
ADMIN_ID = 1  # in CLAIMWATCH_ADMIN_IDS
USER_ID = 42
NK = TopicSpec(
    "North Korean troops in Russia",
    ("North Korea", "North Korean", "DPRK", "КНДР", "северокорейских"),
    ("South Korea",),
)
AID = TopicSpec("US aid to Ukraine", ("US aid", "American aid"))
WATCHLIST = Watchlist(
    topics=(NK, AID),
    claims=(
        ClaimSpec(
            NK.name, "South Korea's NIS said about 1,500 North Korean troops had arrived in Russia."
        ),
    ),
)


@dataclass
class Ticker:
    """A monotonic clock for the rate limiter that moves ``step`` seconds at every reading:
    4 s keeps a conversation at 15 commands a minute, under the limit."""

    now: float = 0.0
    step: float = 4.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@dataclass
class Conversation:
    bot: ChatBot
    services: Services
    chat_id: int = 1000
    kind: ChatKind = ChatKind.PRIVATE
    user_id: int | None = USER_ID
    admin: bool = True  # what is_chat_admin() answers
    thread_id: int | None = None
    now: datetime = START
    admin_checks: list[int] = field(default_factory=list)  # is_chat_admin() calls
    language_code: str | None = None  # the user's app language, as Telegram reports it

    def request(self, args: str = "") -> Request:
        async def is_chat_admin() -> bool:
            self.admin_checks.append(1)
            return self.admin

        user = (
            None if self.user_id is None else UserRef(self.user_id, "Ann <b>", self.language_code)
        )
        return Request(
            services=self.services,
            chat=ChatRef(self.chat_id, self.kind, "Group & <Co>", self.thread_id),
            user=user,
            args=args.strip(),
            now=self.now,
            is_chat_admin=is_chat_admin,
        )

    async def send(self, line: str) -> Reply | None:
        """A line typed in the chat: a command, or plain text."""
        if not line.startswith("/"):
            return await self.bot.handle_text(self.request(line))
        name, _, args = line[1:].partition(" ")
        return await self.bot.handle_command(name, self.request(args))

    async def reply(self, line: str) -> Reply:
        """``send``, for a line that must get an answer."""
        answer = await self.send(line)
        assert answer is not None, f"no reply to {line!r}"
        return answer

    async def text(self, line: str) -> str:
        return (await self.reply(line)).text

    async def press(self, data: str) -> Reply:
        return await self.bot.handle_callback(data, self.request())

    def later(self, delta: timedelta) -> Conversation:
        self.now += delta
        return self


def button_data(reply: Reply) -> dict[str, str]:
    """label -> callback data of every button of a reply."""
    return {button.label: button.data for row in reply.buttons for button in row}


async def store_item(
    services: Services,
    text: str,
    *,
    title: str = "Report",
    at: datetime = START,
    guid: str = "1",
    url: str | None = "https://example.org/news/1",
    source_url: str = "https://example.org/feed",
) -> int:
    """An item stored and analysed as ingestion does, in one transaction; its id."""
    async with services.db.transaction() as tx:
        source = await tx.sources.get_by_url(source_url) or await tx.sources.add(
            NewSource(source_url), at
        )
        new = NewItem(guid=guid, url=url, title=title, text=text, published_at=at, lang="en",
                      content_hash=f"hash-{guid}")  # fmt: skip
        added = await tx.items.add_new(source.id, [new], at)
        await services.ledger.analyze_items(tx, source, added)
    return added.new[0].id
