"""Uploads at rest: AES-GCM bound to the digest, older Fernet files still readable."""
import os

import pytest
from cryptography.fernet import Fernet

from models.storage import MAGIC, LocalStorage, StorageError, sha256_of


@pytest.fixture
def key() -> bytes:
    return Fernet.generate_key()


@pytest.fixture
def storage(tmp_path, key) -> LocalStorage:
    return LocalStorage(tmp_path / "uploads", key)


def test_put_then_get_returns_the_bytes_and_the_file_holds_no_plaintext(storage):
    data = b"\xff\xd8 a business licence " * 1000
    digest = storage.put(data)
    sealed = storage.path_for(digest).read_bytes()
    assert digest == sha256_of(data)
    assert sealed.startswith(MAGIC) and b"business licence" not in sealed
    assert storage.get(digest) == data


def test_the_same_bytes_twice_are_sealed_with_fresh_nonces(tmp_path, key):
    first, second = LocalStorage(tmp_path / "a", key), LocalStorage(tmp_path / "b", key)
    digest = first.put(b"same")
    second.put(b"same")
    assert first.path_for(digest).read_bytes() != second.path_for(digest).read_bytes()


def test_a_file_moved_under_another_digest_does_not_decrypt(storage):
    one, other = storage.put(b"one"), storage.put(b"other")
    os.replace(storage.path_for(one), storage.path_for(other))
    with pytest.raises(StorageError, match="cannot be decrypted"):
        storage.get(other)


def test_a_flipped_byte_is_refused(storage):
    digest = storage.put(b"id card front" * 50)
    path = storage.path_for(digest)
    sealed = bytearray(path.read_bytes())
    sealed[-20] ^= 0x01
    path.write_bytes(bytes(sealed))
    with pytest.raises(StorageError, match="cannot be decrypted"):
        storage.get(digest)


def test_another_key_cannot_read(tmp_path, storage):
    digest = storage.put(b"secret")
    stranger = LocalStorage(storage.root, Fernet.generate_key())
    with pytest.raises(StorageError, match="cannot be decrypted"):
        stranger.get(digest)


def test_files_written_as_fernet_tokens_still_read(storage, key):
    data = b"stored before the AES-GCM format"
    digest = sha256_of(data)
    path = storage.path_for(digest)
    path.parent.mkdir(parents=True)
    path.write_bytes(Fernet(key).encrypt(data))
    assert storage.get(digest) == data


def test_names_that_are_not_a_digest_are_refused(storage):
    with pytest.raises(StorageError):
        storage.get("../../etc/passwd")
