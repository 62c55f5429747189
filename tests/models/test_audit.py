"""The audit trail is hash-chained, append-only, and every tampering is detected."""
import datetime as dt
import random
import threading

import pytest
import sqlalchemy as sa

from models import AuditEvent, AuditHead, db
from models.audit import GENESIS, check_events, record, verify_chain
from models.audit_keys import Keyring

KEYRING = Keyring((("t1", b"a test key of thirty-two bytes!!"),))


def _chain(n: int) -> list[AuditEvent]:
    events, prev = [], GENESIS
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    for i in range(1, n + 1):
        event = AuditEvent(id=i, at=start + dt.timedelta(seconds=i), actor=f"user{i % 7}",
                           actor_id=i % 7, action=random.choice(["auth.login", "decision.approve",
                                                                 "pii.reveal", "material.view"]),
                           target_type="application", target_id=f"a{i % 97}",
                           detail={"n": i}, prev_hash=prev, hash="", key_id="t1")
        event.hash = event.compute_hash(KEYRING)
        prev = event.hash
        events.append(event)
    return events


def _tamper(events: list[AuditEvent], rng: random.Random) -> list[AuditEvent]:
    index = rng.randrange(len(events))
    changed = list(events)
    if rng.random() < 0.5:
        del changed[index]
        return changed
    victim = changed[index]
    copy = AuditEvent(**{c.key: getattr(victim, c.key) for c in sa.inspect(AuditEvent).columns})
    field = rng.choice(["actor", "action", "target_id", "detail", "at", "hash", "prev_hash"])
    if field == "detail":
        copy.detail = {"n": -1}
    elif field == "at":
        copy.at = copy.at + dt.timedelta(seconds=1)
    else:
        setattr(copy, field, getattr(copy, field) + "x")
    changed[index] = copy
    return changed


def test_500_random_edits_or_deletions_in_a_10000_event_chain_are_all_detected():
    rng = random.Random(20261123)
    events = _chain(10_000)
    head = events[-1].hash
    assert check_events(events, head, KEYRING)[0]
    missed = [i for i in range(500) if check_events(_tamper(events, rng), head, KEYRING)[0]]
    assert missed == []


def test_removing_the_newest_event_is_detected_by_the_head():
    events = _chain(50)
    ok, message, _ = check_events(events[:-1], events[-1].hash, KEYRING)
    assert not ok and "removed" in message


def test_recorded_events_chain_and_verify(app):
    for i in range(30):
        record("test.event", actor="tester", target_type="thing", target_id=str(i),
               detail={"i": i, "名": "王建国"})
        db.session.commit()
    ok, message, checked = verify_chain()
    assert ok, message
    assert checked == 30


def test_first_writers_of_a_new_database_race_without_losing_an_event(app):
    """create_all makes the head row, as the migration does: writers only update it."""
    assert db.session.get(AuditHead, 1).seq == 0
    db.session.remove()
    start, errors = threading.Barrier(4), []

    def write(n: int) -> None:
        with app.app_context():
            try:
                start.wait()
                for i in range(10):
                    record("test.event", detail={"writer": n, "i": i})
                    db.session.commit()
            except Exception as exc:  # reported below, with the writer that failed
                errors.append(f"writer {n}: {exc!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ok, message, checked = verify_chain()
    assert ok, message
    assert checked == 40


def test_a_stored_edit_is_refused_or_named_by_verify(app):
    """PostgreSQL refuses the edit by trigger; elsewhere `verify` names the edited event."""
    for i in range(10):
        record("test.event", detail={"i": i})
    db.session.commit()
    edit = sa.text("UPDATE audit_events SET actor = 'mallory' WHERE id = 4")
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            db.session.execute(edit)
        db.session.rollback()
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            db.session.execute(sa.text("DELETE FROM audit_events WHERE id = 4"))
        db.session.rollback()
        assert verify_chain()[0]
        return
    db.session.execute(edit)
    db.session.commit()
    ok, message, _ = verify_chain()
    assert not ok and message.startswith("event 4:")


def test_cli_audit_verify_reports_the_chain(app):
    record("test.event")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "1 events, chain intact" in result.output
