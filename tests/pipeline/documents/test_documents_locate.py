"""Finding a document's outline in a photo and flattening it."""
from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from pipeline.documents.locate import card_shaped, crop_size, find_outline, locate_document

CARD = (856, 540)


def _card(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    card = np.full((CARD[1], CARD[0], 3), (236, 232, 226), np.uint8)
    card += rng.integers(0, 6, card.shape, dtype=np.uint8)
    for y in range(60, 480, 70):  # lines of "text"
        cv2.rectangle(card, (60, y), (int(rng.integers(300, 560)), y + 30), (40, 40, 40), -1)
    cv2.rectangle(card, (600, 60), (800, 320), (150, 160, 170), -1)  # the portrait
    return card


def _photo(card: np.ndarray, corners: np.ndarray, size=(1200, 900), background=(60, 50, 45),
           seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    photo = np.full((size[1], size[0], 3), background, np.uint8)
    photo = cv2.add(photo, rng.integers(0, 12, photo.shape, dtype=np.uint8))
    h, w = card.shape[:2]
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]),
                                         np.float32(corners))
    warped = cv2.warpPerspective(card, matrix, size)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, size)
    photo[mask > 0] = warped[mask > 0]
    return photo


def _error(found, truth) -> float:
    return float(np.abs(np.float32(found) - np.float32(truth)).max())


def _seen(pitch: float, yaw: float, roll: float, size=(1200, 900)) -> list[list[float]]:
    """Corners of a 640 x 404 card seen by a pinhole camera centred on the photo."""
    w, h = 640, 404
    corners = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0],
                        [-w / 2, h / 2, 0]])
    rx, ry, rz = (np.radians(a) for a in (pitch, yaw, roll))
    rotation = (np.array([[1, 0, 0], [0, np.cos(rx), -np.sin(rx)], [0, np.sin(rx), np.cos(rx)]])
                @ np.array([[np.cos(ry), 0, np.sin(ry)], [0, 1, 0], [-np.sin(ry), 0, np.cos(ry)]])
                @ np.array([[np.cos(rz), -np.sin(rz), 0], [np.sin(rz), np.cos(rz), 0], [0, 0, 1]]))
    seen = corners @ rotation.T
    focal = 1000.0
    scale = focal / (focal + seen[:, 2])
    return (seen[:, :2] * scale[:, None] + np.array(size) / 2).tolist()


@pytest.mark.parametrize("corners", [
    [[200, 150], [1000, 180], [980, 700], [180, 660]],  # a few degrees of tilt
    _seen(10, 32, 5),  # an oblique camera: the card looks as square as a page
])
def test_card_on_a_dark_desk(corners):
    quad, crop = locate_document(_photo(_card(), np.float32(corners)))
    assert quad is not None and _error(quad, corners) < 12
    assert crop.shape[:2] == (540, 856)


def test_white_card_on_white_paper_found_by_its_texture():
    corners = [[220, 160], [990, 190], [975, 690], [200, 650]]
    card = _card()
    photo = _photo(card, np.float32(corners), background=(238, 234, 228))
    photo = cv2.GaussianBlur(photo, (3, 3), 0)
    quad = find_outline(photo)
    assert quad is not None and _error(quad, corners) < 25


def test_quad_runs_clockwise_from_the_top_left_as_photographed():
    corners = [[200, 150], [1000, 180], [980, 700], [180, 660]]
    shuffled = _photo(_card(), np.float32(corners))
    quad = find_outline(shuffled)
    assert quad[0][0] < quad[1][0] and quad[0][1] < quad[3][1]


def test_a_photo_without_a_document():
    rng = random.Random(3)
    plain = np.full((600, 800, 3), 120, np.uint8)
    noisy = np.uint8([[[rng.randrange(256)] * 3 for _ in range(80)] for _ in range(60)])
    assert locate_document(plain) == (None, None)
    assert find_outline(cv2.resize(noisy, (800, 600), interpolation=cv2.INTER_NEAREST)) is None
    assert find_outline(np.zeros((20, 20, 3), np.uint8)) is None


def test_a_scan_filling_the_frame_has_no_outline_of_its_own():
    assert find_outline(_card()) is None  # the portrait's frame is no card


def test_crop_sizes():
    assert card_shaped(856, 540) and not card_shaped(2000, 1414)
    assert crop_size([[0, 0], [428, 0], [428, 270], [0, 270]]) == (856, 540)
    assert crop_size([[0, 0], [270, 0], [270, 428], [0, 428]]) == (540, 856)
    assert crop_size([[0, 0], [3000, 0], [3000, 2121], [0, 2121]]) == (2000, 1414)
    assert crop_size([[0, 0], [1200, 0], [1200, 849], [0, 849]]) == (1200, 849)


def test_outline_points_every_few_pixels_from_each_corner():
    from pipeline.documents.locate import _densify

    square = np.float32([[0, 0], [30, 0], [30, 30], [0, 30]])
    points = _densify(square, step=3.0)
    assert points.shape == (40, 2) and points.dtype == np.float32
    assert points[:2].tolist() == [[0, 0], [3, 0]] and points[10].tolist() == [30, 0]
    steps = np.linalg.norm(np.diff(np.vstack([points, points[:1]]), axis=0), axis=1)
    assert np.allclose(steps, 3.0)


def test_support_is_the_share_of_the_outline_on_strong_edges():
    from pipeline.documents.locate import _support

    strong = np.zeros((100, 100), bool)
    strong[10, :] = strong[90, :] = strong[:, 10] = True  # three sides of a square
    quad = np.float32([[10, 10], [90, 10], [90, 90], [10, 90]])
    assert _support(quad, strong) == pytest.approx(0.75)
    assert _support(quad + 200, strong) == 0.0  # outside the photo counts as no edge
