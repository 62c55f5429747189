"""Waiting in tests for something another process does (a restart, a job, a child's end)."""
from __future__ import annotations

import time


def wait_for(condition, timeout: float, *, every: float = 0.1) -> bool:
    """True as soon as `condition()` is; False when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False
