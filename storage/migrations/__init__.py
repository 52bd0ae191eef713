"""Alembic glue: run migrations on a connection the caller opened (sync side of run_sync).

The Config is built in code with ``script_location`` pointing at this package, so nothing
depends on an alembic.ini in the working directory.

Alembic takes a third of a second to import, and most processes find the schema at the newest
revision already: ``is_at_newest`` tells that without it, reading the version table as Alembic
reads it and comparing it with ``NEWEST_REVISION`` (a test holds that to Alembic's own head: a
new revision file updates it). Alembic is imported only to migrate (or to name the revision of
a branched table).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).resolve().parent
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
NEWEST_REVISION = "0004_chat_language"  # the head of versions/, as Alembic finds it


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
    return current_heads(connection) == (NEWEST_REVISION,)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
