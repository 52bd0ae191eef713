"""One repository per aggregate, each speaking domain verbs and returning storage.records.

A repository works inside the caller's transaction (``Database.transaction()``) and never
commits; every instant it needs is passed in (``now``), never read from the clock.
"""

from storage.repositories.chats import ChatRepository
from storage.repositories.claims import ClaimRepository
from storage.repositories.items import ItemRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.sources import SourceRepository
from storage.repositories.topics import TopicRepository, TopicSpecLike

__all__ = [
    "ChatRepository",
    "ClaimRepository",
    "ItemRepository",
    "OutboxRepository",
    "SourceRepository",
    "TopicRepository",
    "TopicSpecLike",
]
