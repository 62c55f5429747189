"""The sweeper reconciles from job rows, not from what a restarted Redis remembers.

Each test makes, in a real Redis, a state a Redis crash leaves behind, and sweeps.
"""
import datetime as dt
import os

import pytest
from rq import Queue, Worker
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from models import InspectionRun, JobRecord, Material, MaterialResult, db, utcnow
from pipeline import PIPELINE_VERSION
from pipeline.analysis import MaterialAnalysis
from workers.dispatch import finalize_job_id, live_status
from workers.queues import INTAKE, connect, queue
from workers.reconcile import SETTLE
from workers.sweeper import GRACE, sweep


@pytest.fixture
def config(config, own_redis):
    return config.replace(redis_url=own_redis.url)


@pytest.fixture
def connection(config):
    return connect(config.redis_url)


def _run(application_id: str) -> InspectionRun:
    return db.session.execute(db.select(InspectionRun).filter_by(
        application_id=application_id)).scalar_one()


def _material_rows(run: InspectionRun) -> list[JobRecord]:
    return list(db.session.execute(db.select(JobRecord).filter_by(
        run_id=run.id, kind="material").order_by(JobRecord.id)).scalars())


def _store_result(row: JobRecord) -> None:
    """What a finished inspection leaves in the database: the stored analysis."""
    material = db.session.get(Material, row.material_id)
    analysis = MaterialAnalysis(file=material.original_name, kind=material.kind, phash="0" * 16)
    db.session.add(MaterialResult(sha256=material.sha256, kind=material.kind,
                                  pipeline_version=PIPELINE_VERSION, analysis=analysis.to_dict()))


def _finished_long_ago(row: JobRecord) -> None:
    _store_result(row)
    row.state, row.updated_at = "finished", utcnow() - SETTLE * 2


def _start_in_redis(job_id: str, connection) -> None:
    """A worker takes the job: dequeued, its execution recorded, its status started."""
    worker = Worker([queue(INTAKE, connection)], connection=connection,
                    serializer=JSONSerializer, name=f"reconcile-test-{os.getpid()}")
    worker.register_birth()
    job = Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
    queue(INTAKE, connection).remove(job)
    worker.prepare_execution(job)
    job.set_status("started")


def _overdue(run: InspectionRun) -> None:
    run.enqueued_at = utcnow() - GRACE * 2


def test_a_job_redis_holds_as_started_whose_result_is_stored_does_not_hold_the_run(
        app, connection, submit):
    # The fourth application: its jobs finished while Redis was down; Redis came
    # back from an older append-only file holding one as started, with the finalize
    # deferred on it. Before, the finalize stayed deferred and every sweep changed nothing.
    (application_id,) = submit(1, prefix="ICP-G")
    run = _run(application_id)
    rows = _material_rows(run)
    _start_in_redis(rows[0].id, connection)
    for row in rows:
        _finished_long_ago(row)
    for row in rows[1:]:
        Job.fetch(row.id, connection=connection, serializer=JSONSerializer).delete()
    _overdue(run)
    db.session.commit()
    finalize = finalize_job_id(run.id)
    assert live_status(finalize, connection) == "deferred"
    sweep(connection, (0, 0))
    assert live_status(rows[0].id, connection) is None  # the ghost is gone
    assert live_status(finalize, connection) == "queued"
    assert queue(INTAKE, connection).job_ids[0] == finalize


def test_a_started_job_whose_execution_redis_lost_is_released_without_a_crash(
        app, connection, submit):
    # Redis reloaded a job and its place in the started registry but not its execution:
    # RQ's Job.delete raised "Execution … not found in Redis" and the sweeper crashed.
    (application_id,) = submit(1, prefix="ICP-E")
    row = _material_rows(_run(application_id))[0]
    _start_in_redis(row.id, connection)
    connection.delete(*connection.keys(f"rq:execution:{row.id}:*"))
    registry = StartedJobRegistry(INTAKE, connection=connection, serializer=JSONSerializer)
    for entry in connection.zrange(registry.key, 0, -1):
        connection.zadd(registry.key, {entry: 1})  # its heartbeat long past
    assert sweep(connection, (0, 0))["released"] == 1
    assert not connection.zrange(registry.key, 0, -1)
    assert live_status(row.id, connection) is None or row.id in queue(INTAKE, connection).job_ids


