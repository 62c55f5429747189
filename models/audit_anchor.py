"""Signed checkpoints of the audit chain's head, kept outside the database.

Like CloudTrail's digest files: a line `{"seq", "hash", "at", "key_id", "sig"}` is
appended (O_APPEND, fsync) to `AUDIT_CHECKPOINT_PATH` every `AUDIT_CHECKPOINT_EVERY`
events, on every verify that passes and at upgrade to the keyed chain. `sig` is the
HMAC of the other four under the named key. Someone who can write the database but
not this file nor read the key cannot rewrite or shorten the chain unseen: verify
compares every checkpoint with the event it names.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from models.audit_keys import Keyring, UnknownAuditKey

log = logging.getLogger("reviewer.audit")


@dataclass(frozen=True)
class Checkpoint:
    line: int  # 1-based line of the checkpoint file
    seq: int
    hash: str
    at: str
    key_id: str
    sig: str

    def body(self) -> bytes:
        return _body(self.seq, self.hash, self.at, self.key_id)


def _body(seq: int, head_hash: str, at: str, key_id: str) -> bytes:
    return json.dumps({"seq": seq, "hash": head_hash, "at": at, "key_id": key_id},
                      sort_keys=True, separators=(",", ":")).encode()


def append_checkpoint(path: Path, keyring: Keyring, seq: int, head_hash: str) -> None:
    """Append one signed line and fsync it; the file is only ever appended to."""
    at = dt.datetime.now(dt.timezone.utc).isoformat()
    key_id = keyring.current_id
    line = {"seq": seq, "hash": head_hash, "at": at, "key_id": key_id,
            "sig": keyring.mac(_body(seq, head_hash, at, key_id), key_id)}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (json.dumps(line, sort_keys=True) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def read_checkpoints(path: Path) -> list[Checkpoint | str]:
    """Every line of the file: a Checkpoint, or a message naming the unreadable line."""
    if not path.exists():
        return []
    out: list[Checkpoint | str] = []
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if text.strip():
                out.append(_parse(number, text))
    return out


def _parse(number: int, text: str) -> Checkpoint | str:
    try:
        data = json.loads(text)
        return Checkpoint(line=number, seq=int(data["seq"]), hash=str(data["hash"]),
                          at=str(data["at"]), key_id=str(data["key_id"]), sig=str(data["sig"]))
    except (ValueError, KeyError, TypeError):
        return f"checkpoint line {number}: unreadable"


def checkpoint_problem(item: Checkpoint | str, keyring: Keyring) -> str | None:
    """Why a checkpoint line cannot be trusted, or None when its signature holds."""
    if isinstance(item, str):
        return item
    try:
        if keyring.matches(item.body(), item.key_id, item.sig):
            return None
    except UnknownAuditKey:
        return f"checkpoint line {item.line}: key id {item.key_id!r} is not in AUDIT_KEYS"
    return f"checkpoint line {item.line}: its signature does not verify (the line was altered)"


def write_pending(session) -> None:
    """After a commit: the checkpoint a committed event asked for (see audit.record)."""
    pending = session.info.pop("audit_checkpoint", None)
    if pending is None:
        return
    path, keyring, seq, head_hash = pending
    try:
        append_checkpoint(path, keyring, seq, head_hash)
    except OSError:
        log.exception("audit checkpoint for event %s not written to %s", seq, path)
