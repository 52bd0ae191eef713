"""`claimwatch db upgrade|downgrade|current`: the schema, through Alembic migrations."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.context import EXIT_OK, Commands, with_database

if TYPE_CHECKING:
    from bot.settings import Settings
    from storage.db import Database


def register(commands: Commands) -> None:
    db = commands.add_parser("db", help="create or migrate the database schema")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="apply every migration up to the newest")
    upgrade.set_defaults(handler=upgrade_command)
    downgrade = actions.add_parser("downgrade", help="revert migrations down to REVISION")
    downgrade.add_argument("revision", help="a revision id, or 'base' for an empty database")
    downgrade.set_defaults(handler=downgrade_command)
    current = actions.add_parser("current", help="show the schema revision of the database")
    current.set_defaults(handler=current_command)


def upgrade_command(args: argparse.Namespace) -> int:
    async def upgrade(settings: Settings, db: Database) -> int:
        await db.upgrade()
        print(f"Database schema is at revision {await db.current_revision()} (newest).")
        return EXIT_OK

    return with_database(upgrade, migrate=False)


def downgrade_command(args: argparse.Namespace) -> int:
    async def downgrade(settings: Settings, db: Database) -> int:
        await db.downgrade(args.revision)
        print(f"Database schema is at revision {await db.current_revision() or 'base (empty)'}.")
        return EXIT_OK

    return with_database(downgrade, migrate=False)


def current_command(args: argparse.Namespace) -> int:
    async def current(settings: Settings, db: Database) -> int:
        revision = await db.current_revision()
        print(revision or "none: the schema is not created yet (run `claimwatch db upgrade`)")
        return EXIT_OK

    return with_database(current, migrate=False)
