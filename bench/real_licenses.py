"""Reading real business licenses: per file and field, exact or not.

Run from the repository root:

    .venv/bin/python -m bench.real_licenses [--sets ../shared/realdocs/licenses,...]

Each set is a folder with a `truth.json` (list of `{file, kind, source, fields,
uncertain}`, field names as in CONTRACT.md's `extracted`). Every file is decoded and
read as a worker reads a `business_license` material (`working_image`, then
`read_document` with the default engine, one thread). A field is exact when the read
value equals the transcription after `normalize_name` (width, spaces, brackets,
traditional forms); `""` in the truth means the license prints no such field, so the
reading must not give one either. Key fields: name, the number (credit code, or the
注册号 where a license prints none) and the legal representative. Fields named in an
entry's "uncertain" are counted apart.

Targets: key fields 100 % exact, the other fields >= 95 %.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.documents import read_document
from pipeline.documents.text import normalize_name
from pipeline.imageio import working_image
from pipeline.ocr import DEFAULT_ENGINE, OcrSettings, create_engine

DEFAULT_SETS = (Path("..") / "shared" / "realdocs" / "licenses",
                Path("tests") / "fixtures" / "realdocs" / "licenses")
KEY = ("name", "credit_code", "registration_number", "legal_representative")


@dataclass
class Tally:
    cells: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    seconds: list[float] = field(default_factory=list)

    def add(self, group: str, exact: bool) -> None:
        self.cells[group][0] += exact
        self.cells[group][1] += 1


def same(read: str | None, truth: str) -> bool:
    return normalize_name(read or "") == normalize_name(truth)


def entries(folder: Path) -> list[tuple[Path, dict]]:
    truth = folder / "truth.json"
    if not truth.exists():
        return []
    return [(folder / entry["file"], entry) for entry in json.loads(truth.read_text("utf-8"))]


def read_fields(path: Path, engine) -> tuple[dict[str, str], float]:
    started = time.process_time()
    image = working_image(path.read_bytes())
    reading = read_document(image, "business_license", engine, material=path.name)
    fields = reading.extracted.fields if reading.extracted else {}
    return fields, time.process_time() - started


def check(path: Path, entry: dict, engine, tally: Tally) -> None:
    fields, seconds = read_fields(path, engine)
    tally.seconds.append(seconds)
    print(f"\n{path.name}  ({seconds:.2f} CPU-s)  {entry.get('note', '')}")
    uncertain = set(entry.get("uncertain", ()))
    for name, truth in entry["fields"].items():
        exact = same(fields.get(name), truth)
        group = "uncertain" if name in uncertain else "key" if name in KEY else "other"
        tally.add(group, exact)
        tally.add(f"{group}:{name}", exact)
        mark = "ok " if exact else "NO "
        shown = "" if exact else f"   read {fields.get(name, '')!r}"
        print(f"  {mark}{name:22}{'(uncertain) ' if name in uncertain else ''}"
              f"{truth!r}{shown}")


def report(tally: Tally) -> None:
    print("\n=== per field")
    for group in sorted(k for k in tally.cells if ":" in k):
        print(f"  {group:40}{_rate(tally.cells[group]):>16}")
    print("=== totals")
    for group in ("key", "other", "uncertain"):
        print(f"  {group:12}{_rate(tally.cells.get(group, [0, 0])):>16}")
    print("(targets: key 100 %, other >= 95 %)")
    seconds = sorted(tally.seconds)
    if seconds:
        print(f"CPU-seconds per license: median {seconds[len(seconds) // 2]:.2f}, "
              f"max {seconds[-1]:.2f}")


def _rate(cell: list[int]) -> str:
    hits, total = cell
    return f"{hits}/{total} {100 * hits / total:.1f}%" if total else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(map(str, DEFAULT_SETS)),
                        help="folders holding a truth.json, comma-separated")
    args = parser.parse_args()
    engine = create_engine(DEFAULT_ENGINE, OcrSettings())
    tally = Tally()
    for folder in args.sets.split(","):
        for path, entry in entries(Path(folder)):
            check(path, entry, engine, tally)
    report(tally)


if __name__ == "__main__":
    main()
