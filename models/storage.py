"""Content-addressed storage for uploads, encrypted at rest.

Files are stored under their sha256 (never under a name a user chose), encrypted
with AES-256-GCM (the file's sha256 bound in as associated data, so a file renamed
to another digest does not decrypt), written to a temporary file and renamed into
place. Files written before this format, as Fernet tokens, still read. The local folder
is the default backend; anything offering `put/get/exists/delete` (an S3-compatible
bucket mounted by several machines) can stand in for it.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"ICPS1"  # AES-256-GCM: MAGIC, 12-byte nonce, ciphertext with its 16-byte tag
NONCE_BYTES = 12


class StorageError(RuntimeError):
    pass


class Storage(Protocol):
    def put(self, data: bytes, sha256: str | None = None) -> str: ...
    def get(self, sha256: str) -> bytes: ...
    def exists(self, sha256: str) -> bool: ...
    def delete(self, sha256: str) -> None: ...


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalStorage:
    def __init__(self, root: Path, key: bytes):
        self.root = Path(root)
        self._fernet = Fernet(key)  # reads files stored before AES-GCM
        self._aead = AESGCM(_derive_aead_key(key))

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise StorageError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store `data`; `sha256` may be passed when the caller has computed it already."""
        digest = sha256 or sha256_of(data)
        target = self.path_for(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self._seal(data, digest))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def _seal(self, data: bytes, sha256: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return MAGIC + nonce + self._aead.encrypt(nonce, data, sha256.encode())

    def _open(self, sealed: bytes, sha256: str) -> bytes:
        if not sealed.startswith(MAGIC):
            return self._fernet.decrypt(sealed)
        nonce = sealed[len(MAGIC):len(MAGIC) + NONCE_BYTES]
        return self._aead.decrypt(nonce, sealed[len(MAGIC) + NONCE_BYTES:], sha256.encode())

    def get(self, sha256: str) -> bytes:
        try:
            data = self._open(self.path_for(sha256).read_bytes(), sha256)
        except FileNotFoundError as exc:
            raise StorageError(f"no stored file {sha256}") from exc
        except (InvalidToken, InvalidTag) as exc:
            raise StorageError(f"stored file {sha256} cannot be decrypted with this key") from exc
        if sha256_of(data) != sha256:
            raise StorageError(f"stored file {sha256} is corrupt")
        return data

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def count(self) -> int:
        return sum(1 for p in self.root.rglob("*") if p.is_file() and len(p.name) == 64)


def _derive_aead_key(key: bytes) -> bytes:
    """A 256-bit AES key from the configured Fernet key, kept apart from Fernet's own use."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"icp-review uploads aes-256-gcm v1").derive(key)


def storage_key(configured: str, instance_dir: Path) -> bytes:
    """The configured Fernet key, or on a laptop one generated once under instance/."""
    if configured:
        return configured.encode()
    path = Path(instance_dir) / "storage.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".storage-key-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
        try:
            os.link(tmp, path)  # atomic; a concurrent first use keeps the key that won
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_bytes().strip()


def open_storage(config) -> LocalStorage:
    return LocalStorage(config.storage_dir, storage_key(config.storage_key, config.instance_dir))
