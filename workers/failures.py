from __future__ import annotations

from models import InspectionRun, JobRecord, db, utcnow
from models.audit import record
from models.run_state import JobState, RunState, allowed, move


def record_failure(job_id: str, error: str) -> None:
    db.session.rollback()
    job = db.session.get(JobRecord, job_id)
    if job is None:
        return
    move(job, JobState.FAILED)
    job.error, job.updated_at = error[:4000], utcnow()
    run = db.session.get(InspectionRun, job.run_id) if job.run_id else None
    if run is not None and allowed(run.state, RunState.FAILED):  # not done, not cancelled
        move(run, RunState.FAILED)
        run.error, run.finished_at = error[:4000], utcnow()
        record("inspection.failed", target_type="application", target_id=run.application_id,
               detail={"run": run.id, "job": job_id, "error": error[:300]})
    db.session.commit()
