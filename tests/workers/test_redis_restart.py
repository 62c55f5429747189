"""Redis restarting mid-batch, forgetting every queue, loses no application."""
import shutil
import time

import pytest

from tests.workers.conftest import run_states, stuck_report
from workers.queues import connect
from workers.redis_server import EmbeddedRedis
from workers.sweeper import FINALIZE_STALE, GRACE, sweep

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
