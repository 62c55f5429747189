"""Pipeline health: queues and workers from Redis, runs and failed jobs from the database,
and a retry button for a failed run. rq-dashboard is mounted for admins at /admin/rq."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import redis
from flask import flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from config import current as settings
from models import Application, InspectionRun, JobRecord, db, utcnow
from models.audit import record
from models.material import purged_upload
from models.run_state import RUN_OPEN, JobState, RunState, move
from reviewer.services import inspections, runtime
from reviewer.services.masking import mask_text
from reviewer.web.supervision.blueprint import bp

STUCK_AFTER = dt.timedelta(minutes=2)
LIST_LIMIT = 50


@dataclass
class QueueState:
    name: str
    queued: int
    started: int
    deferred: int
    scheduled: int
    failed: int


def redis_state() -> dict:
    """Queues and workers as Redis sees them, or the error when it cannot be reached."""
    from rq import Worker
    from rq.serializers import JSONSerializer

    from workers.dispatch import queue_counts

    try:
        connection = redis.Redis.from_url(settings().effective_redis_url(),
                                          socket_connect_timeout=1, socket_timeout=2)
        queues = [QueueState(**counts) for counts in queue_counts(connection)]
        workers = Worker.all(connection=connection, serializer=JSONSerializer)
        return {"queues": queues, "workers": [_worker(w) for w in workers], "error": None}
    except (redis.RedisError, OSError) as exc:
        return {"queues": [], "workers": [], "error": f"{type(exc).__name__}: {exc}"}


def _worker(worker) -> dict:
    return {"name": worker.name, "state": worker.get_state(), "queues": worker.queue_names(),
            "job": worker.get_current_job_id(), "heartbeat": worker.last_heartbeat,
            "done": worker.successful_job_count, "failed": worker.failed_job_count}


def database_state() -> dict:
    states = dict(db.session.execute(select(InspectionRun.state, func.count())
                                     .group_by(InspectionRun.state)).all())
    failed_runs = db.session.execute(
        select(InspectionRun, Application.subject_name, Application.external_id)
        .join(Application, Application.id == InspectionRun.application_id)
        .where(InspectionRun.state == RunState.FAILED)
        .order_by(InspectionRun.id.desc()).limit(LIST_LIMIT)).all()
    failed_jobs = db.session.execute(
        select(JobRecord).where(JobRecord.state == JobState.FAILED)
        .order_by(JobRecord.updated_at.desc()).limit(LIST_LIMIT)).scalars().all()
    stuck = db.session.scalar(select(func.count()).select_from(InspectionRun).where(
        InspectionRun.state.in_(RUN_OPEN),
        InspectionRun.created_at < utcnow() - STUCK_AFTER))
    return {"states": states, "failed_runs": failed_runs, "failed_jobs": failed_jobs,
            "stuck": stuck}


@bp.get("/health")
def health():
    return render_template("supervision/health.html", redis=redis_state(),
                           database=database_state(), mask_text=mask_text)


def live_figures(redis_part: dict, database: dict) -> dict:
    """The page's figures as one flat dict: `queue.<name>.<column>`, `runs.<state>`,
    `stuck`, `workers` (what static/desk.js writes into the elements' data-field)."""
    figures = {f"queue.{q.name}.{column}": getattr(q, column) for q in redis_part["queues"]
               for column in ("queued", "started", "deferred", "scheduled", "failed")}
    figures.update({f"runs.{state}": database["states"].get(state, 0) for state in RunState})
    figures.update(stuck=database["stuck"], workers=len(redis_part["workers"]),
                   redis_error=f"Redis 无法连接：{redis_part['error']}" if redis_part["error"] else "")
    return figures


@bp.get("/health.json")
def health_figures():
    return jsonify(live_figures(redis_state(), database_state()))


def retry_refusal(run: InspectionRun) -> str | None:
    """Why a run cannot be retried, or None."""
    if run.state != RunState.FAILED:
        return f"检查 #{run.id} 当前不是失败状态，无需重试。"
    if db.session.scalar(select(purged_upload(run.application_id))):
        return f"检查 #{run.id} 的申请上传资料已按保存期限清除，无法重新检查。"
    return None


def retry_run(run: InspectionRun, user) -> None:
    """Put a failed run back on its queue: its failed jobs start again, finished ones stay."""
    move(run, RunState.PENDING)
    run.error = None
    for job in run.jobs:
        if job.state == JobState.FAILED:
            move(job, JobState.QUEUED)
            job.error = None
    record("inspection.retry", actor=user.username, actor_id=user.id, target_type="application",
           target_id=run.application_id, detail={"run": run.id})
    db.session.commit()
    inspections.try_enqueue(run)


@bp.post("/runs/<int:run_id>/retry")
def retry(run_id: int):
    run = db.get_or_404(InspectionRun, run_id)
    refusal = retry_refusal(run)
    if refusal is None:
        retry_run(run, current_user)
        flash(f"检查 #{run_id} 已重新排队。", "ok")
    else:
        flash(refusal, "error")
    return redirect(url_for("supervision.health"))
