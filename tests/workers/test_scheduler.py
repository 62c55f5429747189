"""A worker killed with SIGKILL leaves no RQ scheduler process behind."""
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from tests.polling import wait_for
from tests.workers.conftest import REPO_ROOT

WORKER = """
import sys
from rq.serializers import JSONSerializer
from workers.queues import connect, queue
from workers.worker import InspectionWorker

connection = connect(sys.argv[1])
InspectionWorker([queue("intake", connection)], connection=connection,
                 serializer=JSONSerializer, name=sys.argv[2]).work(with_scheduler=True)
"""


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    found = []
    for task in tasks.iterdir() if tasks.exists() else ():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _gone(pid: int) -> bool:
    """Exited: no such process, or a zombie nobody has reaped yet."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_the_scheduler_of_a_sigkilled_worker_does_not_outlive_it(own_redis, tmp_path):
    # Before, the scheduler child of a SIGKILLed worker kept running, orphaned.
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    log = open(tmp_path / "worker.log", "wb")
    worker = subprocess.Popen([sys.executable, "-c", WORKER, own_redis.url,
                               f"sched-{uuid.uuid4().hex[:8]}"], env=env, stdout=log, stderr=log)
    scheduler = None
    try:
        assert wait_for(lambda: _children(worker.pid), 30.0), (tmp_path / "worker.log").read_text()
        (scheduler,) = _children(worker.pid)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        assert wait_for(lambda: _gone(scheduler), timeout=10)
    finally:
        worker.kill()
        worker.wait()
        if scheduler is not None and not _gone(scheduler):
            os.kill(scheduler, signal.SIGKILL)  # the orphan, when the test fails
