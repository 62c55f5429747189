"""The job graph with real worker processes: nothing is lost, nothing is done twice."""
import pytest
from models import AuditEvent, JobRecord, db
from tests.workers.conftest import statuses, wait_until_done

pytestmark = pytest.mark.slow


def _finished_events(ids):
    db.session.expire_all()
    rows = db.session.execute(db.select(AuditEvent.target_id).where(
        AuditEvent.action == "inspection.finished", AuditEvent.target_id.in_(ids))).scalars()
    counts = {i: 0 for i in ids}
    for target in rows:
        counts[target] += 1
    return counts


def test_two_workers_inspect_every_application_once(app, config, workers, submit):
    ids = submit(6)
    workers.start(2)
    states = wait_until_done(ids, timeout=240)
    assert all(s == ["done"] for s in states.values()), states
    assert statuses(ids) == {"awaiting_review"}
    assert set(_finished_events(ids).values()) == {1}
    jobs = db.session.execute(db.select(JobRecord)).scalars().all()
    assert len(jobs) == 6 * 6 and {j.state for j in jobs} == {"finished"}
