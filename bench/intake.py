"""Intake throughput: applications with six 1-2 MB photos, inspection excluded.

    .venv/bin/python -m bench.intake [--count 200] [--processes 2] [--database-url URL]

Prints applications per second and peak memory (RSS) per process. Target: >= 20
applications/s on 2 cores, which a web server gets from two worker processes: the
backlog is split between `--processes` processes (each its own app and database
connection, as WSGI workers are) started together, and the rate is all applications
over the wall time from the common start to the last one stored. `--processes 1`
gives the one-process figure. Every application carries distinct bytes (a JPEG
comment makes each file unique), so content-addressed storage cannot skip the writes.
"""
from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import resource
import struct
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from config import Config
from samples import contract


SIZES = ((1900, 1425), (1800, 1350), (2000, 1500), (2200, 1650), (1700, 1275), (2100, 1575))


def _photo_pool() -> list[bytes]:
    """Six phone-like JPEGs of 1-2 MB (noise keeps them from compressing away)."""
    rng = np.random.default_rng(0)
    pool = []
    for width, height in SIZES:
        base = rng.integers(60, 200, (height // 8, width // 8, 3), dtype=np.uint8)
        image = Image.fromarray(base).resize((width, height), Image.BICUBIC)
        noisy = np.asarray(image).astype(np.int16) + rng.integers(-25, 25, (height, width, 3))
        out = io.BytesIO()
        Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=88)
        pool.append(out.getvalue())
    return pool


def _unique(jpeg: bytes, tag: str) -> bytes:
    payload = tag.encode()
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def _application(i: int, pool: list[bytes]) -> tuple[bytes, dict[str, bytes]]:
    form = contract.example(external_id=f"BENCH-{i:06d}")
    form["materials"].append({"kind": "handheld_id_photo", "person": "subject_leader",
                              "file": "handheld.jpg"})
    files = {m["file"]: _unique(pool[n % len(pool)], f"{i}-{n}")
             for n, m in enumerate(form["materials"])}
    return json.dumps(form, ensure_ascii=False).encode(), files


def _worker(share: range, scratch: str, database_url: str, pool: list[bytes],
            start, results) -> None:
    from models import db
    from reviewer.services import runtime
    from reviewer.web import create_app
    from reviewer.services.intake import intake

    config = Config(instance_dir=Path(scratch), storage_dir=Path(scratch) / "storage",
                    database_url=database_url, redis_url="redis://127.0.0.1:1/0")
    app = create_app(config)
    with app.app_context():
        bodies = [_application(i, pool) for i in share]
        storage, limits = runtime.storage(), runtime.intake_limits()
        db.session.remove()
        start.wait()
        for raw, files in bodies:
            intake(raw, files, storage=storage, limits=limits)
        finished = time.perf_counter()
    results.put((finished, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    from models import db
    from reviewer.web import create_app

    pool = _photo_pool()
    sizes = [len(p) / 1e6 for p in pool]
    with tempfile.TemporaryDirectory() as scratch:
        database_url = args.database_url or f"sqlite:///{scratch}/bench.db"
        config = Config(instance_dir=Path(scratch), storage_dir=Path(scratch) / "storage",
                        database_url=database_url, redis_url="redis://127.0.0.1:1/0")
        app = create_app(config)
        with app.app_context():
            db.create_all()
            db.session.remove()
            db.engine.dispose()
        context = multiprocessing.get_context("spawn")
        start, results = context.Barrier(args.processes + 1), context.Queue()
        workers = [context.Process(target=_worker, args=(
            range(p, args.count, args.processes), scratch, database_url, pool, start, results))
            for p in range(args.processes)]
        for worker in workers:
            worker.start()
        start.wait()
        started = time.perf_counter()
        reports = [results.get() for _ in workers]
        for worker in workers:
            worker.join()
        seconds = max(finished for finished, _ in reports) - started
        with app.app_context():
            stored = db.session.execute(db.text("SELECT count(*) FROM applications")).scalar()
            if db.engine.dialect.name == "postgresql":
                db.drop_all()
    print(f"photos per application: 6, sizes {min(sizes):.2f}-{max(sizes):.2f} MB")
    print(f"applications: {stored} of {args.count} stored by {args.processes} process(es) in "
          f"{seconds:.2f} s = {args.count / seconds:.1f} per second (target >= 20)")
    print("peak memory (RSS) per process, includes its prepared bodies: "
          + ", ".join(f"{mb:.0f} MB" for _, mb in reports))


if __name__ == "__main__":
    main()
