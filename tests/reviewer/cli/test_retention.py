"""`reviewer purge --days N`: uploads of applications closed more than N days ago are
deleted, files an open application still uses are kept, the audit chain stays intact."""
from __future__ import annotations

import datetime as dt

import pytest

from models import Application, AuditEvent, Material, MaterialResult, db, utcnow
from models.storage import open_storage
from samples import contract
from tests.reviewer.intake_helpers import post

DAYS = 30


@pytest.fixture
def submitted(app, client, api_token):
    """`submitted(name, files, status, days_ago)`: an application through the API, then
    moved to `status` with its last activity `days_ago` days back."""
    def make(name: str, files: dict[str, bytes], status: str, days_ago: float) -> str:
        form = contract.example(external_id=f"ICP-RET-{name}")
        response = post(client, api_token, form, files)
        assert response.status_code == 201, response.get_json()
        application = db.session.get(Application, response.get_json()["id"])
        application.status = status
        application.last_activity_at = utcnow() - dt.timedelta(days=days_ago)
        db.session.commit()
        return application.id
    return make


def _files(seed: int) -> dict[str, bytes]:
    return contract.files_for(contract.example(), seed=seed)


def _materials(application_id: str) -> list[Material]:
    db.session.expire_all()
    return db.session.execute(db.select(Material).where(
        Material.application_id == application_id)).scalars().all()


def _purge(app, days: int = DAYS):
    result = app.test_cli_runner().invoke(args=["purge", "--days", str(days)])
    assert result.exit_code == 0, result.output
    return result.output


def test_purge_deletes_closed_uploads_and_keeps_what_is_still_used(app, config, submitted):
    store = open_storage(config)
    shared_files = _files(2)
    open_files = {**_files(3)}
    shared_name = next(iter(shared_files))
    open_files[shared_name] = shared_files[shared_name]  # one photo filed twice
    rejected = submitted("rejected-old", _files(1), "rejected", DAYS + 10)
    approved = submitted("approved-old", shared_files, "approved", DAYS + 10)
    expired_recent = submitted("expired-recent", _files(4), "expired", DAYS - 5)
    open_old = submitted("open-old", open_files, "awaiting_review", DAYS * 10)
    purgeable = {m.sha256 for a in (rejected, approved) for m in _materials(a)}
    shared = {m.sha256 for m in _materials(open_old)} & purgeable
    assert len(shared) == 1 and all(store.exists(s) for s in purgeable)

    output = _purge(app)

    assert f"purged {2 * len(shared_files)} materials" in output
    for application_id in (rejected, approved):
        assert all(m.purged_at is not None for m in _materials(application_id))
    for sha256 in purgeable - shared:
        assert not store.exists(sha256)
        assert not (config.storage_dir / sha256[:2] / sha256[2:4] / sha256).exists()
        assert db.session.execute(db.select(MaterialResult.id).where(
            MaterialResult.sha256 == sha256)).first() is None
    for application_id in (expired_recent, open_old):
        for material in _materials(application_id):
            assert material.purged_at is None
            assert store.get(material.sha256)  # still readable and intact
    event = db.session.execute(db.select(AuditEvent).where(
        AuditEvent.action == "retention.purge")).scalar_one()
    assert event.detail == {"days": DAYS, "materials": 2 * len(shared_files)}


def test_audit_chain_verifies_after_purges(app, submitted):
    submitted("a", _files(5), "rejected", DAYS + 1)
    submitted("b", _files(6), "approved", DAYS + 400)
    first, second = _purge(app), _purge(app)
    assert "purged 0 materials" not in first and "purged 0 materials" in second
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "chain intact" in result.output


def test_a_purged_material_is_gone_for_viewers_too(app, client, users, login, submitted):
    application_id = submitted("viewed", _files(7), "approved", DAYS + 2)
    _purge(app)
    assert login("admin").status_code == 302
    material = _materials(application_id)[0]
    assert client.get(f"/materials/{material.id}").status_code == 410


def test_default_days_come_from_retention_days(app, config, submitted):
    kept = submitted("young", _files(8), "rejected", config.retention_days - 1)
    gone = submitted("old", _files(9), "rejected", config.retention_days + 1)
    app.test_cli_runner().invoke(args=["purge"])
    assert all(m.purged_at is None for m in _materials(kept))
    assert all(m.purged_at is not None for m in _materials(gone))
