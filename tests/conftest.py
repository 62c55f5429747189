"""Shared fixtures: a fresh app and database per test, real Redis, real storage.

The database is SQLite by default; with TEST_DATABASE_URL pointing at a PostgreSQL
server (CI sets postgresql+psycopg://postgres@127.0.0.1:5432/test) each xdist worker
gets a database of its own created from it. Redis is TEST_REDIS_URL (a database
number per xdist worker, refused unless empty) or an embedded redis-server per worker.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import stamp

from config import Config

PASSWORD = "correct horse battery"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


@pytest.fixture(scope="session")
def database_server_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def postgres_database(database_server_url):
    """A PostgreSQL database for this xdist worker, or None on SQLite."""
    if not database_server_url:
        yield None
        return
    name = f"icp_test_{os.environ.get('TEST_DATABASE_TAG', '')}{_worker()}"  # a tag keeps parallel runs apart
    admin = sa.create_engine(database_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(database_server_url).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis for this xdist worker: TEST_REDIS_URL with a db of its own, or embedded."""
    import redis

    configured = os.environ.get("TEST_REDIS_URL")
    if configured:
        index = 1 + int(_worker().lstrip("gw") or 0)
        url = f"{configured.rstrip('/')}/{index}"
        connection = redis.Redis.from_url(url)
        claim_test_redis(connection, url)
        yield url
        connection.flushdb()  # ours: empty or marked as the suite's when it was claimed
        return
    from workers.redis_server import EmbeddedRedis

    server = EmbeddedRedis(Path("/tmp") / f"icp-test-{os.getpid()}" / "redis.sock").start()
    yield server.url
    server.stop()


TEST_REDIS_MARK = "icp-review-desk:test-database"


def claim_test_redis(connection, url: str) -> None:
    """Take a Redis database for the suite only if it is empty or already the suite's
    (marked by an earlier run that was cut short): never flush someone else's data."""
    if connection.dbsize() and not connection.exists(TEST_REDIS_MARK):
        pytest.exit(f"TEST_REDIS_URL database {url} holds data that is not the test suite's; "
                    "give the tests an empty or dedicated Redis database", returncode=4)
    connection.flushdb()
    connection.set(TEST_REDIS_MARK, "1")


@pytest.fixture
def config(tmp_path, postgres_database, redis_url) -> Config:
    return Config(instance_dir=tmp_path / "instance", storage_dir=tmp_path / "storage",
                  database_url=postgres_database or f"sqlite:///{tmp_path / 'test.db'}",
                  redis_url=redis_url, testing=True, login_rate_limit="1000 per minute",
                  job_retry_delays=(0, 0))


@pytest.fixture
def app(config):
    from models import db
    from reviewer.cli import cli_app

    app = cli_app(config)  # the web app with the commands, as `reviewer` builds it
    app.teardown_request(_forget_request_globals)
    with app.app_context():
        db.create_all()
        _install_audit_trigger(db)
        stamp()  # the schema is the newest revision: CLI commands need not migrate
        yield app
        db.session.remove()
        if db.engine.dialect.name == "postgresql":  # SQLite's file goes with tmp_path
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        db.engine.dispose()


def _forget_request_globals(_exc) -> None:
    """The test's app context outlives each request, and `g` with it: without this, the
    user one test client logged in (and its CSRF token) would serve the next client."""
    from flask import g

    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def _install_audit_trigger(db) -> None:
    if db.engine.dialect.name != "postgresql":
        return
    from models.audit import APPEND_ONLY_SQL

    with db.engine.begin() as conn:
        conn.execute(sa.text(APPEND_ONLY_SQL))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def users(app):
    """One user of each role (and a second reviewer), all with PASSWORD."""
    from models import User, db

    made = {}
    for username, role in (("reviewer", "reviewer"), ("reviewer2", "reviewer"),
                           ("supervisor", "supervisor"), ("admin", "admin")):
        user = User(username=username, display_name=username, role=role)
        user.set_password(PASSWORD)
        db.session.add(user)
        made[username] = user
    db.session.commit()
    return made


@pytest.fixture
def login(client):
    """`login(username)` logs the test client in through the real form (with its CSRF token)."""
    return lambda username, password=PASSWORD: _login(client, username, password)


def _login(client, username: str, password: str):
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"username": username, "password": password}
    if token:
        data["csrf_token"] = token.group(1)
    return client.post("/login", data=data)


@pytest.fixture
def api_token(app):
    from models import ApiToken, db

    row, plain = ApiToken.issue("test")
    db.session.add(row)
    db.session.commit()
    return plain
