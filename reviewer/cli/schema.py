"""The database schema for the command line: Alembic upgrades, and the schema a command
needs before it touches a database that was never migrated."""
from __future__ import annotations

import functools

import sqlalchemy as sa

from models import db


def upgrade_database() -> None:
    from flask_migrate import upgrade

    upgrade()


def ensure_schema() -> None:
    """A database that has never been migrated gets the schema first (a fresh laptop)."""
    if "alembic_version" not in sa.inspect(db.engine).get_table_names():
        upgrade_database()


def needs_schema(command):
    """Run `ensure_schema` before a command that reads or writes the database."""
    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        ensure_schema()
        return command(*args, **kwargs)
    return wrapped
