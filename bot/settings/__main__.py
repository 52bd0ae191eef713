"""`python -m bot.settings > .env.example`: every setting, its default and what it means."""

from bot.settings import env_example

print(env_example(), end="")
