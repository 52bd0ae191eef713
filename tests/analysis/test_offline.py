"""The analyze contract, and the quality bar on the labelled dev set beside the repository."""

import importlib.util
import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot.analysis.offline import analyze_records
from bot.config.files import ClaimSpec, TopicSpec, Watchlist, load_watchlist

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "eval" / "dev"
SCORER = SHARED / "eval" / "score.py"

WATCHLIST = Watchlist(
    (TopicSpec("NK troops", ("North Korea", "North Korean", "КНДР")),),
    (
        ClaimSpec(
            "NK troops", "South Korea's NIS said about 1,500 North Korean troops had arrived."
        ),
    ),
)


def test_contract_shape_and_watchlist_claims_on_record() -> None:
    records = [
        {
            "id": "a",
            "published": "2024-10-18T10:00:00+00:00",
            "text": "The White House said 3,000 North Korean troops arrived in Russia.",
        },
        {"id": "b", "published": "2024-10-19T10:00:00Z", "text": "Nothing here.", "title": None},
    ]
    first, second = analyze_records(WATCHLIST, records)
    assert first["id"] == "a" and second == {"id": "b", "topics": [], "claims": [], "conflicts": []}
    [topic] = first["topics"]
    assert set(topic) == {"topic", "score", "evidence"}
    [claim] = first["claims"]
    assert claim["id"] == "a#1" and claim["value"] == 3000 and claim["modifier"] == "exact"
    assert set(claim) == {
        "id",
        "topic",
        "sentence",
        "value",
        "low",
        "high",
        "modifier",
        "measure",
        "scope",
        "speaker",
        "relay",
        "unsourced",
        "polarity",
    }
    [conflict] = first["conflicts"]
    assert (conflict["claim"], conflict["with"], conflict["kind"]) == (
        "a#1",
        "watchlist#1",
        "numeric",
    )
    json.dumps(first)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("claimwatch_dev_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/eval/dev (the labelled dev set) is absent")
def test_dev_set_meets_the_quality_bar(tmp_path: Path) -> None:
    items = [json.loads(line) for line in (DEV / "items.jsonl").read_text().splitlines() if line]
    results = list(analyze_records(load_watchlist(DEV / "watchlist.toml"), items))
    out = tmp_path / "out.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        _scorer().main(
            ["score", str(DEV / "gold.json"), str(DEV / "items.jsonl"), str(out), "--json"]
        )
    summary: dict[str, Any] = json.loads(buffer.getvalue())
    assert summary["topics"]["f1"] >= 0.95
    assert summary["claims"]["f1"] >= 0.85
    assert summary["speaker_accuracy"] >= 0.80
    assert summary["conflicts"]["f1"] >= 0.80


def test_huge_numbers_make_no_claim_and_never_crash() -> None:
    texts = [
        "North Korea sent " + "9" * 309 + " troops.",
        "North Korea sent " + ",".join(["1"] + ["000"] * 146) + " troops.",
        "North Korea sent 1e308 troops.",
        "North Korea sent " + "9" * 309 + " times more troops.",
    ]
    records = [{"id": str(n), "text": text} for n, text in enumerate(texts)]
    for record in analyze_records(WATCHLIST, records):
        assert record["claims"] == [] and record["conflicts"] == []
        json.dumps(record, allow_nan=False)
