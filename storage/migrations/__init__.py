"""Alembic glue: run migrations on a connection the caller opened (sync side of run_sync).

The Config is built in code with ``script_location`` pointing at this package, so nothing
depends on an alembic.ini in the working directory.

Alembic takes a third of a second to import, and most processes find the schema at the newest
revision already: ``is_at_newest`` tells that without it, reading the version table as Alembic
reads it and the revision files' headers as text. Alembic is imported only to migrate (or when
the files or the table are ones only it can make sense of).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).resolve().parent
VERSIONS = SCRIPT_LOCATION / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
# A revision file's header; anything else in it (branches, dependencies) is Alembic's to read.
_HEADER = ("revision", "down_revision", "branch_labels", "depends_on")


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    # ConfigParser interpolates "%", which a directory name may contain.
    config.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), revision)


def current_revision(connection: Connection) -> str | None:
    heads = current_heads(connection)
    if len(heads) > 1:  # branches: Alembic refuses to name one, and says why
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()
    return heads[0] if heads else None


def current_heads(connection: Connection) -> tuple[str, ...]:
    """The revisions the version table holds (none before the first migration), read with the
    queries Alembic's MigrationContext.get_current_heads runs."""
    if not connection.dialect.has_table(connection, VERSION_TABLE):
        return ()
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
    return tuple(row[0] for row in rows)


def is_at_newest(connection: Connection) -> bool:
    """Whether upgrading to the head would do nothing: the version table holds the head only."""
    newest = newest_revision()
    return newest is not None and current_heads(connection) == (newest,)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@functools.cache
def newest_revision(versions: Path = VERSIONS) -> str | None:
    """The head of the revision files, read from their headers without running them; None
    unless they form one line of revisions, each naming its predecessor (then only Alembic
    can tell)."""
    files = sorted(versions.glob("*.py"))
    headers = [_header(path) for path in files if not path.name.startswith(("__init__", ".#"))]
    predecessors = {header[0]: header[1] for header in headers if header is not None}
    if not headers or len(predecessors) != len(headers):  # a file Alembic reads, or a duplicate
        return None
    heads = set(predecessors) - set(predecessors.values())
    roots = [revision for revision, down in predecessors.items() if down is None]
    linked = all(down is None or down in predecessors for down in predecessors.values())
    # one root, every other revision after a known one, one head: a tree with one leaf, a line
    return heads.pop() if len(roots) == 1 and linked and len(heads) == 1 else None


def _header(path: Path) -> tuple[str, str | None] | None:
    """A revision file's (revision, down_revision); None if it has more than that to say."""
    try:
        module = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, SyntaxError):  # Alembic is to say what is wrong with it
        return None
    values: dict[str, object] = {}
    for statement in module.body:
        target = _assigned_name(statement)
        if target in _HEADER and isinstance(statement, ast.Assign | ast.AnnAssign):
            try:
                values[target] = ast.literal_eval(statement.value) if statement.value else None
            except (ValueError, TypeError):  # computed, not written out
                return None
    revision, down = values.get("revision"), values.get("down_revision")
    others = (values.get("branch_labels"), values.get("depends_on"))
    if not isinstance(revision, str) or not isinstance(down, str | None) or any(others):
        return None
    return revision, down


def _assigned_name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):  # fmt: skip
        return statement.targets[0].id
    return None