def test_a_run_is_rebuilt_from_its_rows_when_redis_comes_back_empty(app, connection, submit):
    # One material done, one running on a worker Redis forgot, the rest never started.
    (application_id,) = submit(1, prefix="ICP-F")
    run = _run(application_id)
    done, running, *waiting = _material_rows(run)
    _finished_long_ago(done)
    running.state, running.updated_at = "started", utcnow()
    _overdue(run)
    db.session.commit()
    connection.flushall()
    sweep(connection, (0, 0))
    intake = queue(INTAKE, connection)
    assert sorted(intake.job_ids) == sorted(row.id for row in waiting)  # not the other two
    assert live_status(finalize_job_id(run.id), connection) is None  # not before `running`
    db.session.expire_all()
    _finished_long_ago(db.session.get(JobRecord, running.id))  # the worker finishes it
    for row in waiting:
        Job.fetch(row.id, connection=connection, serializer=JSONSerializer).delete()
        _finished_long_ago(db.session.get(JobRecord, row.id))
    db.session.commit()
    sweep(connection, (0, 0))
    assert intake.job_ids == [finalize_job_id(run.id)]


def test_a_material_whose_result_is_stored_is_done_whatever_its_row_says(
        app, connection, submit):
    # The worker stored the result, then lost Redis and its row was never marked finished.
    (application_id,) = submit(1, prefix="ICP-M")
    run = _run(application_id)
    rows = _material_rows(run)
    for row in rows:
        _store_result(row)
        row.state, row.updated_at = "started", utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    connection.flushall()
    sweep(connection, (0, 0))
    db.session.expire_all()
    assert {db.session.get(JobRecord, row.id).state for row in rows} == {"finished"}
    assert queue(INTAKE, connection).job_ids == [finalize_job_id(run.id)]


def test_after_redis_restarts_empty_the_next_sweep_requeues_at_once(app, connection, own_redis,
                                                                    submit):
    # Before, runs enqueued less than GRACE ago waited it out after Redis lost them.
    (application_id,) = submit(1, prefix="ICP-R")
    run = _run(application_id)
    sweep(connection, (0, 0))  # the sweeper has seen this Redis
    own_redis.stop()
    for leftover in own_redis.directory.glob("appendonly*"):
        leftover.unlink()
    own_redis.start()
    assert queue(INTAKE, connection).job_ids == []
    assert sweep(connection, (0, 0))["requeued_runs"] == 1
    assert sorted(queue(INTAKE, connection).job_ids) == sorted(r.id for r in _material_rows(run))


def test_a_finalize_waiting_on_live_jobs_is_left_as_it_is(app, connection, submit):
    # A run half done in a backlog is looked at by every sweep: its finalize, which RQ
    # will wake, is not remade each time.
    (application_id,) = submit(1, prefix="ICP-K")
    run = _run(application_id)
    first, *rest = _material_rows(run)
    Job.fetch(first.id, connection=connection, serializer=JSONSerializer).set_status("finished")
    _finished_long_ago(first)
    _overdue(run)
    db.session.commit()
    finalize = Job.fetch(finalize_job_id(run.id), connection=connection,
                         serializer=JSONSerializer)
    before = (sorted(finalize.dependency_ids), finalize.created_at)
    sweep(connection, (0, 0))
    finalize = Job.fetch(finalize.id, connection=connection, serializer=JSONSerializer)
    assert (sorted(finalize.dependency_ids), finalize.created_at) == before
    assert finalize.get_status() == "deferred"


def test_a_run_another_process_enqueues_at_the_same_moment_does_not_crash_the_sweep(
        app, connection, submit):
    # Seen in bench.redis_faults: the sweep after a restart took up a run its intake was
    # enqueueing; both wrote its first job row and the sweeper died on the IntegrityError.
    from sqlalchemy import event

    from workers.sweeper import INTAKE_WINDOW

    (application_id,) = submit(1, prefix="ICP-I")
    run = _run(application_id)
    first = _material_rows(run)[0]
    values = {"id": first.id, "run_id": run.id, "kind": "material",
              "material_id": first.material_id, "queue": first.queue}
    db.session.execute(db.delete(JobRecord).where(JobRecord.run_id == run.id))
    run.enqueued_at, run.created_at = None, utcnow() - INTAKE_WINDOW * 2  # Redis was down
    db.session.commit()
    connection.flushall()

    def the_intake_writes_first(session, context, instances):
        with db.engine.begin() as other:
            other.execute(JobRecord.__table__.insert().values(
                state="queued", progress=0.0, attempts=0, created_at=utcnow(),
                updated_at=utcnow(), **values))

    event.listen(db.session, "before_flush", the_intake_writes_first, once=True)
    assert sweep(connection, (0, 0))["requeued_runs"] == 0  # left to the next sweep
    assert sweep(connection, (0, 0))["requeued_runs"] == 1
    assert first.id in queue(INTAKE, connection).job_ids
