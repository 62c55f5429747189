"""A worker restarted under the name of one that was killed outright takes the name back;
a live namesake, or one on another host, still refuses the start."""
import subprocess
import sys

import pytest
from rq import Worker
from rq.serializers import JSONSerializer

from workers.queues import INTAKE, connect, queue
from workers.worker import InspectionWorker


@pytest.fixture
def connection(own_redis):
    return connect(own_redis.url)


def _registered(connection, name: str, *, pid: int, hostname: str | None = None) -> Worker:
    """A worker's key as RQ leaves it when its process is SIGKILLed: no death recorded."""
    worker = Worker([queue(INTAKE, connection)], connection=connection,
                    serializer=JSONSerializer, name=name)
    worker.pid = pid
    if hostname is not None:
        worker.hostname = hostname
    worker.register_birth()
    return worker


def _inspection_worker(connection, name: str) -> InspectionWorker:
    return InspectionWorker([queue(INTAKE, connection)], connection=connection,
                            serializer=JSONSerializer, name=name)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_name_of_a_worker_whose_process_is_gone_is_taken_back(connection):
    _registered(connection, "w-dead", pid=_dead_pid())
    worker = _inspection_worker(connection, "w-dead")
    worker.register_birth()
    assert connection.hget(worker.key, "pid").decode() == str(worker.pid)
    assert connection.hget(worker.key, "death") is None
    assert [w.name for w in Worker.all(connection=connection)] == ["w-dead"]


def test_a_live_namesake_still_refuses_the_start(connection):
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as live:
        try:
            _registered(connection, "w-live", pid=live.pid)
            with pytest.raises(ValueError, match="active worker named 'w-live'"):
                _inspection_worker(connection, "w-live").register_birth()
        finally:
            live.kill()


def test_a_namesake_on_another_host_still_refuses_the_start(connection):
    _registered(connection, "w-far", pid=_dead_pid(), hostname="another-host")
    with pytest.raises(ValueError, match="active worker named 'w-far'"):
        _inspection_worker(connection, "w-far").register_birth()


def test_a_namesake_with_our_own_pid_is_a_recycled_pid_and_gives_the_name_up(connection):
    import os

    _registered(connection, "w-pid1", pid=os.getpid())  # as after a container restart
    worker = _inspection_worker(connection, "w-pid1")
    worker.register_birth()
    assert connection.hget(worker.key, "death") is None
