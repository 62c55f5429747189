"""Every queue and every job default (`workers.dispatch` puts the jobs on them).

Jobs are enqueued by dotted path (the web process never imports worker code), carry
ids only, use RQ's JSON serializer, and have a deterministic id so enqueueing the
same work twice is a no-op (`unique`-style).
"""
from __future__ import annotations

from dataclasses import dataclass

import redis
from rq import Queue, Retry
from rq.registry import (DeferredJobRegistry, FailedJobRegistry, ScheduledJobRegistry,
                         StartedJobRegistry)
from rq.serializers import JSONSerializer

INTAKE = "intake"
INSPECTION = "inspection"
REPROCESS = "reprocess"
# Order matters: a worker drains earlier queues first, so a reprocess batch never
# starves new intake.
ALL_QUEUES = (INTAKE, INSPECTION, REPROCESS)


@dataclass(frozen=True)
class JobDefaults:
    timeout: int  # seconds a job may run
    retries: int  # for transient errors only; needs a scheduler (workers run with one)
    backoff: tuple[int, ...]
    result_ttl: int = 3600
    failure_ttl: int = 7 * 24 * 3600


DEFAULTS = {
    "material": JobDefaults(timeout=300, retries=3, backoff=(5, 30, 120)),
    "finalize": JobDefaults(timeout=120, retries=3, backoff=(5, 30, 120)),
}

MATERIAL_JOB = "workers.jobs.inspect_material"
FINALIZE_JOB = "workers.jobs.finalize_run"


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)


def queue(name: str, connection: redis.Redis) -> Queue:
    return Queue(name, connection=connection, serializer=JSONSerializer)


def retry_for(kind: str, delays: tuple[int, ...] | None = None) -> Retry:
    """Retries for transient failures; `delays` (from config) overrides the defaults."""
    delays = tuple(delays) if delays is not None else DEFAULTS[kind].backoff
    return Retry(max=len(delays), interval=list(delays) or 0)


def queue_counts(connection: redis.Redis) -> list[dict]:
    """Each queue in the order workers drain it, with how many of its jobs are queued,
    started, deferred, scheduled and failed."""
    def count(registry, name: str) -> int:
        return registry(name, connection=connection, serializer=JSONSerializer).count

    return [{"name": name, "queued": queue(name, connection).count,
             "started": count(StartedJobRegistry, name),
             "deferred": count(DeferredJobRegistry, name),
             "scheduled": count(ScheduledJobRegistry, name),
             "failed": count(FailedJobRegistry, name)} for name in ALL_QUEUES]
