"""samples.defects: every defect at every strength, labelled, and stronger when stronger."""
from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from samples import defects


def flat_photo(doc: np.ndarray, rng: random.Random):
    """A stand-in camera: the document on a grey desk, 60 px margins, no distortion."""
    h, w = doc.shape[:2]
    photo = np.full((h + 120, w + 120, 3), 90, np.uint8)
    photo[60:60 + h, 60:60 + w] = doc if doc.shape[:2] == (h, w) else cv2.resize(doc, (w, h))
    return photo, [[60.0, 60.0], [60.0 + w, 60.0], [60.0 + w, 60.0 + h], [60.0, 60.0 + h]]


def document() -> np.ndarray:
    doc = np.full((270, 428, 3), (230, 236, 242), np.uint8)
    for row in range(5):
        cv2.putText(doc, "ID 3301061985", (20, 45 + 45 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.9,
                    (30, 30, 30), 2)
    doc[60:200, 300:400] = (60, 120, 200)  # a colourful portrait stand-in
    return doc


@pytest.mark.parametrize("defect", defects.DEFECTS)
@pytest.mark.parametrize("strength", defects.STRENGTHS)
def test_every_defect_and_strength_is_labelled(defect, strength):
    sample = defects.defective_photo(document(), defect, strength, random.Random(1), flat_photo)
    assert (sample.defect, sample.strength, sample.code) == (defect, strength, defects.CODES[defect])
    assert sample.image.dtype == np.uint8 and sample.image.ndim == 3
    assert np.asarray(sample.quad).shape == (4, 2)


def test_clean_photo_has_no_label():
    sample = defects.clean_photo(document(), random.Random(2), flat_photo)
    assert (sample.defect, sample.strength, sample.code) == (None, None, None)


def sharpness(image: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())


def test_strength_orders_the_defect():
    shots = {s: defects.defective_photo(document(), "blur", s, random.Random(3), flat_photo)
             for s in defects.STRENGTHS}
    assert sharpness(shots["mild"].image) > sharpness(shots["strong"].image)
    dark = {s: defects.defective_photo(document(), "dark", s, random.Random(3), flat_photo).image.mean()
            for s in defects.STRENGTHS}
    assert dark["mild"] > dark["medium"] > dark["strong"]
    small = {s: defects.defective_photo(document(), "low_resolution", s, random.Random(3),
                                        flat_photo).image.shape[1] for s in defects.STRENGTHS}
    assert small["mild"] > small["medium"] > small["strong"]


def test_photocopy_is_grey_and_cut_off_leaves_the_frame():
    copy = defects.defective_photo(document(), "photocopy", "mild", random.Random(4), flat_photo)
    spread = copy.image.astype(int).max(axis=2) - copy.image.astype(int).min(axis=2)
    assert spread.max() <= 1
    cut = defects.defective_photo(document(), "cut_off", "strong", random.Random(4), flat_photo)
    quad, (h, w) = np.asarray(cut.quad), cut.image.shape[:2]
    assert quad[:, 0].min() < 0 or quad[:, 1].min() < 0 or quad[:, 0].max() > w or quad[:, 1].max() > h
