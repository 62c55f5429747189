"""Document reading accuracy on generated phone photos, per engine, field and degradation.

Run from the repository root:

    .venv/bin/python -m bench.ocr_accuracy [--clean 60] [--degraded 8] \
        [--engines rapidocr,paddleocr] [--paddle-dir instance/models/paddle]

Each kind (ID front, ID back, business license) gets `--clean` photos with the
`clean` preset of `samples.camera.DEGRADATIONS` and `--degraded` photos with each
other preset (tilt 15 degrees, perspective, blur, JPEG 40, noise, uneven light, low
resolution): 3 x (60 + 7 x 8) = 348 documents by default, the same photos for every
engine. A field counts as exact when it equals the ground truth after full-width
to half-width and without spaces. The comparison with a form that holds the true
values must give no *_MISMATCH (nor *_INVALID) finding: those are false alarms.

Targets (default engine): name, ID number and credit code >= 99.5 % exact on clean
photos and >= 98 % on degraded ones; zero false *_MISMATCH on clean photos.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from pipeline.analysis import MaterialAnalysis
from pipeline.compare_documents import compare_documents
from pipeline.documents import read_document
from pipeline.form import FilingForm
from pipeline.ocr import OcrSettings, create_engine, prepare_paddle_models
from samples.camera import DEGRADATIONS, simulate
from samples.contract import example
from samples.documents import (CORNER_RADIUS, KINDS, random_company, random_identity,
                               render_id_back, render_id_front, render_license, ground_truth)

KEY = {("id_card_front", "name"), ("id_card_front", "id_number"),
       ("business_license", "name"), ("business_license", "credit_code")}
RENDER = {"id_card_front": render_id_front, "id_card_back": render_id_back,
          "business_license": render_license}
FILES = {"id_card_front": "leader_front.jpg", "id_card_back": "leader_back.jpg",
         "business_license": "license.jpg"}
TODAY = dt.date(2026, 11, 21)
DEFAULT_PADDLE_DIR = Path("instance") / "models" / "paddle"  # as config.paddle_model_dir


@dataclass
class Sample:
    kind: str
    preset: str
    image: np.ndarray
    truth: dict[str, str]
    form: FilingForm


def samples(clean: int, degraded: int, seed: int = 0) -> Iterator[Sample]:
    plan = [("clean", clean)] + [(p, degraded) for p in DEGRADATIONS if p != "clean"]
    for preset, count in plan:
        for i in range(count):
            for kind in KINDS:
                yield make_sample(kind, preset, f"{seed}-{preset}-{i}")


def make_sample(kind: str, preset: str, seed: str) -> Sample:
    rng = random.Random(f"{kind}-{seed}")
    record = random_company(rng) if kind == "business_license" else random_identity(rng)
    doc = RENDER[kind](record, rng=rng)
    extra = {} if kind == "business_license" else {"corner_radius": CORNER_RADIUS}
    image, _ = simulate(doc, rng, preset, **extra)
    truth = ground_truth(record, kind)
    return Sample(kind, preset, image, truth, _form(record, kind))


def _form(record, kind: str) -> FilingForm:
    """The contract example with the true values of this document filled in."""
    data = example()
    if kind == "business_license":
        data["subject"].update(name=record.name, cert_number=record.credit_code)
        data["subject"]["leader"]["name"] = record.legal_representative
    else:
        data["subject"]["leader"].update(name=record.name, cert_number=record.id_number)
    return FilingForm.model_validate(data)


def same(read: str | None, truth: str) -> bool:
    def norm(value: str | None) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))
    return norm(read) == norm(truth)


class Tally:
    def __init__(self) -> None:
        self.hits: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        self.false_alarms: dict[tuple[str, str], int] = defaultdict(int)
        self.documents: dict[str, int] = defaultdict(int)
        self.seconds: list[float] = []

    def add(self, sample: Sample, reading, seconds: float) -> None:
        self.seconds.append(seconds)
        self.documents[sample.preset] += 1
        fields = reading.extracted.fields if reading.extracted else {}
        for name, truth in sample.truth.items():
            cell = self.hits[(sample.kind, name, sample.preset)]
            cell[0] += same(fields.get(name), truth)
            cell[1] += 1
        analysis = MaterialAnalysis(file=FILES[sample.kind], kind=sample.kind,
                                    detected_kind=reading.detected_kind,
                                    extracted=reading.extracted, findings=reading.findings)
        findings = reading.findings + compare_documents(sample.form, [analysis], today=TODAY)
        for finding in findings:
            if finding.code.endswith(("_MISMATCH", "_INVALID", "_UNREADABLE")) or \
                    finding.code == "MATERIAL_WRONG_KIND":
                clean = "clean" if sample.preset == "clean" else "degraded"
                self.false_alarms[(finding.code, f"{clean}/{finding.severity}")] += 1


def run(engine_names: list[str], clean: int, degraded: int, paddle_dir: Path) -> None:
    engines = {}
    for name in engine_names:
        settings = OcrSettings(paddle_model_dir=str(prepare_paddle_models(paddle_dir))) \
            if name == "paddleocr" else OcrSettings()
        engines[name] = create_engine(name, settings)
    tallies = {name: Tally() for name in engines}
    started = time.perf_counter()
    for n, sample in enumerate(samples(clean, degraded), 1):
        for name, engine in engines.items():
            t0 = time.perf_counter()
            reading = read_document(sample.image, sample.kind, engine,
                                    material=FILES[sample.kind])
            tallies[name].add(sample, reading, time.perf_counter() - t0)
        if n % 30 == 0:
            print(f"... {n} documents, {time.perf_counter() - started:.0f} s", flush=True)
    for name, tally in tallies.items():
        report(name, tally)


def report(engine: str, tally: Tally) -> None:
    presets = list(DEGRADATIONS)
    print(f"\n=== {engine}: {sum(tally.documents.values())} documents "
          f"({', '.join(f'{p} {tally.documents[p]}' for p in presets)})")
    print(f"{'field':40}" + "".join(f"{p[:9]:>10}" for p in presets) + f"{'degraded':>10}")
    for kind in KINDS:
        for name in sorted({k[1] for k in tally.hits if k[0] == kind}):
            cells = [tally.hits.get((kind, name, p), [0, 0]) for p in presets]
            worse = [sum(c[i] for c in cells[1:]) for i in (0, 1)]
            mark = " *" if (kind, name) in KEY else ""
            row = f"{kind + '.' + name + mark:40}"
            row += "".join(f"{_rate(c):>10}" for c in cells) + f"{_rate(worse):>10}"
            print(row)
    print("(* key fields; targets: >= 99.5 % clean, >= 98 % degraded)")
    alarms = dict(sorted(tally.false_alarms.items()))
    print("findings on true documents:", alarms or "none")
    clean_mismatch = sum(v for (code, where), v in alarms.items()
                         if code.endswith("_MISMATCH") and where.startswith("clean"))
    print(f"false *_MISMATCH on clean photos: {clean_mismatch} (target 0)")
    seconds = np.array(tally.seconds)
    print(f"seconds per document: median {np.median(seconds):.2f}, "
          f"p95 {np.percentile(seconds, 95):.2f}")


def _rate(cell) -> str:
    hits, total = cell
    return f"{100 * hits / total:.1f}%" if total else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", type=int, default=60, help="clean photos per kind")
    parser.add_argument("--degraded", type=int, default=8, help="photos per kind and preset")
    parser.add_argument("--engines", default="rapidocr,paddleocr")
    parser.add_argument("--paddle-dir", type=Path, default=DEFAULT_PADDLE_DIR)
    args = parser.parse_args()
    run(args.engines.split(","), args.clean, args.degraded, args.paddle_dir)


if __name__ == "__main__":
    main()
