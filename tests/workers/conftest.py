"""Real worker processes (`reviewer worker`) against the test database and Redis."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from models import Application, InspectionRun, db
from samples import contract
from tests.reviewer.intake_helpers import post

REVIEWER = str(Path(sys.executable).with_name("reviewer"))
REPO_ROOT = Path(__file__).resolve().parents[2]


class Workers:
    def __init__(self, env: dict[str, str], log_dir: Path):
        self.env, self.log_dir, self.procs, self.count = env, log_dir, [], 0
        self.tag = uuid.uuid4().hex[:8]  # the session's Redis outlives the test: names differ

    def start(self, n: int = 1) -> list[subprocess.Popen]:
        started = []
        for _ in range(n):
            self.count += 1
            log = open(self.log_dir / f"worker{self.count}.log", "wb")
            proc = subprocess.Popen([REVIEWER, "worker", "--name", f"test-{self.tag}-"
                                     f"{self.count}"], env=self.env, stdout=log, stderr=log)
            self.procs.append(proc)
            started.append(proc)
        return started

    def alive(self) -> list[subprocess.Popen]:
        return [p for p in self.procs if p.poll() is None]

    def kill(self, proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def crashed(self) -> list[str]:
        """The log tails of workers that ended on their own with an error."""
        return [f"{p.args[-1]} exited {p.returncode}:\n"
                + (self.log_dir / f"worker{i}.log").read_text(errors="replace")[-3000:]
                for i, p in enumerate(self.procs, 1) if p.poll() not in (None, 0, -9)]

    def stop(self) -> None:
        for proc in self.alive():
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(autouse=True)
def sweeper_sees_redis_afresh():
    """Each test's own Redis is new to the sweeper, not a restart of the last test's."""
    from workers import sweeper

    sweeper._seen_server.clear()


@pytest.fixture
def own_redis():
    """A Redis server of the test's own (empty, and free to stop and restart)."""
    from workers.redis_server import EmbeddedRedis

    server = EmbeddedRedis(Path("/tmp") / f"icp-own-{os.getpid()}" / "redis.sock").start()
    yield server
    server.stop()
    shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture
def worker_env(config) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"INSTANCE_DIR": str(config.instance_dir), "STORAGE_DIR": str(config.storage_dir),
                "DATABASE_URL": config.effective_database_url(), "REDIS_URL": config.redis_url,
                "JOB_RETRY_DELAYS": "0,0", "OMP_NUM_THREADS": "1",
                # the workers run this checkout's code, whatever is installed in the venv
                "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO_ROOT),
                                                            os.environ.get("PYTHONPATH"))))})
    return env


@pytest.fixture
def workers(worker_env, tmp_path):
    pool = Workers(worker_env, tmp_path)
    yield pool
    for report in pool.crashed():  # shown with a failing test's output
        print(report)
    pool.stop()


@pytest.fixture
def submit(client, api_token):
    """`submit(n)` posts n distinct applications through the API; returns their ids.

    With `image_sets=k` application i carries the images of application i % k: the
    pipeline inspects k sets for real and the rest come from its result cache.
    """
    def _submit(n: int, prefix: str = "ICP-W", image_sets: int | None = None) -> list[str]:
        ids = []
        for i in range(n):
            form = contract.example(external_id=f"{prefix}-{i:05d}")
            seed = i % image_sets if image_sets else i
            response = post(client, api_token, form, contract.files_for(form, seed=seed))
            assert response.status_code == 201, response.get_json()
            ids.append(response.get_json()["id"])
        return ids
    return _submit


def run_states(ids: list[str]) -> dict[str, list[str]]:
    db.session.expire_all()
    rows = db.session.execute(db.select(InspectionRun.application_id, InspectionRun.state)
                              .where(InspectionRun.application_id.in_(ids))).all()
    out: dict[str, list[str]] = {i: [] for i in ids}
    for application_id, state in rows:
        out[application_id].append(state)
    return out


def wait_until_done(ids: list[str], *, timeout: float, sweep_with=None) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = run_states(ids)
        if all(s and all(x in ("done", "failed") for x in s) for s in states.values()):
            return states
        if sweep_with is not None:
            sweep_with()
        time.sleep(0.5)
    raise AssertionError(f"not finished in {timeout}s: {stuck_report(ids)}")


def stuck_report(ids: list[str]) -> list:
    """For each unfinished run: its jobs' rows and their state in Redis."""
    from config import current as settings
    from models import JobRecord
    from workers.dispatch import live_status
    from workers.queues import connect

    connection = connect(settings().redis_url)
    report = []
    for run in db.session.execute(db.select(InspectionRun).where(
            InspectionRun.application_id.in_(ids),
            InspectionRun.state.not_in(("done", "failed")))).scalars():
        jobs = db.session.execute(db.select(JobRecord).where(JobRecord.run_id == run.id)).scalars()
        report.append((run.id, run.state, [(j.id, j.state, str(live_status(j.id, connection)))
                                           for j in jobs]))
    return report


def statuses(ids: list[str]) -> set[str]:
    db.session.expire_all()
    return set(db.session.execute(db.select(Application.status).where(
        Application.id.in_(ids))).scalars())
