"""Intake throughput: applications with six 1-2 MB photos, inspection excluded.

    .venv/bin/python -m bench.intake [--count 200] [--database-url URL]

Prints applications per second and peak memory (RSS). Target: >= 20 applications/s on
2 cores. Every application carries distinct bytes (a JPEG comment makes each file
unique), so content-addressed storage cannot skip the writes.
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import struct
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from config import Config
from samples import contract


def _photo_pool(n: int = 6) -> list[bytes]:
    rng = np.random.default_rng(0)
    pool = []
    for _ in range(n):
        base = rng.integers(60, 200, (1200 // 8, 1600 // 8, 3), dtype=np.uint8)
        image = Image.fromarray(base).resize((1600, 1200), Image.BICUBIC)
        noisy = np.asarray(image).astype(np.int16) + rng.integers(-25, 25, (1200, 1600, 3))
        out = io.BytesIO()
        Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=90)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    from models import db
    from reviewer import create_app, services
    from reviewer.intake import intake

    pool = _photo_pool()
    sizes = [len(p) / 1e6 for p in pool]
    with tempfile.TemporaryDirectory() as scratch:
        config = Config(instance_dir=Path(scratch), storage_dir=Path(scratch) / "storage",
                        database_url=args.database_url, redis_url="redis://127.0.0.1:1/0")
        app = create_app(config)
        with app.app_context():
            db.create_all()
            bodies = [_application(i, pool) for i in range(args.count)]
            started = time.perf_counter()
            for raw, files in bodies:
                intake(raw, files, storage=services.storage(), limits=services.intake_limits())
            seconds = time.perf_counter() - started
            if db.engine.dialect.name == "postgresql":
                db.drop_all()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"photos per application: 6, sizes {min(sizes):.2f}-{max(sizes):.2f} MB")
    print(f"applications: {args.count} in {seconds:.2f} s = {args.count / seconds:.1f} per second"
          f" (target >= 20)")
    print(f"peak memory (RSS, includes the {args.count} prepared bodies): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
