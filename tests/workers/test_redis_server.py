"""The embedded redis-server starts, serves RQ, and leaves no process behind."""
import os
import subprocess

from rq import Queue
from rq.serializers import JSONSerializer

from workers.queues import connect
from workers.redis_server import EmbeddedRedis, ping


def _servers_on(socket_path) -> list[str]:
    out = subprocess.run(["pgrep", "-af", "redis-server"], capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if str(socket_path) in line]


def test_embedded_redis_serves_rq_and_stops_cleanly(tmp_path):
    socket_path = tmp_path / "redis" / "redis.sock"
    with EmbeddedRedis(socket_path) as server:
        pid = server.process.pid
        connection = connect(server.url)
        queue = Queue("probe", connection=connection, serializer=JSONSerializer)
        job = queue.enqueue("os.getcwd", job_id="probe-job")
        assert queue.count == 1 and job.id == "probe-job"
        assert _servers_on(socket_path)
    assert not ping(socket_path)
    assert not _servers_on(socket_path)
    assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z"


def test_a_second_start_reuses_the_running_server(tmp_path):
    socket_path = tmp_path / "r" / "redis.sock"
    with EmbeddedRedis(socket_path) as first:
        second = EmbeddedRedis(socket_path).start()
        assert second.process is None  # nothing new started
        second.stop()
        assert ping(socket_path)  # the reuser does not stop the owner's server
        assert first.process is not None
    assert not ping(socket_path)
