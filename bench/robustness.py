"""Photos the ordinary generator does not draw: do quality verdicts hold?

Run from the repository root:

    .venv/bin/python -m bench.robustness [--seeds 3] [--quick] [--conditions a,b]

Per condition of `samples.applications.conditions` (clipped light, shadows, scanner
pages, card tints, glare over a blank part of a card, a cut-off card, a reflection that hides the ID number, a face
photo cut from a scene) `--seeds` applications are generated and inspected end to
end as bench.scenarios does; the "real_licenses" row puts each photo of
../shared/realdocs/licenses/truth.json into a clean enterprise application whose form
carries its transcribed name and credit code (the one without a credit code keeps a
generated code and is left out of the code's exactness).

Printed per condition: clean applications falsely blocked (any block finding; in
brackets, by a quality finding), planted defects caught (the planted code at block
level), the key-field exact rate (ID name and number, the back's valid_until, the
license's name, credit code and legal representative) and the median CPU seconds per
application (time.process_time, one thread).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.scenarios import inspect_folder
from samples.applications import build_application
from samples.applications.conditions import CONDITIONS
from samples.applications.scenarios import scenario_spec

QUALITY = frozenset({"IMAGE_EXPOSURE", "IMAGE_BLURRY", "IMAGE_LOW_RESOLUTION",
                     "IMAGE_GRAYSCALE", "IMAGE_RECAPTURED", "DOCUMENT_INCOMPLETE"})
REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "realdocs" / "licenses"


def truth_of(form: dict) -> dict[str, dict[str, str]]:
    """kind -> the key fields the form says its document shows."""
    leader, subject = form["subject"]["leader"], form["subject"]
    truth = {"id_card_front": {"name": leader["name"], "id_number": leader["cert_number"]},
             "id_card_back": {"valid_until": leader["cert_valid_until"]}}
    if subject["cert_type"] == "business_license":
        truth["business_license"] = {"name": subject["name"], "credit_code": subject["cert_number"],
                                     "legal_representative": subject["investor"]}
    return truth


def exact_fields(analyses, truth: dict[str, dict[str, str]]) -> tuple[int, int]:
    """(fields read exactly, fields expected) over the key fields of the documents."""
    right = total = 0
    for analysis in analyses:
        for name, value in truth.get(analysis.kind, {}).items():
            if not value:
                continue
            read = analysis.extracted.fields.get(name, "") if analysis.extracted else ""
            total += 1
            right += read == value
    return right, total


def run_one(folder: Path, tools, expected: set[str], truth_override=None) -> dict:
    form = json.loads((folder / "application.json").read_text(encoding="utf-8"))
    started = time.process_time()
    outcome, analyses = inspect_folder(folder, tools, dt.datetime.now(dt.timezone.utc),
                                       with_analyses=True)
    cpu = time.process_time() - started
    blocks = {f.code for f in outcome.findings if f.severity == "block"}
    truth = truth_of(form) | (truth_override or {})
    return {"cpu": cpu, "blocked": bool(blocks - expected),
            "quality_blocked": bool((blocks - expected) & QUALITY),
            "caught": expected <= blocks, "exact": exact_fields(analyses, truth),
            "extra": sorted(blocks - expected)}


def condition_rows(names, seeds: int, tools, scratch: Path):
    for name in names:
        expected = set(scenario_spec(name).expected)
        results = []
        for seed in range(seeds):
            folder = scratch / f"{name}-{seed}"
            build_application(random.Random(f"robust-{name}-{seed}"), name, folder,
                              external_id=f"ROBUST-{name}-{seed}")
            results.append(run_one(folder, tools, expected))
        yield name, expected, results


def real_license_rows(seeds: int, tools, scratch: Path):
    entries = json.loads((REAL / "truth.json").read_text(encoding="utf-8"))
    results = []
    for index, entry in enumerate(entries[:seeds] if seeds else entries):
        folder = scratch / f"real-{index}"
        build_application(random.Random(f"robust-real-{index}"), "clean_enterprise", folder,
                          external_id=f"ROBUST-real-{index}")
        truth = _carry_license(folder, entry)
        results.append(run_one(folder, tools, set(), {"business_license": truth}))
    yield "real_licenses", set(), results


def _carry_license(folder: Path, entry: dict) -> dict[str, str]:
    """The real photo as the application's license, its fields on the form."""
    fields = entry["fields"]
    path = folder / "application.json"
    form = json.loads(path.read_text(encoding="utf-8"))
    form["subject"]["name"] = fields["name"]
    if fields["credit_code"]:
        form["subject"]["cert_number"] = fields["credit_code"]
    form["subject"]["investor"] = fields["legal_representative"]
    path.write_text(json.dumps(form, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "license.jpg").write_bytes((REAL / entry["file"]).read_bytes())
    return {"name": fields["name"], "credit_code": fields["credit_code"],
            "legal_representative": fields["legal_representative"]}


def report(name: str, expected: set[str], results: list[dict], show: bool) -> list[float]:
    n = len(results)
    right = sum(r["exact"][0] for r in results)
    total = sum(r["exact"][1] for r in results)
    falsely = "-" if expected else (f"{sum(r['blocked'] for r in results)}"
                                    f" ({sum(r['quality_blocked'] for r in results)})")
    caught = f"{sum(r['caught'] for r in results)}/{n}" if expected else "-"
    cpu = [r["cpu"] for r in results]
    print(f"{name:20}{n:>3}{falsely:>16}{caught:>10}{right / max(total, 1):>10.1%}"
          f"{statistics.median(cpu):>10.2f}")
    for index, result in enumerate(results):
        if show and result["extra"]:
            print(f"    {name}-{index}: unexpected blocks {result['extra']}")
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="applications per condition")
    parser.add_argument("--quick", action="store_true", help="one application per condition")
    parser.add_argument("--conditions", default="", help="comma-separated; default: all")
    parser.add_argument("--show-extra", action="store_true")
    args = parser.parse_args()
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
    import cv2

    from config import load_config
    from workers.toolkit import build_toolkit

    cv2.setNumThreads(1)
    seeds = 1 if args.quick else args.seeds
    names = [c for c in args.conditions.split(",") if c] or [*CONDITIONS, "real_licenses"]
    tools = build_toolkit(load_config())
    print(f"{'condition':20}{'n':>3}{'falsely blocked':>16}{'caught':>10}{'exact':>10}"
          f"{'cpu s/app':>10}")
    cpu = []
    with tempfile.TemporaryDirectory() as scratch:
        rows = condition_rows([n for n in names if n != "real_licenses"], seeds, tools,
                              Path(scratch))
        if "real_licenses" in names:
            rows = [*rows, *real_license_rows(2 if args.quick else 0, tools, Path(scratch))]
        for name, expected, results in rows:
            cpu += report(name, expected, results, args.show_extra)
    print(f"\nmedian CPU seconds per application, all rows: {statistics.median(cpu):.2f}")


if __name__ == "__main__":
    main()
