"""Head-and-shoulders cut-outs of the sample people, for ID portraits and face photos.

An ID card portrait and a white-background verification photo both show the
person without the scene behind them. The two sample photos are fixed, so each
gets a hand-drawn outline that GrabCut then snaps to the real edge inside a
narrow band; the result is cached.
"""
from __future__ import annotations

from functools import cache

import cv2
import numpy as np

from samples.faces import photo

# Outline of head and shoulders in `samples.faces.photo(person)` pixel coordinates.
_OUTLINES = {
    "astronaut": ((10, 512), (30, 262), (85, 228), (112, 206), (118, 195), (130, 175),
                  (160, 158), (175, 150), (168, 135), (155, 112), (152, 80), (158, 50),
                  (172, 28), (195, 16), (225, 12), (258, 16), (282, 30), (297, 52),
                  (303, 80), (300, 108), (285, 122), (270, 132), (260, 140), (256, 160),
                  (258, 175), (275, 192), (290, 210), (300, 228), (315, 240), (335, 255),
                  (352, 275), (368, 300), (380, 512)),
    "grace_hopper": ((25, 600), (30, 420), (50, 385), (85, 368), (130, 352), (170, 336),
                     (188, 318), (186, 298), (170, 250), (160, 200), (152, 160), (150, 128),
                     (156, 95), (176, 55), (205, 35), (240, 25), (280, 27), (320, 40),
                     (355, 60), (372, 100), (372, 140), (364, 168), (352, 250), (345, 292),
                     (334, 312), (350, 330), (400, 342), (440, 358), (485, 390), (505, 420),
                     (512, 600)),
}
# Head-and-shoulders frame (left, top, right, bottom), 26:32 as an ID photo; it may
# reach past the photo's top edge, where the background colour fills in.
FRAMES = {"astronaut": (97, -48, 357, 272), "grace_hopper": (76, -30, 446, 425)}
_BAND = 9  # pixels either side of the outline that GrabCut decides


@cache
def _cutout(person: str) -> tuple[np.ndarray, np.ndarray]:
    rgb = photo(person)
    outline = np.asarray(_OUTLINES[person], np.int32)
    drawn = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(drawn, [outline], 255)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * _BAND + 1, 2 * _BAND + 1))
    inner, outer = cv2.erode(drawn, kernel), cv2.dilate(drawn, kernel)
    mask = np.full(drawn.shape, cv2.GC_BGD, np.uint8)
    mask[outer > 0] = cv2.GC_PR_BGD
    mask[drawn > 0] = cv2.GC_PR_FGD
    mask[inner > 0] = cv2.GC_FGD
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    models = (np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64))
    cv2.grabCut(bgr, mask, None, *models, 4, cv2.GC_INIT_WITH_MASK)
    alpha = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.float32)
    alpha = cv2.GaussianBlur(alpha, (0, 0), 1.2)
    return rgb, alpha


def cutout(person: str) -> tuple[np.ndarray, np.ndarray]:
    """(RGB uint8, alpha float32 in 0..1) of the whole sample photo."""
    rgb, alpha = _cutout(person)
    return rgb.copy(), alpha.copy()


def on_background(person: str, background: np.ndarray | tuple[int, int, int],
                  frame: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """The person's head and shoulders over `background` (a colour or an RGB image of
    the frame's size), cropped to `frame` (default: the ID-photo frame). RGB uint8."""
    rgb, alpha = _cutout(person)
    left, top, right, bottom = frame or FRAMES[person]
    person_rgb = _crop_padded(rgb.astype(np.float32), (left, top, right, bottom))
    person_alpha = _crop_padded(alpha, (left, top, right, bottom))[..., None]
    back = np.empty_like(person_rgb)
    back[:] = np.asarray(background, np.float32)
    return np.clip(back + person_alpha * (person_rgb - back), 0, 255).astype(np.uint8)


def _crop_padded(image: np.ndarray, frame: tuple[int, int, int, int]) -> np.ndarray:
    """Crop, filling outside the image with zeros (alpha) or edge-free zeros (colour)."""
    left, top, right, bottom = frame
    h, w = image.shape[:2]
    out = np.zeros((bottom - top, right - left) + image.shape[2:], image.dtype)
    sx0, sy0, sx1, sy1 = max(left, 0), max(top, 0), min(right, w), min(bottom, h)
    out[sy0 - top:sy1 - top, sx0 - left:sx1 - left] = image[sy0:sy1, sx0:sx1]
    return out
