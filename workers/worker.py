"""The RQ worker: engines loaded before the fork, a fresh DB connection per job.

The parent process builds the toolkit (OCR engine, face models) once and warms it
up; every job runs in a forked work horse that inherits the loaded models, so a job
pays neither a model load nor a warm-up. Log lines from a job carry its id.
"""
from __future__ import annotations

import logging

from rq import Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from models import db
from workers.queues import ALL_QUEUES, connect, queue

log = logging.getLogger(__name__)
_forked_for: str | None = None  # in the parent: the job its work horse is running


class JobIdFilter(logging.Filter):
    """Stamps every log record with the id of the job being run (or '-'), in the work
    horse and in the parent that watches it (RQ's own 'Job OK' lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from rq import get_current_job

        job = get_current_job()
        record.job_id = job.id if job else (_forked_for or "-")
        return True


class InspectionWorker(Worker):
    def execute_job(self, job: Job, queue) -> None:
        global _forked_for
        _forked_for = job.id
        try:
            super().execute_job(job, queue)
        finally:
            _forked_for = None

    def perform_job(self, job: Job, *args, **kwargs) -> bool:
        db.engine.dispose(close=False)  # never share the parent's connections after fork
        try:
            return super().perform_job(job, *args, **kwargs)
        finally:
            db.session.remove()


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.addFilter(JobIdFilter())
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s [%(process)d job=%(job_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def warm_up(config) -> None:
    """Load and exercise the engines in the parent, before any fork."""
    import numpy as np

    from workers.toolkit import get_toolkit

    toolkit = get_toolkit(config)
    blank = np.full((540, 856, 3), 255, dtype=np.uint8)
    toolkit.ocr.read(blank)
    toolkit.faces.observe(blank[:, :, ::-1].copy())


def run_worker(config, queue_names: tuple[str, ...] = ALL_QUEUES, *, burst: bool = False,
               name: str | None = None) -> bool:
    configure_logging()
    warm_up(config)
    db.session.remove()
    db.engine.dispose()
    connection = connect(config.effective_redis_url())
    queues = [queue(n, connection) for n in queue_names]
    worker = InspectionWorker(queues, connection=connection, serializer=JSONSerializer,
                              name=name, worker_ttl=60, job_monitoring_interval=5)
    return worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
