"""What speaking Russian or Ukrainian costs a digest: disputes built (figures formatted) and
rendered as Telegram HTML in each language, against English in the same process.

    .venv/bin/python benchmarks/translation_bench.py                 # 200 disputes of 8 figures
    .venv/bin/python benchmarks/translation_bench.py --disputes 1000 --figures 20

Synthetic claims: one topic, each dispute a chain of numeric conflicts between figures of
random size (1 to 10^6, some with decimals, some "about" or "at least") stated on random days
of a year. ``cold`` clears the formatted numbers and days the language module keeps, so it is
the first digest after a start; ``warm`` is every later one. ``x en`` is the time divided by
English's (the baseline, the same code in the source language).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import translation
from bot.digest.disputes import build_disputes
from bot.digest.render import render_dispute_html
from bot.translation import LANGUAGES, speaking
from storage.records import Claim, ClaimOrigin, Conflict, ConflictKind, Modifier, NewClaim, Polarity

KYIV = ZoneInfo("Europe/Kyiv")
START = datetime(2024, 1, 1, tzinfo=UTC)
MODIFIERS = (Modifier.EXACT, Modifier.EXACT, Modifier.APPROX, Modifier.AT_LEAST, Modifier.UP_TO)


def records(disputes: int, figures: int, seed: int = 7) -> tuple[dict[int, Claim], list[Conflict]]:
    rng = random.Random(seed)
    claims: dict[int, Claim] = {}
    conflicts: list[Conflict] = []
    for d in range(disputes):
        ids = []
        for f in range(figures):
            claim_id = d * figures + f + 1
            value = rng.choice((round(rng.uniform(1, 10**6)), round(rng.uniform(1, 100), 2)))
            at = START + timedelta(days=rng.randrange(365), hours=rng.randrange(24))
            modifier = rng.choice(MODIFIERS)
            facts = NewClaim("Topic", f"sentence {claim_id}", "troops", "arrived", modifier,
                             Polarity.ASSERTS, value, None, None, f"Speaker {f}", None,
                             False)  # fmt: skip
            claims[claim_id] = Claim(claim_id, 1, None, ClaimOrigin.ITEM, at, at, facts)
            ids.append(claim_id)
        for n, (new, old) in enumerate(zip(ids[1:], ids, strict=False)):
            detected = START + timedelta(days=400, minutes=n)
            conflicts.append(Conflict(len(conflicts) + 1, new, old, ConflictKind.NUMERIC,
                                      "reason", detected))  # fmt: skip
    return claims, conflicts


def digest_seconds(claims: dict[int, Claim], conflicts: list[Conflict], language: str) -> float:
    started = time.perf_counter()
    with speaking(language):
        for dispute in build_disputes(claims, conflicts, {}):
            render_dispute_html(dispute, KYIV)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--disputes", type=int, default=200)
    parser.add_argument("--figures", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    claims, conflicts = records(args.disputes, args.figures)
    rows = {}
    for language in LANGUAGES:  # warm-up: catalogues and Babel's locale data loaded
        digest_seconds(claims, conflicts, language)
    for language in LANGUAGES:
        cold = []
        for _ in range(args.repeat):
            translation._decimal.cache_clear()
            translation._date.cache_clear()
            cold.append(digest_seconds(claims, conflicts, language))
        warm = [digest_seconds(claims, conflicts, language) for _ in range(args.repeat)]
        rows[language] = (min(cold), min(warm))
    base_cold, base_warm = rows["en"]
    print(f"{args.disputes} disputes of {args.figures} figures, best of {args.repeat}\n")
    print("| language | cold ms | x en | warm ms | x en |\n|---|---:|---:|---:|---:|")
    for language, (cold_s, warm_s) in rows.items():
        print(f"| {language} | {cold_s * 1000:.1f} | {cold_s / base_cold:.2f} | "
              f"{warm_s * 1000:.1f} | {warm_s / base_warm:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
