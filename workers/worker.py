"""The RQ worker: engines loaded before the fork, a fresh DB connection per job.

The parent process builds the toolkit (OCR engine, face models) once and warms it
up; every job runs in a forked work horse that inherits the loaded models, so a job
pays neither a model load nor a warm-up. Log lines from a job carry its id.

Redis going away while a job runs does not end the worker: the work horse finishes
(its outcome is in the database), the worker waits for Redis and carries on, and the
sweeper puts back whatever Redis forgot.
"""
from __future__ import annotations

import gc
import logging
import os
import time

import redis
from rq import Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from models import db
from workers.queues import ALL_QUEUES, connect, queue

log = logging.getLogger(__name__)
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)
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
    def register_birth(self) -> None:
        self.clear_dead_namesake()
        super().register_birth()

    def clear_dead_namesake(self) -> None:
        """A worker killed without a goodbye (SIGKILL, the OOM killer) leaves its key
        alive for worker_ttl + 60 s, and RQ refuses to start another of the same name
        until then. If that worker ran on this host and its process is gone, its key is
        a leftover: mark it dead so the restart goes ahead. Anything else still refuses."""
        hostname, pid, death = self.connection.hmget(self.key, "hostname", "pid", "death")
        if hostname is None or death is not None or hostname.decode() != self.hostname:
            return
        if _process_alive(int(pid)):
            return
        self.log.warning("worker %s (pid %s) died without unregistering; taking its name",
                         self.name, pid.decode())
        namesake = Worker.find_by_key(self.key, connection=self.connection,
                                      serializer=JSONSerializer)
        if namesake is not None:  # None: its key expired meanwhile
            namesake.register_death()

    def perform_job(self, job: Job, *args, **kwargs) -> bool:
        db.engine.dispose(close=False)  # never share the parent's connections after fork
        try:
            return super().perform_job(job, *args, **kwargs)
        finally:
            db.session.remove()

    def execute_job(self, job: Job, queue) -> None:
        global _forked_for
        _forked_for = job.id  # the work horse inherits it too
        try:
            super().execute_job(job, queue)
        except REDIS_DOWN as exc:
            self.log.warning("Redis lost around job %s (%s); waiting for it", job.id, exc)
            self.wait_for_redis()
        finally:
            _forked_for = None

    def maintain_heartbeats(self, job: Job, execution) -> None:
        try:
            super().maintain_heartbeats(job, execution)
        except REDIS_DOWN as exc:  # keep watching the work horse: it does not need Redis
            self.log.warning("heartbeat during job %s failed (%s)", job.id, exc)

    def wait_for_redis(self, longest: float = 30.0) -> None:
        delay = 0.5
        while not self._stop_requested:
            try:
                self.connection.ping()
                return
            except REDIS_DOWN:
                time.sleep(delay)
                delay = min(delay * 2, longest)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():  # a recycled pid (pid 1 in a container): the old one is gone
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.addFilter(JobIdFilter())
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s [%(process)d job=%(job_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def warm_up(config) -> None:
    """Load and exercise the engines in the parent, before any fork.

    A work horse's imports die with it: whatever a job imports lazily (scipy for the
    perceptual hash, the document readers, the comparison rules) is imported here once,
    not once per job.
    """
    import numpy as np
    from PIL import Image

    import pipeline.compare_documents  # noqa: F401
    import pipeline.documents  # noqa: F401
    import pipeline.photo_rules  # noqa: F401
    import pipeline.quality  # noqa: F401
    import pipeline.rules  # noqa: F401
    import workers.jobs  # noqa: F401  the job functions, the executors and what they import
    from pipeline.duplicates import perceptual_hash
    from workers.toolkit import get_toolkit

    toolkit = get_toolkit(config)
    blank = np.full((540, 856, 3), 255, dtype=np.uint8)
    toolkit.ocr.read(blank)
    toolkit.faces.observe(blank[:, :, ::-1].copy())
    perceptual_hash(blank)
    Image.preinit()  # the decoders a work horse would otherwise import for every upload


def compile_job_statements() -> None:
    """Run a job's lookups once (for rows that do not exist) so their compiled SQL is in
    the engine's cache before the fork, not compiled again in every work horse."""
    from models import InspectionRun, JobRecord, Material
    from workers.executor import cached_result

    db.session.get(Material, 0)
    db.session.get(InspectionRun, 0)
    db.session.get(JobRecord, "-")
    cached_result("0" * 64, "-")
    db.session.rollback()


def run_worker(config, queue_names: tuple[str, ...] = ALL_QUEUES, *, burst: bool = False,
               name: str | None = None) -> bool:
    configure_logging()
    warm_up(config)
    compile_job_statements()
    db.session.remove()
    db.engine.dispose()
    connection = connect(config.effective_redis_url())
    queues = [queue(n, connection) for n in queue_names]
    gc.freeze()  # the loaded models stay out of every work horse's collections (no copy-on-write)
    worker = InspectionWorker(queues, connection=connection, serializer=JSONSerializer,
                              name=name, worker_ttl=60, job_monitoring_interval=5)
    return worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
