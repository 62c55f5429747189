"""Phone-photo simulation: where the document lands, and what each degradation does."""
from __future__ import annotations

import math
import random

import cv2
import numpy as np
import pytest

from samples.camera import BACKGROUNDS, DEGRADATIONS, degrade, photograph, simulate


def _document(width: int = 420, height: int = 265) -> np.ndarray:
    """A card-like test document: pale, a dark bar on top, a red square in the middle."""
    doc = np.full((height, width, 3), 235, np.uint8)
    doc[20:50, 30:width - 30] = 30
    cy, cx = height // 2, width // 2
    doc[cy - 20:cy + 20, cx - 20:cx + 20] = (40, 40, 220)
    return doc


def _inside(quad: np.ndarray, image: np.ndarray) -> bool:
    h, w = image.shape[:2]
    return bool((quad >= 0).all() and (quad[:, 0] <= w - 1).all() and (quad[:, 1] <= h - 1).all())


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_the_document_lies_inside_the_photo(background):
    rng = random.Random(background)
    photo, quad = photograph(_document(), rng, tilt_deg=rng.uniform(-20, 20), perspective=0.2,
                             background=background, margin=0.1)
    assert photo.dtype == np.uint8 and photo.ndim == 3 and photo.shape[2] == 3
    assert quad.shape == (4, 2) and _inside(quad, photo)


def test_quad_goes_round_clockwise_from_the_top_left():
    photo, quad = photograph(_document(), random.Random(1), tilt_deg=10, perspective=0.1)
    centre = quad.mean(axis=0)
    angles = [math.atan2(y - centre[1], x - centre[0]) for x, y in quad]
    steps = [(angles[(i + 1) % 4] - angles[i]) % (2 * math.pi) for i in range(4)]
    assert all(0 < step < math.pi for step in steps)  # clockwise in image coordinates
    assert quad[0, 0] < quad[1, 0] and quad[0, 1] < quad[3, 1]


def test_quad_maps_the_document_onto_the_photo():
    doc = _document()
    photo, quad = photograph(doc, random.Random(2), tilt_deg=-12, perspective=0.15,
                             background="dark")
    h, w = doc.shape[:2]
    warp = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), quad)
    centre = cv2.perspectiveTransform(np.float32([[[w / 2, h / 2]]]), warp)[0, 0]
    b, g, r = photo[int(centre[1]), int(centre[0])].astype(int)
    assert r > 150 and r - b > 100  # the red square is where the quad says


def test_tilt_turns_the_top_edge():
    _, quad = photograph(_document(), random.Random(3), tilt_deg=15.0)
    dx, dy = quad[1] - quad[0]
    assert math.degrees(math.atan2(dy, dx)) == pytest.approx(15.0, abs=0.5)


def test_perspective_makes_opposite_edges_unequal():
    flat = photograph(_document(), random.Random(4))[1]
    oblique = photograph(_document(), random.Random(4), perspective=0.3)[1]

    def ratio(q):
        top, bottom = np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[2] - q[3])
        left, right = np.linalg.norm(q[3] - q[0]), np.linalg.norm(q[2] - q[1])
        return max(top / bottom, bottom / top, left / right, right / left)

    assert ratio(flat) == pytest.approx(1.0, abs=1e-3)
    assert ratio(oblique) > 1.08


def test_rounded_corners_show_the_surface():
    doc = np.full((200, 300, 3), 250, np.uint8)
    photo, quad = photograph(doc, random.Random(5), background="dark", corner_radius=30)
    x, y = quad[0].astype(int)
    assert photo[y + 1, x + 1].mean() < 120  # the corner is cut: dark cloth shows
    assert photo[y + 40, x + 40].mean() > 180


def test_unknown_background_is_refused():
    with pytest.raises(ValueError):
        photograph(_document(), random.Random(0), background="marble")


def test_degradations_do_what_they_say():
    rng = random.Random(6)
    photo, _ = photograph(_document(), rng, background="paper")
    def sharpness(image):
        return cv2.Laplacian(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var()

    assert sharpness(degrade(photo, rng, blur=3.0)) < sharpness(photo) / 4
    small = degrade(photo, rng, downscale=0.5)
    assert small.shape[:2] == (round(photo.shape[0] / 2), round(photo.shape[1] / 2))
    flat = np.full((100, 100, 3), 128, np.uint8)
    assert degrade(flat, rng, noise=10.0).std() > 6
    lit = degrade(np.full((100, 300, 3), 200, np.uint8), rng, uneven_light=0.6)
    assert lit.min() < 100 and lit.max() > 190
    jpeg = degrade(photo, rng, jpeg_quality=40)
    assert jpeg.shape == photo.shape and not np.array_equal(jpeg, photo)


@pytest.mark.parametrize("preset", sorted(DEGRADATIONS))
def test_presets_give_a_quad_inside_the_final_image(preset):
    image, quad = simulate(_document(), random.Random(preset), preset)
    assert image.dtype == np.uint8 and _inside(quad, image)


def test_presets_named_for_benchmarks():
    assert {"clean", "tilt15", "perspective", "blur", "jpeg40", "noise", "uneven_light",
            "low_res"} <= set(DEGRADATIONS)


def test_photograph_is_pure():
    doc = _document()
    first = photograph(doc, random.Random(8), tilt_deg=5, background="random")
    second = photograph(doc, random.Random(8), tilt_deg=5, background="random")
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])
