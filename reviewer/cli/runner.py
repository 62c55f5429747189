"""`reviewer run`: the back-office in one command; `reviewer worker`; `reviewer sweep`."""
from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable

import click
from flask import current_app
from flask.cli import with_appcontext

from config import current as settings
from reviewer.cli.connection import redis_connection
from workers.queues import ALL_QUEUES


def _child_env(redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["REDIS_URL"] = redis_url
    env.setdefault("OMP_NUM_THREADS", "1")  # one thread per worker process beats two in one
    return env


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "reviewer.cli", *args], env=env)


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


@dataclass
class Child:
    label: str
    start: Callable[[], subprocess.Popen]
    process: subprocess.Popen
    service: bool  # others depend on it (the embedded Redis): stopped after them


class Children:
    """The processes of `reviewer run`: the embedded Redis, the workers and the sweeper.
    One that exits (a crash in native code, the OOM killer, a SIGKILL, a SIGTERM) is
    started again with the same arguments, as a supervisor such as systemd would do in
    production: a worker under the same name, Redis on the same socket and data."""

    def __init__(self, spawn: Callable[[list[str]], subprocess.Popen], every: float = 2.0):
        self._spawn, self._every = spawn, every
        self._children: list[Child] = []
        self._lock, self._stopping = threading.Lock(), threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="children", daemon=True)

    def start(self, args: list[str]) -> None:
        self.supervise(" ".join(args), lambda: self._spawn(args))

    def supervise(self, label: str, start: Callable[[], subprocess.Popen], *,
                  process: subprocess.Popen | None = None, service: bool = False) -> None:
        """Keep `start`'s process running (`process`: one already started by it)."""
        with self._lock:
            self._children.append(Child(label, start, process or start(), service))
        if not self._watcher.is_alive():
            self._watcher.start()

    def processes(self) -> list[subprocess.Popen]:
        with self._lock:
            return [child.process for child in self._children]

    def _watch(self) -> None:
        while not self._stopping.wait(self._every):
            with self._lock:
                for child in self._children:
                    if child.process.poll() is not None and not self._stopping.is_set():
                        self._restart(child)

    def _restart(self, child: Child) -> None:
        click.echo(f"`{child.label}` exited ({child.process.returncode}); starting it again",
                   err=True)
        try:
            child.process = child.start()
        except Exception as exc:  # noqa: BLE001  tried again at the next look
            click.echo(f"`{child.label}` did not start: {exc}", err=True)

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            _stop([c.process for c in self._children if not c.service])
            _stop([c.process for c in self._children if c.service])


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(0)


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--workers", "worker_count", default=2, show_default=True)
@click.option("--demo/--no-demo", default=False, help="load demo applications and users")
@with_appcontext
def run_command(host: str, port: int, worker_count: int, demo: bool) -> None:
    """Web server, workers, sweeper and (by default) an embedded Redis; Ctrl-C stops all."""
    from werkzeug.serving import run_simple

    from reviewer.cli.schema import upgrade_database
    from workers.redis_server import EmbeddedRedis

    config = settings()
    upgrade_database()
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # SIGTERM cleans up as Ctrl-C does
    server = EmbeddedRedis(config.redis_socket).start() if config.embedded_redis else None
    env = _child_env(config.effective_redis_url())
    children = Children(lambda args: _spawn(args, env))
    try:
        if server is not None and server.process is not None:  # ours, not one we reuse
            children.supervise("redis-server", server.respawn, process=server.process,
                               service=True)
        for i in range(worker_count):
            children.start(["worker", "--name", f"w{i}-{os.getpid()}"])
        children.start(["sweep", "--loop"])
        if demo:  # the workers inspect each demo application as it arrives
            from reviewer.cli.demo import load_demo

            load_demo(print_logins=True)
        click.echo(f"\n  ICP 备案初审后台: http://{host}:{port}/\n")
        gc.freeze()  # start-up objects leave the collector: no ~140 ms full pass per ~20 pages
        run_simple(host, port, current_app._get_current_object(), threaded=True,
                   use_reloader=False)
    finally:
        children.stop()
        if server is not None:
            server.stop()


@click.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="exit when the queues are empty")
@click.option("--name", default=None)
@with_appcontext
def worker_command(queues: tuple[str, ...], burst: bool, name: str | None) -> None:
    """Run an RQ worker (queues: intake inspection reprocess, in that priority)."""
    from reviewer.cli.schema import ensure_schema
    from workers.worker import run_worker

    ensure_schema()
    unknown = set(queues) - set(ALL_QUEUES)
    if unknown:
        raise click.BadParameter(f"unknown queues {sorted(unknown)}; known: {ALL_QUEUES}")
    config = settings()
    with redis_connection():
        run_worker(config, tuple(queues) or ALL_QUEUES, burst=burst, name=name)


@click.command("sweep")
@click.option("--loop", is_flag=True, help="keep sweeping every --every seconds")
@click.option("--every", default=10.0, show_default=True)
@with_appcontext
def sweep_command(loop: bool, every: float) -> None:
    """Re-enqueue runs whose jobs were lost (killed worker, restarted Redis)."""
    import redis as redis_lib

    from models import db
    from workers.sweeper import sweep

    with redis_connection() as connection:
        while True:
            try:
                result = sweep(connection, settings().job_retry_delays)
                if not loop:
                    click.echo(result)
            except (redis_lib.RedisError, OSError) as exc:
                db.session.rollback()
                click.echo(f"sweep: Redis unreachable ({exc}); retrying", err=True)
            db.session.remove()
            if not loop:
                return
            time.sleep(every)
