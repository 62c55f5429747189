from __future__ import annotations

from models import InspectionRun, JobRecord, db, utcnow
from models.audit import record


def record_failure(job_id: str, error: str) -> None:
    db.session.rollback()
    job = db.session.get(JobRecord, job_id)
    if job is None:
        return
    job.state, job.error, job.updated_at = "failed", error[:4000], utcnow()
    run = db.session.get(InspectionRun, job.run_id) if job.run_id else None
    if run is not None and run.state not in ("done", "cancelled"):
        run.state, run.error, run.finished_at = "failed", error[:4000], utcnow()
        record("inspection.failed", target_type="application", target_id=run.application_id,
               detail={"run": run.id, "job": job_id, "error": error[:300]})
    db.session.commit()
