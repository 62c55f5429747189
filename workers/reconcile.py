"""Job rows against what Redis remembers: the database wins.

A Redis restarted from an older append-only file can hold a job as `started` (or
queued) that finished while it was down. Nobody will run it again, and a finalize job
deferred on it would wait for good. A material whose result is stored is done: its row
says so, the job Redis still holds as live is taken out, and its run is handed back to
`enqueue_run`, which makes the finalize afresh once nothing it needs is missing.
"""
from __future__ import annotations

import datetime as dt

import redis

from models import InspectionRun, JobRecord, Material, db
from models.run_state import RUN_OPEN, JobState, move
from workers.dispatch import LIVE, live_status
from workers.redis_jobs import remove_job

# A worker tells Redis of a job it finished milliseconds after committing its row; a
# job still live in Redis this long after is one Redis will not let go of by itself.
SETTLE = dt.timedelta(seconds=10)


def settle_stored(connection: redis.Redis, now: dt.datetime) -> list[InspectionRun]:
    """Open runs with a material job settled from the database; their finalize is due."""
    settled: dict[int, InspectionRun] = {}
    for row, material, run in _open_material_jobs():
        if _mark_stored_finished(row, material) or _drop_ghost(row, connection, now):
            settled[run.id] = run
    db.session.commit()
    return list(settled.values())


def _open_material_jobs() -> list[tuple[JobRecord, Material, InspectionRun]]:
    return db.session.execute(
        db.select(JobRecord, Material, InspectionRun)
        .join(InspectionRun, JobRecord.run_id == InspectionRun.id)
        .join(Material, JobRecord.material_id == Material.id)
        .where(InspectionRun.state.in_(RUN_OPEN), JobRecord.kind == "material",
               JobRecord.state.in_((JobState.QUEUED, JobState.STARTED, JobState.FINISHED)))
        .order_by(JobRecord.run_id)).all()


def _mark_stored_finished(row: JobRecord, material: Material) -> bool:
    from workers.executor import cached_result

    if row.state == JobState.FINISHED:
        return False
    result = cached_result(material.sha256, material.kind)
    if result is None:
        return False
    if material.phash is None:  # as the job would have, finishing from the stored result
        material.set_phash(result.analysis.get("phash"))
    move(row, JobState.FINISHED)
    row.progress = 1.0
    return True


def _drop_ghost(row: JobRecord, connection: redis.Redis, now: dt.datetime) -> bool:
    if row.state != JobState.FINISHED or now - row.updated_at < SETTLE:
        return False
    if live_status(row.id, connection) not in LIVE:
        return False
    remove_job(row.id, connection)
    return True
