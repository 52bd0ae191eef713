"""`claimwatch claims`: the ledger as the chat's /claims lists it, one claim with its dispute,
a dispute's chart, and JSON in the analyze contract's shape."""

import json

from tests.cli.test_cli import run_cli
from tests.httpserver import Reply

REPORT = "Ukraine's defence intelligence said 12,000 North Korean troops had arrived in Russia."
FEED = (
    '<rss version="2.0"><channel><title>Wire</title><item><guid>9</guid><title>Troops</title>'
    "<link>https://news.example/nk</link><pubDate>Wed, 23 Oct 2024 09:00:00 GMT</pubDate>"
    f"<description>{REPORT}</description></item></channel></rss>"
).encode()


def add_the_report(capsys, web) -> None:
    """The watchlist's NIS claim (about 1,500) on record, then a feed saying 12,000."""
    url = web.route("/nk.xml", Reply(body=FEED))
    assert run_cli(capsys, "sources", "add", url)[0] == 0


def listed_json(capsys) -> dict[str, list[dict[str, object]]]:
    status, out, _ = run_cli(capsys, "claims", "list", "--json")
    assert status == 0
    return json.loads(out)


def test_claims_list_and_show_read_the_ledger(workdir, web, capsys):
    add_the_report(capsys, web)
    listed = listed_json(capsys)
    claims = {claim["value"]: claim for claim in listed["claims"]}
    assert set(claims) == {1500, 12000}
    nis, hur = claims[1500]["id"], claims[12000]["id"]
    [conflict] = listed["conflicts"]
    assert (conflict["claim"], conflict["with"], conflict["kind"]) == (hur, nis, "numeric")

    status, out, _ = run_cli(capsys, "claims")
    lines = out.splitlines()
    assert status == 0 and lines.count("North Korean troops in Russia: disputed") == 1
    heading = lines.index("North Korean troops in Russia: disputed")
    assert lines[heading + 1] == (
        f"  • troops arrived in Russia: 1,500 to 12,000: ×8 (2 reports, #{nis})"
    )
    assert lines[heading + 3] == (
        "      12,000 — Ukraine's defence intelligence, 23 Oct 2024 (https://news.example/nk) "
        f"· #{hur}"
    )
    assert "claimwatch claims chart ID -o FILE.png" in out
    assert " any" not in out and "none" not in out and "numeric" not in out

    status, out, _ = run_cli(capsys, "claims", "show", str(hur))
    assert status == 0
    assert out.splitlines()[0] == (
        f"#{hur} North Korean troops in Russia: 12,000 — Ukraine's defence intelligence, "
        "23 Oct 2024"
    )
    assert f"conflicts with #{nis} (figures far apart)" in out
    assert "what: troops arrived in Russia" in out and "measure:" not in out
    assert "from: https://news.example/nk" in out
    assert f"  in dispute #{nis}:" in out
    status, _, err = run_cli(capsys, "claims", "show", "999")
    assert status == 1 and "no claim with id 999" in err


def test_claims_in_no_dispute_are_listed_by_quantity(workdir, web, capsys):
    status, out, _ = run_cli(capsys, "claims", "list")
    assert status == 0 and out.startswith("No claims on record yet")
    agreeing = FEED.replace(b"12,000", b"about 1,600").replace(b"Ukraine's defence", b"Kyiv's")
    assert run_cli(capsys, "sources", "add", web.route("/agrees.xml", Reply(body=agreeing)))[0] == 0
    status, out, _ = run_cli(capsys, "claims", "list")
    heading, on_record, reported = out.splitlines()  # no dispute: nothing to draw
    assert status == 0 and heading == "North Korean troops in Russia: troops arrived in Russia"
    assert on_record.startswith("  • about 1,500 — South Korea's NIS, ")  # put on record today
    assert on_record.endswith(" · #1")  # newest first, as /claims lists them
    assert reported == (
        "  • about 1,600 — Kyiv's intelligence, 23 Oct 2024 (https://news.example/nk) · #2"
    )


def test_show_json_names_every_claim_its_conflicts_name(workdir, web, capsys):
    add_the_report(capsys, web)
    hur = next(c["id"] for c in listed_json(capsys)["claims"] if c["value"] == 12000)
    status, out, _ = run_cli(capsys, "claims", "show", str(hur), "--json")
    shown = json.loads(out)
    assert status == 0 and shown["claims"][0]["id"] == hur
    named = {i for c in shown["conflicts"] for i in (c["claim"], c["with"])}
    assert named == {c["id"] for c in shown["claims"]} and len(named) == 2


def test_a_claim_has_the_same_json_in_the_ledger_as_in_analyze(workdir, web, capsys):
    add_the_report(capsys, web)
    listed = listed_json(capsys)
    items = workdir / "items.jsonl"
    record = {"id": "nk", "title": "Troops", "published": "2024-10-23T09:00:00Z", "text": REPORT}
    items.write_text(json.dumps(record) + "\n")
    status, out, _ = run_cli(capsys, "analyze", "--watchlist", "config/watchlist.toml", str(items))
    assert status == 0
    [analyzed] = [json.loads(line) for line in out.splitlines()]
    [offline] = analyzed["claims"]
    [ledger] = [c for c in listed["claims"] if c["value"] == 12000]
    assert list(ledger) == list(offline)  # the same keys, in the same order
    assert {k: v for k, v in ledger.items() if k != "id"} == {
        k: v for k, v in offline.items() if k != "id"
    }
    [offline_conflict] = analyzed["conflicts"]
    [ledger_conflict] = listed["conflicts"]
    assert list(ledger_conflict) == list(offline_conflict)
    assert ledger_conflict["kind"] == offline_conflict["kind"]


def test_chart_writes_the_picture_of_a_claims_dispute(workdir, web, capsys):
    add_the_report(capsys, web)
    claims = {c["value"]: c["id"] for c in listed_json(capsys)["claims"]}
    picture = workdir / "chart.png"
    status, out, _ = run_cli(capsys, "claims", "chart", str(claims[12000]), "-o", str(picture))
    assert status == 0 and f"to {picture}" in out and "(2 reports)" in out
    assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    status, _, err = run_cli(capsys, "claims", "chart", "999", "-o", str(picture))
    assert status == 1 and "no claim with id 999" in err
    nowhere = workdir / "missing" / "chart.png"
    status, _, err = run_cli(capsys, "claims", "chart", str(claims[1500]), "-o", str(nowhere))
    assert status == 1 and "cannot write" in err and "Traceback" not in err
