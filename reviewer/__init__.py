"""The review desk: Flask app factory."""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from flask import Flask

from config import ROOT, Config, load_config


def create_app(config: Config | None = None) -> Flask:
    config = config or load_config()
    config.validate()
    app = Flask(__name__, instance_path=str(config.instance_dir),
                template_folder=str(ROOT / "templates"), static_folder="static")
    app.config.update(_flask_settings(config))
    app.extensions["reviewer_config"] = config
    _init_extensions(app, config)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _flask_settings(config: Config) -> dict:
    return {
        "SECRET_KEY": config.secret_key,
        "SQLALCHEMY_DATABASE_URI": config.effective_database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
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
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_IN_MEMORY_FALLBACK": [config.login_rate_limit],
        "JSON_AS_ASCII": False,
    }


def _init_extensions(app: Flask, config: Config) -> None:
    from reviewer.extensions import csrf, db, limiter, login_manager, migrate

    Path(config.instance_dir).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    app.json.ensure_ascii = False
    logging.getLogger("reviewer").setLevel(logging.INFO)


def _register_blueprints(app: Flask) -> None:
    from reviewer import api, auth

    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    for name in ("desk", "supervision", "admin"):
        module = _optional_blueprint(name)
        if module is not None:
            app.register_blueprint(module.bp)


def _optional_blueprint(name: str):
    import importlib
    import importlib.util

    if importlib.util.find_spec(f"reviewer.{name}") is None:
        return None
    return importlib.import_module(f"reviewer.{name}")


def _register_commands(app: Flask) -> None:
    from reviewer.commands import register

    register(app)
