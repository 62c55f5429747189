"""The RQ worker: engines loaded once, every job run in this long-lived process.

The worker builds the toolkit (OCR engine, face models) at start, warms it up, and
runs each job beside it: no fork per job. Forking a process that holds the models
(about 400 MB) costs some 32 ms before a job has done anything (`bench/workers.py`
measures the whole cycle), and a job whose material is already analysed takes less
than that. What the fork gave is kept otherwise: a job that raises is retried and
then recorded by RQ; a worker that dies mid-job (SIGKILL, the OOM killer, a crash in
native code) is found by the sweeper, which puts the job back, and fails it for good
once it has killed CRASH_LIMIT workers (`workers.sweeper`). Log lines from a job
carry its id.

Redis going away while a job runs does not end the worker: the job finishes (its
outcome is in the database), the worker waits for Redis and carries on, and the
sweeper puts back whatever Redis forgot.
"""
from __future__ import annotations

import gc
import logging
import time

import redis
from rq import SimpleWorker, Worker
from rq.defaults import DEFAULT_LOGGING_DATE_FORMAT, DEFAULT_LOGGING_FORMAT
from rq.job import Job
from rq.serializers import JSONSerializer

from models import db
from workers.queues import ALL_QUEUES, connect, queue
from workers.scheduler import start_scheduler
from workers.sweeper import died_on_this_host

log = logging.getLogger(__name__)
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)
_running: str | None = None  # the job this worker is running


class JobIdFilter(logging.Filter):
    """Stamps every log record with the id of the job being run (or '-'), RQ's own
    lines about the job ('Job OK') included."""

    def filter(self, record: logging.LogRecord) -> bool:
        from rq import get_current_job

        job = get_current_job()
        record.job_id = job.id if job else (_running or "-")
        return True


class InspectionWorker(SimpleWorker):
    def register_birth(self) -> None:
        self.clear_dead_namesake()
        super().register_birth()

    def clear_dead_namesake(self) -> None:
        """A worker killed without a goodbye (SIGKILL, the OOM killer) leaves its key
        alive for worker_ttl + 60 s, and RQ refuses to start another of the same name
        until then. If that worker ran on this host and its process is gone, its key is
        a leftover: mark it dead so the restart goes ahead. Anything else still refuses."""
        namesake = Worker.find_by_key(self.key, connection=self.connection,
                                      serializer=JSONSerializer)
        if namesake is None or self.connection.hexists(self.key, "death"):
            return
        recycled = namesake.hostname == self.hostname and namesake.pid == self.pid  # pid 1 again
        if not (recycled or died_on_this_host(namesake)):
            return
        self.log.warning("worker %s (pid %s) died without unregistering; taking its name",
                         self.name, namesake.pid)
        namesake.register_death()

    def _start_scheduler(self, burst: bool = False, logging_level: str | None = "INFO",
                         date_format: str = DEFAULT_LOGGING_DATE_FORMAT,
                         log_format: str = DEFAULT_LOGGING_FORMAT) -> None:
        """The scheduler child dies with this worker, even one killed with SIGKILL."""
        start_scheduler(self, burst, logging_level=logging_level or self.log.level,
                        date_format=date_format, log_format=log_format)

    def perform_job(self, job: Job, *args, **kwargs) -> bool:
        try:
            return super().perform_job(job, *args, **kwargs)
        finally:
            db.session.remove()  # each job starts with an empty session

    def execute_job(self, job: Job, queue) -> None:
        global _running
        _running = job.id
        try:
            super().execute_job(job, queue)
        except REDIS_DOWN as exc:
            self.log.warning("Redis lost around job %s (%s); waiting for it", job.id, exc)
            self.wait_for_redis()
        finally:
            _running = None

    def wait_for_redis(self) -> None:
        wait_for_redis(self.connection, lambda: self._stop_requested)


def wait_for_redis(connection: redis.Redis, stop=lambda: False, longest: float = 30.0) -> None:
    """Until Redis answers (or `stop()`), trying again after 0.5, 1, 2 ... `longest` s."""
    delay = 0.5
    while not stop():
        try:
            connection.ping()
            return
        except REDIS_DOWN as exc:
            log.warning("Redis unreachable (%s); trying again in %.1f s", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, longest)


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.addFilter(JobIdFilter())
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s [%(process)d job=%(job_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def warm_up(config) -> None:
    """Load and exercise the engines, and import what a job imports lazily (scipy for
    the perceptual hash, the document readers, the comparison rules), before the first
    job: no job pays for them."""
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
    Image.preinit()  # the image decoders, imported now rather than by the first upload


def compile_job_statements() -> None:
    """Run a job's lookups once (for rows that do not exist) so their compiled SQL is in
    the engine's cache before the first job."""
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
    connection = connect(config.effective_redis_url())
    wait_for_redis(connection)  # a worker that starts while Redis is down waits, not exits
    queues = [queue(n, connection) for n in queue_names]
    gc.freeze()  # the loaded models stay out of every collection a job triggers
    worker = InspectionWorker(queues, connection=connection, serializer=JSONSerializer,
                              name=name, worker_ttl=60)
    return worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
