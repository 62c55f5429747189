"""Real face photos that ship inside registry packages.

`astronaut` is scikit-image's sample (Eileen Collins); `grace_hopper` is
matplotlib's. They are two different people, which is what a face-matching test
needs: the same person on the ID card and in the photo, or not.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image

PEOPLE = ("astronaut", "grace_hopper")
# Head-and-shoulders boxes (left, top, right, bottom) in each source image.
_PORTRAIT_BOX = {"astronaut": (120, 0, 300, 230), "grace_hopper": (110, 20, 420, 420)}


@cache
def _source(person: str) -> np.ndarray:
    if person == "astronaut":
        from skimage import data

        return data.astronaut()
    if person == "grace_hopper":
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
        return np.asarray(Image.open(path).convert("RGB"))
    raise KeyError(f"no sample face called {person!r}; choose from {PEOPLE}")


def photo(person: str) -> np.ndarray:
    """The whole sample photo, RGB uint8 (a copy; callers may draw on it)."""
    return _source(person).copy()


def portrait(person: str) -> np.ndarray:
    """A head-and-shoulders crop, RGB uint8, as an ID card portrait is framed."""
    left, top, right, bottom = _PORTRAIT_BOX[person]
    return _source(person)[top:bottom, left:right].copy()
