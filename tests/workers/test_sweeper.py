"""The reconciler against a real Redis: what it releases, what it leaves alone, what it remakes."""
import os
import subprocess

import pytest
from rq import Queue, Worker
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from models import InspectionRun, JobRecord, db
from workers.dispatch import finalize_job_id
from workers.finalize import RunFinalizer
from workers.queues import INTAKE, connect, queue
from workers.sweeper import CRASH_LIMIT, GRACE, sweep


@pytest.fixture
def config(config, own_redis):
    return config.replace(redis_url=own_redis.url)


@pytest.fixture
def connection(config):
    return connect(config.redis_url)


def _worker(connection, pid: int | None = None) -> Worker:
    worker = Worker([queue(INTAKE, connection)], connection=connection,
                    serializer=JSONSerializer, name=f"sweeper-test-{os.getpid()}")
    if pid is not None:
        worker.pid = pid
    worker.register_birth()
    return worker


def _taken(worker: Worker, connection) -> Job:
    """What a worker does with a job before running it: dequeue it, record the execution."""
    job, _ = Queue.dequeue_any([queue(INTAKE, connection)], None, connection=connection,
                               serializer=JSONSerializer)
    worker.prepare_execution(job)
    return job


def _run(application_id: str) -> InspectionRun:
    return db.session.execute(db.select(InspectionRun).filter_by(
        application_id=application_id)).scalar_one()


def _dependents(job_id: str, connection) -> set[str]:
    return {m.decode() for m in connection.smembers(Job.dependents_key_for(job_id))}


def test_a_job_taken_but_not_yet_started_is_not_released(app, connection, submit):
    # The state behind the application left unfinished after a Redis restart: the job is in
    # the started registry (its worker recorded the execution on taking it) but the job
    # has not yet started, so its worker name is not written on it yet. Taking that for an abandoned
    # job deleted it, and with it the list of jobs waiting on it: the run's finalize job.
    (application_id,) = submit(1, prefix="ICP-S")
    run = _run(application_id)
    job = _taken(_worker(connection), connection)
    registry = StartedJobRegistry(INTAKE, connection=connection, serializer=JSONSerializer)
    assert job.id in registry.get_job_ids()
    assert Job.fetch(job.id, connection=connection, serializer=JSONSerializer).worker_name is None
    assert sweep(connection, (0, 0))["released"] == 0
    assert _dependents(job.id, connection) == {finalize_job_id(run.id)}
    assert job.id in registry.get_job_ids()


def test_a_job_whose_worker_died_is_released(app, connection, submit):
    gone = subprocess.Popen(["true"])
    gone.wait()
    submit(1, prefix="ICP-D")
    job = _taken(_worker(connection, pid=gone.pid), connection)
    assert sweep(connection, (0, 0))["released"] == 1
    assert not Job.exists(job.id, connection=connection)


def _dead_pid() -> int:
    gone = subprocess.Popen(["true"])
    gone.wait()
    return gone.pid


@pytest.mark.parametrize("deaths", [CRASH_LIMIT - 1, CRASH_LIMIT])
def test_a_job_that_keeps_killing_its_worker_fails_at_the_limit(app, connection, submit, deaths):
    (application_id,) = submit(1, prefix=f"ICP-X{deaths}")
    job = _taken(_worker(connection, pid=_dead_pid()), connection)
    row = db.session.get(JobRecord, job.id)
    row.state, row.attempts = "started", deaths  # started `deaths` times, its worker died each
    _run(application_id).enqueued_at -= GRACE * 2  # due for requeueing
    db.session.commit()
    assert sweep(connection, (0, 0))["released"] == 1
    db.session.expire_all()
    row, run = db.session.get(JobRecord, job.id), _run(application_id)
    if deaths < CRASH_LIMIT:  # put back for another try
        assert run.state in ("pending", "running") and row.state == "queued"  # nobody runs it
        assert job.id in queue(INTAKE, connection).job_ids
    else:
        assert run.state == "failed" and row.state == "failed" and "WorkerDied" in row.error
        assert job.id not in queue(INTAKE, connection).job_ids


def test_a_finalize_nobody_will_wake_is_remade_at_the_head_of_the_queue(app, connection, submit):
    first, _backlog = submit(2, prefix="ICP-H")
    run = _run(first)
    for row in db.session.execute(db.select(JobRecord).filter_by(run_id=run.id,
                                                                 kind="material")).scalars():
        row.state = "finished"  # inspected; their jobs, and the lists of who waits on them, gone
        Job.fetch(row.id, connection=connection, serializer=JSONSerializer).delete()
    run.enqueued_at -= GRACE * 2
    db.session.commit()
    finalize = finalize_job_id(run.id)
    assert Job.fetch(finalize, connection=connection,
                     serializer=JSONSerializer).get_status() == "deferred"
    sweep(connection, (0, 0))
    intake = queue(INTAKE, connection)
    assert intake.job_ids[0] == finalize  # not behind the backlog
    assert intake.job_ids.count(finalize) == 1


def test_a_finalize_that_fails_gives_its_claim_back(app, submit, monkeypatch):
    (application_id,) = submit(1, prefix="ICP-C")
    run_id = _run(application_id).id

    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(RunFinalizer, "_analyses", broken)
    with pytest.raises(RuntimeError):
        RunFinalizer(run_id).run()
    db.session.expire_all()
    assert db.session.get(InspectionRun, run_id).state == "running"  # not a stale "finalizing"
