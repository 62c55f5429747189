"""The measures under the quality checks, against their plain definitions."""
import numpy as np

from pipeline.quality.colour import chroma_p99
from pipeline.quality.sharpness import _orientation, edge_width


def test_gradient_orientation_is_the_phase_to_the_nearest_45_degrees():
    rng = np.random.default_rng(3)
    gx, gy = rng.normal(size=(2, 20000)).astype(np.float32)
    phase = np.arctan2(gy, gx) % np.pi
    expected = np.floor(phase / np.pi * 4 + 0.5).astype(np.int8) % 4
    assert (_orientation(gx, gy) == expected).mean() > 0.9999  # ties at exactly 22.5 aside


def test_edge_width_grows_with_blur_and_is_about_three_px_when_sharp():
    import cv2

    page = np.full((400, 600), 235, np.uint8)
    for row in range(40, 360, 40):
        cv2.putText(page, "ICP 0123456789", (20, row), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 20, 3)
    sharp, _ = edge_width(page)
    soft, _ = edge_width(cv2.GaussianBlur(page, (0, 0), 2.5))
    assert 2.0 < sharp < 4.5 and soft > sharp + 2


def test_chroma_is_high_for_colour_and_low_for_grey_under_a_warm_light():
    rng = np.random.default_rng(5)
    grey = np.clip(rng.normal(200, 30, (300, 500, 1)), 0, 255).repeat(3, axis=2)
    warm = (grey * np.array([0.8, 0.95, 1.0])).astype(np.uint8)  # BGR: a yellowish light
    coloured = warm.copy()
    coloured[100:160, 200:300] = (40, 40, 200)  # a red seal
    assert chroma_p99(warm) < 5 and chroma_p99(coloured) > 100  # the check blocks below 25
