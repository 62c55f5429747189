"""The reconciler: the database is the record, Redis only carries work.

Finds runs that should be moving but are not (a worker killed with SIGKILL, Redis
restarted and forgot its queues or came back from an older append-only file, Redis was
down at intake) and puts their missing jobs back, judging from the job rows
(`workers.reconcile`): a job or an execution missing from Redis is handled, never a
crash. Enqueueing is idempotent, so sweeping often is safe.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time

import redis
from rq import Worker
from rq.executions import Execution
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer
from rq.utils import parse_composite_key
from sqlalchemy.exc import IntegrityError

from models import InspectionRun, JobRecord, db, utcnow
from models.run_state import RUN_IN_PROGRESS, JobState, RunState, move
from workers.dispatch import enqueue_run
from workers.failures import record_failure
from workers.queues import ALL_QUEUES
from workers.reconcile import settle_stored
from workers.redis_jobs import remove_job

log = logging.getLogger(__name__)
GRACE = dt.timedelta(seconds=20)
INTAKE_WINDOW = dt.timedelta(seconds=10)  # an intake enqueues its new run within it
FINALIZE_STALE = dt.timedelta(seconds=150)  # the finalize job's timeout plus a margin
CRASH_LIMIT = 3  # starts of one job whose worker died under it, before it is failed


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_dead(name: str, connection: redis.Redis) -> bool:
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + name,
                                connection=connection, serializer=JSONSerializer)
    if worker is None:
        return True  # its heartbeat key expired
    return died_on_this_host(worker)


def died_on_this_host(worker: Worker) -> bool:
    """A registered worker that ran on this host and whose process is gone."""
    return worker.hostname == socket.gethostname() and not _pid_alive(worker.pid)


def _runner(job_id: str, execution_id: str, connection: redis.Redis) -> str | None:
    """The worker running an execution, as that worker wrote it on taking the job.

    Not the job's `worker_name`: that is set only once the job has started, and a job
    read in between is running, not abandoned.
    """
    try:
        return Execution.fetch(execution_id, job_id, connection).worker_name or None
    except (ValueError, KeyError):  # gone, or a stub left by a heartbeat after Redis restarted
        return None


def _abandoned(entry: str, deadline: float, connection: redis.Redis) -> bool:
    job_id, execution_id = parse_composite_key(entry)
    name = _runner(job_id, execution_id, connection)
    if name is None:
        return deadline < time.time()  # nobody says who runs it: trust the heartbeat
    return _worker_dead(name, connection)


def release_abandoned(connection: redis.Redis) -> list[str]:
    """Started jobs whose worker is gone: drop them so the runs can be re-enqueued."""
    released = []
    for name in ALL_QUEUES:
        registry = StartedJobRegistry(name, connection=connection, serializer=JSONSerializer)
        for entry, deadline in connection.zrange(registry.key, 0, -1, withscores=True):
            entry = entry.decode() if isinstance(entry, bytes) else entry
            if not _abandoned(entry, deadline, connection):
                continue
            connection.zrem(registry.key, entry)
            job_id = registry.parse_job_id(entry)
            remove_job(job_id, connection)
            released.append(job_id)
            _fail_if_it_kills_workers(job_id)
    return released


def _fail_if_it_kills_workers(job_id: str) -> None:
    """A job whose worker died under it CRASH_LIMIT times (an image that crashes native
    code, or exhausts memory) fails for good instead of taking down every worker; below
    the limit its row goes back to queued (nobody runs it: not in flight)."""
    row = db.session.get(JobRecord, job_id)
    if row is None or row.state != JobState.STARTED:
        return
    if row.attempts < CRASH_LIMIT:
        move(row, JobState.QUEUED)
        return
    log.warning("job %s: its worker died under it %d times; failing it", job_id, row.attempts)
    record_failure(job_id, f"WorkerDied: the worker running this job died {row.attempts} "
                           "times (killed, out of memory, or crashed in native code)")


def stuck_runs(now: dt.datetime, grace: dt.timedelta = GRACE) -> list[InspectionRun]:
    open_runs = db.session.execute(
        db.select(InspectionRun).where(InspectionRun.state.in_(RUN_IN_PROGRESS))
        .order_by(InspectionRun.id)).scalars().all()  # the oldest go back on the queue first
    out = []
    for run in open_runs:
        if run.enqueued_at is None and now - run.created_at < INTAKE_WINDOW:
            continue  # its intake is enqueueing it now: two writers would race on its rows
        if run.state == RunState.FINALIZING:
            if run.heartbeat_at and now - run.heartbeat_at > FINALIZE_STALE:
                move(run, RunState.RUNNING)
                out.append(run)
        elif run.enqueued_at is None or now - run.enqueued_at > grace:
            out.append(run)
    return out


def sweep(connection: redis.Redis, retry_delays: tuple[int, ...] | None = None) -> dict:
    released = release_abandoned(connection)
    settled = settle_stored(connection, utcnow())
    grace = dt.timedelta(0) if redis_restarted(connection) else GRACE
    requeued = 0
    for run in _union(stuck_runs(utcnow(), grace), settled):
        requeued += _requeue(run, connection, retry_delays)
    db.session.commit()
    if released or settled or requeued:
        log.info("sweep: released %d abandoned jobs, settled %d runs from stored results, "
                 "requeued %d runs", len(released), len(settled), requeued)
    return {"released": len(released), "settled_runs": len(settled), "requeued_runs": requeued}


def _requeue(run: InspectionRun, connection: redis.Redis,
             retry_delays: tuple[int, ...] | None) -> int:
    """1 when jobs of `run` were enqueued again; a run another process is enqueueing at
    the same moment (its job rows written first) is left to the next sweep."""
    try:
        return 1 if enqueue_run(run, connection, retry_delays) else 0
    except IntegrityError:
        db.session.rollback()
        log.info("run %s is being enqueued elsewhere; left to the next sweep", run.id)
        return 0


_seen_server: dict[str, str] = {}  # Redis's run id, per connection, as the last sweep saw it


def redis_restarted(connection: redis.Redis) -> bool:
    """Redis started again since the last sweep (its run id changed): whatever it lost,
    every open run is looked at now, not once its grace has passed."""
    key = repr(connection.connection_pool)
    server = connection.info("server")["run_id"]
    previous, _seen_server[key] = _seen_server.get(key), server
    return previous is not None and previous != server


def _union(*groups: list[InspectionRun]) -> list[InspectionRun]:
    return sorted({run.id: run for group in groups for run in group}.values(),
                  key=lambda run: run.id)
