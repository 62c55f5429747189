"""Photo conditions of real uploads that the ordinary phone photo (samples.camera) does
not draw, each in a style of its own and none tuned to pass a check.

- `clipped_light`: a desk lamp or a window lights one part of the card so brightly
  that its pale background clips to white between the text lines (the ink survives);
- `cast_shadow`: the shadow of a hand or a phone over part of the document, soft or hard;
- `scanner_page`: a scanner app's output: the document flat on a white page, levels
  stretched so the paper is pure white, the page edge at or past the frame;
- `tinted`: a card printed or faded in another tint;
- `cut_quarter`: the frame cuts a quarter of the card off one side;
- `hiding_glare`: a reflection whose white core wipes out the text under it.
Every function is pure: all randomness comes from the `rng` argument.
"""
from __future__ import annotations

import random

import cv2
import numpy as np

Quad = np.ndarray  # (4, 2) float: top-left, top-right, bottom-right, bottom-left


def clipped_light(photo: np.ndarray, quad: Quad, rng: random.Random) -> np.ndarray:
    """A lamp (a wide round pool) or a window (a ramp across) brightening the photo by up
    to 1.5-1.9 times: the pale card clips where the light is strongest."""
    h, w = photo.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    q = np.asarray(quad, np.float32)
    gain = rng.uniform(0.7, 1.4)
    if rng.random() < 0.5:  # lamp: centred somewhere over the card
        cx, cy = q[:, 0].min() + rng.uniform(0.2, 0.8) * np.ptp(q[:, 0]), \
            q[:, 1].min() + rng.uniform(0.2, 0.8) * np.ptp(q[:, 1])
        radius = rng.uniform(0.5, 0.9) * np.ptp(q[:, 0])
        light = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius ** 2))
    else:  # window: brighter towards one side
        angle = rng.uniform(0, 2 * np.pi)
        ramp = (x - w / 2) * np.cos(angle) + (y - h / 2) * np.sin(angle)
        light = np.clip(0.5 + ramp / max(h, w), 0, 1)
    boosted = photo.astype(np.float32) * (1 + gain * light)[..., None]
    return np.clip(boosted, 0, 255).astype(np.uint8)


def cast_shadow(photo: np.ndarray, quad: Quad, rng: random.Random, *, hard: bool) -> np.ndarray:
    """A shadow over part of the document: a polygon from one edge of the photo."""
    h, w = photo.shape[:2]
    q = np.asarray(quad, np.float32)
    edge = rng.randrange(4)
    reach = rng.uniform(0.25, 0.55)
    inner = q.mean(axis=0) + (q[edge] - q.mean(axis=0)) * (1 - reach)
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    polygon = np.int32([corners[edge], corners[(edge + 1) % 4], inner + [w * 0.1, 0],
                        inner - [w * 0.1, 0]])
    mask = np.zeros((h, w), np.float32)
    cv2.fillPoly(mask, [cv2.convexHull(polygon)], 1.0)
    sigma = rng.uniform(1.0, 2.5) if hard else rng.uniform(0.04, 0.09) * w
    mask = cv2.GaussianBlur(mask, (0, 0), sigma)
    depth = rng.uniform(0.35, 0.55) if hard else rng.uniform(0.25, 0.45)
    shaded = photo.astype(np.float32) * (1 - depth * mask)[..., None]
    return np.clip(shaded, 0, 255).astype(np.uint8)


def scanner_page(document: np.ndarray, rng: random.Random, *, card: bool) -> np.ndarray:
    """A scanner app's page: flat, paper stretched to white, the page edge at or past the
    frame. A card lies on a white A4 page; a license page fills the frame."""
    doc = document.astype(np.float32)
    if card:
        h, w = doc.shape[:2]
        page = np.full((int(w * 1.6), int(w * 1.2), 3), 255, np.float32)
        y0 = int(rng.uniform(0.08, 0.5) * (page.shape[0] - h))
        x0 = int(rng.uniform(0.2, 0.8) * (page.shape[1] - w))
        page[y0:y0 + h, x0:x0 + w] = doc
        doc = page
    else:
        h, w = doc.shape[:2]
        cut = int(rng.uniform(0.0, 0.01) * w)
        doc = doc[cut:h - cut, cut:w - cut]
    white = rng.uniform(225, 240)  # levels: everything this bright becomes paper white
    stretched = np.clip(doc * (255 / white), 0, 255)
    scale = rng.uniform(0.6, 0.9) if not card else 1.0
    out = cv2.resize(stretched, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return _jpeg(out.astype(np.uint8), rng.randint(75, 92))


def tinted(card: np.ndarray, rng: random.Random) -> np.ndarray:
    """The card in another tint: pinker, greener, yellower or greyer than the renders."""
    shift = np.float32(rng.choice(((0, -6, 14), (-8, 10, -4), (-16, 4, 10), (6, 6, 6))))
    strength = rng.uniform(0.7, 1.3)
    return np.clip(card.astype(np.float32) + shift * strength, 0, 255).astype(np.uint8)


def cut_quarter(photo: np.ndarray, quad: Quad, side: str,
                fraction: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """The photo cropped so that `fraction` of the document's width (or height) lies past
    `side` ("left", "right", "top", "bottom"). Returns (photo, quad in the new photo)."""
    q = np.asarray(quad, np.float32)
    h, w = photo.shape[:2]
    x0, y0, x1, y1 = 0, 0, w, h
    width, height = np.ptp(q[:, 0]), np.ptp(q[:, 1])
    if side == "left":
        x0 = int(q[:, 0].min() + fraction * width)
    elif side == "right":
        x1 = int(q[:, 0].max() - fraction * width)
    elif side == "top":
        y0 = int(q[:, 1].min() + fraction * height)
    else:
        y1 = int(q[:, 1].max() - fraction * height)
    return photo[y0:y1, x0:x1].copy(), q - np.float32([x0, y0])


def hiding_glare(photo: np.ndarray, quad: Quad, at: tuple[float, float], rng: random.Random,
                 *, radius: float = 0.12) -> np.ndarray:
    """A reflection centred at `at` (fractions of the document's width and height) whose
    clipped core, `radius` of the document's width across each way, wipes out the text."""
    q = np.asarray(quad, np.float32)
    u, v = at
    top, bottom = q[0] + (q[1] - q[0]) * u, q[3] + (q[2] - q[3]) * u
    centre = top + (bottom - top) * v
    size = radius * float(np.linalg.norm(q[1] - q[0]))
    h, w = photo.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    stretch = rng.uniform(1.3, 2.0)
    d2 = ((x - centre[0]) / (size * stretch)) ** 2 + ((y - centre[1]) / size) ** 2
    light = np.where(d2 < 1, 255.0, np.clip(2.0 - d2, 0, None) * 200)[..., None]
    return np.clip(photo.astype(np.float32) + light, 0, 255).astype(np.uint8)


def _jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else image
