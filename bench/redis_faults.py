"""Redis killed mid-batch, again and again: does every application still get inspected once?

    .venv/bin/python -m bench.redis_faults [--kills 12] [--per-kill 3] [--pause 3]

A fresh SQLite database, an embedded Redis in a temp folder, 2 `reviewer worker` and a
`reviewer sweep --loop` kept running as `reviewer run` keeps them (reviewer.cli.runner's
Children). For each kill: a batch of generated applications (samples/) is taken in, and
once a material is being inspected Redis is killed, in turn with SIGTERM and SIGKILL,
with its append-only file and without (then it comes back empty, or from the file an
earlier round left: older than what the database holds). After --pause seconds it is
started again on the same socket. Prints per kill and in total:

  stuck       runs of the batch not finished --stuck-after seconds after the restart
  lost        materials of a finished application never inspected (no stored result)
  duplicated  inspections run again for a material of the same run (a job's row counts
              every start of a real inspection; a rerun from the stored result does not)
  resumed     seconds from the restart until the next job or run finishes
  recovery    seconds from the restart until every run taken in so far is finished
              (the rest of the batch's inspections included)
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.workers import REPO_ROOT, _intake_all, build_backlog
from config import Config

MODES = (("SIGTERM", True), ("SIGKILL", True), ("SIGTERM", False), ("SIGKILL", False))


@dataclass
class Kill:
    mode: str
    in_flight: int  # material jobs started, not finished, at the kill
    stuck: int
    resumed: float | None
    recovery: float | None


def _open_runs(ids: list[str]) -> int:
    from models import InspectionRun, db
    from models.run_state import RunState

    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(InspectionRun).where(
        InspectionRun.application_id.in_(ids),
        InspectionRun.state.not_in((RunState.DONE, RunState.FAILED))))


def _started_jobs() -> int:
    from models import JobRecord, db
    from models.run_state import JobState

    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(JobRecord).where(
        JobRecord.kind == "material", JobRecord.state == JobState.STARTED))


def _progress() -> int:
    """Jobs and runs finished so far."""
    from models import InspectionRun, JobRecord, db
    from models.run_state import JobState, RunState

    db.session.expire_all()
    jobs = db.session.scalar(db.select(db.func.count()).select_from(JobRecord)
                             .where(JobRecord.state == JobState.FINISHED))
    runs = db.session.scalar(db.select(db.func.count()).select_from(InspectionRun)
                             .where(InspectionRun.state == RunState.DONE))
    return jobs + runs


def _wait(condition, timeout: float, every: float = 0.05) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(every)
    return None


def _since(start: float, condition, timeout: float) -> float | None:
    """Seconds from `start` until `condition()` holds, or None after `timeout` more."""
    if _wait(condition, timeout, every=0.25) is None:
        return None
    return time.monotonic() - start


def _lost() -> int:
    """Image materials of applications whose run is done with no stored result."""
    from models import Application, InspectionRun, Material, MaterialResult, db
    from models.run_state import RunState
    from pipeline import PIPELINE_VERSION

    stored = db.select(MaterialResult.id).where(
        MaterialResult.sha256 == Material.sha256, MaterialResult.kind == Material.kind,
        MaterialResult.pipeline_version == PIPELINE_VERSION)
    done = db.select(InspectionRun.application_id).where(InspectionRun.state == RunState.DONE)
    return db.session.scalar(db.select(db.func.count()).select_from(Material).join(
        Application, Application.id == Material.application_id).where(
        Application.id.in_(done), Material.mime.in_(("image/jpeg", "image/png")),
        ~stored.exists()))


def _duplicated() -> int:
    from models import JobRecord, db

    return db.session.scalar(db.select(db.func.coalesce(db.func.sum(JobRecord.attempts - 1), 0))
                             .where(JobRecord.kind == "material", JobRecord.attempts > 1))


def _failed() -> int:
    from models import InspectionRun, db
    from models.run_state import RunState

    return db.session.scalar(db.select(db.func.count()).select_from(InspectionRun)
                             .where(InspectionRun.state == RunState.FAILED))


class Harness:
    def __init__(self, scratch: Path, pause: float, stuck_after: float):
        from workers.redis_server import EmbeddedRedis

        self.scratch, self.pause, self.stuck_after = scratch, pause, stuck_after
        self.config = Config(instance_dir=scratch, storage_dir=scratch / "storage")
        self.server = EmbeddedRedis(self.config.redis_socket).start()
        self.ids: list[str] = []

    def env(self) -> dict[str, str]:
        return dict(os.environ, INSTANCE_DIR=str(self.scratch),
                    STORAGE_DIR=str(self.config.storage_dir),
                    DATABASE_URL=self.config.effective_database_url(),
                    REDIS_URL=self.server.url, OMP_NUM_THREADS="1", PYTHONPATH=str(REPO_ROOT))

    def kill_and_restart(self, signame: str, appendonly: bool) -> float:
        """Kill Redis, wait, start it again on the same socket; the restart's monotonic time."""
        from workers.redis_server import EmbeddedRedis

        self.server.process.send_signal(getattr(signal, signame))
        self.server.process.wait()
        time.sleep(self.pause)
        self.server = EmbeddedRedis(self.server.socket_path, appendonly=appendonly).start()
        return time.monotonic()

    def round(self, folders: list[Path], signame: str, appendonly: bool) -> Kill:
        batch = _intake_all(folders)
        self.ids += batch
        _wait(lambda: _started_jobs() > 0 or _open_runs(batch) == 0, timeout=300)
        in_flight = _started_jobs()
        restarted = self.kill_and_restart(signame, appendonly)
        before = _progress()
        resumed = _since(restarted, lambda: _progress() > before or not _open_runs(self.ids),
                         self.stuck_after)
        recovered = _since(restarted, lambda: not _open_runs(self.ids), self.stuck_after)
        mode = f"{signame} {'aof' if appendonly else 'no-aof'}"
        return Kill(mode, in_flight, _open_runs(self.ids), resumed, recovered)


