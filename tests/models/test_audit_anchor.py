"""Someone who can write the database, but holds neither the audit key nor the checkpoint
file, cannot rewrite or shorten the audit chain without `audit verify` saying so."""
import datetime as dt
import hashlib
import hmac
import json
from types import SimpleNamespace

import sqlalchemy as sa

from config import attach
from models import db
from models.audit import record, verify_chain


def _events(n: int) -> None:
    for i in range(n):
        record("test.event", actor="alice", target_type="thing", target_id=str(i),
               detail={"i": i})
        db.session.commit()


def _payload(row) -> bytes:
    """The event content as the source says it is hashed (the attacker can read it)."""
    at = row.at if isinstance(row.at, dt.datetime) else dt.datetime.fromisoformat(row.at)
    at = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail)
    body = {"id": row.id, "at": at.astimezone(dt.timezone.utc).isoformat(),
            "actor_id": row.actor_id, "actor": row.actor, "action": row.action,
            "target_type": row.target_type, "target_id": row.target_id,
            "detail": detail, "prev_hash": row.prev_hash}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _as_owner(sql: str, **params) -> None:
    """Run SQL as the database's owner would: PostgreSQL's append-only trigger set aside."""
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as conn:
        if postgres:
            conn.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        conn.execute(sa.text(sql), params)
        if postgres:
            conn.execute(sa.text("ALTER TABLE audit_events ENABLE TRIGGER USER"))


def _rewrite(event_id: int, actor: str, digest) -> None:
    """Change one event's actor, then hash and link every event from it on again with
    `digest` and move the head: a chain that links up, as the attacker can make it."""
    _as_owner("UPDATE audit_events SET actor = :actor WHERE id = :id", actor=actor, id=event_id)
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM audit_events ORDER BY id")).all()
    prev = "0" * 64
    for row in rows:
        if row.id >= event_id:
            new_hash = digest(_payload(SimpleNamespace(**{**row._asdict(), "prev_hash": prev})))
            _as_owner("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :id",
                      p=prev, h=new_hash, id=row.id)
            prev = new_hash
        else:
            prev = row.hash
    _as_owner("UPDATE audit_head SET last_hash = :h WHERE id = 1", h=prev)
    db.session.expire_all()


def test_a_rewritten_actor_with_every_hash_recomputed_as_plain_sha256_is_detected(app):
    _events(12)
    _rewrite(5, "mallory", lambda payload: hashlib.sha256(payload).hexdigest())
    ok, message, checked = verify_chain()
    assert not ok
    assert message.startswith("event 5: its content was changed") and checked == 4


def test_a_rewrite_hashed_under_a_guessed_key_is_detected(app):
    _events(12)
    guess = b"a guessed key of thirty-two byte"
    _rewrite(9, "mallory", lambda payload: hmac.new(guess, payload, "sha256").hexdigest())
    ok, message, _ = verify_chain()
    assert not ok and message.startswith("event 9:")


def test_cutting_off_the_newest_events_and_moving_the_head_is_caught_by_a_checkpoint(app):
    _events(10)
    assert verify_chain()[0]  # anchors event 10 outside the database
    with db.engine.connect() as conn:
        eighth = conn.execute(sa.text("SELECT hash FROM audit_events WHERE id = 8")).scalar()
    _as_owner("DELETE FROM audit_events WHERE id > 8")
    _as_owner("UPDATE audit_head SET seq = 8, last_hash = :h WHERE id = 1", h=eighth)
    db.session.expire_all()
    ok, message, _ = verify_chain()
    assert not ok
    assert message == ("checkpoint line 1 names event 10, but the chain ends at event 8: "
                       "newer events were removed")


def test_a_rewrite_up_to_a_checkpoint_is_named_by_that_checkpoint(app, config):
    """Even with the key (say, an old one leaked), the checkpoint file holds the truth."""
    from models.audit_keys import current_keyring

    _events(6)
    assert verify_chain()[0]
    keyring = current_keyring()
    _rewrite(2, "mallory", keyring.mac)
    ok, message, _ = verify_chain()
    assert not ok
    assert message.startswith("checkpoint line 1 (") and "does not match event 6" in message


def test_an_altered_checkpoint_line_is_named(app, config):
    _events(3)
    assert verify_chain()[0]
    path = config.effective_audit_checkpoint_path()
    line = json.loads(path.read_text())
    path.write_text(json.dumps({**line, "seq": 2}) + "\n")
    ok, message, _ = verify_chain()
    assert not ok
    assert message == "checkpoint line 1: its signature does not verify (the line was altered)"


def test_a_checkpoint_is_appended_every_n_committed_events_and_not_for_a_rolled_back_one(
        app, config):
    attach(app, config.replace(audit_checkpoint_every=4))
    _events(9)
    record("test.event")  # event 10 never commits; the next event takes its number
    db.session.rollback()
    path = config.effective_audit_checkpoint_path()
    assert [json.loads(line)["seq"] for line in path.read_text().splitlines()] == [4, 8]
    ok, message, _ = verify_chain()
    assert ok and message == "9 events, chain intact, 2 checkpoints match"


def test_the_cli_verify_fails_on_a_rewrite_and_says_which_event(app):
    _events(4)
    _rewrite(3, "mallory", lambda payload: hashlib.sha256(payload).hexdigest())
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert result.output.startswith("event 3: its content was changed")


def test_a_head_that_names_another_event_is_refused_and_not_anchored(app, config):
    """A checkpoint written from a falsified head counter would be a false alarm later."""
    _events(3)
    _as_owner("UPDATE audit_head SET seq = 99 WHERE id = 1")
    db.session.expire_all()
    ok, message, _ = verify_chain()
    assert not ok and message == "the head names event 99, which is not the newest"
    assert not config.effective_audit_checkpoint_path().exists()
