"""Whole applications, end to end: does each scenario raise the codes it is built to raise,
and nothing else at block level?

Run from the repository root:

    .venv/bin/python -m bench.scenarios [--seeds 4] [--scenarios a,b] [--show-extra]

Every scenario of `samples.applications.SCENARIOS` (a clean application, or one with
exactly one thing wrong) is generated `--seeds` times with its own photos, then
inspected as a worker does: `analyze_material` on every upload with one long-lived
toolkit, then `compare_application` on the form and the analyses. No database, no
queue. Duplicate-upload findings need the stored history and are not part of this.

Printed per scenario: how often every expected code was found (recall), how many
applications had a block-level finding that the scenario does not expect (false
blocks), and the recommendation. A clean scenario must have no block finding at all.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from config import load_config
from pipeline.compare import compare_application
from pipeline.form import FilingForm
from pipeline.inspect import analyze_material
from samples.applications import SCENARIOS, build_application
from samples.applications.scenarios import scenario_spec
from workers.toolkit import build_toolkit


def inspect_folder(folder: Path, tools, now: dt.datetime, *, with_analyses: bool = False):
    """The outcome of inspecting an application folder (and its analyses, if asked)."""
    form_data = json.loads((folder / "application.json").read_text(encoding="utf-8"))
    form = FilingForm.model_validate(form_data)
    analyses = [analyze_material((folder / m.file).read_bytes(), file=m.file, kind=m.kind,
                                 tools=tools) for m in form.materials]
    outcome = compare_application(form, analyses, now=now, face_settings=tools.face_settings)
    return (outcome, analyses) if with_analyses else outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=4, help="applications per scenario")
    parser.add_argument("--scenarios", default="", help="comma-separated; default: all")
    parser.add_argument("--show-extra", action="store_true",
                        help="print every unexpected block finding with its message")
    args = parser.parse_args()
    names = [s for s in args.scenarios.split(",") if s] or list(SCENARIOS)
    tools = build_toolkit(load_config())
    totals = Counter()
    print(f"{'scenario':28}{'n':>3}{'recall':>8}{'false blocks':>14}  recommendations")
    with tempfile.TemporaryDirectory() as scratch:
        for name in names:
            expected = set(scenario_spec(name).expected)
            found_all = false_blocks = 0
            recommendations = Counter()
            seconds = 0.0
            for seed in range(args.seeds):
                folder = Path(scratch) / f"{name}-{seed}"
                build_application(random.Random(f"bench-{name}-{seed}"), name, folder,
                                  external_id=f"BENCH-{name}-{seed}")
                started = time.perf_counter()
                outcome = inspect_folder(folder, tools, dt.datetime.now(dt.timezone.utc))
                seconds += time.perf_counter() - started
                codes = {f.code for f in outcome.findings}
                blocks = {f.code for f in outcome.findings if f.severity == "block"}
                found_all += expected <= codes
                extra = blocks - expected
                false_blocks += bool(extra)
                recommendations[outcome.recommendation] += 1
                if extra and args.show_extra:
                    for finding in outcome.findings:
                        if finding.code in extra:
                            print(f"    {name}-{seed}: {finding.code} {finding.material} "
                                  f"{finding.field}: {finding.message[:90]}")
                if outcome.errors:
                    print(f"    {name}-{seed}: errors {outcome.errors}")
            totals.update(n=args.seeds, found=found_all, false=false_blocks,
                          clean_n=args.seeds if not expected else 0,
                          clean_false=false_blocks if not expected else 0)
            print(f"{name:28}{args.seeds:>3}{found_all / args.seeds:>8.0%}{false_blocks:>14}  "
                  f"{dict(recommendations)}  ({seconds / args.seeds:.1f} s/app)")
    print(f"\nall: {totals['n']} applications; expected codes found in "
          f"{totals['found'] / totals['n']:.1%}; applications with an unexpected block "
          f"finding: {totals['false']} ({totals['clean_false']} of {totals['clean_n']} clean)")


if __name__ == "__main__":
    main()
