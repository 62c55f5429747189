from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from enum import StrEnum
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow

_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash made with the same parameters as users' own, of a password nobody has."""
    return _hasher.hash(secrets.token_urlsafe(32))


class Role(StrEnum):
    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"reviewer": "初审员", "supervisor": "质检主管", "admin": "管理员"}[self.value]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def set_password(self, password: str) -> None:
        if len(password) < 8:
            raise ValueError("a password has at least 8 characters")
        self.password_hash = _hasher.hash(password)

    @property
    def credential_stamp(self) -> str:
        """Changes when the password does: a session made before a reset is ended."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @staticmethod
    def check_no_password(password: str) -> bool:
        """For a user who does not exist: one verification against a dummy hash, so that
        the answer takes as long as a wrong password does (the time tells no usernames)."""
        try:
            _hasher.verify(_dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            pass
        return False

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role in roles or self.role == Role.ADMIN


class TokenScope(StrEnum):
    """What a bearer token may do; each scope includes the ones before it."""

    SUBMIT = "submit"  # POST applications, read nothing
    READ_OWN = "read-own"  # and read back what its owner submitted
    READ_ALL = "read-all"  # and read every application, ID numbers in full

    def can_read(self) -> bool:
        return self is not TokenScope.SUBMIT

    def reads_all(self) -> bool:
        return self is TokenScope.READ_ALL


class ApiToken(db.Model):
    """A bearer token for the intake API; only its sha256 is stored.

    `owner` names the client it belongs to: the applications it submits are that
    owner's, and external ids are unique per owner."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    scope: Mapped[str] = mapped_column(String(16), default=TokenScope.READ_OWN.value)
    owner: Mapped[str] = mapped_column(String(64))

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, name: str, created_by_id: int | None = None, *,
              scope: str = TokenScope.READ_OWN, owner: str | None = None
              ) -> tuple["ApiToken", str]:
        """A new token row and the plain token, which is shown once and never stored.
        The owner is the token's name unless given (tokens of one client share it)."""
        plain = "icp_" + secrets.token_urlsafe(32)
        row = cls(name=name, prefix=plain[:12], token_hash=cls.digest(plain),
                  created_by_id=created_by_id, scope=TokenScope(scope).value,
                  owner=owner or name)
        return row, plain

    @property
    def scope_kind(self) -> TokenScope:
        return TokenScope(self.scope)
