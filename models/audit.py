"""The audit trail: append-only events chained by HMAC-SHA256 under a key kept out of
the database (models.audit_keys), with signed checkpoints of the head outside it
(models.audit_anchor)."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from config import current as settings
from models.audit_anchor import (Checkpoint, append_checkpoint, checkpoint_problem,
                                 read_checkpoints, write_pending)
from models.audit_keys import Keyring, UnknownAuditKey, checkpoint_path, current_keyring
from models.base import db, utcnow

GENESIS = "0" * 64

# PostgreSQL refuses to change or remove an event (installed by the first migration).
APPEND_ONLY_SQL = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
"""


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64))  # username, "api:<token name>" or "system"
    action: Mapped[str] = mapped_column(String(48), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))  # the AUDIT_KEYS entry that made `hash`
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def payload(self) -> bytes:
        return event_payload(self)

    def compute_hash(self, keyring: Keyring) -> str:
        """HMAC-SHA256 of the event under its key: without the key, no valid hash."""
        return keyring.mac(self.payload(), self.key_id)


def event_payload(row) -> bytes:
    """The canonical content an event's hash covers (a model or a row of the table)."""
    body = {
        "id": row.id, "at": row.at.astimezone(dt.timezone.utc).isoformat(),
        "actor_id": row.actor_id, "actor": row.actor, "action": row.action,
        "target_type": row.target_type, "target_id": row.target_id,
        "detail": row.detail, "prev_hash": row.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode()


class AuditHead(db.Model):
    """One row pointing at the newest event; updating it serialises writers of the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


@sqlalchemy.event.listens_for(AuditHead.__table__, "after_create")
def _first_head(table, connection, **_) -> None:
    """A table made by create_all gets its one row at once, as migration 0002 gives it:
    writers then only ever update it (inserting it on first use races between them)."""
    connection.execute(table.insert().values(id=1, seq=0, last_hash=GENESIS))


def record(action: str, *, actor: str = "system", actor_id: int | None = None,
           target_type: str | None = None, target_id: str | None = None,
           detail: dict[str, Any] | None = None) -> AuditEvent:
    """Append an event to the chain in the caller's transaction (the caller commits).

    The head row is updated first, which takes a write lock on it (a row lock on
    PostgreSQL, the database lock on SQLite): two transactions never link to the
    same predecessor. The head's counter gives the event its id, so the hash is
    computed before the insert and the row is never updated (PostgreSQL refuses
    that by trigger). Call it last, just before the commit, to keep the lock short.
    """
    session = db.session
    locked = session.execute(
        db.update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1))
    if locked.rowcount == 0:
        raise RuntimeError("the audit_head row is missing: the database was not made by "
                           "`reviewer init-db` nor by create_all")
    seq, prev = session.execute(
        db.select(AuditHead.seq, AuditHead.last_hash).where(AuditHead.id == 1)).one()
    keyring = current_keyring()
    event = AuditEvent(id=seq, at=utcnow(), actor=actor[:64], actor_id=actor_id,
                       action=action, target_type=target_type, target_id=target_id,
                       detail=json.loads(json.dumps(detail or {}, ensure_ascii=False,
                                                    default=str)),
                       prev_hash=prev, key_id=keyring.current_id)
    event.hash = event.compute_hash(keyring)
    session.add(event)
    session.execute(db.update(AuditHead).where(AuditHead.id == 1).values(last_hash=event.hash))
    _checkpoint_after_commit(session, keyring, event)
    return event


def _checkpoint_after_commit(session, keyring: Keyring, event: AuditEvent) -> None:
    """Every AUDIT_CHECKPOINT_EVERY-th event is anchored once its transaction commits."""
    every = settings().audit_checkpoint_every
    if every > 0 and event.id % every == 0:
        session.info["audit_checkpoint"] = (checkpoint_path(), keyring, event.id, event.hash)


@sqlalchemy.event.listens_for(Session, "after_commit")
def _write_checkpoint(session) -> None:
    write_pending(session)


@sqlalchemy.event.listens_for(Session, "after_rollback")
def _drop_checkpoint(session) -> None:
    session.info.pop("audit_checkpoint", None)


def check_events(events, head_hash: str | None, keyring: Keyring,
                 checkpoints: list[Checkpoint | str] = ()) -> tuple[bool, str, int]:
    """Walk events in id order against the key and the checkpoints outside the database;
    (ok, message naming the first broken link or checkpoint, events checked)."""
    anchors, problem = _trusted_checkpoints(checkpoints, keyring)
    if problem:
        return False, problem, 0
    prev, checked, last_id = GENESIS, 0, 0
    for event in events:
        problem = _event_problem(event, prev, keyring) or _anchor_problem(event, anchors)
        if problem:
            return False, problem, checked
        prev, last_id, checked = event.hash, event.id, checked + 1
    if head_hash is not None and head_hash != prev:
        return False, f"the newest event(s) after event {last_id} were removed", checked
    beyond = [c for seq in sorted(anchors) if seq > last_id for c in anchors[seq]]
    if beyond:
        return False, (f"checkpoint line {beyond[0].line} names event {beyond[0].seq}, but the "
                       f"chain ends at event {last_id}: newer events were removed"), checked
    return True, f"{checked} events, chain intact, {len(checkpoints)} checkpoints match", checked


def _trusted_checkpoints(checkpoints, keyring: Keyring) -> tuple[dict[int, list], str | None]:
    anchors: dict[int, list[Checkpoint]] = {}
    for item in checkpoints:
        problem = checkpoint_problem(item, keyring)
        if problem:
            return {}, problem
        anchors.setdefault(item.seq, []).append(item)
    return anchors, None


def _event_problem(event: AuditEvent, prev: str, keyring: Keyring) -> str | None:
    if event.prev_hash != prev:
        return (f"event {event.id}: its link does not match the event before it "
                "(an event before it was changed or removed)")
    try:
        if keyring.matches(event.payload(), event.key_id, event.hash):
            return None
    except UnknownAuditKey:
        return f"event {event.id}: key id {event.key_id!r} is not in AUDIT_KEYS"
    return (f"event {event.id}: its content was changed (its hash is not the HMAC "
            f"under key {event.key_id!r})")


def _anchor_problem(event: AuditEvent, anchors: dict[int, list]) -> str | None:
    for checkpoint in anchors.get(event.id, ()):
        if checkpoint.hash != event.hash:
            return (f"checkpoint line {checkpoint.line} ({checkpoint.at}) does not match "
                    f"event {event.id}: the chain was rewritten at or before it")
    return None


def _stored_events(batch: int):
    last_id = 0
    while True:
        rows = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id)
            .limit(batch)).scalars().all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        db.session.expunge_all()


def verify_chain(batch: int = 2000, *, anchor: bool = True) -> tuple[bool, str, int]:
    """Check the stored chain, its head and every checkpoint; a chain that passes has its
    head anchored by a new checkpoint (`anchor`)."""
    head = db.session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.last_hash) if head is not None else (0, None)
    keyring, path = current_keyring(), checkpoint_path()
    ok, message, checked = check_events(_stored_events(batch), head_hash, keyring,
                                        read_checkpoints(path))
    if ok and head_seq > 0 and _hash_of(head_seq) != head_hash:
        return False, f"the head names event {head_seq}, which is not the newest", checked
    if ok and anchor and head_seq > 0:
        append_checkpoint(path, keyring, head_seq, head_hash)
    return ok, message, checked


def _hash_of(event_id: int) -> str | None:
    return db.session.execute(
        db.select(AuditEvent.hash).where(AuditEvent.id == event_id)).scalar()
