"""Redis restarting mid-batch, forgetting every queue, loses no application."""
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.workers.conftest import run_states
from workers.queues import connect
from workers.redis_server import EmbeddedRedis
from workers.sweeper import sweep

pytestmark = pytest.mark.slow


@pytest.fixture
def own_redis():
    server = EmbeddedRedis(Path("/tmp") / f"icp-restart-{os.getpid()}" / "redis.sock").start()
    yield server
    server.stop()
    shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture
def config(config, own_redis):
    return config.replace(redis_url=own_redis.url)


def _done(ids) -> int:
    return sum(states == ["done"] for states in run_states(ids).values())


def test_a_redis_restart_mid_batch_loses_no_application(app, config, own_redis, workers,
                                                        submit, worker_env):
    ids = submit(100, prefix="ICP-RR")
    workers.start(2)
    deadline = time.monotonic() + 600
    while _done(ids) < 5 and time.monotonic() < deadline:
        time.sleep(0.5)
    done_before = _done(ids)
    assert 5 <= done_before < 100, "the restart must land mid-batch"
    own_redis.stop()  # Redis goes away, and comes back with nothing: queues are forgotten
    for leftover in own_redis.directory.glob("appendonly*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    time.sleep(2)
    own_redis.start()
    connection = connect(config.redis_url)
    deadline = time.monotonic() + 600
    while _done(ids) < 100 and time.monotonic() < deadline:
        if len(workers.alive()) < 2:
            workers.start(2 - len(workers.alive()))
        sweep(connection, (0, 0))
        time.sleep(2)
    states = run_states(ids)
    assert [i for i, s in states.items() if s != ["done"]] == []
