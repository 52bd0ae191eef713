"""The chat: transport-free command handlers, one module per command family.

``commands`` holds the command table and ``ChatBot``, the dispatcher the Telegram adapter
(``telegram``) and the terminal chat call; ``requests`` what a handler receives and returns.
Handlers parse, make one call to a service (``bot.subscribers.chats``, ``bot.subscribers.tracking``,
``bot.ledger.queries``, ``bot.ingest.sources``, ``bot.app.health``), and render Telegram HTML.
``ChatBot`` answers each request inside ``speaking(<the chat's language>)`` (``bot.translation``),
so handlers write English messages marked for the catalogues and never pass a language around.
"""
