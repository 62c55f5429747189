"""`reviewer run` keeps its workers and sweeper running: one that exits is started again."""
import subprocess
import sys
import time

from reviewer.cli.runner import Children
from tests.polling import wait_for


def _sleeper(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_a_child_that_dies_is_started_again_and_stop_ends_them_all():
    children = Children(_sleeper, every=0.1)
    children.start(["worker", "--name", "w0"])
    children.start(["sweep", "--loop"])
    first, sweeper = children.processes()
    first.kill()
    assert wait_for(lambda: children.processes()[0] is not first, 10.0, every=0.05)
    replacement = children.processes()[0]
    assert replacement.poll() is None and children.processes()[1] is sweeper
    children.stop()
    assert all(p.poll() is not None for p in children.processes())
    time.sleep(0.3)  # the watcher starts nothing after stop
    assert children.processes()[0] is replacement and replacement.poll() is not None


def test_the_embedded_redis_is_started_again_on_its_socket_after_it_dies(tmp_path):
    # Before, `reviewer run` left a killed redis-server defunct and never started another.
    from workers.queues import connect
    from workers.redis_server import EmbeddedRedis, ping

    server = EmbeddedRedis(tmp_path / "redis" / "redis.sock").start()
    children = Children(_sleeper, every=0.1)
    children.supervise("redis-server", server.respawn, process=server.process, service=True)
    children.start(["worker", "--name", "w0"])
    first = server.process
    connect(server.url).set("kept", "1")  # in the append-only file
    first.kill()
    assert wait_for(lambda: children.processes()[0] is not first and ping(server.socket_path),
                    10.0, every=0.05)
    assert first.poll() is not None  # reaped, not left defunct
    assert children.processes()[0].args == first.args  # same socket, same data directory
    assert connect(server.url).get("kept") == b"1"
    children.stop()
    assert all(p.poll() is not None for p in children.processes())
    assert not ping(server.socket_path)
