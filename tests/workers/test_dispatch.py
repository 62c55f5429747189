"""Putting a run's jobs on the queues: each job once, however often and by however many
processes it is asked for; what a finished or failed job left in Redis is replaced."""
from __future__ import annotations

import pytest
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from models import InspectionRun, JobRecord, db
from workers import dispatch
from workers.queues import INTAKE, MATERIAL_JOB, connect, queue


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


def test_enqueueing_a_run_again_puts_nothing_twice(app, connection, submit):
    (application_id,) = submit(1, prefix="ICP-D")  # the intake enqueued it
    run = _run(application_id)
    assert dispatch.enqueue_run(run, connection) == []
    queued = queue(INTAKE, connection).job_ids
    assert sorted(queued) == sorted(row.id for row in _material_rows(run))


def test_a_job_that_failed_in_redis_is_replaced(app, connection, submit):
    (application_id,) = submit(1, prefix="ICP-D")
    run = _run(application_id)
    first = _material_rows(run)[0]
    job = Job.fetch(first.id, connection=connection, serializer=JSONSerializer)
    queue(INTAKE, connection).remove(job)
    job.set_status(JobStatus.FAILED)  # what a worker leaves once the retries are spent
    assert first.id in dispatch.enqueue_run(run, connection)
    job = Job.fetch(first.id, connection=connection, serializer=JSONSerializer)
    assert job.get_status() == JobStatus.QUEUED
    assert queue(INTAKE, connection).job_ids.count(first.id) == 1


def test_a_job_another_process_puts_first_is_not_put_twice(app, connection, submit,
                                                           monkeypatch):
    (application_id,) = submit(1, prefix="ICP-D")
    run = _run(application_id)
    first = _material_rows(run)[0]
    dispatch.remove_job(first.id, connection)  # Redis lost it: both processes see it missing
    remove_job = dispatch.remove_job

    def the_other_process_puts_it_meanwhile(job_id, conn):
        remove_job(job_id, conn)
        if job_id == first.id:  # between this process's look and its put
            queue(INTAKE, conn).enqueue(MATERIAL_JOB, run.id, first.material_id, job_id=job_id)

    monkeypatch.setattr(dispatch, "remove_job", the_other_process_puts_it_meanwhile)
    assert first.id not in dispatch.enqueue_run(run, connection)
    assert queue(INTAKE, connection).job_ids.count(first.id) == 1
