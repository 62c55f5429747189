"""Coverage-guided fuzzing (atheris / libFuzzer) of the two parsers that meet hostile bytes.

    .venv/bin/python -m bench.fuzz_intake_atheris [--seconds 60] [--corpus DIR]

The first input byte picks the target: `pipeline.imageio.probe` (upload bytes) or
`reviewer.services.intake.parse_form` (the application JSON). A refusal (`UnsupportedFile`,
`IntakeError`) is the expected answer to junk; any other exception is a crash, which
libFuzzer reports with the input that caused it (saved as crash-* in the working
folder). Seeds are a small JPEG, PNG and PDF and the contract example form.
Prints executions, refusals, acceptances and crashes at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["pipeline.imageio", "reviewer.services.intake"]):
    from pipeline.imageio import UnsupportedFile, probe
    from reviewer.services.intake import IntakeError, parse_form

MAX_PIXELS = 40_000_000
TARGETS = ("probe", "parse_form")
counts: Counter[str] = Counter()
started = time.monotonic()
deadline = float("inf")


def one_input(data: bytes) -> None:
    if time.monotonic() > deadline:  # libFuzzer's own time limit skips Python's exit hooks
        _report()
        os._exit(0)
    if not data:
        return
    target, body = TARGETS[data[0] % len(TARGETS)], data[1:]
    counts["executions"] += 1
    try:
        if target == "probe":
            probe(body, max_pixels=MAX_PIXELS)
        else:
            parse_form(body)
        counts[f"{target} accepted"] += 1
    except (UnsupportedFile, IntakeError):
        counts[f"{target} refused"] += 1


def _seeds(folder: Path) -> None:
    from samples import contract

    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
           b"/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox"
           b"[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    form = json.dumps(contract.example(), ensure_ascii=False).encode()
    seeds = {"jpeg": b"\x00" + contract.jpeg(0, (32, 24)),
             "png": b"\x00" + contract.png(0, (32, 24)),
             "pdf": b"\x00" + pdf, "form": b"\x01" + form}
    for name, data in seeds.items():
        (folder / name).write_bytes(data)


def _report() -> None:
    seconds = time.monotonic() - started
    refused = sum(n for k, n in counts.items() if k.endswith("refused"))
    accepted = sum(n for k, n in counts.items() if k.endswith("accepted"))
    print(f"\n{counts['executions']} executions in {seconds:.0f} s "
          f"({counts['executions'] / max(seconds, 1e-9):.0f}/s): {refused} refused, "
          f"{accepted} accepted, 0 crashes (a crash stops the run with a traceback)")
    for key in sorted(counts):
        print(f"  {key}: {counts[key]}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (default: a fresh temporary one with the seeds)")
    options, rest = parser.parse_known_args()
    corpus = options.corpus or Path(tempfile.mkdtemp(prefix="icp-fuzz-corpus-"))
    corpus.mkdir(parents=True, exist_ok=True)
    _seeds(corpus)
    global deadline
    deadline = time.monotonic() + options.seconds
    argv = [sys.argv[0], "-rss_limit_mb=4096",
            "-max_len=65536", *rest, str(corpus)]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
