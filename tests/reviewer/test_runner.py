"""`reviewer run` keeps its workers and sweeper running: one that exits is started again."""
import subprocess
import sys
import time

from reviewer.runner import Children


def _sleeper(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def _wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_child_that_dies_is_started_again_and_stop_ends_them_all():
    children = Children(_sleeper, every=0.1)
    children.start(["worker", "--name", "w0"])
    children.start(["sweep", "--loop"])
    first, sweeper = children.processes()
    first.kill()
    assert _wait_for(lambda: children.processes()[0] is not first)
    replacement = children.processes()[0]
    assert replacement.poll() is None and children.processes()[1] is sweeper
    children.stop()
    assert all(p.poll() is not None for p in children.processes())
    time.sleep(0.3)  # the watcher starts nothing after stop
    assert children.processes()[0] is replacement and replacement.poll() is not None
