"""Every `claimwatch` process builds the whole parser: it must stay cheap to build.

Each check runs in a fresh interpreter (this one has loaded everything already) and lists what
the commands imported: help imports no database, settings or pipeline; a database command
loads SQLAlchemy but neither the Telegram stack nor the pipeline, nor Alembic unless the
schema has to be migrated.
"""

import json
import subprocess
import sys

from storage.migrations import head_revision
from tests.cli.test_cli import run_cli

HEAVY = (
    "sqlalchemy", "alembic", "telegram", "pydantic", "matplotlib", "httpx", "bs4",
    "bot.settings", "bot.config.files", "bot.app", "bot.ingest", "bot.fetch", "bot.normalize",
    "bot.analysis", "bot.digest", "bot.ledger", "bot.chat", "storage.db", "storage.orm",
)  # fmt: skip
PIPELINE = (
    "alembic", "telegram", "matplotlib", "httpx", "bs4", "bot.app", "bot.ingest.poll",
    "bot.ingest.retrieval", "bot.fetch", "bot.normalize", "bot.analysis", "bot.digest",
    "bot.chat",
)  # fmt: skip

# Runs each command line given as JSON in this process, then prints the modules it loaded.
IMPORTS_OF = """
import contextlib, io, json, sys
from bot.cli import build_parser, main


def every_help(parser, words):
    yield [*words, "--help"]
    for action in parser._actions:
        if isinstance(getattr(action, "choices", None), dict):  # a level of subcommands
            for name, subparser in action.choices.items():
                yield from every_help(subparser, [*words, name])

commands = json.loads(sys.argv[1]) or list(every_help(build_parser(), []))
statuses = []
for argv in commands:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            statuses.append([main(argv), out.getvalue()])
        except SystemExit as exit_:
            statuses.append([exit_.code, out.getvalue()])
print(json.dumps({"statuses": statuses, "loaded": sorted(sys.modules)}))
"""


def imports_of(*commands: list[str]) -> tuple[list[list[object]], list[str]]:
    """What running ``commands`` in one fresh process returned (status and output of each),
    and the modules it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS_OF, json.dumps(commands)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout.splitlines()[-1])
    return report["statuses"], report["loaded"]


def among(loaded: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of ``loaded`` that are one of ``packages`` or inside one."""
    return [name for name in loaded if name.startswith(tuple(p + "." for p in packages))
            or name in packages]  # fmt: skip


def test_help_of_every_command_loads_nothing_heavy(workdir):
    statuses, loaded = imports_of()
    assert len(statuses) > 20 and all(status == 0 for status, _ in statuses)
    assert all("usage: claimwatch" in out for _, out in statuses)
    assert among(loaded, HEAVY) == []


def test_a_database_command_on_a_current_schema_loads_no_pipeline_and_no_alembic(
    workdir, monkeypatch, capsys
):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", f"sqlite+aiosqlite:///{workdir / 'cw.db'}")
    assert run_cli(capsys, "db", "upgrade")[0] == 0
    statuses, loaded = imports_of(["items"], ["db", "current"], ["sources", "list"])
    assert [status for status, _ in statuses] == [0, 0, 0]
    assert "No items yet" in statuses[0][1]
    assert statuses[1][1].strip() == head_revision()
    assert {"sqlalchemy", "storage.db", "bot.settings"} <= set(loaded)  # what they do use
    assert among(loaded, PIPELINE) == []


def test_alembic_is_loaded_to_create_the_schema(workdir, monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", f"sqlite+aiosqlite:///{workdir / 'new.db'}")
    statuses, loaded = imports_of(["items"], ["db", "current"])
    assert [status for status, _ in statuses] == [0, 0]
    assert statuses[1][1].strip() == head_revision()  # items migrated the new file
    assert "alembic" in loaded
    assert among(loaded, PIPELINE) == among(loaded, ("alembic",))
