"""Redis restarting mid-batch, forgetting every queue, loses no application."""
import shutil
import time
from pathlib import Path

import pytest

from tests.workers.conftest import run_states, stuck_report
from workers.queues import connect
from workers.redis_server import EmbeddedRedis
from workers.sweeper import FINALIZE_STALE, GRACE, sweep
from tests.polling import wait_for

pytestmark = pytest.mark.slow
STALL = (FINALIZE_STALE + GRACE).total_seconds() + 120


@pytest.fixture
def config(config, own_redis):
    return config.replace(redis_url=own_redis.url)


def _done(ids) -> int:
    return sum(states == ["done"] for states in run_states(ids).values())


def _restart_empty(server: EmbeddedRedis) -> None:
    """Redis goes away, and comes back with nothing: every queue and job is forgotten."""
    server.stop()
    for leftover in server.directory.glob("appendonly*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    time.sleep(2)
    server.start()


def test_a_redis_restart_mid_batch_loses_no_application(app, config, own_redis, workers,
                                                        submit):
    # Five sets of images inspected for real, 95 applications from the result cache:
    # every job still runs the real executor, and the batch stays short enough for CI.
    ids = submit(100, prefix="ICP-RR", image_sets=5)
    workers.start(2)
    deadline = time.monotonic() + 300
    while _done(ids) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    done_before = _done(ids)
    assert 3 <= done_before < 100, "the restart must land mid-batch"
    _restart_empty(own_redis)
    connection = connect(config.redis_url)
    done, progress_at, deadline = _done(ids), time.monotonic(), time.monotonic() + 1800
    # Fail when nothing finishes for longer than the sweeper's slowest recovery (a stale
    # finalize claim), not on a fixed clock: a loaded CI machine is slow, not stuck.
    while done < 100 and time.monotonic() - progress_at < STALL and time.monotonic() < deadline:
        if len(workers.alive()) < 2:
            workers.start(2 - len(workers.alive()))
        sweep(connection, (0, 0))  # what `reviewer sweep --loop` does
        time.sleep(2)
        if _done(ids) > done:
            done, progress_at = _done(ids), time.monotonic()
    states = run_states(ids)
    assert [i for i, s in states.items() if s != ["done"]] == [], (
        stuck_report(ids), sorted(k.decode() for k in connection.keys("rq:*")))


def _started_materials(ids) -> int:
    from models import InspectionRun, JobRecord, db

    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(JobRecord).join(
        InspectionRun, InspectionRun.id == JobRecord.run_id).where(
        InspectionRun.application_id.in_(ids), JobRecord.kind == "material",
        JobRecord.state.in_(("started", "finished"))))


def test_redis_back_from_an_older_append_only_file_mid_inspection_leaves_no_run_stuck(
        app, config, own_redis, workers, submit):
    # The case: Redis stopped while inspect_material ran, jobs finished during
    # the outage, Redis came back holding them as started (an older append-only file),
    # and the fourth application stayed inspecting for good.
    ids = submit(4, prefix="ICP-AOF")
    workers.start(2)
    assert wait_for(lambda: _started_materials(ids) > 0, timeout=300)
    aof = own_redis.directory / "appendonly.aof"
    snapshot = shutil.copy2(aof, own_redis.directory / "older.aof")
    own_redis.stop()  # SIGTERM
    time.sleep(8)  # the jobs running finish into the database meanwhile
    Path(snapshot).replace(aof)
    own_redis.start()
    connection = connect(config.redis_url)
    done, progress_at = _done(ids), time.monotonic()
    while done < 4 and time.monotonic() - progress_at < 120:  # the sweeper settles in ~30 s
        sweep(connection, (0, 0))  # what `reviewer sweep --loop` does
        time.sleep(2)
        if _done(ids) > done:
            done, progress_at = _done(ids), time.monotonic()
    assert [i for i, s in run_states(ids).items() if s != ["done"]] == [], stuck_report(ids)
    assert not workers.crashed()


def test_a_worker_started_while_redis_is_down_waits_for_it(app, config, own_redis, workers,
                                                          tmp_path):
    # Before, it loaded its models, failed to register and exited 1.
    from rq import Worker

    own_redis.stop()
    (worker,) = workers.start(1)
    log = tmp_path / "worker1.log"
    assert wait_for(lambda: b"Redis unreachable" in log.read_bytes(), timeout=300), \
        log.read_text(errors="replace")[-3000:]
    own_redis.start()
    connection = connect(config.redis_url)
    assert wait_for(lambda: Worker.all(connection=connection), timeout=60)
    assert worker.poll() is None
