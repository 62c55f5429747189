"""Generated documents and phone photos of them (samples.documents, samples.camera)."""
from __future__ import annotations

import random
from functools import cache

import numpy as np

from samples.camera import simulate
from samples.documents import (CORNER_RADIUS, random_company, random_identity, render_id_back,
                               render_id_front, render_license, ground_truth)

RENDERERS = {"id_card_front": render_id_front, "id_card_back": render_id_back,
             "business_license": render_license}


@cache
def document(kind: str, seed: int) -> tuple[np.ndarray, dict[str, str]]:
    """A rendered document of `kind` and the fields it shows."""
    rng = random.Random(f"{kind}-{seed}")
    record = random_company(rng) if kind == "business_license" else random_identity(rng)
    return RENDERERS[kind](record, rng=rng), ground_truth(record, kind)


@cache
def photo(kind: str, seed: int, preset: str = "clean") -> tuple[np.ndarray, np.ndarray, dict]:
    """A phone photo of `document(kind, seed)`: (photo, the document's corners, fields)."""
    doc, truth = document(kind, seed)
    rng = random.Random(f"{kind}-{seed}-{preset}")
    extra = {} if kind == "business_license" else {"corner_radius": CORNER_RADIUS}
    image, quad = simulate(doc, rng, preset, background="wood", **extra)
    return image, quad, truth
