"""The job graph with real worker processes: nothing is lost, nothing is done twice."""
import time

import pytest
from rq import Worker
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer

from models import AuditEvent, JobRecord, Material, db
from tests.workers.conftest import run_states, statuses, wait_until_done
from workers.queues import INTAKE, connect
from workers.sweeper import sweep

pytestmark = pytest.mark.slow


def _running(proc, connection) -> str | None:
    found = Worker.find_by_key(Worker.redis_worker_namespace_prefix + proc.args[-1],
                               connection=connection, serializer=JSONSerializer)
    return found.get_current_job_id() if found is not None else None


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


def test_sigkill_mid_job_twenty_times_loses_nothing_and_repeats_nothing(app, config, workers,
                                                                       submit):
    ids = submit(14, prefix="ICP-K")
    connection = connect(config.redis_url)
    (worker,) = workers.start(1)
    killed: set[str] = set()  # a job killed once is let be: three deaths would fail it
    deadline = time.monotonic() + 420
    while len(killed) < 20 and time.monotonic() < deadline:
        # The job the worker is running now, as it told Redis: a row still marked started
        # may be one killed before and not yet taken again, and killing the worker then
        # kills some other job, perhaps once too often.
        started = _running(worker, connection)
        if started is None or started in killed:
            if all(s == ["done"] for s in run_states(ids).values()):
                break
            time.sleep(0.05)
            continue
        workers.kill(worker)
        killed.add(_running(worker, connection) or started)  # what it was running as it died
        sweep(connection, (0, 0))
        (worker,) = workers.start(1)
    assert len(killed) >= 15, f"only {len(killed)} kills landed mid-job"
    workers.start(1)
    states = wait_until_done(ids, timeout=300, sweep_with=lambda: sweep(connection, (0, 0)))
    assert [i for i, s in states.items() if s != ["done"]] == []  # none stuck, one run each
    assert set(_finished_events(ids).values()) == {1}  # none finalized twice
    assert statuses(ids) == {"awaiting_review"}


def test_a_failing_job_is_retried_then_recorded(app, config, workers, submit):
    from models.storage import open_storage

    (application_id,) = submit(1, prefix="ICP-F")
    material = db.session.execute(db.select(Material).where(
        Material.application_id == application_id, Material.kind == "id_card_front")).scalar_one()
    open_storage(config).delete(material.sha256)  # the upload vanished from storage
    workers.start(1)
    states = wait_until_done([application_id], timeout=420)  # slow warm-up under load
    assert states[application_id] == ["failed"]
    job = db.session.execute(db.select(JobRecord).where(
        JobRecord.material_id == material.id)).scalar_one()
    assert job.state == "failed" and "StorageError" in job.error
    assert job.attempts == 3  # the first try and two retries
    failed = FailedJobRegistry(INTAKE, connection=connect(config.redis_url),
                               serializer=JSONSerializer)
    assert job.id in failed.get_job_ids()
