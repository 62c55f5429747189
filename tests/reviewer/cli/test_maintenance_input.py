"""Operator commands refuse input that would do harm or crash: a usage error (exit 2)."""
from __future__ import annotations

import pytest

from models import Application, Material, db, utcnow
from reviewer.services import runtime
from tests.reviewer.factories import desk_env, make_application  # noqa: F401  (autouse)


@pytest.mark.parametrize("days", ["-1", "0", "99999999"])
def test_purge_refuses_days_out_of_range_and_deletes_nothing(app, days):
    store = runtime.storage()
    application = make_application(store, status="approved")  # decided just now
    application.last_activity_at = utcnow()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge", "--days", days])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "--days" in result.output
    db.session.expire_all()
    materials = db.session.get(Application, application.id).materials
    assert all(m.purged_at is None and store.exists(m.sha256) for m in materials)


def test_purge_still_takes_a_sensible_number_of_days(app):
    result = app.test_cli_runner().invoke(args=["purge", "--days", "36500"])
    assert result.exit_code == 0, result.output
    assert db.session.execute(db.select(Material).where(
        Material.purged_at.is_not(None))).first() is None
