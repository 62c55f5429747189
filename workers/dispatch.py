"""Putting a run's jobs on the queues: one job per material, then a finalize job.

The database is the record: a run row exists before anything is enqueued, and
`enqueue_run` may be called again for the same run at any time (the sweeper does,
after a worker or Redis died): job ids are deterministic, finished work is skipped.

The one workers module the web and the services import (`reviewer.services.inspections`
enqueues through it; the pipeline page and the rq dashboard read and tidy Redis through
it): whatever else they need of workers/ is reached by the functions here.
"""
from __future__ import annotations

import datetime as dt
import logging

import redis
from rq.callbacks import Callback
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Dependency, Job, JobStatus
from rq.serializers import JSONSerializer

from models import InspectionRun, JobRecord, db, utcnow
from models.run_state import JobState
from workers.queues import (DEFAULTS, FINALIZE_JOB, INSPECTION, INTAKE, MATERIAL_JOB, REPROCESS,
                            queue, retry_for)
from workers.queues import connect as connect  # re-exported: web and services connect with it
from workers.queues import queue_counts as queue_counts  # the pipeline page's figures
from workers.redis_jobs import job_status
from workers.redis_jobs import remove_job as remove_job  # the rq dashboard's delete too

log = logging.getLogger(__name__)
QUEUE_FOR_TRIGGER = {"intake": INTAKE, "rerun": INSPECTION, "reprocess": REPROCESS}
LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
FAILURE_CALLBACK = "workers.jobs.on_failure"


def material_job_id(run_id: int, material_id: int) -> str:
    return f"run{run_id}-material{material_id}"


def finalize_job_id(run_id: int) -> str:
    return f"run{run_id}-finalize"


def live_status(job_id: str, connection: redis.Redis) -> JobStatus | None:
    return job_status(job_id, connection)


def in_flight(row: JobRecord, connection: redis.Redis) -> bool:
    """A job Redis forgot while a worker runs it: its row says started, recently, and
    Redis holds it as nothing live. Enqueued again, it would be inspected twice; a worker
    killed in the meantime is given up on once the job's timeout has passed (a worker
    found dead while Redis remembered it is released by the sweeper at once)."""
    if row.state != JobState.STARTED or live_status(row.id, connection) in LIVE:
        return False
    timeout = dt.timedelta(seconds=DEFAULTS[row.kind].timeout)
    return utcnow() - row.updated_at < timeout


def enqueue_run(run: InspectionRun, connection: redis.Redis,
                retry_delays: tuple[int, ...] | None = None) -> list[str]:
    """Enqueue what is missing from Redis for `run`; returns the job ids enqueued."""
    q = queue(QUEUE_FOR_TRIGGER.get(run.trigger, INSPECTION), connection)
    enqueued, waiting, running = [], [], False
    for material in run_application(run).current_materials():
        row = _ensure_row(material_job_id(run.id, material.id), run, "material", q.name,
                          material.id)
        if row.state == JobState.FINISHED:
            continue  # its result is stored: nothing to wait for, whatever Redis says
        if in_flight(row, connection):
            running = True
        elif _enqueue(q, MATERIAL_JOB, (run.id, material.id), row.id, "material",
                      retry_delays=retry_delays):
            enqueued.append(row.id)
        if live_status(row.id, connection) in LIVE:
            waiting.append(row.id)
    if not running:  # else the next sweep makes the finalize, once that result is stored
        enqueued += _enqueue_finalize(q, run, waiting, bool(enqueued), retry_delays)
        run.enqueued_at = utcnow()
    db.session.commit()
    return enqueued


def _enqueue_finalize(q, run: InspectionRun, waiting: list[str], replaced: bool,
                      retry_delays: tuple[int, ...] | None) -> list[str]:
    job_id = finalize_job_id(run.id)
    _ensure_row(job_id, run, "finalize", q.name, None)
    if live_status(job_id, q.connection) == JobStatus.DEFERRED and (
            replaced or not waiting or _waits_in_vain(job_id, waiting, q.connection)):
        # It waits on jobs that were just replaced, or on nothing left to wait for:
        # make it afresh.
        remove_job(job_id, q.connection)
    if _enqueue(q, FINALIZE_JOB, (run.id,), job_id, "finalize", depends_on=waiting,
                retry_delays=retry_delays):
        return [job_id]
    return []


def _waits_in_vain(job_id: str, waiting: list[str], connection: redis.Redis) -> bool:
    """A dependency nobody will finish: gone from Redis (its list of dependents with it),
    or live in Redis though its row says finished (Redis came back from an older file)."""
    for dependency in _dependencies(job_id, connection):
        status = live_status(dependency, connection)
        if status is None or (status in LIVE and dependency not in waiting):
            return True
    return False


def _dependencies(job_id: str, connection: redis.Redis) -> list[str]:
    try:
        return Job.fetch(job_id, connection=connection, serializer=JSONSerializer).dependency_ids
    except (NoSuchJobError, ValueError, KeyError, TypeError):
        return []


def run_application(run: InspectionRun):
    from models import Application

    return db.session.get(Application, run.application_id)


def _ensure_row(job_id: str, run: InspectionRun, kind: str, queue_name: str,
                material_id: int | None) -> JobRecord:
    row = db.session.get(JobRecord, job_id)
    if row is None:
        row = JobRecord(id=job_id, run_id=run.id, kind=kind, queue=queue_name,
                        material_id=material_id)
        db.session.add(row)
    return row


def _enqueue(q, func: str, args: tuple, job_id: str, kind: str, depends_on=None,
             retry_delays: tuple[int, ...] | None = None) -> bool:
    """Put a job on `q` unless Redis holds it live; what is left of a finished or failed
    job of the same id (or the parts a Redis restart kept) is taken out first.

    The put is RQ's atomic `unique=True`: of two processes enqueueing the same job at
    once (an intake and the sweeper), one puts it and the other is told it is there.
    RQ refuses `unique` with dependencies: a finalize that waits on its materials is
    saved as deferred, which twice over is still one job (the same hash, the same set
    of dependents); a copy that still reaches a worker finds its run already claimed.
    """
    if live_status(job_id, q.connection) in LIVE:
        return False
    remove_job(job_id, q.connection)
    defaults = DEFAULTS[kind]
    # A finalize job jumps the queue once its materials are done, whether RQ wakes it
    # or the sweeper remakes it: an application's time to review does not grow with
    # the backlog behind it.
    dependency = (Dependency(jobs=depends_on, allow_failure=False, enqueue_at_front=True)
                  if depends_on else None)
    try:
        q.enqueue(func, *args, job_id=job_id, job_timeout=defaults.timeout,
                  result_ttl=defaults.result_ttl, failure_ttl=defaults.failure_ttl,
                  retry=retry_for(kind, retry_delays), depends_on=dependency,
                  at_front=kind == "finalize" and not depends_on,
                  on_failure=Callback(FAILURE_CALLBACK), unique=dependency is None)
    except DuplicateJobError:
        return False  # another process enqueued it since we looked
    return True
