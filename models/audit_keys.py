"""The audit chain's HMAC keys (a keyring kept out of the database).

`AUDIT_KEYS` lists `id:secret` pairs, newest first: the first key makes the hash of
every new event and signs new checkpoints; the others only verify what they made
before a rotation. Each event stores the id of its key, never the key. On a laptop,
with `AUDIT_KEYS` unset, one key is generated once under `instance/audit.key` (as the
storage key is); production refuses to start without `AUDIT_KEYS`.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from config import current as settings


class UnknownAuditKey(KeyError):
    """An event or checkpoint names a key id the keyring does not hold."""


@dataclass(frozen=True)
class Keyring:
    keys: tuple[tuple[str, bytes], ...]  # (key id, secret), the signing key first

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def secret(self, key_id: str | None) -> bytes:
        for known, secret in self.keys:
            if known == key_id:
                return secret
        raise UnknownAuditKey(key_id)

    def mac(self, payload: bytes, key_id: str | None = None) -> str:
        """HMAC-SHA256 of `payload` under `key_id` (default: the signing key), hex."""
        key = self.secret(key_id or self.current_id)
        return hmac.new(key, payload, hashlib.sha256).hexdigest()

    def matches(self, payload: bytes, key_id: str | None, mac: str) -> bool:
        return hmac.compare_digest(self.mac(payload, key_id), mac or "")


def load_keyring(configured: tuple[tuple[str, str], ...], instance_dir: Path) -> Keyring:
    pairs = configured or (_generated_key(Path(instance_dir) / "audit.key"),)
    return Keyring(tuple((key_id, secret.encode()) for key_id, secret in pairs))


def _generated_key(path: Path) -> tuple[str, str]:
    """A laptop's key, made once: `dev-<hex>:<secret>` (the first writer wins a race)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")
        with os.fdopen(fd, "w") as handle:
            handle.write(f"dev-{secrets.token_hex(4)}:{secrets.token_urlsafe(32)}\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    key_id, _, secret = path.read_text().strip().partition(":")
    return key_id, secret


def current_keyring() -> Keyring:
    """The app's keyring, loaded once per app."""
    keyring = current_app.extensions.get("audit_keyring")
    if keyring is None:
        config = settings()
        keyring = load_keyring(config.audit_keys, config.instance_dir)
        current_app.extensions["audit_keyring"] = keyring
    return keyring


def checkpoint_path() -> Path:
    return settings().effective_audit_checkpoint_path()