def _warm(harness: Harness, folders: list[Path]) -> None:
    """The first batch, with no kill: the workers have loaded their models."""
    harness.ids += _intake_all(folders)
    if _wait(lambda: _open_runs(harness.ids) == 0, timeout=600, every=0.5) is None:
        raise SystemExit("the workers did not finish the warm-up batch; see the logs in "
                         f"{harness.scratch}")


def run(kills: int, per_kill: int, pause: float, stuck_after: float, sweep_every: float):
    from reviewer.web import create_app
    from reviewer.cli.schema import upgrade_database
    from reviewer.cli.runner import Children

    folders = build_backlog(per_kill * (kills + 1))
    harness = Harness(Path(tempfile.mkdtemp(prefix="icp-redis-faults-")), pause, stuck_after)
    app = create_app(harness.config.replace(redis_url=harness.server.url))
    logs = harness.scratch
    children = Children(lambda args: _spawn(args, harness.env(), logs), every=1.0)
    results = []
    with app.app_context():
        upgrade_database()
        for i in range(2):
            children.start(["worker", "--name", f"faults-w{i}"])
        children.start(["sweep", "--loop", "--every", str(sweep_every)])
        try:
            _warm(harness, folders[:per_kill])
            for k in range(kills):
                signame, appendonly = MODES[k % len(MODES)]
                batch = folders[per_kill * (k + 1):per_kill * (k + 2)]
                results.append(harness.round(batch, signame, appendonly))
                _print_kill(k + 1, results[-1])
            _wait(lambda: _open_runs(harness.ids) == 0, stuck_after, every=0.5)
            _print_total(results, harness)
        finally:
            children.stop()
            harness.server.stop()


def _spawn(args: list[str], env: dict[str, str], logs: Path):
    import subprocess

    log = open(logs / f"{args[0]}-{args[-1]}.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "reviewer.cli", *args], env=env,
                            cwd=REPO_ROOT, stdout=log, stderr=log)


def _seconds(value: float | None) -> str:
    return f"{value:6.1f} s" if value is not None else "   never"


def _print_kill(number: int, kill: Kill) -> None:
    print(f"kill {number:>2}  {kill.mode:<15} in flight {kill.in_flight:>2}  "
          f"stuck {kill.stuck:>2}  resumed in {_seconds(kill.resumed)}  "
          f"recovered in {_seconds(kill.recovery)}", flush=True)


def _print_total(results: list[Kill], harness: Harness) -> None:
    recoveries = [k.recovery for k in results if k.recovery is not None]
    resumed = [k.resumed for k in results if k.resumed is not None]
    print(f"\n{len(results)} kills, {len(harness.ids)} applications: "
          f"stuck runs {_open_runs(harness.ids)}, lost inspections {_lost()}, "
          f"duplicated inspections {_duplicated()}, failed runs {_failed()}")
    if recoveries:
        print(f"after restart: work resumed in median {statistics.median(resumed):.1f} s, "
              f"max {max(resumed):.1f} s; every run finished in median "
              f"{statistics.median(recoveries):.1f} s, max {max(recoveries):.1f} s "
              f"({len(recoveries)} of {len(results)} kills)")
    print(f"logs: {harness.scratch}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--per-kill", type=int, default=3, help="applications per batch")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds Redis stays down")
    parser.add_argument("--stuck-after", type=float, default=120.0)
    parser.add_argument("--sweep-every", type=float, default=10.0,
                        help="the sweeper's interval (`reviewer run` uses 10 s)")
    args = parser.parse_args()
    run(args.kills, args.per_kill, args.pause, args.stuck_after, args.sweep_every)


if __name__ == "__main__":
    main()
