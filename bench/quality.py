"""Benchmark the image-quality checks on a labelled generated set.

Run from the repository root: `.venv/bin/python -m bench.quality [--per-defect N] [--clean N]`.

ID fronts, ID backs and business licenses (samples.documents) are photographed
(samples.camera) as ordinary phone photos in varied light (tilt, perspective, warm
or cool cast, JPEG, noise, a little softness, uneven light) and with each defect of
samples.defects at three strengths. Text lines come from the real OCR text detector
(RapidOCR's, as the document stage would give them; `--no-ocr` to skip), the quad is
where the camera put the document. Prints precision and recall per check (targets
0.95 each), the block findings on clean photos (target 0), milliseconds per photo for
all checks together (target <= 60 on 2 cores), and the perceptual-hash distances of
re-saved copies against different photos.
"""
from __future__ import annotations

import argparse
import random
import time
from collections import Counter, defaultdict

import cv2
import numpy as np

from pipeline.analysis import TextLine
from pipeline.documents.locate import flatten
from pipeline.duplicates import NEAR_DUPLICATE_BITS, hash_distance, perceptual_hash
from pipeline.findings import Severity
from pipeline.quality import CHECKS, QualitySettings, assess_quality
from samples import camera, defects
from samples.documents import (random_company, random_identity, render_id_back,
                               render_id_front, render_license)

KINDS = ("id_card_front", "id_card_back", "business_license")


def render(kind: str, rng: random.Random) -> np.ndarray:
    if kind == "business_license":
        return render_license(random_company(rng), rng=rng)
    identity = random_identity(rng)
    return (render_id_front if kind == "id_card_front" else render_id_back)(identity, rng=rng)


def phone_photo(doc: np.ndarray, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """An ordinary, acceptable phone photo: what every clean sample and defect starts from."""
    card = doc.shape[1] < 1200
    scale = rng.uniform(0.9, 1.5) if card else rng.uniform(0.75, 1.1)  # card 770-1280 px wide
    photo, quad = camera.photograph(
        doc, rng, tilt_deg=rng.uniform(-10, 10), perspective=rng.uniform(0, 0.15),
        background="random", scale=scale, margin=rng.uniform(0.08, 0.3),
        corner_radius=24 if card else 0)
    photo = camera.degrade(photo, rng, blur=rng.uniform(0, 0.8), noise=rng.uniform(0, 4),
                           uneven_light=rng.uniform(0, 0.3), jpeg_quality=rng.randint(70, 95))
    return photo, quad


class LineFinder:
    """Text-line boxes from RapidOCR's detector, run on a copy at most 1280 px."""

    def __init__(self, enabled: bool) -> None:
        self.engine = None
        if enabled:
            from rapidocr import RapidOCR

            self.engine = RapidOCR(params={"Global.log_level": "error"})

    def __call__(self, image: np.ndarray) -> list[TextLine]:
        if self.engine is None:
            return []
        scale = min(1.0, 1280 / max(image.shape[:2]))
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        result = self.engine(small, use_det=True, use_cls=False, use_rec=False)
        boxes = [] if result.boxes is None else result.boxes
        return [TextLine("", 1.0, (np.asarray(box) / scale).tolist()) for box in boxes]


def labelled_set(rng: random.Random, clean: int, per_defect: int):
    for kind in KINDS:
        for _ in range(clean):
            yield kind, defects.clean_photo(render(kind, rng), rng, phone_photo)
        for defect in defects.DEFECTS:
            for strength in defects.STRENGTHS:
                for _ in range(per_defect):
                    yield kind, defects.defective_photo(render(kind, rng), defect, strength, rng,
                                                        phone_photo)


def run(args) -> None:
    settings = QualitySettings()
    lines_of = LineFinder(not args.no_ocr)
    rng = random.Random(args.seed)
    results, seconds, cpu = [], [], []
    for kind, sample in labelled_set(rng, args.clean, args.per_defect):
        lines = lines_of(sample.image)
        crop = flatten(sample.image, np.float32(sample.quad))  # as locate_document gives it
        start, start_cpu = time.perf_counter(), time.process_time()
        findings = assess_quality(sample.image, kind=kind, crop=crop, quad=_as_list(sample.quad),
                                  text_lines=lines, settings=settings, material="bench.jpg")
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        results.append((kind, sample, findings))
    report(results, seconds, cpu)
    if args.show_misses:
        show_misses(results)
    duplicates(rng)


def _as_list(quad) -> list[list[float]] | None:
    return None if quad is None else np.asarray(quad, dtype=float).tolist()


def report(results, seconds, cpu) -> None:
    codes = sorted({check.code for check in CHECKS.values()})
    print(f"{len(results)} photos; per check: precision / recall (TP FP FN)")
    for code in codes:
        tp = sum(1 for _, s, f in results if s.code == code and _has(f, code))
        fp = sum(1 for _, s, f in results if s.code != code and _has(f, code))
        fn = sum(1 for _, s, f in results if s.code == code and not _has(f, code))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        flag = "" if precision >= 0.95 and recall >= 0.95 else "   <-- below 0.95"
        print(f"  {code:22s} {precision:5.3f} / {recall:5.3f}   ({tp} {fp} {fn}){flag}")
    clean = [f for _, s, f in results if s.defect is None]
    blocks = Counter(x.code for f in clean for x in f if x.severity == Severity.BLOCK)
    print(f"clean photos: {len(clean)}, block findings on them: {sum(blocks.values())} {dict(blocks)}")
    print(f"all quality checks: {1000 * np.mean(seconds):.1f} ms per photo wall "
          f"(median {1000 * np.median(seconds):.1f}), {1000 * np.mean(cpu):.1f} ms CPU; target <= 60")


def _has(findings, code: str) -> bool:
    return any(f.code == code for f in findings)


def show_misses(results) -> None:
    misses = defaultdict(list)
    for kind, sample, findings in results:
        found = sorted({f.code for f in findings})
        expected = [sample.code] if sample.code else []
        if found != expected:
            misses[(kind, sample.defect, sample.strength)].append(
                [{k: v for k, v in f.evidence.items() if k not in ("check",)} | {"code": f.code}
                 for f in findings])
    for key, items in misses.items():
        print("  miss/extra", key, items[:2])


def duplicates(rng: random.Random) -> None:
    """Re-saved / resized copies against different photos of the same kind of document."""
    photos = [phone_photo(render(kind, rng), rng)[0] for kind in KINDS for _ in range(6)]
    hashes = [perceptual_hash(p) for p in photos]
    copies = []
    for photo, value in zip(photos, hashes):
        for copy in (_jpeg(photo, 50), cv2.resize(photo, None, fx=0.5, fy=0.5),
                     cv2.resize(_jpeg(photo, 75), None, fx=0.7, fy=0.7)):
            copies.append(hash_distance(value, perceptual_hash(copy)))
    different = [hash_distance(hashes[i], hashes[j])
                 for i in range(len(hashes)) for j in range(i + 1, len(hashes))]
    print(f"perceptual hash (256 bits), near duplicate <= {NEAR_DUPLICATE_BITS}: "
          f"re-saved/resized copies max {max(copies)} (median {np.median(copies):.0f}); "
          f"different photos min {min(different)} (median {np.median(different):.0f})")


def _jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    return cv2.imdecode(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])[1],
                        cv2.IMREAD_COLOR)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", type=int, default=20, help="clean photos per kind")
    parser.add_argument("--per-defect", type=int, default=3, help="photos per defect, strength, kind")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-ocr", action="store_true", help="no text lines (faster)")
    parser.add_argument("--show-misses", action="store_true")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
