"""The audit trail: append-only, hash-chained events."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import sqlalchemy
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

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
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def payload(self) -> bytes:
        body = {
            "id": self.id, "at": self.at.astimezone(dt.timezone.utc).isoformat(),
            "actor_id": self.actor_id, "actor": self.actor, "action": self.action,
            "target_type": self.target_type, "target_id": self.target_id,
            "detail": self.detail, "prev_hash": self.prev_hash,
        }
        return json.dumps(body, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload()).hexdigest()


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
    event = AuditEvent(id=seq, at=utcnow(), actor=actor[:64], actor_id=actor_id,
                       action=action, target_type=target_type, target_id=target_id,
                       detail=json.loads(json.dumps(detail or {}, ensure_ascii=False,
                                                    default=str)),
                       prev_hash=prev)
    event.hash = event.compute_hash()
    session.add(event)
    session.execute(db.update(AuditHead).where(AuditHead.id == 1).values(last_hash=event.hash))
    return event


def check_events(events, head_hash: str | None) -> tuple[bool, str, int]:
    """Walk events in id order; (ok, message naming the first broken link, events checked)."""
    prev, checked, last_id = GENESIS, 0, 0
    for event in events:
        if event.prev_hash != prev:
            return False, (f"event {event.id}: its link does not match the event before it "
                           "(an event before it was changed or removed)"), checked
        if event.compute_hash() != event.hash:
            return False, f"event {event.id}: its content was changed", checked
        prev, last_id, checked = event.hash, event.id, checked + 1
    if head_hash is not None and head_hash != prev:
        return False, f"the newest event(s) after event {last_id} were removed", checked
    return True, f"{checked} events, chain intact", checked


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


def verify_chain(batch: int = 2000) -> tuple[bool, str, int]:
    """Check the stored chain and its head."""
    head = db.session.get(AuditHead, 1)
    head_hash = head.last_hash if head is not None else None
    return check_events(_stored_events(batch), head_hash)
