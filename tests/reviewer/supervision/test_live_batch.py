"""The batch reprocess page and the pipeline page follow themselves: JSON figures, a cancel."""
from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa
from rq.job import Job
from rq.serializers import JSONSerializer

from models import InspectionRun, JobRecord, ReprocessBatch, db
from reviewer import services
from tests.reviewer.factories import make_application, post
from workers.queues import connect


@pytest.fixture
def config(config):
    return dataclasses.replace(config, job_retry_delays=(7, 11))


def _start(client, login, n: int = 2) -> ReprocessBatch:
    for _ in range(n):
        make_application(services.storage(), province="广东省")
    login("supervisor")
    post(client, "/supervision/reprocess", {"province": "广东省"})
    return db.session.execute(sa.select(ReprocessBatch)).scalar_one()


def _redis_jobs(batch: ReprocessBatch) -> list[Job]:
    connection = connect(services.config().effective_redis_url())
    ids = db.session.execute(sa.select(JobRecord.id).join(InspectionRun).where(
        InspectionRun.batch_id == batch.id)).scalars().all()
    return [Job.fetch(i, connection=connection, serializer=JSONSerializer) for i in ids]


def test_a_web_batch_enqueues_its_jobs_with_the_configured_retries(client, login, users):
    batch = _start(client, login)
    jobs = _redis_jobs(batch)
    assert len(jobs) >= 4  # a material and a finalize job per application at least
    assert {(job.retries_left, tuple(job.retry_intervals)) for job in jobs} == {(2, (7, 11))}
