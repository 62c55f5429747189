"""The batch reprocess page and the pipeline page follow themselves: JSON figures, a cancel."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from rq.job import Job
from rq.serializers import JSONSerializer

from config import current as settings
from models import (Application, AuditEvent, InspectionRun, JobRecord, MaterialResult,
                    ReprocessBatch, db)
from reviewer.services import runtime
from reviewer.services.reprocess import progress
from tests.reviewer.factories import make_application, post
from tests.reviewer.inspection_spy import watch
from workers.executor import MaterialInspection
from workers.finalize import RunFinalizer
from workers.queues import connect


@pytest.fixture
def config(config):
    """Distinctive retry delays, and a Redis of the test's own: job ids start again with
    each test's database, so in the shared one an earlier test's job could stand in."""
    from workers.redis_server import EmbeddedRedis

    server = EmbeddedRedis(Path("/tmp") / f"icp-batch-{os.getpid()}" / "redis.sock",
                           appendonly=False).start()
    yield dataclasses.replace(config, redis_url=server.url, job_retry_delays=(7, 11))
    server.stop()
    shutil.rmtree(server.directory, ignore_errors=True)


def _start(client, login, n: int = 2) -> ReprocessBatch:
    for _ in range(n):
        make_application(runtime.storage(), province="广东省")
    login("supervisor")
    post(client, "/supervision/reprocess", {"province": "广东省"})
    return db.session.execute(sa.select(ReprocessBatch)).scalar_one()


def _redis_jobs(batch: ReprocessBatch) -> list[Job]:
    connection = connect(settings().effective_redis_url())
    ids = db.session.execute(sa.select(JobRecord.id).join(InspectionRun).where(
        InspectionRun.batch_id == batch.id)).scalars().all()
    return [Job.fetch(i, connection=connection, serializer=JSONSerializer) for i in ids]


def test_a_web_batch_enqueues_its_jobs_with_the_configured_retries(client, login, users,
                                                                    monkeypatch):
    seen = watch(monkeypatch)
    batch = _start(client, login)
    # started through the one service, which enqueued the very runs it made
    assert seen.triggers() == ["reprocess", "reprocess"] and seen.enqueued_as_started()
    assert {run.batch_id for run in seen.runs()} == {batch.id}
    jobs = _redis_jobs(batch)
    assert len(jobs) >= 4  # a material and a finalize job per application at least
    assert {(job.retries_left, tuple(job.retry_intervals)) for job in jobs} == {(2, (7, 11))}


def _runs(batch: ReprocessBatch) -> list[InspectionRun]:
    return db.session.execute(sa.select(InspectionRun).where(InspectionRun.batch_id == batch.id)
                              .order_by(InspectionRun.id)).scalars().all()


def test_the_progress_figures_give_rate_and_time_left(client, login, users):
    batch = _start(client, login, n=4)
    runs = _runs(batch)
    runs[0].state, runs[1].state = "done", "failed"
    db.session.commit()
    ten_minutes_in = batch.created_at + dt.timedelta(minutes=10)
    figures = progress(batch, now=ten_minutes_in)
    assert (figures["finished"], figures["total"], figures["rate"]) == (2, 4, 0.2)
    assert figures["remaining_seconds"] == 600  # 2 left at 0.2 a minute
    state = client.get(f"/supervision/reprocess/{batch.id}/progress.json").get_json()
    assert (state["counts"], state["total"], state["state"], state["state_label"]) == (
        "2/4", 4, "running", "进行中")
    assert state["rate"] > 0 and state["remaining"].startswith("约") and not state["settled"]


def test_only_a_supervisor_follows_or_cancels_a_batch(client, login, users):
    batch = _start(client, login)
    client.get("/logout")
    login("reviewer")
    assert client.get(f"/supervision/reprocess/{batch.id}/progress.json").status_code == 403
    assert post(client, f"/supervision/reprocess/{batch.id}/cancel").status_code == 403
    client.get("/logout")
    login("supervisor")
    assert client.post(f"/supervision/reprocess/{batch.id}/cancel").status_code == 400  # no CSRF
    db.session.expire_all()
    assert db.session.get(ReprocessBatch, batch.id).state == "running"
    assert {run.state for run in _runs(batch)} == {"pending"}


def test_cancelling_stops_the_runs_not_started_and_keeps_the_applications(client, login, users):
    batch = _start(client, login, n=3)
    runs = _runs(batch)
    runs[0].state = "running"  # a worker has it: it finishes
    db.session.commit()
    before = {a.id: (a.status, a.latest_run_id) for a in db.session.execute(
        sa.select(Application)).scalars()}
    page = post(client, f"/supervision/reprocess/{batch.id}/cancel",
                follow_redirects=True).get_data(as_text=True)
    assert "已取消" in page and "取消批次</button>" not in page
    db.session.expire_all()
    assert [run.state for run in _runs(batch)] == ["running", "cancelled", "cancelled"]
    jobs = db.session.execute(sa.select(JobRecord.run_id, JobRecord.state)).all()
    assert {state for run_id, state in jobs if run_id != runs[0].id} == {"cancelled"}
    assert {state for run_id, state in jobs if run_id == runs[0].id} == {"queued"}
    assert {a.id: (a.status, a.latest_run_id) for a in db.session.execute(
        sa.select(Application)).scalars()} == before
    event = db.session.execute(sa.select(AuditEvent).filter_by(
        action="reprocess.cancel")).scalar_one()
    assert (event.actor, event.target_id, event.detail["cancelled_runs"]) == (
        "supervisor", str(batch.id), 2)
    post(client, f"/supervision/reprocess/{batch.id}/cancel")  # once over, nothing more
    assert len(db.session.execute(sa.select(AuditEvent).filter_by(
        action="reprocess.cancel")).all()) == 1


def test_a_worker_skips_the_jobs_of_a_cancelled_run(client, login, users):
    batch = _start(client, login, n=1)
    post(client, f"/supervision/reprocess/{batch.id}/cancel")
    run = _runs(batch)[0]
    material = db.session.get(Application, run.application_id).current_materials()[0]
    stored = _results()
    assert MaterialInspection(run.id, material.id).run() == {"skipped": "run cancelled"}
    assert RunFinalizer(run.id).run() == {"skipped": "run already finalized"}
    db.session.expire_all()
    assert db.session.get(InspectionRun, run.id).state == "cancelled"
    assert _results() == stored


def _results() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(MaterialResult))


def test_a_cancelled_batch_reports_once_its_started_runs_finish(client, login, users):
    batch = _start(client, login, n=2)
    runs = _runs(batch)
    runs[0].state = "running"
    db.session.commit()
    post(client, f"/supervision/reprocess/{batch.id}/cancel")
    assert not client.get(f"/supervision/reprocess/{batch.id}/progress.json").get_json()["settled"]
    runs[0].state = "done"
    db.session.commit()
    state = client.get(f"/supervision/reprocess/{batch.id}/progress.json").get_json()
    assert (state["state_label"], state["settled"], state["cancelled"]) == ("已取消", True, 1)
    db.session.expire_all()
    assert db.session.get(ReprocessBatch, batch.id).report["changed_applications"] == 0


def test_the_pipeline_figures_follow_the_runs(client, login, users):
    batch = _start(client, login, n=2)
    figures = client.get("/supervision/health.json").get_json()
    assert (figures["runs.pending"], figures["stuck"]) == (2, 0)
    assert figures["queue.reprocess.queued"] >= 2 and figures["redis_error"] == ""
    _runs(batch)[0].state = "done"
    db.session.commit()
    later = client.get("/supervision/health.json").get_json()
    assert (later["runs.pending"], later["runs.done"]) == (1, figures["runs.done"] + 1)
    page = client.get("/supervision/health").get_data(as_text=True)
    assert 'data-field="runs.pending">1<' in page and "data-live=" in page
