import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.httpserver import Reply

CLAIMWATCH = str(Path(sys.executable).parent / "claimwatch")


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exit_:  # argparse
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_help_explains_every_command(capsys):
    status, out, _ = run_cli(capsys, "--help")
    assert status == 0
    for command in ("run", "check", "db", "sources", "analyze"):
        assert command in out


def test_check_prints_effective_settings_without_secrets(workdir, monkeypatch, capsys):
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    status, out, err = run_cli(capsys, "check")
    assert status == 0, err
    assert "TELEGRAM_BOT_TOKEN                 ***" in out
    assert token not in out + err
    assert "1 topic, 1 claim on record" in out
    assert "does not exist yet" in out
    assert not (workdir / "data").exists()  # check creates nothing
    assert out.rstrip().endswith("All good.")


def test_check_hides_the_user_part_of_every_url(workdir, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMWATCH_TELEGRAM_API_URL", "https://bot:hunter22@api.example.org/")
    monkeypatch.setenv("CLAIMWATCH_TELEGRAM_PREVIEW_URL", "https://sesame@preview.example.org")
    monkeypatch.setenv("CLAIMWATCH_WEBHOOK_URL", "https://hook:opensesame@bot.example.org/hook")
    status, out, err = run_cli(capsys, "check")
    assert status == 0, err
    assert "CLAIMWATCH_TELEGRAM_API_URL        https://***@api.example.org\n" in out
    assert "CLAIMWATCH_TELEGRAM_PREVIEW_URL    https://***@preview.example.org\n" in out
    assert "CLAIMWATCH_WEBHOOK_URL             https://***@bot.example.org/hook\n" in out
    assert "hunter22" not in out + err and "sesame" not in out + err

    monkeypatch.setenv("CLAIMWATCH_TELEGRAM_API_URL", "ftp://bot:hunter22@api.example.org")
    monkeypatch.setenv("CLAIMWATCH_WEBHOOK_URL", "http://hook:opensesame@bot.example.org/hook")
    status, out, err = run_cli(capsys, "check")
    assert status == 2
    assert "CLAIMWATCH_TELEGRAM_API_URL: 'ftp://***@api.example.org' is not" in err
    assert "CLAIMWATCH_WEBHOOK_URL: 'http://***@bot.example.org/hook' is not" in err
    assert "hunter22" not in out + err and "sesame" not in out + err


@pytest.mark.parametrize(
    ("env", "commands", "message"),
    [
        (
            {"CLAIMWATCH_DATABASE_URL": "mysql://x/y"},
            ["check", "db upgrade", "sources list", "run"],
            "CLAIMWATCH_DATABASE_URL: 'mysql://x/y'",
        ),
        (
            {"CLAIMWATCH_LOG_LEVEL": "LOUD"},
            ["check", "db upgrade", "run"],
            "CLAIMWATCH_LOG_LEVEL: 'LOUD' is not one of",
        ),
        ({"CLAIMWATCH_WATCHLIST": "nope.toml"}, ["check", "run"], "nope.toml: file not found"),
        ({"CLAIMWATCH_SOURCES": "config"}, ["check", "run"], "config: cannot read"),
    ],
)
def test_bad_configuration_exits_2_naming_the_setting(
    workdir, monkeypatch, capsys, env, commands, message
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for command in commands:
        status, _, err = run_cli(capsys, *command.split())
        assert status == 2, (command, err)
        assert message in err
    assert not (workdir / "data").exists()  # nothing half-created


def test_malformed_watchlist_names_file_and_line(workdir, capsys):
    (workdir / "config" / "watchlist.toml").write_text('[[topics]]\nname = "x\n')
    status, _, err = run_cli(capsys, "check")
    assert status == 2
    assert "config/watchlist.toml:2: invalid TOML" in err


def test_unwritable_data_directory_exits_2_and_creates_nothing(workdir, monkeypatch, capsys):
    if os.geteuid() == 0:
        blocker = workdir / "blocker"
        blocker.write_text("a file where a directory should be")
        monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", f"sqlite:///{blocker}/sub/cw.db")
    else:
        locked = workdir / "locked"
        locked.mkdir(mode=0o500)
        monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", f"sqlite:///{locked}/cw.db")
    status, _, err = run_cli(capsys, "db", "upgrade")
    assert status == 2
    assert "CLAIMWATCH_DATABASE_URL: the data directory" in err
    status, _, err = run_cli(capsys, "check")
    assert status == 2
    assert "CLAIMWATCH_DATABASE_URL: cannot create" in err


def test_unreachable_postgres_is_a_clear_error(workdir, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", "postgresql://bot:hunter22@127.0.0.1:1/x")
    status, _, err = run_cli(capsys, "db", "upgrade")
    assert status == 2
    assert "127.0.0.1:1" in err or "127.0.0.1" in err
    assert "hunter22" not in err


def test_db_upgrade_downgrade_round_trip(database_url, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", database_url)
    status, out, err = run_cli(capsys, "db", "upgrade")
    assert status == 0, err
    assert "(newest)" in out
    status, out, _ = run_cli(capsys, "db", "current")
    revision = out.strip()
    assert status == 0 and revision and "none" not in revision
    status, out, err = run_cli(capsys, "db", "downgrade", "base")
    assert status == 0, err
    status, out, _ = run_cli(capsys, "db", "current")
    assert out.startswith("none")
    assert run_cli(capsys, "db", "upgrade")[0] == 0


FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
    b"<item><guid>1</guid><title>One</title><description>First</description></item>"
    b"<item><guid>2</guid><title>Two</title><description>Second</description></item>"
    b"</channel></rss>"
)


def test_sources_add_fetches_once_then_list_and_remove(database_url, web, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", database_url)
    url = web.route("/feed.xml", Reply(body=FEED))
    status, out, err = run_cli(
        capsys, "sources", "add", url, "--name", "Example", "--interval", "30m"
    )
    assert status == 0, err
    assert "Added source 1: rss feed 'Wire', 2 items (checked every 30 min)." in out
    status, _, err = run_cli(capsys, "sources", "add", url)
    assert status == 1 and "already a source" in err

    status, out, _ = run_cli(capsys, "sources", "list", "--json")
    rows = json.loads(out)
    assert status == 0 and len(rows) == 1
    row = rows[0]
    assert row["name"] == "Example" and row["url"] == url and row["kind"] == "rss"
    assert row["status"] == "active" and row["items"] == 2 and row["error_count"] == 0
    assert row["last_success_at"] and row["next_check_at"] and row["last_error"] is None

    status, out, _ = run_cli(capsys, "items", "--json")
    listed = json.loads(out)
    assert {item["guid"] for item in listed} == {"1", "2"}
    assert {
        "id",
        "source_id",
        "url",
        "title",
        "text",
        "published_at",
        "first_seen_at",
        "lang",
    } <= set(listed[0])

    status, out, _ = run_cli(capsys, "fetch", "--all")
    assert status == 0 and "1 sources: 0 with news (0 new items), 1 unchanged, 0 failed." in out

    assert run_cli(capsys, "sources", "remove", str(row["id"]))[0] == 0
    status, _, err = run_cli(capsys, "sources", "remove", str(row["id"]))
    assert status == 1 and f"no source with id {row['id']}" in err
    assert json.loads(run_cli(capsys, "sources", "list", "--json")[1]) == []


def test_a_paused_source_is_listed_with_how_to_resume_it(database_url, web, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", database_url)
    url = web.route("/feed.xml", Reply(body=FEED))
    assert run_cli(capsys, "sources", "add", url)[0] == 0
    [row] = json.loads(run_cli(capsys, "sources", "list", "--json")[1])
    number = str(row["id"])  # (PostgreSQL's ids go on from the tests before)
    web.route("/feed.xml", Reply(status=410))  # Gone: paused at once
    assert run_cli(capsys, "fetch", "--all")[0] == 0
    status, out, _ = run_cli(capsys, "sources", "list")
    assert status == 0 and f"{number:>4}  paused" in out
    assert "`claimwatch sources resume ID` resumes one" in out

    web.route("/feed.xml", Reply(body=FEED))  # back
    status, out, err = run_cli(capsys, "sources", "resume", number)
    assert status == 0 and f"Resumed source {number}: it is fetched at the next poll" in out, err
    [row] = json.loads(run_cli(capsys, "sources", "list", "--json")[1])
    assert row["status"] == "active" and row["error_count"] == 0
    status, out, _ = run_cli(capsys, "fetch")  # due at once: the poll fetches it
    assert status == 0 and "1 sources:" in out and "0 failed" in out
    assert "resume" not in run_cli(capsys, "sources", "list")[1]

    status, out, _ = run_cli(capsys, "sources", "resume", number)
    assert status == 0 and f"Source {number} is not paused" in out
    assert run_cli(capsys, "sources", "remove", number)[0] == 0
    status, _, err = run_cli(capsys, "sources", "resume", number)
    assert status == 1 and f"no source with id {number}" in err


def test_a_source_that_fails_its_first_fetch_is_not_stored_unless_forced(workdir, web, capsys):
    url = web.route("/missing.xml", Reply(status=404))
    status, _, err = run_cli(capsys, "sources", "add", url)
    assert status == 1
    assert "cannot add" in err and "404" in err and "--force" in err
    assert json.loads(run_cli(capsys, "sources", "list", "--json")[1]) == []

    status, out, err = run_cli(capsys, "sources", "add", url, "--force")
    assert status == 0, err
    assert "its first fetch failed" in out
    [row] = json.loads(run_cli(capsys, "sources", "list", "--json")[1])
    assert row["status"] == "failing" and row["error_count"] == 1 and "404" in row["last_error"]

    status, out, _ = run_cli(capsys, "fetch", "--all")
    assert status == 0  # the run completed, though its only source failed
    assert "1 failed" in out and "404" in out


def test_opml_import_then_export(workdir, capsys):
    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "opml"
    if not corpus.is_dir():
        pytest.skip("the shared OPML corpus is not beside the project")
    malformed = corpus / "awesome-rss-feeds_Programming_malformed.opml"
    status, out, err = run_cli(capsys, "sources", "import", str(malformed))
    assert status == 0, err
    assert "Imported 50 new sources" in out
    status, out, _ = run_cli(capsys, "sources", "import", str(malformed))
    assert "Imported 0 new sources" in out and "(50 already present)" in out

    status, out, _ = run_cli(capsys, "sources", "export")
    assert status == 0 and out.count("<outline ") == 50
    status, _, err = run_cli(capsys, "sources", "import", str(workdir / "config" / "sources.toml"))
    assert status == 1 and "not an OPML document" in err


@pytest.mark.parametrize(
    "args",
    [["sources", "add", "x", "--interval", "5s"], ["sources", "remove", "abc"], ["frobnicate"]],
)
def test_garbage_arguments_exit_2(workdir, capsys, args):
    status, _, err = run_cli(capsys, *args)
    assert status == 2
    assert "usage:" in err


def _start(workdir: Path, env: dict[str, str], *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [CLAIMWATCH, "run", *options],
        cwd=workdir,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_for(process: subprocess.Popen[str], text: str) -> list[str]:
    seen: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"{text!r} never appeared:\n{''.join(seen)}")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_run_migrates_polls_and_stops_cleanly_on_signal(workdir, web, stop_signal):
    url = web.route("/feed.xml", Reply(body=FEED))
    (workdir / "config" / "sources.toml").write_text(f'[[sources]]\nurl = "{url}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_BOT_TOKEN")}
    process = _start(workdir, env)
    try:
        _wait_for(process, "is running")
        _wait_for(process, "polled 1 sources: 2 new items, 0 failed")
        process.send_signal(stop_signal)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "claimwatch stopped" in output
    assert "Traceback" not in output and " ERROR " not in output, output
    assert (workdir / "data" / "claimwatch.db").exists()


def test_a_fetch_only_worker_fetches_and_opens_no_chat(workdir, web):
    url = web.route("/feed.xml", Reply(body=FEED))
    (workdir / "config" / "sources.toml").write_text(f'[[sources]]\nurl = "{url}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_BOT_TOKEN")}
    process = _start(workdir, env, "--fetch-only")
    try:
        _wait_for(process, "fetch worker is running")
        _wait_for(process, "polled 1 sources: 2 new items, 0 failed")
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "terminal chat" not in output and "Traceback" not in output
