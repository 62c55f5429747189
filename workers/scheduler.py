"""RQ's scheduler process, bound to the life of the worker that forked it.

A worker starts the scheduler (retries wait in its registry) as a child process. RQ
stops it when the worker stops, but a worker killed with SIGKILL (or by the OOM killer)
left it running, orphaned, holding the queues' scheduler locks. The child now asks the
kernel for a SIGTERM when its parent dies (Linux's PR_SET_PDEATHSIG), and stops as RQ
stops it: releasing its locks, so the restarted worker's scheduler takes them.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

from rq.scheduler import RQScheduler

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """SIGTERM this process when `parent_pid`, its parent, dies (at once if it has)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:  # it died before the request took hold
        os.kill(os.getpid(), signal.SIGTERM)


class BoundScheduler(RQScheduler):
    def start(self):
        self._worker_pid = os.getpid()  # read in the child, after the fork
        return super().start()

    def work(self):
        die_with_parent(self._worker_pid)
        super().work()


def start_scheduler(worker, burst: bool, **log_settings) -> None:
    """RQ's `BaseWorker._start_scheduler`, with the bound scheduler."""
    worker.scheduler = BoundScheduler(worker.queues, connection=worker.connection,
                                      serializer=worker.serializer, **log_settings)
    scheduler = worker.scheduler
    scheduler.acquire_locks()
    if not scheduler.acquired_locks:
        return
    if not burst:
        scheduler.start()
        return
    try:
        scheduler.register_birth()
        scheduler.enqueue_scheduled_jobs()
    finally:
        scheduler.release_locks()
        scheduler.register_death()
