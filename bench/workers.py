"""Inspection throughput with 1 and 2 workers on a backlog of demo applications.

    .venv/bin/python -m bench.workers [--count 200] [--workers 1 2]

For each worker count: a fresh SQLite database and embedded Redis, the backlog taken in
(enqueued, nothing inspected), then N `reviewer worker` processes start and the clock
runs until every application awaits review. Prints applications per minute, p50/p95
time from intake to awaiting review, and the per-job overhead (a re-run whose material
results are all cached: the job's whole time is overhead). Target: 2 workers >= 1.8x
one worker; no growth in per-application time as the backlog grows.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from config import Config

APPS_DIR = Path(tempfile.gettempdir()) / "icp-bench-applications"
REPO_ROOT = Path(__file__).resolve().parents[1]


def build_backlog(count: int) -> list[Path]:
    from samples.applications import SCENARIOS, build_application

    folders = []
    for i in range(count):
        folder = APPS_DIR / f"BENCH-{i:05d}"
        if not (folder / "application.json").exists():
            build_application(random.Random(i), SCENARIOS[i % len(SCENARIOS)], folder,
                              external_id=f"BENCH-{i:05d}")
        folders.append(folder)
    return folders


def _intake_all(folders: list[Path]) -> list[str]:
    from reviewer.services import inspections, runtime
    from reviewer.services.intake import intake

    ids = []
    for folder in folders:
        files = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "application.json"}
        result = intake((folder / "application.json").read_bytes(), files,
                        storage=runtime.storage(), limits=runtime.intake_limits())
        inspections.try_enqueue(result.run)
        ids.append(result.application.id)
    return ids



def _wait(ids: list[str], workers: list[subprocess.Popen], timeout: float) -> float:
    from models import InspectionRun, db
    from models.run_state import RunState

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if all(w.poll() is not None for w in workers):
            raise SystemExit("every worker exited; see worker*.log in the scratch folder")
        db.session.expire_all()
        open_runs = db.session.scalar(db.select(db.func.count()).select_from(InspectionRun).where(
            InspectionRun.state.not_in((RunState.DONE, RunState.FAILED))))
        if open_runs == 0:
            return time.perf_counter() - started
        time.sleep(0.5)
    raise SystemExit(f"not done within {timeout} s")


def _finished() -> list[tuple[float, float]]:
    """(intake -> awaiting review seconds, finished at) per application, in finishing order."""
    from models import Application, InspectionRun, db

    rows = db.session.execute(db.select(Application.received_at, InspectionRun.finished_at)
                              .join(InspectionRun, InspectionRun.application_id == Application.id)
                              .where(InspectionRun.trigger == "intake")
                              .order_by(InspectionRun.finished_at)).all()
    return [((done - received).total_seconds(), done.timestamp()) for received, done in rows if done]


def _first_start() -> float:
    from models import InspectionRun, db

    return db.session.scalar(db.select(db.func.min(InspectionRun.started_at))).timestamp()


def _per_application(finished: list[float]) -> tuple[float, float]:
    """Mean seconds between consecutive finishes over the first and the second half of
    the backlog: equal when an application's cost does not grow with the backlog. (Means,
    not medians: the scenarios alternate between about 3.5 s and 6.5 s of work, and a
    median of such a mix jumps from one mode to the other.)"""
    gaps = [b - a for a, b in zip(finished, finished[1:])]
    half = len(gaps) // 2
    return statistics.mean(gaps[:half]), statistics.mean(gaps[half:])


def _memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def _job_overhead(connection, run_ids: set[int]) -> tuple[float, float]:
    """Median seconds of the re-run's material jobs, whose results are cached, so all of
    their time is the job machinery: (from RQ's start of the job to its end, from the
    job's start to the next job's start on the same worker: RQ's bookkeeping, Redis and
    the dequeue included)."""
    from rq.job import Job
    from rq.registry import FinishedJobRegistry
    from rq.serializers import JSONSerializer

    from workers.queues import INSPECTION

    ids = FinishedJobRegistry(INSPECTION, connection=connection,
                              serializer=JSONSerializer).get_job_ids()
    jobs = [Job.fetch(i, connection=connection, serializer=JSONSerializer) for i in ids]
    jobs = sorted((j for j in jobs if j.started_at and j.ended_at), key=lambda j: j.started_at)
    prefixes = tuple(f"run{run_id}-material" for run_id in run_ids)
    inside, start_to_start = [], []
    for job, following in zip(jobs, jobs[1:] + [None]):
        if not job.id.startswith(prefixes):
            continue
        inside.append((job.ended_at - job.started_at).total_seconds())
        if following is not None and following.worker_name == job.worker_name:
            start_to_start.append((following.started_at - job.started_at).total_seconds())
    return (statistics.median(inside) if inside else float("nan"),
            statistics.median(start_to_start) if start_to_start else float("nan"))


def _rerun_all() -> tuple[set[int], int]:
    """Every inspected application re-run, as a reviewer's re-run starts it (its results
    are cached: the jobs measure the machinery); the run ids and how many jobs they make."""
    from models import Application, db
    from reviewer.services import inspections
    from reviewer.services.mail import RERUNNABLE

    rerun_ids, jobs = set(), 0
    for application in db.session.execute(db.select(Application).where(
            Application.status.in_(RERUNNABLE))).scalars().all():
        jobs += len(application.current_materials()) + 1
        run = inspections.start(application, inspections.RERUN)
        db.session.commit()
        inspections.try_enqueue(run)
        rerun_ids.add(run.id)
    return rerun_ids, jobs


def measure(folders: list[Path], worker_count: int) -> dict:
    from reviewer.web import create_app
    from reviewer.cli.schema import upgrade_database
    from workers.queues import connect
    from workers.redis_server import EmbeddedRedis

    scratch = Path(tempfile.mkdtemp(prefix="icp-bench-"))
    config = Config(instance_dir=scratch, storage_dir=scratch / "storage")
    server = EmbeddedRedis(config.redis_socket).start()
    app = create_app(config.replace(redis_url=server.url))
    env = dict(os.environ, INSTANCE_DIR=str(scratch), STORAGE_DIR=str(config.storage_dir),
               DATABASE_URL=config.effective_database_url(), REDIS_URL=server.url,
               OMP_NUM_THREADS="1", PYTHONPATH=str(REPO_ROOT))  # this checkout's code
    with app.app_context():
        upgrade_database()  # migrated, as the workers expect (a bare create_all is not stamped)
        ids = _intake_all(folders)
        workers = [subprocess.Popen([sys.executable, "-m", "reviewer.cli", "worker"], env=env,
                                    cwd=REPO_ROOT, stdout=log, stderr=log)
                   for log in (open(scratch / f"worker{i}.log", "wb")
                               for i in range(worker_count))]
        seconds = _wait(ids, workers, timeout=7200)
        finished = _finished()
        latencies = sorted(seconds_ for seconds_, _ in finished)
        early, late = _per_application([done for _, done in finished])
        busy = finished[-1][1] - _first_start()  # the workers' warm-up not counted
        rerun_ids, jobs = _rerun_all()
        rerun_seconds = _wait(ids, workers, timeout=600)
        overhead, cycle = _job_overhead(connect(server.url), rerun_ids)
        memory = [_memory_mb(w.pid) for w in workers]
        for worker in workers:
            worker.terminate()
            worker.wait()
    server.stop()
    return {"workers": worker_count, "seconds": seconds, "per_minute": len(ids) / busy * 60,
            "p50": latencies[len(latencies) // 2], "p95": latencies[int(len(latencies) * .95)],
            "early_gap": early, "late_gap": late,
            "overhead": overhead, "cycle": cycle, "memory": memory,
            "wall_per_job": rerun_seconds * worker_count / jobs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    folders = build_backlog(args.count)
    photos = sum(len(list(f.glob("*.jpg"))) for f in folders) / len(folders)
    print(f"backlog: {len(folders)} applications, {photos:.1f} photos each")
    results = [measure(folders, n) for n in args.workers]
    print(f"{'workers':>7} {'apps/min':>9} {'p50 s':>7} {'p95 s':>7} {'s/app 1st half':>14} "
          f"{'s/app 2nd half':>14} {'cached job ms':>13} {'job cycle ms':>12} {'wall/job ms':>11}")
    for r in results:
        print(f"{r['workers']:>7} {r['per_minute']:>9.1f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
              f"{r['early_gap']:>14.2f} {r['late_gap']:>14.2f} {r['overhead'] * 1000:>13.0f} "
              f"{r['cycle'] * 1000:>12.0f} "
              f"{r['wall_per_job'] * 1000:>11.0f}")
    for r in results:
        print(f"{r['workers']} worker(s), resident MB at the end (peak): " + ", ".join(
            f"{now:.0f} ({peak:.0f})" for now, peak in r["memory"]))
    print("p50/p95: intake to awaiting review (the whole backlog is taken in before the "
          "workers start); s/app: mean seconds between consecutive finishes; cached job "
          "ms: a re-run job whose result is cached, RQ's start to end; job cycle ms: from such "
          "a job's start to the next job's start on its worker (RQ's bookkeeping and the "
          "dequeue included: the per-job overhead); wall/job ms: the "
          "re-run phase's wall time per job per worker, finalize jobs included")
    if len(results) >= 2:
        print(f"speed-up {results[1]['per_minute'] / results[0]['per_minute']:.2f}x (target >= 1.8)")


if __name__ == "__main__":
    main()
