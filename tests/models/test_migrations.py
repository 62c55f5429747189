"""Alembic migrations go up and down on the configured database (SQLite or PostgreSQL)."""
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from models import db


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_migrations_up_down_up_match_the_models(app):
    if db.engine.dialect.name == "sqlite":
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    else:
        _reset_schema()
    upgrade()
    assert _tables() == set(db.metadata.tables)
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()
    assert _tables() == set(db.metadata.tables)


def _reset_schema() -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
