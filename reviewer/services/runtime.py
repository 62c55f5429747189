"""Things both the CLI and the web do: reach Redis, enqueue a run, build limits."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import redis
from flask import current_app

from config import current as settings
from models import InspectionRun, db
from models.storage import LocalStorage, open_storage
from pipeline import PIPELINE_VERSION
from reviewer.services.intake import IntakeLimits


def storage() -> LocalStorage:
    return open_storage(settings())


def intake_limits() -> IntakeLimits:
    c = settings()
    return IntakeLimits(c.max_file_bytes, c.max_application_bytes, c.max_pixels)


@contextmanager
def redis_connection(*, start_embedded: bool = True) -> Iterator[redis.Redis]:
    """A connection to the configured Redis; the embedded one is started if need be
    and stopped again if this call started it."""
    from workers.queues import connect
    from workers.redis_server import EmbeddedRedis

    c = settings()
    server = EmbeddedRedis(c.redis_socket) if (c.embedded_redis and start_embedded) else None
    if server is not None:
        server.start()
    try:
        yield connect(c.effective_redis_url())
    finally:
        if server is not None:
            server.stop()


def enqueue(run: InspectionRun, connection: redis.Redis) -> list[str]:
    """Enqueue a committed run with the retry delays of the settings (JOB_RETRY_DELAYS)."""
    from workers.dispatch import enqueue_run

    return enqueue_run(run, connection, settings().job_retry_delays)


def try_enqueue(run: InspectionRun) -> bool:
    """Enqueue a committed run; when Redis is unreachable the sweeper does it later."""
    from workers.queues import connect

    try:
        enqueue(run, connect(settings().effective_redis_url()))
        return True
    except (redis.RedisError, OSError) as exc:
        current_app.logger.warning("run %s not enqueued yet (%s); the sweeper will", run.id, exc)
        db.session.rollback()
        return False


def new_run(application, trigger: str, batch_id: int | None = None) -> InspectionRun:
    run = InspectionRun(application_id=application.id, pipeline_version=PIPELINE_VERSION,
                        trigger=trigger, batch_id=batch_id)
    db.session.add(run)
    return run


def run_inline(run_id: int) -> None:
    """The whole inspection in this process: the same executors the workers use.

    They close the session as a worker's job does: rows loaded before are detached
    afterwards, so a caller keeps ids, not rows, across this call.
    """
    from workers.executor import MaterialInspection
    from workers.finalize import RunFinalizer

    from models import Application

    run = db.session.get(InspectionRun, run_id)
    application = db.session.get(Application, run.application_id)
    material_ids = [m.id for m in application.current_materials()]
    for material_id in material_ids:
        MaterialInspection(run_id, material_id).run()
    RunFinalizer(run_id).run()
