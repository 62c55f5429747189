"""The example application of shared/CONTRACT.md section 1, with small stand-in images.

For tests of intake and of the API surface, where what the pictures show does not
matter; `samples.applications` builds applications whose pictures are realistic.
"""
from __future__ import annotations

import copy
import io
import json
import random
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image

EXAMPLE_PATH = Path(__file__).with_name("contract_example.json")


@cache
def _example() -> dict:
    return json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))


def example(**changes) -> dict:
    """A fresh copy of the contract example, top-level keys replaced by `changes`."""
    data = copy.deepcopy(_example())
    data.update(changes)
    return data


def jpeg(seed: int = 0, size: tuple[int, int] = (320, 200), quality: int = 85) -> bytes:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=quality)
    return out.getvalue()


def png(seed: int = 0, size: tuple[int, int] = (320, 200)) -> bytes:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


def files_for(form: dict, seed: int | None = None) -> dict[str, bytes]:
    """One distinct small JPEG per material the form names."""
    rng = random.Random(seed)
    return {m["file"]: jpeg(rng.randrange(1 << 30)) for m in form["materials"]}


def write_folder(folder: Path, form: dict, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "application.json").write_text(json.dumps(form, ensure_ascii=False),
                                             encoding="utf-8")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder
