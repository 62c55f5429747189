"""The web wing: the Flask app factory, the blueprints (log-in, the intake API, the review
desk, supervision, administration) and what every page shares (errors.py: the error
answers; headers.py: the security headers; auth.py: the one permission check)."""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from config import ROOT, Config, attach, load_config


def create_app(config: Config | None = None) -> Flask:
    config = config or load_config()
    config.validate()
    app = Flask(__name__, instance_path=str(config.instance_dir),
                template_folder=str(ROOT / "templates"), static_folder="static")
    app.config.update(_flask_settings(config))
    attach(app, config)
    app.url_map.converters["int"] = RowId
    _init_extensions(app, config)
    _register_site_wide(app)
    _register_blueprints(app, config)
    return app


class RowId(IntegerConverter):
    """`<int:...>` in this app's routes: a number no database column holds is no page
    (404), not an overflow in the database driver (500)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def _flask_settings(config: Config) -> dict:
    return {
        "SECRET_KEY": config.secret_key,
        "SQLALCHEMY_DATABASE_URI": config.effective_database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "TESTING": config.testing,
        "MAX_CONTENT_LENGTH": config.max_application_bytes + 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": config.secure_cookies,
        "REMEMBER_COOKIE_SECURE": config.secure_cookies,
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=config.session_absolute_hours),
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": config.effective_redis_url().replace("unix://", "redis+unix://"),
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "RATELIMIT_SWALLOW_ERRORS": False,
        # Redis down: the same limits (log-in only) are counted in memory. No separate
        # fallback list: Flask-Limiter would apply it to every route of the app.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "JSON_AS_ASCII": False,
    }


def _init_extensions(app: Flask, config: Config) -> None:
    from reviewer.web.extensions import csrf, db, limiter, login_manager, migrate

    _private_folder(Path(config.instance_dir))
    db.init_app(app)
    if config.effective_database_url().startswith("sqlite"):
        with app.app_context():
            _private_file(db.engine.url.database)
            _tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    app.json.ensure_ascii = False
    logging.getLogger("reviewer").setLevel(logging.INFO)


def _private_folder(folder: Path) -> None:
    """instance/ holds the SQLite file, the storage key and Redis's socket: owner only."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)


def _private_file(database: str | None) -> None:
    """The SQLite file is made owner-only before SQLite creates it (its -wal and -shm
    files take the same mode); one made world-readable earlier is narrowed."""
    if not database or database == ":memory:":
        return
    os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(database, 0o600)


def _tune_sqlite(engine) -> None:
    """Web, workers and sweeper share one SQLite file: WAL and a patient busy timeout."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _register_site_wide(app: Flask) -> None:
    """What answers for every URL, whichever blueprint serves it (or none)."""
    from reviewer.web import errors, headers

    errors.register(app)
    headers.register(app)


def _register_blueprints(app: Flask, config: Config) -> None:
    from flask import redirect, url_for

    from reviewer.web import admin, api, auth, desk, supervision

    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(supervision.bp, url_prefix="/supervision")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    admin.mount_rq_dashboard(app, config.effective_redis_url())
    app.add_url_rule("/", "index", lambda: redirect(url_for("desk.queue")))

