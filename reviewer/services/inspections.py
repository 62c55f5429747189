"""Starting an inspection: the one place a run is made, and the one place runs are enqueued.

Every start comes here, whoever asks:
- intake (the API, `reviewer intake`, the demo): `start(application, INTAKE)`, inside intake;
- a re-run, by a reviewer or on mailed originals received: `start(application, RERUN)`;
- a reprocess batch (the supervision page, `reviewer reprocess`): `start_reprocess`.

A run is made in the caller's transaction; once the caller has committed it, `enqueue`
(with a Redis connection) or `try_enqueue` (which leaves it to the sweeper while Redis is
unreachable) puts its jobs on the queues, retried as the settings say (JOB_RETRY_DELAYS).
"""
from __future__ import annotations

from typing import Iterable

import redis
from flask import current_app

from config import current as settings
from models import Application, InspectionRun, ReprocessBatch, db
from models.status import Status, transition
from pipeline import PIPELINE_VERSION
from workers import dispatch

INTAKE, RERUN, REPROCESS = "intake", "rerun", "reprocess"


def start(application: Application, trigger: str) -> InspectionRun:
    """Intake's run or a re-run: a new run of the application's current materials, and the
    application moves to inspecting (the desk has it back once the run is done). Flushed,
    so the caller's audit event can name the run."""
    if trigger not in (INTAKE, RERUN):
        raise ValueError(f"an application is started by intake or a re-run, not {trigger!r}")
    run = _new_run(application.id, trigger)
    transition(application, Status.INSPECTING)
    db.session.flush()
    return run


def start_reprocess(batch: ReprocessBatch, application_ids: Iterable[str]) -> list[InspectionRun]:
    """A run for each application of a batch. Their statuses stay: a decided application
    keeps its decision, which the finalizer flags if the findings changed."""
    return [_new_run(application_id, REPROCESS, batch.id) for application_id in application_ids]


def _new_run(application_id: str, trigger: str, batch_id: int | None = None) -> InspectionRun:
    run = InspectionRun(application_id=application_id, pipeline_version=PIPELINE_VERSION,
                        trigger=trigger, batch_id=batch_id)
    db.session.add(run)
    return run


def enqueue(run: InspectionRun, connection: redis.Redis) -> list[str]:
    """Put a committed run's jobs on its queue; returns the job ids enqueued."""
    return dispatch.enqueue_run(run, connection, settings().job_retry_delays)


def try_enqueue(run: InspectionRun) -> bool:
    """Enqueue a committed run; when Redis is unreachable the sweeper does it later."""
    return try_enqueue_all([run])


def try_enqueue_all(runs: Iterable[InspectionRun]) -> bool:
    """Enqueue committed runs (a batch's); False when Redis was unreachable, and the
    sweeper enqueues what is left."""
    run = None
    try:
        connection = dispatch.connect(settings().effective_redis_url())
        for run in runs:
            enqueue(run, connection)
        return True
    except (redis.RedisError, OSError) as exc:
        current_app.logger.warning("run %s not enqueued yet (%s); the sweeper will",
                                   run.id if run is not None else "-", exc)
        db.session.rollback()
        return False
