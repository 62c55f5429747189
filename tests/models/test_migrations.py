"""Alembic migrations go up and down on the configured database (SQLite or PostgreSQL)."""
import logging

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from models import db


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_migrations_up_down_up_match_the_models(app):
    _empty_database()
    upgrade()
    assert _tables() == set(db.metadata.tables)
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()
    assert _tables() == set(db.metadata.tables)


def test_migrating_leaves_the_app_and_worker_loggers_on(app):
    """`reviewer run` migrates in the process that then serves: its errors must still log."""
    worker_log = logging.getLogger("rq.worker")
    _empty_database()
    upgrade()
    assert not app.logger.disabled
    assert not worker_log.disabled


def _empty_database() -> None:
    """No tables and no alembic_version, on either back-end."""
    if db.engine.dialect.name == "sqlite":
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    else:
        _reset_schema()


def _reset_schema() -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))


QUEUE_INDEXES = {"ix_applications_status_due", "ix_applications_due_order",
                 "ix_applications_status_risk", "ix_applications_risk_order"}


def _indexes(table: str) -> dict[str, list[str]]:
    return {i["name"]: i["column_names"] for i in sa.inspect(db.engine).get_indexes(table)
            if not i.get("duplicates_constraint")}  # PostgreSQL lists a unique constraint's


def test_the_queue_indexes_come_and_go_with_0004(app):
    _empty_database()
    upgrade()
    indexes = _indexes("applications")
    assert QUEUE_INDEXES <= set(indexes) and "ix_applications_queue" not in indexes
    assert indexes["ix_applications_status_risk"][0] == "status"
    assert set(indexes) == {i.name for i in db.metadata.tables["applications"].indexes}
    assert "ix_decisions_decider_application" in _indexes("decisions")
    downgrade(revision="0003")
    indexes = _indexes("applications")
    assert not QUEUE_INDEXES & set(indexes)
    assert indexes["ix_applications_queue"] == ["status", "due_at"]
    assert "ix_decisions_decided_by_id" in _indexes("decisions")
    upgrade()
    assert QUEUE_INDEXES <= set(_indexes("applications"))


def test_0005_bands_stored_hashes_again_both_ways(app):
    from models.material import phash_bands
    from reviewer.services import runtime
    from tests.reviewer.factories import make_application

    upgrade()
    phash = "0123456789abcdef" * 4
    material = make_application(runtime.storage()).materials[0]
    material.set_phash(phash)
    db.session.commit()
    material_id = material.id
    db.session.remove()

    def bands(count: int) -> list[int]:
        columns = ", ".join(f"phash_b{i}" for i in range(count))
        with db.engine.connect() as conn:
            return list(conn.execute(sa.text(f"SELECT {columns} FROM materials WHERE id = :id"),
                                     {"id": material_id}).one())

    downgrade(revision="0004")
    width = len(phash) // 4
    assert bands(4) == [int(phash[i * width:(i + 1) * width], 16) & 0x7FFFFFFF for i in range(4)]
    upgrade()
    assert bands(8) == phash_bands(phash)


def _legacy_chain_verifies() -> bool:
    """The chain before 0006: every event's hash the plain SHA-256 of its content."""
    import hashlib

    from models.audit import GENESIS, event_payload
    from models.base import UTCDateTime

    columns = [sa.column(name) for name in ("id", "actor_id", "actor", "action", "target_type",
                                             "target_id", "prev_hash", "hash")]
    events = sa.table("audit_events", sa.column("at", UTCDateTime()),
                      sa.column("detail", sa.JSON), *columns)
    prev = GENESIS
    with db.engine.connect() as conn:
        for row in conn.execute(sa.select(events).order_by(events.c.id)):
            if row.prev_hash != prev or hashlib.sha256(event_payload(row)).hexdigest() != row.hash:
                return False
            prev = row.hash
    return True


def _seed_0006_data() -> str:
    from models import ApiToken
    from models.audit import record
    from reviewer.services import runtime
    from tests.reviewer.factories import make_application

    db.session.add(ApiToken.issue("portal", scope="read-all", owner="someone")[0])
    application = make_application(runtime.storage())
    record("application.intake", actor="api:portal", target_type="application",
           target_id=application.id, detail={"名": "王建国"})
    record("test.event")
    db.session.commit()
    application_id = application.id
    db.session.remove()
    return application_id


def test_0006_keys_the_audit_chain_and_gives_tokens_and_applications_owners_both_ways(
        app, config):
    import json

    from models import ApiToken, Application, AuditEvent
    from models.audit import verify_chain
    from models.audit_keys import current_keyring

    upgrade()
    application_id = _seed_0006_data()
    downgrade(revision="0005")
    assert "key_id" not in {c["name"] for c in sa.inspect(db.engine).get_columns("audit_events")}
    assert _legacy_chain_verifies()
    path = config.effective_audit_checkpoint_path()
    path.unlink(missing_ok=True)
    upgrade()
    ok, message, checked = verify_chain(anchor=False)
    assert ok and checked >= 2, message
    keys = set(db.session.execute(db.select(AuditEvent.key_id)).scalars())
    assert keys == {current_keyring().current_id}
    lines = path.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["seq"] == checked
    assert db.session.get(Application, application_id).owner == "portal"
    token = db.session.execute(db.select(ApiToken)).scalar_one()
    assert (token.owner, token.scope) == ("portal", "read-own")


def test_0006_refuses_to_key_a_legacy_chain_that_was_tampered_with(app, capfd):
    import pytest

    upgrade()
    _seed_0006_data()
    downgrade(revision="0005")
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        conn.execute(sa.text("UPDATE audit_events SET actor = 'mallory' WHERE id = 1"))
    with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
        upgrade()
    assert "audit event 1 does not verify" in capfd.readouterr().err
    db.session.rollback()
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("audit_events")}
    assert "key_id" not in columns
