"""Reading and removing jobs in a Redis that may hold only part of what RQ wrote.

After Redis restarts (empty, or from an older append-only file) a job can be a hash
without its execution, an execution without its hash, or a stub a worker's last write
made. Reading a status or taking a job out must work on all of them: RQ's own
`Job.delete` raises `ValueError: Execution … not found in Redis` on the first.
"""
from __future__ import annotations

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import (DeferredJobRegistry, FailedJobRegistry, FinishedJobRegistry,
                         ScheduledJobRegistry, StartedJobRegistry)
from rq.serializers import JSONSerializer

from workers.queues import ALL_QUEUES, queue

REGISTRIES = (StartedJobRegistry, DeferredJobRegistry, ScheduledJobRegistry,
              FinishedJobRegistry, FailedJobRegistry)


def job_status(job_id: str, connection: redis.Redis) -> JobStatus | None:
    """What Redis says of a job, or None when it holds no status for it."""
    status = connection.hget(Job.key_for(job_id), "status")
    if not status:
        return None
    try:
        return JobStatus(status.decode() if isinstance(status, bytes) else status)
    except ValueError:
        return None


def remove_job(job_id: str, connection: redis.Redis) -> None:
    """Take a job out of Redis, whatever is left of it (never raises for a missing part)."""
    try:
        Job.fetch(job_id, connection=connection, serializer=JSONSerializer).delete()
        return
    except NoSuchJobError:
        pass
    except (ValueError, KeyError, TypeError):  # a missing execution, a stub hash
        pass
    _remove_leftovers(job_id, connection)


def _remove_leftovers(job_id: str, connection: redis.Redis) -> None:
    pipe = connection.pipeline()
    for name in ALL_QUEUES:
        pipe.lrem(queue(name, connection).key, 0, job_id)
        for registry_class in REGISTRIES:
            key = registry_class(name, connection=connection, serializer=JSONSerializer).key
            pipe.zrem(key, job_id, *_composite_entries(connection, key, job_id))
    executions = f"rq:executions:{job_id}"
    pipe.delete(Job.key_for(job_id), Job.dependents_key_for(job_id), executions,
                f"rq:job::{job_id}:dependencies", f"rq:results:{job_id}",
                *connection.scan_iter(f"rq:execution:{job_id}:*"))
    pipe.execute()


def _composite_entries(connection: redis.Redis, key: str, job_id: str) -> list:
    """The started registry's members for a job: `job_id:execution_id`."""
    return [member for member, _ in connection.zscan_iter(key, match=f"{job_id}:*")]
