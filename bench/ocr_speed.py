"""Seconds per document and peak memory of document reading, per engine.

Run from the repository root:

    .venv/bin/python -m bench.ocr_speed [--count 20] [--engines rapidocr,paddleocr] [--threads 1]

Generated phone photos (ID fronts and backs, business licenses; clean and degraded
presets of `samples.camera`) are written as JPEG first; then each engine runs in a
fresh worker process of its own, as a worker would: load the engine once, decode
nothing else, and time `read_document` from the decoded photo to the fields. The
peak resident memory (RSS) of that process is the per-worker figure.

Targets on 2 cores with the default engine: ID card photo <= 0.5 s, license photo
<= 1.5 s (median), peak memory <= 1.5 GB.

The machine is shared, so the run also times a reference: stock RapidOCR (its own
defaults) on one flat 856x540 ID card render, which took about 0.6 s on a quiet
2-core machine. Scale the figures by 0.6 / reference to compare with the targets.
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from bench.ocr_accuracy import DEFAULT_PADDLE_DIR, make_sample

PRESETS = ("clean", "clean", "tilt15", "perspective", "blur", "jpeg40", "noise", "low_res")
TARGETS = {"id_card": 0.5, "business_license": 1.5}
MEMORY_TARGET_MB = 1500


def write_photos(folder: Path, count: int) -> list[tuple[Path, str]]:
    out = []
    for i in range(count):
        preset = PRESETS[i % len(PRESETS)]
        for kind in ("id_card_front", "id_card_back", "business_license"):
            sample = make_sample(kind, preset, f"speed-{i}")
            path = folder / f"{kind}-{i}.jpg"
            cv2.imwrite(str(path), sample.image, [cv2.IMWRITE_JPEG_QUALITY, 92])
            out.append((path, kind))
    return out


def worker(engine: str, threads: int, photos: list[tuple[Path, str]], paddle_dir: str,
           queue) -> None:
    """One worker process: load the engine, read every photo, report times and memory."""
    from pipeline.documents import read_document
    from pipeline.ocr import OcrSettings, create_engine, prepare_paddle_models

    model_dir = str(prepare_paddle_models(Path(paddle_dir))) if engine == "paddleocr" else None
    started = time.perf_counter()
    ocr = create_engine(engine, OcrSettings(paddle_model_dir=model_dir, threads=threads))
    load = time.perf_counter() - started
    times: dict[str, list[tuple[float, float]]] = {"id_card": [], "business_license": []}
    for path, kind in photos:
        image = cv2.imread(str(path))
        wall, cpu = time.perf_counter(), time.process_time()
        read_document(image, kind, ocr, material=path.name)
        group = "business_license" if kind == "business_license" else "id_card"
        times[group].append((time.perf_counter() - wall, time.process_time() - cpu))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"engine": engine, "load": load, "times": times, "peak_mb": peak})


def reference(queue) -> None:
    """Stock RapidOCR on a flat ID card render: how fast this machine is right now."""
    from rapidocr import RapidOCR

    from bench.ocr_accuracy import RENDER
    from samples.documents import random_identity

    card = RENDER["id_card_front"](random_identity(random.Random(0)), rng=random.Random(0))
    ocr = RapidOCR(params={"Global.log_level": "warning"})
    ocr(card)
    seconds = []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        ocr(card)
        seconds.append((time.perf_counter() - wall, time.process_time() - cpu))
    queue.put(tuple(float(x) for x in np.median(seconds, axis=0)))


def in_process(target, *args):
    context = multiprocessing.get_context("spawn")  # a clean process: its own peak memory
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def measure(engine: str, threads: int, photos, paddle_dir: Path) -> dict:
    return in_process(worker, engine, threads, photos, str(paddle_dir))


def report(results: list[dict], threads: int, machine: tuple[float, float]) -> None:
    # Stock RapidOCR uses every core; on a shared machine its cpu seconds (all its
    # threads) drift less than its wall seconds. Compare runs on the same figure.
    print(f"\nreference (stock RapidOCR, flat 856x540 card): {_pair(*machine)} s now, "
          f"about 0.6 s on a quiet 2-core machine")
    print(f"threads per engine: {threads}; seconds per document (wall; cpu in brackets)")
    print(f"{'engine':11}{'document':18}{'n':>4}{'median':>16}{'p95':>16}{'target':>9}")
    for result in results:
        for group, pairs in result["times"].items():
            wall = np.array([w for w, _ in pairs])
            cpu = np.array([c for _, c in pairs])
            print(f"{result['engine']:11}{group:18}{len(pairs):>4}"
                  f"{_pair(np.median(wall), np.median(cpu)):>16}"
                  f"{_pair(np.percentile(wall, 95), np.percentile(cpu, 95)):>16}"
                  f"{'<= ' + str(TARGETS[group]):>9}")
    for result in results:
        print(f"{result['engine']:11}peak RSS {result['peak_mb']:.0f} MB "
              f"(target <= {MEMORY_TARGET_MB} MB), engine load {result['load']:.1f} s")


def _pair(wall: float, cpu: float) -> str:
    return f"{wall:.2f} ({cpu:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20, help="photos of each kind")
    parser.add_argument("--engines", default="rapidocr,paddleocr")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--paddle-dir", type=Path, default=DEFAULT_PADDLE_DIR)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        photos = write_photos(Path(folder), args.count)
        machine = in_process(reference)
        results = [measure(name, args.threads, photos, args.paddle_dir)
                   for name in args.engines.split(",")]
    report(results, args.threads, machine)


if __name__ == "__main__":
    main()
