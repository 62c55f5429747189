"""RQ job functions: thin, ids only, each handing off to an executor."""
from __future__ import annotations

from rq import get_current_job

from workers.executor import MaterialInspection
from workers.finalize import RunFinalizer


def _job_id() -> str | None:
    job = get_current_job()
    return job.id if job else None


def inspect_material(run_id: int, material_id: int) -> dict:
    return MaterialInspection(run_id, material_id, _job_id()).run()


def finalize_run(run_id: int) -> dict:
    return RunFinalizer(run_id, _job_id()).run()


def on_failure(job, connection, exc_type, exc_value, traceback) -> None:
    """Out of retries: record the failure on the job row and its run."""
    from workers.failures import record_failure

    if job.retries_left:
        return  # RQ retries it; the failure is not final
    record_failure(job.id, f"{exc_type.__name__}: {exc_value}")
