"""The send pacing: never more sends in a window than Telegram allows, however late they
arrive, and the grid's rate kept when the turns come in quick succession."""

from __future__ import annotations

import asyncio
import random
from itertools import pairwise

from bot.chat.send_pace import SendTurns

LIMIT, WINDOW = 5, 0.2  # a small Telegram: 5 sends in any 0.2 s


async def _send_all(turns: SendTurns, count: int, delays: list[float]) -> list[float]:
    """Send ``count`` times in parallel; each send "arrives" at a random point between its
    turn and its answer (a request answered ``delays[n]`` s later). The arrival times."""
    loop = asyncio.get_running_loop()
    arrivals: list[float] = []
    rng = random.Random(3)

    async def send(n: int) -> None:
        async with turns.turn():
            went = loop.time()
            arrives = went + rng.random() * delays[n]
            await asyncio.sleep(delays[n])  # the request's round trip
            arrivals.append(arrives)

    await asyncio.gather(*(send(n) for n in range(count)))
    return sorted(arrivals)


async def test_no_window_holds_more_than_the_limit_however_late_sends_arrive():
    turns = SendTurns(per_second=200, limit=LIMIT, window=WINDOW)
    rng = random.Random(1)
    delays = [rng.choice((0.001, 0.002, 0.05, 0.15)) for _ in range(40)]
    arrivals = await _send_all(turns, 40, delays)
    spans = [arrivals[n + LIMIT] - arrivals[n] for n in range(len(arrivals) - LIMIT)]
    assert min(spans) >= WINDOW


async def test_quick_answers_keep_the_grid_rate():
    loop = asyncio.get_running_loop()
    turns = SendTurns(per_second=100, limit=LIMIT, window=WINDOW)  # the window allows 25/s
    started = loop.time()
    await _send_all(turns, 26, [0.0] * 26)
    took = loop.time() - started
    # 26 sends: 5 a window of 0.2 s, the first 5 at once (the grid spaces them 10 ms)
    assert 1.0 <= took < 1.3


async def test_the_grid_spaces_the_sends():
    loop = asyncio.get_running_loop()
    turns = SendTurns(per_second=50, limit=100, window=WINDOW)  # the window never binds
    times: list[float] = []
    for _ in range(6):
        async with turns.turn():
            times.append(loop.time())
    gaps = [b - a for a, b in pairwise(times)]
    assert min(gaps) >= 0.02 - 0.002  # the loop's clock resolution
