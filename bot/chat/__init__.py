"""The chat: transport-free command handlers, one module per command family.

``commands`` holds the command table and ``ChatBot``, the dispatcher the Telegram adapter
(``telegram``) and the terminal chat call; ``requests`` what a handler receives and returns.
Handlers parse, make one call to a service (``bot.subscriptions``, ``bot.tracking``,
``bot.claim_queries``, ``bot.sources``, ``bot.health``), and render Telegram HTML.
"""
